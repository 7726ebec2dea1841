//! Readers for the bill and usage files BSS delivers to an OBS bucket: `tar.gz` archives of CSV
//! files, one typed record per row.
//!
//! Each documented file format is a struct implementing [`FileRecord`] in its API group's
//! module (for example `bills::CustomerUsageRecord`). Columns are taken in documented order when
//! the header row has the documented number of columns; otherwise each header cell is matched by
//! its documented text (or a text the documented samples use), so a file that leaves a column out
//! still reads, and the missing column is empty.
//!
//! Archives are read as streams, one file and one row at a time, so memory stays bounded
//! whatever the size of the files (the documents allow 100 000 rows per file):
//!
//! ```no_run
//! # #[cfg(feature = "bills")]
//! # fn main() -> Result<(), huaweicloud_bss::files::FileError> {
//! use huaweicloud_bss::bills::CustomerUsageRecord;
//! use huaweicloud_bss::files::TarGz;
//!
//! let archive = std::fs::File::open("customerUsageV2_202404_20240501.tar.gz").expect("open");
//! let mut archive = TarGz::new(std::io::BufReader::new(archive));
//! let mut files = archive.files::<CustomerUsageRecord>()?;
//! while let Some(file) = files.next_file() {
//!     let file = file?;
//!     println!("{}", file.name());
//!     for record in file {
//!         let record = record?;
//!         println!("{} {:?}", record.resource_id, record.consume_amount);
//!     }
//! }
//!
//! // Or every record of every file, each with the name of its file.
//! let archive = std::fs::File::open("customerUsageV2_202404_20240501.tar.gz").expect("open");
//! let mut archive = TarGz::new(std::io::BufReader::new(archive));
//! for entry in archive.records::<CustomerUsageRecord>()? {
//!     let entry = entry?;
//!     println!("{}: {}", entry.file, entry.record.resource_id);
//! }
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "bills"))]
//! # fn main() {}
//! ```
//!
//! [`read_tar_gz`] and [`read_csv`] load a whole archive or file into memory instead.

use std::fmt;
use std::io::Read;
use std::sync::Arc;

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

    fn in_file(mut self, name: &str) -> Self {
        self.file = Some(name.to_string());
        self
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

/// Reads every `.csv` file of a `tar.gz` archive as delivered to OBS, in archive order, holding
/// every record in memory; [`TarGz`] reads the same archive one record at a time.
pub fn read_tar_gz<R: FileRecord>(reader: impl Read) -> Result<Vec<CsvFile<R>>, FileError> {
    let mut archive = TarGz::new(reader);
    let mut files = archive.files::<R>()?;
    let mut read = Vec::new();
    while let Some(file) = files.next_file() {
        let file = file?;
        let name = file.name().to_string();
        let records = file.collect::<Result<Vec<R>, FileError>>()?;
        read.push(CsvFile { name, records });
    }
    Ok(read)
}

type Decoded<T> = flate2::read::GzDecoder<T>;

/// A `tar.gz` archive of CSV files as delivered to OBS, read as a stream: file by file, and in
/// each file row by row. Memory use does not depend on the size of the files: a row is decoded
/// when it is pulled, and nothing of the rows before it is kept.
///
/// Only regular files whose name ends in `.csv` (in any case) are read; other entries are
/// skipped. The archive is read front to back once: see [`TarGz::files`] and
/// [`TarGz::records`].
pub struct TarGz<T: Read> {
    archive: tar::Archive<Decoded<T>>,
}

impl<T: Read> TarGz<T> {
    /// An archive read from `reader` (give a file a `BufReader`; the decompressor reads in
    /// small pieces).
    pub fn new(reader: T) -> Self {
        TarGz { archive: tar::Archive::new(flate2::read::GzDecoder::new(reader)) }
    }

    /// The CSV files of the archive, in archive order, each a stream of its records.
    pub fn files<R: FileRecord>(&mut self) -> Result<ArchiveFiles<'_, R, T>, FileError> {
        let entries = self.archive.entries().map_err(|e| FileError::whole(format!("not a tar.gz archive: {e}")))?;
        Ok(ArchiveFiles { entries, current: None })
    }

    /// Every record of every CSV file, in archive and file order, each with the name of its file.
    pub fn records<R: FileRecord>(&mut self) -> Result<ArchiveRecords<'_, R, T>, FileError> {
        Ok(ArchiveRecords { files: self.files()?, done: false })
    }
}

impl<T: Read> fmt::Debug for TarGz<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TarGz").finish_non_exhaustive()
    }
}

/// The CSV files of an archive; see [`TarGz::files`].
pub struct ArchiveFiles<'a, R, T: Read + 'a> {
    entries: tar::Entries<'a, Decoded<T>>,
    current: Option<ArchiveFile<'a, R, T>>,
}

impl<'a, R: FileRecord, T: Read + 'a> ArchiveFiles<'a, R, T> {
    /// Moves on to the next CSV file: its header row is checked at once, its records are read
    /// as they are pulled. Rows of the previous file that were not pulled are skipped. `None`
    /// after the last file.
    ///
    /// The file is lent: it cannot be kept past the next call, since the archive is read in
    /// one pass.
    #[allow(clippy::should_implement_trait)]
    pub fn next_file(&mut self) -> Option<Result<&mut ArchiveFile<'a, R, T>, FileError>> {
        self.current = None;
        for entry in self.entries.by_ref() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => return Some(Err(FileError::whole(format!("broken archive entry: {e}")))),
            };
            let name = entry.path().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
            if !entry.header().entry_type().is_file() || !name.to_ascii_lowercase().ends_with(".csv") {
                continue;
            }
            let name: Arc<str> = name.into();
            return Some(match records::<R, _>(entry) {
                Ok(records) => Ok(self.current.insert(ArchiveFile { name, records })),
                Err(e) => Err(e.in_file(&name)),
            });
        }
        None
    }
}

impl<R, T: Read> fmt::Debug for ArchiveFiles<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArchiveFiles").field("current", &self.current.as_ref().map(|c| &*c.name)).finish_non_exhaustive()
    }
}

/// One CSV file of an archive: an iterator over its records, whose errors name the file.
pub struct ArchiveFile<'a, R, T: Read + 'a> {
    name: Arc<str>,
    records: Records<R, tar::Entry<'a, Decoded<T>>>,
}

impl<R, T: Read> ArchiveFile<'_, R, T> {
    /// Path of the file inside the archive.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<R: FileRecord, T: Read> Iterator for ArchiveFile<'_, R, T> {
    type Item = Result<R, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.records.next()?.map_err(|e| e.in_file(&self.name)))
    }
}

impl<R, T: Read> fmt::Debug for ArchiveFile<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArchiveFile").field("name", &self.name).finish_non_exhaustive()
    }
}

/// A record of an archive, with the file it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchiveRecord<R> {
    /// Path of the file inside the archive (shared by the records of one file).
    pub file: Arc<str>,
    /// The record.
    pub record: R,
}

/// Every record of an archive; see [`TarGz::records`]. The first error ends the iteration.
pub struct ArchiveRecords<'a, R, T: Read + 'a> {
    files: ArchiveFiles<'a, R, T>,
    done: bool,
}

impl<R: FileRecord, T: Read> Iterator for ArchiveRecords<'_, R, T> {
    type Item = Result<ArchiveRecord<R>, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            if let Some(file) = self.files.current.as_mut() {
                match file.next() {
                    Some(Ok(record)) => return Some(Ok(ArchiveRecord { file: file.name.clone(), record })),
                    Some(Err(e)) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                    None => {}
                }
            }
            match self.files.next_file() {
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(_)) => {}
            }
        }
    }
}

impl<R, T: Read> fmt::Debug for ArchiveRecords<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArchiveRecords").field("files", &self.files).finish_non_exhaustive()
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-column format: a text and an integer.
    #[derive(Debug, PartialEq)]
    struct Pair {
        name: String,
        count: Option<i64>,
    }

    impl FileRecord for Pair {
        const FORMAT: &'static str = "pair";
        const COLUMNS: &'static [Column] = &[Column { header: "name", aliases: &[] }, Column { header: "count", aliases: &[] }];
        fn from_row(row: &Row<'_>) -> Result<Self, CellError> {
            Ok(Pair { name: row.text(0), count: row.integer(1)? })
        }
    }

    /// A `tar.gz` archive of `(name, contents)` files.
    fn tar_gz(files: &[(&str, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
        for (name, contents) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(contents.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, contents.as_bytes()).expect("append");
        }
        builder.into_inner().expect("tar").finish().expect("gzip")
    }

    fn pair(name: &str, count: i64) -> Pair {
        Pair { name: name.into(), count: Some(count) }
    }

    const A: &str = "name,count\nx,1\ny,2\n";
    const B: &str = "name,count\nz,3\n";

    #[test]
    fn files_stream_in_archive_order_skipping_other_entries() {
        let bytes = tar_gz(&[("a.csv", A), ("notes.txt", "not a csv"), ("dir/B.CSV", B)]);
        let mut archive = TarGz::new(bytes.as_slice());
        let mut files = archive.files::<Pair>().expect("archive");
        let mut seen = Vec::new();
        while let Some(file) = files.next_file() {
            let file = file.expect("file");
            let name = file.name().to_string();
            let records: Vec<Pair> = file.map(|r| r.expect("record")).collect();
            seen.push((name, records));
        }
        assert_eq!(seen, [("a.csv".to_string(), vec![pair("x", 1), pair("y", 2)]), ("dir/B.CSV".to_string(), vec![pair("z", 3)])]);

        // The whole-archive loader reads the same.
        let loaded = read_tar_gz::<Pair>(bytes.as_slice()).expect("archive");
        let loaded: Vec<(String, Vec<Pair>)> = loaded.into_iter().map(|f| (f.name, f.records)).collect();
        assert_eq!(loaded, seen);
    }

    #[test]
    fn a_file_left_part_read_is_skipped() {
        let bytes = tar_gz(&[("a.csv", A), ("b.csv", B)]);
        let mut archive = TarGz::new(bytes.as_slice());
        let mut files = archive.files::<Pair>().expect("archive");
        let first = files.next_file().expect("a file").expect("a.csv");
        assert_eq!(first.next().expect("a record").expect("x"), pair("x", 1));
        let second = files.next_file().expect("a file").expect("b.csv");
        assert_eq!(second.name(), "b.csv");
        assert_eq!(second.collect::<Result<Vec<_>, _>>().expect("records"), [pair("z", 3)]);
        assert!(files.next_file().is_none());
    }

    #[test]
    fn records_carry_their_file() {
        let bytes = tar_gz(&[("a.csv", A), ("empty.csv", "name,count\n"), ("b.csv", B)]);
        let mut archive = TarGz::new(bytes.as_slice());
        let records: Vec<(String, Pair)> = archive.records::<Pair>().expect("archive").map(|r| r.map(|r| (r.file.to_string(), r.record)).expect("record")).collect();
        assert_eq!(records, [("a.csv".into(), pair("x", 1)), ("a.csv".into(), pair("y", 2)), ("b.csv".into(), pair("z", 3))]);
    }

    #[test]
    fn errors_name_the_file_line_column_and_header() {
        let bad_cell = "name,count\nx,1\ny,many\n";
        let bytes = tar_gz(&[("a.csv", A), ("b.csv", bad_cell)]);
        let expected = "b.csv, line 3, column 2 (count): `many` is not an integer";

        let mut archive = TarGz::new(bytes.as_slice());
        let outcomes: Vec<Result<ArchiveRecord<Pair>, FileError>> = archive.records::<Pair>().expect("archive").collect();
        assert_eq!(outcomes.len(), 4, "three records, then the error ends the iteration: {outcomes:?}");
        let error = outcomes[3].as_ref().expect_err("the bad cell");
        assert_eq!((error.file.as_deref(), error.line, error.column), (Some("b.csv"), Some(3), Some((2, "count"))));
        assert_eq!(error.to_string(), expected);

        let error = read_tar_gz::<Pair>(bytes.as_slice()).expect_err("the bad cell");
        assert_eq!(error.to_string(), expected);

        // A header that is not the format's is reported when the file is reached.
        let bytes = archive_with_bad_header();
        let mut archive = TarGz::new(bytes.as_slice());
        let mut files = archive.files::<Pair>().expect("archive");
        assert!(files.next_file().expect("a.csv").is_ok());
        let error = files.next_file().expect("c.csv").expect_err("bad header");
        assert_eq!((error.file.as_deref(), error.line), (Some("c.csv"), Some(1)));

        // A row with a cell too many.
        let bytes = tar_gz(&[("d.csv", "name,count\nx,1,2\n")]);
        let mut archive = TarGz::new(bytes.as_slice());
        let error = archive.records::<Pair>().expect("archive").next().expect("an outcome").expect_err("bad row");
        assert_eq!(error.to_string(), "d.csv, line 2: the row has 3 cells where the header has 2");
    }

    fn archive_with_bad_header() -> Vec<u8> {
        tar_gz(&[("a.csv", A), ("c.csv", "name,amount,extra\nx,1,2\n")])
    }

    #[test]
    fn a_broken_archive_is_an_error_not_a_panic() {
        let mut bytes = tar_gz(&[("a.csv", A), ("b.csv", B)]);
        bytes.truncate(bytes.len() / 2);
        let mut archive = TarGz::new(bytes.as_slice());
        let outcomes: Vec<_> = match archive.records::<Pair>() {
            Ok(records) => records.collect(),
            Err(e) => vec![Err(e)],
        };
        assert!(outcomes.last().is_some_and(Result::is_err), "{outcomes:?}");
        let mut archive = TarGz::new(&b"not gzip at all"[..]);
        let outcome: Vec<_> = match archive.records::<Pair>() {
            Ok(records) => records.collect(),
            Err(e) => vec![Err(e)],
        };
        assert!(matches!(outcome.as_slice(), [Err(_)]), "{outcome:?}");
    }
}
