//! Code values written inside range and description cells: `MONTHLY：月度预算`, `• 1：开通`,
//! `zh_CN：中文en_US：英文` (the extraction dropped the list separators).

use super::lines;
use crate::docs::model::CodeValue;

fn value_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn label_stop(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ';' | ',' | ':' | '。' | '(' | ')' | '<' | '"' | '“' | '”' | '|'
        )
}

/// The code values of a cell, in order, each value once (`line` is left 0 for the caller).
pub fn code_values(text: &str) -> Vec<CodeValue> {
    let t = lines::half_width(&lines::strip_markup(text));
    let chars: Vec<char> = t.chars().collect();
    let mut out: Vec<CodeValue> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    // Where the last label ended: a value glued to a Chinese character is only taken there
    // (`中文en_US：`), not inside prose (`活动ID：`).
    let mut label_end: Option<usize> = None;
    for (colon, _) in chars.iter().enumerate().filter(|(_, c)| **c == ':') {
        let mut start = colon;
        while start > 0 && value_char(chars[start - 1]) {
            start -= 1;
        }
        // A value stands alone: it starts the cell, or follows a space, a Chinese character or a
        // separator, not a quote or a colon (`'T'HH:mm:ss` is a format, not values).
        if start == colon
            || (start > 0
                && matches!(
                    chars[start - 1],
                    '\'' | ':' | '/' | '=' | '"' | '@' | '“' | '‘'
                ))
        {
            continue;
        }
        if start > 0 && lines::is_cjk(chars[start - 1]) && label_end != Some(start) {
            continue;
        }
        let value: String = chars[start..colon].iter().collect();
        let value = value.trim_start_matches('.').to_string();
        if value.is_empty() || value.ends_with('-') {
            continue;
        }
        let mut i = colon + 1;
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        let from = i;
        while i < chars.len() && !label_stop(chars[i]) {
            // The next value glued to this label (`中文en_US:`) ends it.
            if chars[i].is_ascii_alphanumeric() && i > from && !chars[i - 1].is_ascii() {
                let mut j = i;
                while j < chars.len() && value_char(chars[j]) {
                    j += 1;
                }
                if chars.get(j) == Some(&':') {
                    break;
                }
            }
            i += 1;
        }
        label_end = Some(i);
        let label: String = chars[from..i].iter().collect();
        let label = label.trim_end_matches([',', '.', ':']).to_string();
        if label.is_empty() || label.is_ascii() {
            continue;
        }
        if seen.insert(value.clone()) {
            out.push(CodeValue {
                value,
                label,
                line: 0,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(t: &str) -> Vec<(String, String)> {
        code_values(t)
            .into_iter()
            .map(|c| (c.value, c.label))
            .collect()
    }

    fn p(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn values_separated_by_spaces_bullets_and_markup() {
        assert_eq!(
            pairs("颜色： RED：红色 BLUE：蓝色"),
            p(&[("RED", "红色"), ("BLUE", "蓝色")])
        );
        assert_eq!(
            pairs("<ul> • 0：关 • 1：开</ul>"),
            p(&[("0", "关"), ("1", "开")])
        );
        assert_eq!(
            pairs("-1: 未知；2: 已知。"),
            p(&[("-1", "未知"), ("2", "已知")])
        );
    }

    #[test]
    fn glued_values_are_split() {
        assert_eq!(
            pairs("fr_FR：法语de_DE：德语 缺省"),
            p(&[("fr_FR", "法语"), ("de_DE", "德语")])
        );
    }

    #[test]
    fn prose_colons_times_and_urls_are_not_values() {
        assert!(pairs("格式：yyyy-MM-dd'T'HH:mm:ss").is_empty());
        assert!(pairs("例如：“x-1”").is_empty());
        assert!(pairs("see https://host/x").is_empty());
        assert!(pairs("单位：元").is_empty());
        assert!(pairs("活动发券为活动ID：编号").is_empty());
        assert!(pairs("如果类型为“1：赠送”").is_empty());
    }

    #[test]
    fn a_value_is_listed_once() {
        assert_eq!(pairs("1：甲 1：乙"), p(&[("1", "甲")]));
    }
}
