//! The loader and validator never panic on mutated spec files, and every error they report
//! names a file, a line and a column.
//!
//! Mutations are drawn from a fixed-seed generator, so a failure reproduces exactly; set
//! `BSS_FUZZ_CASES` to run more cases than the default.

use std::path::{Path, PathBuf};

use bss_tests::root;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FILES: [&str; 3] = ["service.yaml", "errors.yaml", "groups/products.yaml"];

/// One mutation of a YAML text, as bytes (some mutations are not UTF-8).
fn mutate(rng: &mut Rng, text: &str) -> (String, Vec<u8>) {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let i = rng.below(lines.len());
    let kind = rng.below(9);
    let what = match kind {
        0 => {
            lines.remove(i);
            "delete a line"
        }
        1 => {
            // Change a scalar's type: a value becomes a list, a map, a number or a string.
            let replacement =
                ["[1, 2]", "{ a: 1 }", "12345", "\"text\"", "null", "true"][rng.below(6)];
            if let Some(pos) = lines[i].find(": ") {
                lines[i] = format!("{}: {replacement}", &lines[i][..pos]);
            }
            "change a value's type"
        }
        2 => {
            lines[i] = format!("{}{}", " ".repeat(rng.below(5) + 1), lines[i]);
            "break the indentation"
        }
        3 => {
            let mut bytes = lines.join("\n").into_bytes();
            let at = rng.below(bytes.len());
            bytes.insert(at, 0xFF);
            bytes.insert(at, 0xC3);
            return ("insert invalid UTF-8".into(), bytes);
        }
        4 => {
            lines[i].push_str(&"9".repeat(400));
            "append a huge number"
        }
        5 => {
            let depth = 200 + rng.below(300);
            lines.insert(
                i,
                format!("deep: {}{}", "[".repeat(depth), "]".repeat(depth)),
            );
            "insert deep nesting"
        }
        6 => {
            if let Some(pos) = lines[i].find(':') {
                lines[i].replace_range(pos..=pos, "");
            }
            "drop a colon"
        }
        7 => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
            "swap two lines"
        }
        _ => {
            lines[i] = format!("{}\t{}", lines[i], "x");
            "insert a tab"
        }
    };
    (what.into(), (lines.join("\n") + "\n").into_bytes())
}

fn write_spec(dir: &Path, file: &str, bytes: &[u8]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("groups")).expect("mkdir");
    let spec = root().join("spec");
    for rel in FILES {
        std::fs::copy(spec.join(rel), dir.join(rel)).expect("copy");
    }
    std::fs::write(dir.join(file), bytes).expect("write");
}

#[test]
fn mutated_specs_never_panic_and_errors_are_located() {
    let cases: usize = std::env::var("BSS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let dir: PathBuf = std::env::temp_dir().join(format!("bss-fuzz-{}", std::process::id()));
    let originals: Vec<String> = FILES
        .iter()
        .map(|f| std::fs::read_to_string(root().join("spec").join(f)).expect("read"))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut rejected) = (0, 0);
    for case in 0..cases {
        let which = rng.below(FILES.len());
        let (what, bytes) = mutate(&mut rng, &originals[which]);
        write_spec(&dir, FILES[which], &bytes);
        let result = std::panic::catch_unwind(|| bss_codegen::load(&dir));
        let Ok(result) = result else {
            panic!(
                "case {case}: the loader panicked after `{what}` in {}",
                FILES[which]
            );
        };
        match result {
            Ok(_) => accepted += 1,
            Err(diags) => {
                rejected += 1;
                assert!(
                    !diags.0.is_empty(),
                    "case {case}: an error without diagnostics"
                );
                for d in &diags.0 {
                    assert!(
                        !d.file.as_os_str().is_empty() && d.line >= 1 && d.column >= 1,
                        "case {case} (`{what}` in {}): unlocated error {d}",
                        FILES[which]
                    );
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    // Most mutations must be caught; a run where everything passes means the mutations are inert.
    assert!(
        rejected > accepted,
        "{rejected} rejected, {accepted} accepted"
    );
}
