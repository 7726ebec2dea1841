//! Readers for the bill and usage files BSS delivers to an OBS bucket: `tar.gz` archives of CSV
//! files, one typed record per row.
//!
//! Each documented file format is a struct implementing [`FileRecord`] in its API group's
//! module (for example `bills::CustomerUsageRecord`). Columns are taken in documented order when
//! the header row has the documented number of columns; otherwise each header cell is matched by
//! its documented text (or a text the documented samples use), so a file that leaves a column out
//! still reads, and the missing column is empty.
//!
//! ```no_run
//! # #[cfg(feature = "bills")]
//! # fn main() -> Result<(), huaweicloud_bss::files::FileError> {
//! use huaweicloud_bss::bills::CustomerUsageRecord;
//! use huaweicloud_bss::files;
//!
//! let archive = std::fs::File::open("customerUsageV2_202404_20240501.tar.gz").expect("open");
//! for file in files::read_tar_gz::<CustomerUsageRecord>(archive)? {
//!     for record in &file.records {
//!         println!("{}: {} {:?}", file.name, record.resource_id, record.consume_amount);
//!     }
//! }
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "bills"))]
//! # fn main() {}
//! ```

use std::fmt;
use std::io::Read;

use crate::Decimal;

/// A column of a documented file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The documented header text.
    pub header: &'static str,
    /// Other header texts the documented samples use for the column.
    pub aliases: &'static [&'static str],
}

impl Column {
    fn matches(&self, text: &str) -> bool {
        self.header == text || self.aliases.contains(&text)
    }
}

/// A record type of a documented file format.
pub trait FileRecord: Sized {
    /// Name of the format in the spec.
    const FORMAT: &'static str;
    /// Columns in documented order.
    const COLUMNS: &'static [Column];
    /// Builds a record from one row.
    fn from_row(row: &Row<'_>) -> Result<Self, CellError>;
}

/// Why a cell could not be read; [`FileError`] adds where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    /// Documented index of the column (0-based).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A bad file, row or cell, with its location.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct FileError {
    /// Name of the file inside the archive, when reading an archive.
    pub file: Option<String>,
    /// 1-based line of the CSV file, when the error belongs to a row.
    pub line: Option<u64>,
    /// 1-based column of the row and its documented header, when the error belongs to a cell.
    pub column: Option<(usize, &'static str)>,
    /// What is wrong.
    pub message: String,
}

impl FileError {
    fn describe(&self) -> String {
        let mut at = Vec::new();
        if let Some(f) = &self.file {
            at.push(f.clone());
        }
        if let Some(l) = self.line {
            at.push(format!("line {l}"));
        }
        if let Some((c, h)) = self.column {
            at.push(format!("column {c} ({h})"));
        }
        if at.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", at.join(", "), self.message)
        }
    }

    fn whole(message: impl Into<String>) -> Self {
        FileError { file: None, line: None, column: None, message: message.into() }
    }
}

/// One data row, with the mapping from documented columns to its cells.
pub struct Row<'a> {
    cells: &'a csv::StringRecord,
    /// For each documented column, the index of its cell in the row, if the file has it.
    map: &'a [Option<usize>],
}

impl Row<'_> {
    /// The text of a documented column: trimmed, empty when the file lacks the column.
    pub fn text(&self, column: usize) -> String {
        self.raw(column).to_string()
    }

    fn raw(&self, column: usize) -> &str {
        self.map
            .get(column)
            .copied()
            .flatten()
            .and_then(|i| self.cells.get(i))
            .unwrap_or("")
    }

    /// An integer cell; empty is `None`.
    pub fn integer(&self, column: usize) -> Result<Option<i64>, CellError> {
        let t = self.raw(column);
        if t.is_empty() {
            return Ok(None);
        }
        strip_grouping(t)
            .parse()
            .map(Some)
            .map_err(|_| CellError { column, message: format!("`{t}` is not an integer") })
    }

    /// A decimal cell (`22,545.00` and `1e-8` are accepted); empty is `None`.
    pub fn decimal(&self, column: usize) -> Result<Option<Decimal>, CellError> {
        let t = self.raw(column);
        if t.is_empty() {
            return Ok(None);
        }
        strip_grouping(t)
            .parse::<Decimal>()
            .map(Some)
            .map_err(|_| CellError { column, message: format!("`{t}` is not a decimal number") })
    }

    /// A string code cell; empty is `None`. Unknown values are kept by the code list.
    pub fn code<T>(&self, column: usize, from_value: impl Fn(&str) -> T) -> Option<T> {
        let t = self.raw(column);
        (!t.is_empty()).then(|| from_value(t))
    }

    /// An integer code cell; empty is `None`.
    pub fn int_code<T>(&self, column: usize, from_value: impl Fn(i64) -> T) -> Result<Option<T>, CellError> {
        Ok(self.integer(column)?.map(from_value))
    }
}

/// Removes thousands separators from `1,234,567.89`; anything else is returned unchanged, so a
/// malformed number still fails to parse.
fn strip_grouping(t: &str) -> std::borrow::Cow<'_, str> {
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let int_part = unsigned.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int_part.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3);
    if grouped { t.replace(',', "").into() } else { t.into() }
}

/// Reads the records of one CSV file (header row first), stopping at the first bad row.
pub fn read_csv<R: FileRecord>(reader: impl Read) -> Result<Vec<R>, FileError> {
    records::<R, _>(reader)?.collect()
}

/// Reads a CSV file row by row: the header row is checked at once, each data row when it is
/// pulled. Bill files hold up to 100 000 rows each, so this avoids holding them all.
pub fn records<R: FileRecord, T: Read>(reader: T) -> Result<Records<R, T>, FileError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut header = csv::StringRecord::new();
    let read = csv.read_record(&mut header).map_err(|e| csv_error(&e))?;
    if !read {
        return Err(FileError::whole(format!("the file is empty: a {} file starts with a header row", R::FORMAT)));
    }
    let map = column_map::<R>(&header)?;
    Ok(Records { csv, map, header_len: header.len(), row: csv::StringRecord::new(), _record: std::marker::PhantomData })
}

/// Maps documented columns to header cells: by position when the counts agree, else by text.
fn column_map<R: FileRecord>(header: &csv::StringRecord) -> Result<Vec<Option<usize>>, FileError> {
    let cells: Vec<&str> = header.iter().enumerate().map(|(i, c)| if i == 0 { c.trim_start_matches('\u{feff}') } else { c }).collect();
    if cells.len() == R::COLUMNS.len() {
        return Ok((0..cells.len()).map(Some).collect());
    }
    let mut map = vec![None; R::COLUMNS.len()];
    for (i, text) in cells.iter().enumerate() {
        let Some(col) = R::COLUMNS.iter().position(|c| c.matches(text)) else {
            return Err(FileError {
                file: None,
                line: Some(1),
                column: None,
                message: format!(
                    "the header has {} columns where a {} file has {}, and its column {} (`{text}`) is not a documented header",
                    cells.len(),
                    R::FORMAT,
                    R::COLUMNS.len(),
                    i + 1
                ),
            });
        };
        if map[col].replace(i).is_some() {
            return Err(FileError { file: None, line: Some(1), column: None, message: format!("the header names `{text}` twice") });
        }
    }
    Ok(map)
}

fn csv_error(e: &csv::Error) -> FileError {
    FileError { file: None, line: e.position().map(|p| p.line()), column: None, message: e.to_string() }
}

/// Iterator over the records of a CSV file; see [`records`].
pub struct Records<R, T: Read> {
    csv: csv::Reader<T>,
    map: Vec<Option<usize>>,
    header_len: usize,
    row: csv::StringRecord,
    _record: std::marker::PhantomData<fn() -> R>,
}

impl<R: FileRecord, T: Read> Iterator for Records<R, T> {
    type Item = Result<R, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.csv.read_record(&mut self.row) {
                Err(e) => return Some(Err(csv_error(&e))),
                Ok(false) => return None,
                Ok(true) => {}
            }
            let line = self.row.position().map(|p| p.line());
            // Blank lines (a trailing newline, say) carry no record.
            if self.row.len() == 1 && self.row[0].is_empty() {
                continue;
            }
            if self.row.len() != self.header_len {
                return Some(Err(FileError {
                    file: None,
                    line,
                    column: None,
                    message: format!("the row has {} cells where the header has {}", self.row.len(), self.header_len),
                }));
            }
            let row = Row { cells: &self.row, map: &self.map };
            return Some(R::from_row(&row).map_err(|e| FileError {
                file: None,
                line,
                column: Some((self.map[e.column].map_or(0, |i| i + 1), R::COLUMNS[e.column].header)),
                message: e.message,
            }));
        }
    }
}

/// The records of one CSV file of an archive.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvFile<R> {
    /// Path of the file inside the archive.
    pub name: String,
    /// Its records, in file order.
    pub records: Vec<R>,
}

/// Reads every `.csv` file of a `tar.gz` archive as delivered to OBS, in archive order.
pub fn read_tar_gz<R: FileRecord>(reader: impl Read) -> Result<Vec<CsvFile<R>>, FileError> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(reader));
    let entries = archive.entries().map_err(|e| FileError::whole(format!("not a tar.gz archive: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| FileError::whole(format!("broken archive entry: {e}")))?;
        let name = entry.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        if !entry.header().entry_type().is_file() || !name.to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        let with_name = |mut e: FileError| {
            e.file = Some(name.clone());
            e
        };
        let records = read_csv::<R>(entry).map_err(with_name)?;
        files.push(CsvFile { name, records });
    }
    Ok(files)
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header)
    }
}
