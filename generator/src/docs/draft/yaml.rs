//! A small YAML writer for drafts: the spec's layout (block keys, one flow mapping per field),
//! with `# CHECK:` comments above the entries a person must confirm. serde's YAML serializer
//! cannot write comments, and the drafts must read like the hand-written group files.

/// A scalar: plain when YAML reads it back as the same string, double-quoted otherwise.
pub(super) fn scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| {
        c.is_ascii_alphabetic() || c == '_' || c == '/' || (!c.is_ascii() && c.is_alphabetic())
    }) && s.chars().all(|c| c.is_alphanumeric() || "_-./".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            // YAML allows neither control characters nor a byte-order mark unescaped.
            c if c.is_control() || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow sequence of scalars: `[a, b]`.
pub(super) fn seq<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| scalar(s.as_ref())).collect();
    format!("[{}]", parts.join(", "))
}

/// A flow mapping, built key by key from already rendered values.
#[derive(Default)]
pub(super) struct Flow(Vec<(String, String)>);

impl Flow {
    /// Adds `key: value` (the value rendered).
    pub(super) fn raw(mut self, key: &str, value: impl Into<String>) -> Self {
        self.0.push((key.to_string(), value.into()));
        self
    }

    /// Adds `key: value` with the value as a scalar.
    pub(super) fn str(self, key: &str, value: &str) -> Self {
        self.raw(key, scalar(value))
    }

    /// Adds `key: value` when the value is present.
    pub(super) fn opt<T: ToString>(self, key: &str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.raw(key, v.to_string()),
            None => self,
        }
    }

    /// `{ k: v, ... }`.
    pub(super) fn render(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("{{ {} }}", parts.join(", "))
    }
}

/// The draft being written: lines, and the number of `CHECK` marks.
#[derive(Default)]
pub(super) struct Out {
    lines: Vec<String>,
    /// Number of `# CHECK:` comments written.
    pub(super) checks: usize,
}

impl Out {
    /// One line at `indent` spaces.
    pub(super) fn line(&mut self, indent: usize, text: &str) {
        self.lines.push(format!("{:indent$}{text}", ""));
    }

    /// A free comment line.
    pub(super) fn comment(&mut self, indent: usize, text: &str) {
        self.line(indent, &format!("# {}", one_line(text)));
    }

    /// `# CHECK:` comments for the entry that follows.
    pub(super) fn checks(&mut self, indent: usize, checks: &[String]) {
        for c in checks {
            self.checks += 1;
            self.line(indent, &format!("# CHECK: {}", one_line(c)));
        }
    }

    /// `key: |` and the text as a literal block; double-quoted when a block cannot hold the
    /// text as is (tabs, carriage returns, control characters, a byte-order mark).
    pub(super) fn text(&mut self, indent: usize, key: &str, text: &str) {
        let lines: Vec<&str> = text.trim_matches('\n').split('\n').collect();
        let blockable = !text.trim().is_empty()
            && !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}');
        if !blockable {
            self.line(indent, &format!("{key}: {}", scalar(text)));
            return;
        }
        // Dedent, so that a later line is never less indented than the block. Only ASCII spaces
        // count: other white space is content.
        let spaces = |l: &str| l.len() - l.trim_start_matches(' ').len();
        let cut = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| spaces(l))
            .min()
            .unwrap_or(0);
        let first_indented = lines
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| spaces(l) > cut);
        let marker = if first_indented { "|2" } else { "|" };
        self.line(indent, &format!("{key}: {marker}"));
        for l in lines {
            if l.trim().is_empty() {
                self.lines.push(String::new());
            } else {
                self.line(indent + 2, l[cut..].trim_end());
            }
        }
    }

    /// The text of the draft.
    pub(super) fn finish(self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_strings() {
        for s in [
            "TODO",
            "004",
            "true",
            "a: b",
            "/v2/{x}",
            "查询",
            "查询-客户",
            "（能力）",
            "",
            "CBC.0100",
            "x\"y",
        ] {
            let y = format!("k: {}", scalar(s));
            let v: std::collections::BTreeMap<String, String> =
                crate::spec::yaml::from_str(&y).unwrap();
            assert_eq!(v["k"], s, "{y}");
        }
        assert_eq!(scalar("CBC.0100"), "CBC.0100");
        assert_eq!(scalar("004"), "\"004\"");
    }

    /// Random strings of awkward characters: every one reads back from a scalar exactly, and
    /// from a block with the same non-space characters.
    #[test]
    fn random_text_always_reads_back() {
        let alphabet: Vec<char> =
            "aZ09 _-:#{}[],&*!|>'\"%@`\n\t\r\u{0}\u{7f}\u{3000}\u{feff}中文：，?-~"
                .chars()
                .collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for _ in 0..2000 {
            let len = next(24);
            let s: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let y = format!("k: {}", scalar(&s));
            let v: std::collections::BTreeMap<String, String> =
                crate::spec::yaml::from_str(&y).unwrap_or_else(|e| panic!("{y:?}: {e}"));
            assert_eq!(v["k"], s, "{y:?}");
            let mut o = Out::default();
            o.line(0, "m:");
            o.text(2, "body", &s);
            let text = o.finish();
            let v: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> =
                crate::spec::yaml::from_str(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(squash(&v["m"]["body"]), squash(&s), "{text:?}");
        }
    }

    #[test]
    fn literal_blocks_keep_the_text() {
        for body in [
            "{\n  \"a\": 1\n}",
            "  {\n\"a\": [1,\n  2]\n  }",
            "a\tb",
            "x\n\n  y",
            "\u{3000}a\n  b",
        ] {
            let mut o = Out::default();
            o.line(0, "m:");
            o.text(2, "body", body);
            let v: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> =
                crate::spec::yaml::from_str(&o.finish()).unwrap();
            let got = &v["m"]["body"];
            let squash = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squash(got), squash(body));
        }
    }
}
