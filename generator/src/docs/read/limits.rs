//! The permission table (API title and URL → permission items) and the rate-limit table (API
//! title and URL → requests per window, dimensions). Both name APIs by Chinese title, and a
//! URL cell may belong to another API: the rows are kept as printed.

use super::lines;
use super::tables::Table;
use crate::docs::model::{PermissionRow, RateLimitRow};

fn url(cell: &str) -> Option<(String, String)> {
    let t = lines::cell(cell);
    let (m, p) = t.split_once(' ')?;
    let p = p.trim();
    (m.chars().all(|c| c.is_ascii_uppercase()) && p.starts_with('/'))
        .then(|| (m.to_string(), p.to_string()))
}

/// Whether the table is the permission table.
pub fn is_permission_table(t: &Table) -> bool {
    t.column(&["接口URL"]).is_some() && t.column(&["权限项"]).is_some()
}

/// Whether the table is the rate-limit table.
pub fn is_rate_limit_table(t: &Table) -> bool {
    t.column(&["接口URL"]).is_some() && t.column(&["流量配额"]).is_some()
}

/// Splits the names cell into one name per item. Names hold no spaces except before a
/// parenthesis the extraction detached (`...同步 (能力开放)`); when the split does not give one
/// name per item, the cell is kept whole.
fn names(cell: &str, count: usize) -> Vec<String> {
    let whole = lines::cell(cell).replace(" (", "(");
    if whole.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for w in lines::half_width(&lines::strip_markup(cell)).split_whitespace() {
        match out.last_mut() {
            Some(last) if w.starts_with('(') => last.push_str(w),
            _ => out.push(w.to_string()),
        }
    }
    if out.len() == count { out } else { vec![whole] }
}

/// The rows of the permission table.
pub fn permissions(t: &Table) -> Vec<PermissionRow> {
    let (Some(title), Some(u), Some(items), Some(name)) = (
        t.column(&["接口名称"]),
        t.column(&["接口URL"]),
        t.column(&["权限项"]),
        t.column(&["权限项名称"]),
    ) else {
        return Vec::new();
    };
    t.rows
        .iter()
        .filter_map(|r| {
            let (method, path) = url(r.cells.get(u)?)?;
            let items: Vec<String> = lines::cell(r.cells.get(items)?)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let names = names(
                r.cells.get(name).map(String::as_str).unwrap_or(""),
                items.len(),
            );
            let title = lines::cell(r.cells.get(title)?);
            Some(PermissionRow {
                title,
                method,
                path,
                items,
                names,
                line: r.line,
            })
        })
        .collect()
}

fn dimension(d: &str) -> String {
    match d.to_ascii_lowercase().as_str() {
        "源ip" => "source_ip".into(),
        "api" => "api".into(),
        "parentuid" => "parent_uid".into(),
        _ => d.to_string(),
    }
}

/// The rows of the rate-limit table.
pub fn rate_limits(t: &Table) -> Vec<RateLimitRow> {
    let (Some(title), Some(u), Some(quota)) = (
        t.column(&["接口名称"]),
        t.column(&["接口URL"]),
        t.column(&["流量配额"]),
    ) else {
        return Vec::new();
    };
    let dims = t.column(&["配额维度"]);
    t.rows
        .iter()
        .filter_map(|r| {
            let (method, path) = url(r.cells.get(u)?)?;
            let q: String = lines::cell(r.cells.get(quota)?)
                .split_whitespace()
                .collect();
            let (n, window) = q.split_once('/')?;
            let requests = n.parse().ok()?;
            let per_seconds = window.strip_suffix("(s)")?.parse().ok()?;
            let d: String = dims
                .and_then(|d| r.cells.get(d))
                .map(|c| lines::cell(c))
                .unwrap_or_default()
                .split_whitespace()
                .collect();
            let d = d.split_once(':').map(|(_, r)| r.to_string()).unwrap_or(d);
            let dimensions = d
                .split(',')
                .filter(|x| !x.is_empty())
                .map(dimension)
                .collect();
            Some(RateLimitRow {
                title: lines::cell(r.cells.get(title)?),
                method,
                path,
                requests,
                per_seconds,
                dimensions,
                line: r.line,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::read::tables::{Block, blocks};

    fn table(text: &str) -> Table {
        let l = lines::split(text);
        match blocks(&l, 0, l.len()).into_iter().next() {
            Some(Block::Table(t)) => t,
            other => panic!("no table: {other:?}"),
        }
    }

    #[test]
    fn permission_rows_with_two_items_and_detached_parentheses() {
        let t = table(
            "场景\t子场景\t接口名称\t接口URL\t权限项\t权限项名称\n甲\t乙\t查水果\tGET /v9/fruit\tP_1 P_2\t<ul> 看-水果 (只读) 改-水果</ul>\n\t\t种水果\tPOST /v9/fruit\tP_3\t种-水果 (全部)\n",
        );
        let p = permissions(&t);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].items, ["P_1", "P_2"]);
        assert_eq!(p[0].names, ["看-水果(只读)", "改-水果"]);
        assert_eq!(p[1].names, ["种-水果(全部)"]);
        assert_eq!(
            (p[1].method.as_str(), p[1].path.as_str(), p[1].line),
            ("POST", "/v9/fruit", 3)
        );
    }

    #[test]
    fn rate_limit_rows() {
        let t = table(
            "场景\t子场景\t接口名称\t接口URL\t流量配额\t配额维度\n甲\t乙\t查水果\tGET /v9/fruit\t7/2(s)\t维度： 源 IP,API,ParentU id\n",
        );
        let r = rate_limits(&t);
        assert_eq!((r[0].requests, r[0].per_seconds), (7, 2));
        assert_eq!(r[0].dimensions, ["source_ip", "api", "parent_uid"]);
    }
}
