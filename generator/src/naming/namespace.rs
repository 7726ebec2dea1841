//! A namespace of Rust identifiers: who took each name, so that a second claim on it is a
//! collision that can name both parties.

use std::collections::HashMap;

use crate::spec::locate::NodePath;

/// Where a claim comes from in the spec: a group file (by index) or `service.yaml` (`None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    /// Index of the group file, or `None` for `service.yaml`.
    pub file: Option<usize>,
    /// Path of the node inside the file.
    pub path: NodePath,
}

/// Who takes a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// What kind of thing takes it (`operation`, `parameter`, `field`, `the constructor`).
    pub noun: &'static str,
    /// Its spec name, for things the spec names.
    pub label: Option<String>,
    /// The generator adds the name itself (constructor, fallback variant, runtime item).
    pub generated: bool,
    /// The spec node, for things the spec names.
    pub at: Option<At>,
}

impl Claim {
    /// A name taken by something the spec names, at `at`.
    pub fn spec(noun: &'static str, label: impl Into<String>, at: At) -> Claim {
        Claim {
            noun,
            label: Some(label.into()),
            generated: false,
            at: Some(at),
        }
    }

    /// A name the generator takes for itself.
    pub fn generated(noun: &'static str) -> Claim {
        Claim {
            noun,
            label: None,
            generated: true,
            at: None,
        }
    }

    fn describe(&self) -> String {
        match &self.label {
            Some(l) => format!("{} `{l}`", self.noun),
            None => self.noun.to_string(),
        }
    }
}

/// Two claims on one name of one namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collision {
    /// The Rust name both want.
    pub name: String,
    /// The namespace's kind of name (`method`, `Rust field`, `variant`).
    pub kind: &'static str,
    /// Whose namespace it is (`Client`, `ListServiceTypesRequest`), if not the crate's.
    pub owner: Option<String>,
    /// The claim that came first.
    pub first: Claim,
    /// The claim that collided.
    pub second: Claim,
    /// How to resolve it.
    pub hint: &'static str,
}

impl Collision {
    /// The message of the diagnostic.
    pub fn message(&self) -> String {
        let of = match &self.owner {
            Some(o) => format!(" of `{o}`"),
            None => String::new(),
        };
        let (a, b) = (&self.first, &self.second);
        if a.generated {
            return format!(
                "{} collides with a name the generated crate reserves: the {} `{}`{of} is {}",
                b.describe(),
                self.kind,
                self.name,
                a.noun
            );
        }
        match (&a.label, &b.label) {
            (Some(x), Some(y)) if a.noun == b.noun => format!(
                "{}s `{x}` and `{y}` both become the {} `{}`{of}",
                a.noun, self.kind, self.name
            ),
            _ => format!(
                "{} and {} both become the {} `{}`{of}",
                a.describe(),
                b.describe(),
                self.kind,
                self.name
            ),
        }
    }

    /// The spec node to report: the later claim when it has one, else the earlier.
    pub fn at(&self) -> Option<&At> {
        self.second.at.as_ref().or(self.first.at.as_ref())
    }
}

/// The names taken in one Rust namespace.
#[derive(Debug)]
pub struct Namespace {
    kind: &'static str,
    owner: Option<String>,
    hint: &'static str,
    taken: HashMap<String, Claim>,
}

impl Namespace {
    /// An empty namespace of `kind` names (`method`), owned by `owner` (`Client`), whose
    /// collisions suggest `hint`.
    pub fn new(kind: &'static str, owner: Option<String>, hint: &'static str) -> Namespace {
        Namespace {
            kind,
            owner,
            hint,
            taken: HashMap::new(),
        }
    }

    /// Takes every name of `names` for the generator, described as `noun`.
    pub fn reserve(&mut self, names: &[&str], noun: &'static str) {
        for n in names {
            self.taken
                .entry((*n).to_string())
                .or_insert_with(|| Claim::generated(noun));
        }
    }

    /// Takes `name` for `claim`; the collision when someone has it already (the first keeps it).
    pub fn claim(&mut self, name: &str, claim: Claim) -> Result<(), Box<Collision>> {
        match self.taken.get(name) {
            Some(first) if *first == claim => Ok(()),
            Some(first) => Err(Box::new(Collision {
                name: name.to_string(),
                kind: self.kind,
                owner: self.owner.clone(),
                first: first.clone(),
                second: claim,
                hint: self.hint,
            })),
            None => {
                self.taken.insert(name.to_string(), claim);
                Ok(())
            }
        }
    }
}
