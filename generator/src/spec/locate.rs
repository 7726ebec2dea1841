//! Source positions of the nodes of a YAML file.
//!
//! serde gives typed values without positions, so the first diagnostic of a file walks its event
//! stream once and records where each node starts, keyed by its path (`operations[2].parameters[0].name`).
//! Semantic checks name a path; this index turns it into a line and column.

use std::collections::HashMap;
use std::sync::OnceLock;

use saphyr_parser::{Event, Marker, Parser, Span, SpannedEventReceiver};

/// One step of a node path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// Key of a mapping.
    Key(String),
    /// Index in a sequence.
    Index(usize),
}

/// A node path from the document root.
pub type NodePath = Vec<Seg>;

/// Builds a path from a dotted description: `["operations", 2, "parameters"]`.
#[macro_export]
macro_rules! node_path {
    ($($seg:expr),* $(,)?) => {{
        let p: $crate::spec::locate::NodePath = vec![$($crate::spec::locate::IntoSeg::into_seg($seg)),*];
        p
    }};
}

/// Conversion of keys and indexes into path steps.
pub trait IntoSeg {
    /// The step.
    fn into_seg(self) -> Seg;
}
impl IntoSeg for &str {
    fn into_seg(self) -> Seg {
        Seg::Key(self.to_string())
    }
}
impl IntoSeg for &String {
    fn into_seg(self) -> Seg {
        Seg::Key(self.clone())
    }
}
impl IntoSeg for String {
    fn into_seg(self) -> Seg {
        Seg::Key(self)
    }
}
impl IntoSeg for usize {
    fn into_seg(self) -> Seg {
        Seg::Index(self)
    }
}
impl IntoSeg for Seg {
    fn into_seg(self) -> Seg {
        self
    }
}

/// Positions of the nodes of one file (1-based line and column).
///
/// The index is built on the first lookup: only diagnostics need positions, and a valid spec
/// has none, so generation never pays for a second parse of every file.
#[derive(Debug, Default)]
pub struct Locations {
    text: String,
    positions: OnceLock<HashMap<NodePath, (usize, usize)>>,
}

impl Locations {
    /// Positions in a YAML text. A text that does not parse yields an empty index (the serde
    /// pass reports the syntax error with its own position).
    pub fn index(text: &str) -> Locations {
        Locations {
            text: text.to_string(),
            positions: OnceLock::new(),
        }
    }

    /// Position of the node at `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &[Seg]) -> (usize, usize) {
        let positions = self.positions.get_or_init(|| {
            let mut builder = Builder::default();
            let mut parser = Parser::new_from_str(&self.text);
            let _ = parser.load(&mut builder, false);
            builder.positions
        });
        let mut len = path.len();
        loop {
            if let Some(pos) = positions.get(&path[..len]) {
                return *pos;
            }
            if len == 0 {
                return (1, 1);
            }
            len -= 1;
        }
    }
}

enum Frame {
    Map { key: Option<String> },
    Seq { next: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    path: NodePath,
    positions: HashMap<NodePath, (usize, usize)>,
}

impl Builder {
    /// Handles the start of a node; returns false when the node is a mapping key.
    fn node_start(&mut self, mark: Marker, scalar: Option<&str>) -> bool {
        let pos = (mark.line().max(1), mark.col() + 1);
        match self.stack.last_mut() {
            Some(Frame::Map { key }) if key.is_none() => {
                let k = scalar.unwrap_or_default().to_string();
                *key = Some(k.clone());
                let mut p = self.path.clone();
                p.push(Seg::Key(k));
                self.positions.entry(p).or_insert(pos);
                return false;
            }
            Some(Frame::Map { key }) => {
                let k = key.clone().unwrap_or_default();
                self.path.push(Seg::Key(k));
            }
            Some(Frame::Seq { next }) => {
                let i = *next;
                *next += 1;
                self.path.push(Seg::Index(i));
                self.positions.entry(self.path.clone()).or_insert(pos);
            }
            None => {
                // The document root has the empty path.
                self.positions.entry(Vec::new()).or_insert(pos);
                self.path.clear();
            }
        }
        true
    }

    /// A scalar or alias has no end event: a value ends where it starts (a key does not end).
    fn leaf_end(&mut self, is_value: bool) {
        if is_value {
            self.node_end();
        }
    }

    fn node_end(&mut self) {
        // The root (no enclosing container) has no step of its own to pop.
        if self.stack.is_empty() {
            return;
        }
        self.path.pop();
        if let Some(Frame::Map { key }) = self.stack.last_mut() {
            *key = None;
        }
    }
}

impl<'input> SpannedEventReceiver<'input> for Builder {
    fn on_event(&mut self, ev: Event<'input>, span: Span) {
        let mark = span.start;
        match ev {
            Event::Scalar(value, ..) => {
                let is_value = self.node_start(mark, Some(&value));
                self.leaf_end(is_value);
            }
            Event::Alias(_) => {
                let is_value = self.node_start(mark, None);
                self.leaf_end(is_value);
            }
            Event::MappingStart(..) => {
                self.node_start(mark, None);
                self.stack.push(Frame::Map { key: None });
            }
            Event::SequenceStart(..) => {
                self.node_start(mark, None);
                self.stack.push(Frame::Seq { next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.node_end();
            }
            _ => {}
        }
    }
}
