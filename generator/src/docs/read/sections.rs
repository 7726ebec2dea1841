//! Numbered section headings of the body (the table of contents is skipped: its lines carry a
//! page number after a tab or a dotted leader), and the version and date of the title page.

use super::lines;
use crate::docs::model::{Section, Stated};

/// Reads `N.N.N title` when `line` is a heading candidate.
fn heading(raw: &str) -> Option<(Vec<u32>, String)> {
    if raw.contains('\t') || raw.contains("....") || raw.starts_with(' ') {
        return None;
    }
    let t = lines::half_width(raw);
    let (num, title) = t.trim_end().split_once(' ')?;
    let title = title.trim();
    if title.is_empty()
        || title.chars().count() > 60
        || title.ends_with('.')
        || title.ends_with('。')
    {
        return None;
    }
    let parts: Option<Vec<u32>> = num
        .split('.')
        .map(|p| p.parse::<u32>().ok().filter(|_| p.len() <= 3))
        .collect();
    let parts = parts?;
    if parts.is_empty() || parts.len() > 5 {
        return None;
    }
    Some((parts, lines::cell(title)))
}

/// Whether `next` may follow `prev` in a document outline (a sibling, a first child, or the next
/// sibling of an ancestor).
fn follows(prev: &[u32], next: &[u32]) -> bool {
    if next.len() == prev.len() + 1 {
        return next[..prev.len()] == *prev && next[prev.len()] == 1;
    }
    if next.len() > prev.len() + 1 || next.is_empty() {
        return false;
    }
    let k = next.len() - 1;
    next[..k] == prev[..k] && next[k] == prev[k] + 1
}

/// The body sections, in order. A candidate is accepted only when its number continues the
/// outline, so that a numbered line of prose or a table of contents is never a heading.
pub fn sections(all: &[&str], fenced: &[bool]) -> Vec<(Vec<u32>, Section)> {
    let mut out: Vec<(Vec<u32>, Section)> = Vec::new();
    // Whether the current chapter is the one of APIs to be retired.
    let mut chapter_retired = false;
    for (i, raw) in all.iter().enumerate() {
        if fenced.get(i).copied().unwrap_or(false) {
            continue;
        }
        let Some((parts, title)) = heading(raw) else {
            continue;
        };
        let ok = match out.last() {
            None => parts == [1],
            Some((prev, _)) => follows(prev, &parts),
        };
        if !ok {
            continue;
        }
        let number = parts
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if parts.len() == 1 {
            chapter_retired = title.contains("待下线");
        }
        let deprecated = chapter_retired || title.contains("待下线") || title.contains("(旧)");
        out.push((
            parts,
            Section {
                number,
                title,
                line: i + 1,
                deprecated,
            },
        ));
    }
    out
}

/// Lines inside fenced blocks.
pub fn fenced(all: &[&str]) -> Vec<bool> {
    let mut inside = false;
    all.iter()
        .map(|l| {
            if l.trim().starts_with("```") {
                inside = !inside;
                true
            } else {
                inside
            }
        })
        .collect()
}

/// `文档版本 66` and `发布日期 2024-01-29` of the title page (the first 60 lines).
pub fn version_and_date(all: &[&str]) -> (Option<Stated<String>>, Option<Stated<String>>) {
    let find = |key: &str| {
        all.iter().take(60).enumerate().find_map(|(i, l)| {
            let t = lines::half_width(l);
            let rest = t
                .trim()
                .strip_prefix(key)?
                .trim()
                .trim_start_matches(':')
                .trim();
            (!rest.is_empty()).then(|| Stated {
                value: rest.to_string(),
                line: i + 1,
            })
        })
    };
    (find("文档版本"), find("发布日期"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outline_rejects_contents_lines_and_numbered_prose() {
        let text = "目录\n1 甲\t1\n2 乙.....\t3\n\n1 甲\n\n3 不对\n\n2 乙\n2.1 丙\n1. 列表\n2.1.1 丁\n2.2 戊\n3 待下线接口\n3.1 己 (旧)\n";
        let all = lines::split(text);
        let s = sections(&all, &fenced(&all));
        let got: Vec<(&str, usize, bool)> = s
            .iter()
            .map(|(_, s)| (s.number.as_str(), s.line, s.deprecated))
            .collect();
        assert_eq!(
            got,
            [
                ("1", 5, false),
                ("2", 9, false),
                ("2.1", 10, false),
                ("2.1.1", 12, false),
                ("2.2", 13, false),
                ("3", 14, true),
                ("3.1", 15, true)
            ]
        );
    }

    #[test]
    fn version_and_date_of_the_title_page() {
        let all = lines::split("\n书名\n文档版本 07\n发布日期 2030-02-03\n");
        let (v, d) = version_and_date(&all);
        assert_eq!(
            v,
            Some(Stated {
                value: "07".into(),
                line: 3
            })
        );
        assert_eq!(
            d,
            Some(Stated {
                value: "2030-02-03".into(),
                line: 4
            })
        );
    }
}
