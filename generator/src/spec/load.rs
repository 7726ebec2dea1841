//! Reads the spec directory: every file is decoded (UTF-8, YAML, the typed format) and indexed for
//! positions. All files are read even when one fails, so one run reports every broken file.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::locate::{Locations, Seg};
use super::model::{ErrorsFile, GroupFile, ServiceFile};
use crate::diag::{Diagnostic, Diagnostics};

/// One decoded file with its path (relative to the spec directory) and node positions.
#[derive(Debug)]
pub struct SpecFile<T> {
    /// Path as shown in diagnostics.
    pub path: PathBuf,
    /// Raw bytes, for the spec hash.
    pub bytes: Vec<u8>,
    /// Decoded content.
    pub value: T,
    /// Node positions.
    pub locations: Locations,
}

impl<T> SpecFile<T> {
    /// A diagnostic pointing at the node at `path`.
    pub fn diag(
        &self,
        path: &[Seg],
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let (line, column) = self.locations.find(path);
        Diagnostic {
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            hint,
        }
    }
}

/// All files of a spec directory.
#[derive(Debug)]
pub struct SpecSet {
    /// The directory.
    pub root: PathBuf,
    /// `service.yaml`.
    pub service: SpecFile<ServiceFile>,
    /// `errors.yaml`.
    pub errors: SpecFile<ErrorsFile>,
    /// `groups/*.yaml`, sorted by file name.
    pub groups: Vec<SpecFile<GroupFile>>,
}

/// Loads a spec directory. Syntax and format errors of every file are collected.
pub fn load_dir(root: &Path) -> Result<SpecSet, Diagnostics> {
    // The root files are decoded beside the group files rather than before them.
    let ((service, errors, mut diags), (groups, group_diags)) = std::thread::scope(|s| {
        let roots = s.spawn(|| {
            let mut diags = Vec::new();
            let service = load_file::<ServiceFile>(root, Path::new("service.yaml"), &mut diags);
            let errors = load_file::<ErrorsFile>(root, Path::new("errors.yaml"), &mut diags);
            (service, errors, diags)
        });
        let groups = load_groups(root);
        let roots = roots
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (roots, groups)
    });
    diags.extend(group_diags);
    match (service, errors) {
        (Some(service), Some(errors)) if diags.is_empty() => Ok(SpecSet {
            root: root.to_path_buf(),
            service,
            errors,
            groups,
        }),
        _ => Err(Diagnostics(diags)),
    }
}

/// `groups/*.yaml`, sorted by file name, and their diagnostics in the same order.
fn load_groups(root: &Path) -> (Vec<SpecFile<GroupFile>>, Vec<Diagnostic>) {
    let mut groups = Vec::new();
    let mut diags = Vec::new();
    let mut names: Vec<PathBuf> = match std::fs::read_dir(root.join("groups")) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect(),
        Err(e) => {
            diags.push(file_diag(
                root,
                Path::new("groups"),
                format!("cannot read the group directory: {e}"),
            ));
            return (groups, diags);
        }
    };
    names.sort();
    let loaded = crate::par::map(names, |p| {
        let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
        let mut file_diags = Vec::new();
        let group = load_file::<GroupFile>(root, &rel, &mut file_diags);
        (group, file_diags)
    });
    for (group, file_diags) in loaded {
        groups.extend(group);
        diags.extend(file_diags);
    }
    (groups, diags)
}

fn file_diag(root: &Path, rel: &Path, message: String) -> Diagnostic {
    let _ = root;
    Diagnostic {
        file: rel.to_path_buf(),
        line: 1,
        column: 1,
        message,
        hint: None,
    }
}

fn load_file<T: DeserializeOwned>(
    root: &Path,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<SpecFile<T>> {
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(file_diag(root, rel, format!("cannot read the file: {e}")));
            return None;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = line_col(&bytes, e.valid_up_to());
            diags.push(Diagnostic {
                file: rel.to_path_buf(),
                line,
                column,
                message: "the file is not valid UTF-8".into(),
                hint: Some("spec files are UTF-8 text; re-save the file as UTF-8".into()),
            });
            return None;
        }
    };
    match super::yaml::from_str::<T>(text) {
        Ok(value) => Some(SpecFile {
            path: rel.to_path_buf(),
            locations: Locations::index(text),
            value,
            bytes,
        }),
        Err(e) => {
            let (message, hint) = match e.duplicate_of() {
                Some((line, column)) => (
                    format!(
                        "{}; first at {}:{line}:{column}",
                        e.message(),
                        rel.display()
                    ),
                    Some(
                        "remove one of the two, or merge them: a reviewer reading either one \
                         would not see the other"
                            .into(),
                    ),
                ),
                None => {
                    let message = e.message();
                    let hint = hint_for(&message);
                    (message, hint)
                }
            };
            diags.push(Diagnostic {
                file: rel.to_path_buf(),
                line: e.line(),
                column: e.column(),
                message,
                hint,
            });
            None
        }
    }
}

fn hint_for(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some(
            "check the spelling against spec/README.md; every key of the format is listed there"
                .into(),
        )
    } else if message.contains("missing field") {
        Some("add the key; spec/README.md says which keys are required".into())
    } else if message.contains("unknown variant") {
        Some("use one of the values listed in the message".into())
    } else if message.contains("invalid type") {
        Some("the value has the wrong YAML type for this key (see spec/README.md)".into())
    } else {
        None
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}
