//! Cuts a run of lines into text lines, fenced blocks and tables.
//!
//! Table rows are tab-separated. A table is continued across a page break, where the extraction
//! repeats its header row after a blank line; a row whose name cell is empty continues the cell
//! text of the row before it (a cell wrapped across the break).

use super::lines;

/// A caption line (`表 8-3 BudgetInfo`, `表2 BudgetInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caption {
    /// `表 8-3`, as printed.
    pub label: String,
    /// The rest of the caption, normalized (may be empty).
    pub name: String,
    /// 1-based line.
    pub line: usize,
}

/// A table row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// 1-based line (of its first part, for a row continued across a break).
    pub line: usize,
    /// Cells as printed (continued cells joined with a space).
    pub cells: Vec<String>,
}

/// A table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Caption on the line before the header, if any.
    pub caption: Option<Caption>,
    /// Header cells, normalized.
    pub header: Vec<String>,
    /// 1-based line of the header.
    pub line: usize,
    /// Body rows.
    pub rows: Vec<TableRow>,
}

impl Table {
    /// Index of the column whose header is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header
            .iter()
            .position(|h| names.iter().any(|n| h.replace(' ', "") == *n))
    }
}

/// A piece of a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A non-empty line outside tables and fences, normalized.
    Text {
        /// 1-based line.
        line: usize,
        /// The line, normalized.
        text: String,
    },
    /// A fenced block.
    Fence {
        /// 1-based line of the opening fence.
        line: usize,
        /// The lines between the fences.
        body: String,
    },
    /// A table.
    Table(Table),
}

/// Parses a caption line.
pub fn caption(text: &str, line: usize) -> Option<Caption> {
    let rest = text.strip_prefix('表')?;
    let trimmed = rest.trim_start();
    let digits: usize = trimmed
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '-')
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    if digits == 0 && !trimmed.is_empty() && !trimmed.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return None;
    }
    let label = format!(
        "表{}{}",
        &rest[..rest.len() - trimmed.len()],
        &trimmed[..digits]
    );
    Some(Caption {
        label: label.trim().to_string(),
        name: lines::cell(&trimmed[digits..]),
        line,
    })
}

fn is_header_row(cells: &[String]) -> bool {
    matches!(
        cells.first().map(|c| c.replace(' ', "")).as_deref(),
        Some("参数" | "HTTP状态码" | "状态码" | "错误码" | "场景" | "名称" | "参数名称")
    )
}

/// Cuts lines `from..to` (0-based, end excluded) into blocks.
pub fn blocks(all: &[&str], from: usize, to: usize) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut i = from;
    // Whether only blank lines separate `i` from the last row of the last table.
    let mut after_row = false;
    while i < to.min(all.len()) {
        let raw = all[i];
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            let start = i;
            i += 1;
            let mut body = Vec::new();
            while i < to.min(all.len()) && !all[i].trim().starts_with("```") {
                body.push(all[i]);
                i += 1;
            }
            i += 1;
            out.push(Block::Fence {
                line: start + 1,
                body: body.join("\n"),
            });
            after_row = false;
            continue;
        }
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        if raw.contains('\t') {
            let cells: Vec<String> = raw.split('\t').map(|c| c.trim().to_string()).collect();
            let normalized: Vec<String> = cells.iter().map(|c| lines::cell(c)).collect();
            let continues = match out.last_mut() {
                Some(Block::Table(t)) if after_row => {
                    if normalized == t.header {
                        true
                    } else if cells.len() == t.header.len() || !is_header_row(&cells) {
                        let name_col = t.header.first().is_some_and(|h| h == "参数");
                        match t.rows.last_mut() {
                            Some(prev) if name_col && cells[0].is_empty() => {
                                for (k, c) in cells.iter().enumerate() {
                                    if c.is_empty() {
                                        continue;
                                    }
                                    match prev.cells.get_mut(k) {
                                        Some(p) => {
                                            p.push(' ');
                                            p.push_str(c);
                                        }
                                        None => prev.cells.push(c.clone()),
                                    }
                                }
                            }
                            _ => t.rows.push(TableRow { line: i + 1, cells }),
                        }
                        true
                    } else {
                        false
                    }
                }
                _ => false,
            };
            if !continues {
                let cap = match out.last() {
                    Some(Block::Text { line, text })
                        if prev_nonblank(all, i) == Some(*line - 1) =>
                    {
                        caption(text, *line)
                    }
                    _ => None,
                };
                out.push(Block::Table(Table {
                    caption: cap,
                    header: normalized,
                    line: i + 1,
                    rows: Vec::new(),
                }));
            }
            after_row = true;
            i += 1;
            continue;
        }
        out.push(Block::Text {
            line: i + 1,
            text: lines::cell(raw),
        });
        after_row = false;
        i += 1;
    }
    out
}

fn prev_nonblank(all: &[&str], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| !all[j].trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(text: &str) -> Vec<Table> {
        let l = lines::split(text);
        blocks(&l, 0, l.len())
            .into_iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_header_repeated_after_a_page_break_continues_the_table() {
        let t = tables(
            "表 1-1 Fruit\n\n参数\t参数类型\nname\tString\n\n参数\t参数类型\nsize\tInteger\n\n后文\n\n参数\t参数类型\nother\tString\n",
        );
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].rows[1].line, 7);
        assert_eq!(
            t[0].caption
                .as_ref()
                .map(|c| (c.label.as_str(), c.name.as_str())),
            Some(("表 1-1", "Fruit"))
        );
        assert_eq!(t[1].caption, None);
    }

    #[test]
    fn a_row_with_an_empty_name_cell_continues_the_cells_above() {
        let t =
            tables("参数\t参数类型\t描述\ncolor\tString\t红 绿\n\n参数\t参数类型\t描述\n\t\t蓝\n");
        assert_eq!(t[0].rows.len(), 1);
        assert_eq!(t[0].rows[0].cells[2], "红 绿 蓝");
    }

    #[test]
    fn merged_cells_of_other_tables_are_not_joined() {
        let t = tables("场景\t接口\n甲\tGET /a\n\tGET /b\n");
        assert_eq!(t[0].rows.len(), 2);
    }

    #[test]
    fn fences_hide_tabs() {
        let l = lines::split("```\na\tb\n```\n");
        assert!(matches!(
            blocks(&l, 0, l.len()).as_slice(),
            [Block::Fence { line: 1, .. }]
        ));
    }

    #[test]
    fn captions() {
        assert_eq!(
            caption("表2 Basket", 3).map(|c| (c.label, c.name)),
            Some(("表2".into(), "Basket".into()))
        );
        assert_eq!(
            caption("表 3-5", 3).map(|c| (c.label, c.name)),
            Some(("表 3-5".into(), "".into()))
        );
        assert_eq!(caption("表示", 3), None);
    }
}
