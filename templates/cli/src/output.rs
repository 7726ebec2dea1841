//! How an answer is printed: `--query` picks part of it, `--output` chooses the format.

use crate::json::Node;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON: pretty on a terminal, compact otherwise (or as `--pretty`/`--compact` say).
    Json { pretty: bool },
    /// YAML.
    Yaml,
    /// Aligned columns.
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// One step of a `--query` path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    /// A member of an object.
    Member(String),
    /// An item of an array (negative: from the end).
    Index(i64),
    /// Every item of an array: the rest of the path applies to each.
    Each,
}

/// A parsed `--query`: members, indexes and `[]` projections, e.g. `data.items[].name`,
/// `orderInfos[0].amount`. A path that does not exist gives `null`, as in JMESPath.
#[derive(Clone, Debug, Default)]
pub struct Query {
    steps: Vec<Step>,
}

impl Query {
    /// Parses a path; the error names the offending position.
    pub fn parse(text: &str) -> Result<Query, String> {
        let mut steps = Vec::new();
        let mut rest = text.trim();
        let bad = |at: &str, why: &str| format!("--query `{text}`: {why} at `{at}`");
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('[') {
                let close = r.find(']').ok_or_else(|| bad(rest, "unclosed `[`"))?;
                let inside = r[..close].trim();
                steps.push(if inside.is_empty() || inside == "*" {
                    Step::Each
                } else {
                    Step::Index(
                        inside
                            .parse()
                            .map_err(|_| bad(rest, "an index must be an integer"))?,
                    )
                });
                rest = &r[close + 1..];
                if let Some(r) = rest.strip_prefix('.') {
                    rest = r;
                    if rest.is_empty() {
                        return Err(bad(".", "a path cannot end with `.`"));
                    }
                }
                continue;
            }
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let name = &rest[..end];
            if name.is_empty() {
                return Err(bad(rest, "expected a member name"));
            }
            if name.contains(|c: char| c.is_whitespace() || c == ']') {
                return Err(bad(name, "unexpected character"));
            }
            steps.push(Step::Member(name.to_string()));
            rest = &rest[end..];
            if let Some(r) = rest.strip_prefix('.') {
                rest = r;
                if rest.is_empty() {
                    return Err(bad(".", "a path cannot end with `.`"));
                }
            }
        }
        Ok(Query { steps })
    }

    /// The part of `node` the path picks.
    pub fn apply(&self, node: Node) -> Node {
        pick(node, &self.steps)
    }
}

fn pick(node: Node, steps: &[Step]) -> Node {
    let Some((first, rest)) = steps.split_first() else {
        return node;
    };
    match (first, node) {
        (Step::Member(name), Node::Object(members)) => {
            match members.into_iter().find(|(k, _)| k == name) {
                Some((_, v)) => pick(v, rest),
                None => Node::Null,
            }
        }
        (Step::Index(i), Node::Array(mut items)) => {
            let len = items.len() as i64;
            let at = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&at) {
                pick(items.swap_remove(at as usize), rest)
            } else {
                Node::Null
            }
        }
        (Step::Each, Node::Array(items)) => Node::Array(
            items
                .into_iter()
                .map(|v| pick(v, rest))
                .filter(|v| *v != Node::Null)
                .collect(),
        ),
        _ => Node::Null,
    }
}

/// Renders `node` in `format`, ending with a newline.
pub fn render(node: &Node, format: Format) -> String {
    match format {
        Format::Json { pretty } => node.json(pretty) + "\n",
        Format::Yaml => node.yaml(),
        Format::Table => table(node),
        Format::Csv => csv(node),
    }
}

/// Rows and columns of a value: an array of objects gives one row each with the union of their
/// members as columns; a single object gives one row; anything else one cell.
fn rows(node: &Node) -> (Vec<String>, Vec<Vec<String>>) {
    let items: Vec<&Node> = match node {
        Node::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut columns: Vec<String> = Vec::new();
    for item in &items {
        if let Node::Object(m) = item {
            for (k, _) in m {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    if columns.is_empty() {
        let rows = items.iter().map(|v| vec![v.cell()]).collect();
        return (vec!["value".to_string()], rows);
    }
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| item.get(c).map(Node::cell).unwrap_or_default())
                .collect()
        })
        .collect();
    (columns, rows)
}

fn table(node: &Node) -> String {
    let (columns, rows) = rows(node);
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.len_utf8() > 2 { 2 } else { 1 })
            .sum::<usize>()
    };
    let mut widths: Vec<usize> = columns.iter().map(|c| width(c)).collect();
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            out.push_str(c);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[i] - width(c) + 2));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(&columns.iter().map(|c| c.to_uppercase()).collect::<Vec<_>>());
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

fn csv(node: &Node) -> String {
    let (columns, rows) = rows(node);
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let line =
        |cells: &[String]| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",") + "\r\n";
    let mut out = line(&columns);
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Node {
        Node::parse(r#"{"data": {"items": [{"id": "a", "amount": 1.50}, {"id": "b,c", "amount": 2}]}, "total": 2}"#).unwrap()
    }

    #[test]
    fn paths_pick_members_indexes_and_projections() {
        let q = |t: &str| Query::parse(t).unwrap().apply(doc()).json(false);
        assert_eq!(q("total"), "2");
        assert_eq!(q("data.items[0].amount"), "1.50");
        assert_eq!(q("data.items[-1].id"), "\"b,c\"");
        assert_eq!(q("data.items[].id"), r#"["a","b,c"]"#);
        assert_eq!(q("data.missing"), "null");
        assert_eq!(q(""), doc().json(false));
    }

    #[test]
    fn bad_paths_are_refused_with_the_place() {
        assert_eq!(
            Query::parse("a[x]").unwrap_err(),
            "--query `a[x]`: an index must be an integer at `[x]`"
        );
        assert!(Query::parse("a[0").is_err());
        assert!(Query::parse("a.").is_err());
        assert!(Query::parse("a..b").is_err());
    }

    #[test]
    fn tables_and_csv_have_a_column_per_member() {
        let items = Query::parse("data.items").unwrap().apply(doc());
        assert_eq!(
            render(&items, Format::Csv),
            "id,amount\r\na,1.50\r\n\"b,c\",2\r\n"
        );
        assert_eq!(
            render(&items, Format::Table),
            "ID   AMOUNT\na    1.50\nb,c  2\n"
        );
    }
}
