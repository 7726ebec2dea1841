//! The reader of the partner reference in its PDF-extracted text form.
//!
//! Split by concern: [`lines`] (normalization), [`sections`] (outline, version, date),
//! [`tables`] (table blocks across page breaks), [`ranges`] (type and range cells), [`codes`]
//! (code values in cells), [`examples`], [`errors`] (error tables, wrapped codes), [`limits`]
//! (permissions and rate limits) and [`operations`] (one operation section).
//!
//! Every loop walks the lines or cells once, forward, so any input — truncated, binary, fuzzed —
//! ends in a document or a [`ReadError`], never a panic or a hang.

pub mod codes;
pub mod errors;
pub mod examples;
pub mod limits;
pub mod lines;
pub mod operations;
pub mod ranges;
pub mod sections;
pub mod tables;

use std::fmt;

use crate::docs::model::{Document, Note};

/// Why a text is not a partner reference the reader can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The bytes are not UTF-8 text.
    NotUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The text holds NUL or other control characters: a binary file.
    Binary {
        /// 1-based line of the first one.
        line: usize,
    },
    /// The text is empty.
    Empty,
    /// The text has no numbered sections.
    NoSections,
    /// The text has numbered sections but no operation section (no `URI` method line).
    NoOperations {
        /// Number of sections found.
        sections: usize,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotUtf8 { offset } => write!(f, "not a text document: invalid UTF-8 at byte {offset}"),
            ReadError::Binary { line } => write!(f, "not a text document: control characters on line {line}"),
            ReadError::Empty => f.write_str("the document is empty"),
            ReadError::NoSections => f.write_str(
                "not an API reference: no numbered section headings (`1 ...`, `1.1 ...`) outside the table of contents",
            ),
            ReadError::NoOperations { sections } => write!(
                f,
                "not an API reference: {sections} numbered sections but none documents an operation (no `GET /...` line under `URI`)"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a document from bytes (the file as it is on disk).
pub fn read_bytes(bytes: &[u8]) -> Result<Document, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    read(text)
}

/// Reads a document.
pub fn read(text: &str) -> Result<Document, ReadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let all = lines::split(text);
    if let Some(i) = all
        .iter()
        .position(|l| l.chars().any(|c| c.is_control() && c != '\t'))
    {
        return Err(ReadError::Binary { line: i + 1 });
    }
    let fenced = sections::fenced(&all);
    let found = sections::sections(&all, &fenced);
    if found.is_empty() {
        return Err(ReadError::NoSections);
    }
    let (version, date) = sections::version_and_date(&all);
    let mut doc = Document {
        version,
        date,
        line_count: all.len(),
        ..Document::default()
    };
    let mut notes: Vec<Note> = Vec::new();
    for (k, (_, section)) in found.iter().enumerate() {
        let from = section.line; // the line after the heading, 0-based
        let to = found.get(k + 1).map_or(all.len(), |(_, s)| s.line - 1);
        let blocks = tables::blocks(&all, from, to);
        for b in &blocks {
            if let tables::Block::Table(t) = b {
                if errors::is_global_table(t) {
                    doc.global_errors.extend(errors::global_rows(t));
                } else if limits::is_permission_table(t) {
                    doc.permissions.extend(limits::permissions(t));
                } else if limits::is_rate_limit_table(t) {
                    doc.rate_limits.extend(limits::rate_limits(t));
                }
            }
        }
        if let Some(op) = operations::operation(section, &blocks, &mut notes) {
            doc.operations.push(op);
        }
    }
    doc.sections = found.into_iter().map(|(_, s)| s).collect();
    if doc.operations.is_empty() {
        return Err(ReadError::NoOperations {
            sections: doc.sections.len(),
        });
    }
    doc.notes = notes;
    Ok(doc)
}
