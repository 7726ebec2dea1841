//! Record structs of the CSV file formats, and their row readers.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust_types::{code_list_path, doc_attrs, ident, lit_str};
use crate::ir::CodeListType;
use crate::ir::{FileColumnInfo, FileFormatInfo, Model, TypeExpr};

/// How a column is read: its Rust type and the `Row` call that reads it.
fn column_reader(
    model: &Model,
    ff: &FileFormatInfo,
    i: usize,
    col: &FileColumnInfo,
) -> (TokenStream, TokenStream) {
    if let Some(cl) = col.code_list {
        let path = code_list_path(model, cl, &ff.group);
        return match model[cl].def.ty {
            CodeListType::Integer => (
                quote!(::std::option::Option<#path>),
                quote!(row.int_code(#i, #path::from_value)?),
            ),
            CodeListType::String => (
                quote!(::std::option::Option<#path>),
                quote!(row.code(#i, #path::from_value)),
            ),
        };
    }
    match col.ty {
        TypeExpr::Integer | TypeExpr::Long => {
            (quote!(::std::option::Option<i64>), quote!(row.integer(#i)?))
        }
        TypeExpr::Decimal => (
            quote!(::std::option::Option<crate::Decimal>),
            quote!(row.decimal(#i)?),
        ),
        _ => (quote!(::std::string::String), quote!(row.text(#i))),
    }
}

fn column_doc(col: &FileColumnInfo) -> Vec<String> {
    let mut lines = vec![docs::sentence(&col.def.description), String::new()];
    let mut facts = vec![format!("Column `{}`", col.def.header)];
    if !col.def.aliases.is_empty() {
        let a: Vec<String> = col.def.aliases.iter().map(|a| format!("`{a}`")).collect();
        facts.push(format!("also headed {}", a.join(", ")));
    }
    if let Some(dt) = &col.def.doc_type {
        facts.push(format!("documented as {}", docs::escape_markdown(dt)));
    }
    if let Some(m) = col.def.max_length {
        facts.push(format!("at most {m} characters"));
    }
    let mut text = facts.join("; ");
    text.push('.');
    if matches!(
        col.ty,
        TypeExpr::Integer | TypeExpr::Long | TypeExpr::Decimal
    ) || col.code_list.is_some()
    {
        text.push_str(" `None` when the cell is empty or the file lacks the column.");
    } else {
        text.push_str(" Empty when the cell is empty or the file lacks the column.");
    }
    lines.push(text);
    lines
}

/// The record struct of a file format and its `FileRecord` implementation.
pub fn record(model: &Model, ff: &FileFormatInfo) -> TokenStream {
    let name = ident(&ff.name);
    let format = ff.name.as_str();
    let mut doc = vec![docs::sentence(&ff.def.description), String::new()];
    doc.push(format!(
        "Delivered as: {}",
        docs::sentence(&ff.def.delivery)
    ));
    if let Some(p) = &ff.def.file_name_pattern {
        doc.push(String::new());
        doc.push(format!("File names: `{p}`."));
    }
    doc.push(String::new());
    doc.push(format!(
        "Source: {}. Read archives with [`crate::files::TarGz`] (a stream) or [`crate::files::read_tar_gz`], single files with [`crate::files::records`] or [`crate::files::read_csv`].",
        docs::source(&ff.def.source)
    ));
    // The descriptions refer to the documented sample; it is shown as the spec keeps it.
    if !ff.def.samples.is_empty() {
        doc.push(String::new());
        doc.push("The documented sample (header, then rows):".into());
        doc.push(String::new());
        doc.push("```text".into());
        doc.extend(ff.def.samples.iter().cloned());
        doc.push("```".into());
    }
    let doc = doc_attrs(&doc);
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut columns = Vec::new();
    for (i, col) in ff.columns.iter().enumerate() {
        let id = ident(&col.rust);
        let (ty, read) = column_reader(model, ff, i, col);
        let d = doc_attrs(&column_doc(col));
        fields.push(quote!(#d pub #id: #ty,));
        inits.push(quote!(#id: #read,));
        let header = col.def.header.as_str();
        let aliases = col.def.aliases.iter().map(String::as_str);
        columns.push(quote!(crate::files::Column { header: #header, aliases: &[#(#aliases),*] },));
    }
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize)]
        pub struct #name {
            #(#fields)*
        }

        impl crate::files::FileRecord for #name {
            const FORMAT: &'static str = #format;
            const COLUMNS: &'static [crate::files::Column] = &[#(#columns)*];
            fn from_row(row: &crate::files::Row<'_>) -> ::std::result::Result<Self, crate::files::CellError> {
                Ok(Self { #(#inits)* })
            }
        }
    }
}

/// Removes thousands separators the way the runtime does (`22,545.00`), written separately so
/// the test verifies the runtime.
fn ungroup(t: &str) -> String {
    let digits_and_commas = t
        .trim_start_matches('-')
        .split('.')
        .next()
        .is_some_and(|i| i.contains(',') && i.split(',').skip(1).all(|g| g.len() == 3));
    if digits_and_commas {
        t.replace(',', "")
    } else {
        t.to_string()
    }
}

fn csv_cell(t: &str) -> String {
    if t.contains([',', '"', '\n']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t.to_string()
    }
}

/// Tests of the file readers: the documented sample reads into the expected values, also from a
/// `tar.gz` archive, and a bad cell is reported with its line and column.
pub fn tests(model: &Model) -> Vec<TokenStream> {
    let krate = ident(&model.crate_ident);
    let mut out = Vec::new();
    for g in &model.groups {
        for ff in g.file_formats.values() {
            let Some((header, rows)) = ff.samples.split_first() else {
                continue;
            };
            let Some(map) = ff.column_map(header) else {
                continue;
            };
            let feature = g.info.id.as_str();
            let group = ident(&g.info.id);
            let ty = ident(&ff.name);
            let csv: String = ff.def.samples.iter().map(|s| format!("{s}\n")).collect();
            let csv = lit_str(&csv);
            let count = rows.len();
            let mut cell_asserts = Vec::new();
            for (ri, row) in rows.iter().enumerate() {
                for (ci, col) in ff.columns.iter().enumerate() {
                    let cell = map[ci].and_then(|i| row.get(i)).map_or("", String::as_str);
                    let f = ident(&col.rust);
                    let cell_assert = match (col.code_list, &col.ty) {
                        (Some(_), _) if cell.is_empty() => {
                            quote!(assert!(records[#ri].#f.is_none());)
                        }
                        (Some(cl), _) => match model[cl].def.ty {
                            CodeListType::Integer => {
                                let v: i64 = ungroup(cell).parse().unwrap_or(i64::MIN);
                                quote!(assert_eq!(records[#ri].#f.as_ref().map(|c| c.value()), Some(#v));)
                            }
                            CodeListType::String => {
                                quote!(assert_eq!(records[#ri].#f.as_ref().map(|c| c.value()), Some(#cell));)
                            }
                        },
                        (None, TypeExpr::Integer | TypeExpr::Long | TypeExpr::Decimal)
                            if cell.is_empty() =>
                        {
                            quote!(assert!(records[#ri].#f.is_none());)
                        }
                        (None, TypeExpr::Integer | TypeExpr::Long) => {
                            let v: i64 = ungroup(cell).parse().unwrap_or(i64::MIN);
                            quote!(assert_eq!(records[#ri].#f, Some(#v));)
                        }
                        (None, TypeExpr::Decimal) => {
                            let v = ungroup(cell);
                            quote!(assert_eq!(records[#ri].#f, Some(#v.parse().expect("decimal")));)
                        }
                        _ => quote!(assert_eq!(records[#ri].#f, #cell);),
                    };
                    cell_asserts.push(cell_assert);
                }
            }
            let sample_test = ident(&ff.tests.sample);
            let archive_test = ident(&ff.tests.sample_tar_gz);
            out.push(quote! {
                #[cfg(feature = #feature)]
                #[test]
                fn #sample_test() {
                    let records: Vec<#krate::#group::#ty> =
                        #krate::files::read_csv(#csv.as_bytes()).expect("the documented sample reads");
                    assert_eq!(records.len(), #count);
                    #(#cell_asserts)*
                }

                #[cfg(feature = #feature)]
                #[test]
                fn #archive_test() {
                    let archive = support::tar_gz(&[("export/part1.csv", #csv), ("notes.txt", "not a csv file"), ("part2.csv", #csv)]);
                    let files: Vec<#krate::files::CsvFile<#krate::#group::#ty>> =
                        #krate::files::read_tar_gz(archive.as_slice()).expect("the archive reads");
                    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
                    assert_eq!(names, ["export/part1.csv", "part2.csv"]);
                    let direct: Vec<#krate::#group::#ty> =
                        #krate::files::read_csv(#csv.as_bytes()).expect("reads");
                    assert_eq!(files[0].records, direct);
                    assert_eq!(files[1].records, direct);
                }
            });
            // A bad cell in the first typed column of the first row names line 2 and the column.
            let typed = ff.columns.iter().enumerate().find(|(ci, c)| {
                map[*ci].is_some()
                    && (matches!(c.ty, TypeExpr::Integer | TypeExpr::Long | TypeExpr::Decimal))
            });
            if let (Some((ci, col)), Some(first)) = (typed, rows.first()) {
                let idx = map[ci].unwrap_or_default();
                let mut bad = first.clone();
                bad[idx] = "12x".into();
                let bad_row: Vec<String> = bad.iter().map(|c| csv_cell(c)).collect();
                let bad_csv = format!("{}\n{}\n", ff.def.samples[0], bad_row.join(","));
                let bad_csv = lit_str(&bad_csv);
                let column = idx + 1;
                let header_text = col.def.header.as_str();
                let bad_test = ident(&ff.tests.bad_cell);
                let archive_bad_test = ident(&ff.tests.bad_cell_in_archive);
                out.push(quote! {
                    #[cfg(feature = #feature)]
                    #[test]
                    fn #bad_test() {
                        let err = #krate::files::read_csv::<#krate::#group::#ty>(#bad_csv.as_bytes())
                            .expect_err("a bad cell is an error");
                        assert_eq!(err.line, Some(2));
                        assert_eq!(err.column, Some((#column, #header_text)));
                        assert!(err.message.contains("12x"), "{err}");
                        assert!(err.to_string().starts_with("line 2, column "), "{err}");
                    }

                    #[cfg(feature = #feature)]
                    #[test]
                    fn #archive_bad_test() {
                        let archive = support::tar_gz(&[("good.csv", #csv), ("bad.csv", #bad_csv)]);
                        let err = #krate::files::read_tar_gz::<#krate::#group::#ty>(archive.as_slice())
                            .expect_err("a bad cell is an error");
                        assert_eq!(err.file.as_deref(), Some("bad.csv"));
                        assert_eq!(err.line, Some(2));
                        assert!(err.to_string().starts_with("bad.csv, line 2, column "), "{err}");
                    }
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn every_record_type_shows_the_sample_its_description_refers_to() {
        let model =
            crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec");
        let tree = crate::emit::generate(&model).expect("generate");
        let mut shown = 0;
        for g in &model.groups {
            let file = &tree[&format!("src/{}.rs", g.info.id)];
            for ff in g.file_formats.values() {
                let start = file
                    .find(&format!("pub struct {} {{", ff.name))
                    .expect("record struct");
                let doc = &file[..start];
                let doc = &doc[doc.rfind("\n}\n").unwrap_or(0)..];
                for line in &ff.def.samples {
                    assert!(
                        doc.contains(&format!("/// {line}\n")),
                        "{}: {line}",
                        ff.name
                    );
                }
                shown += 1;
            }
        }
        assert!(shown > 0, "the spec has file formats");
    }
}
