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

/// Whether a bulleted cell is prose rather than a list of values: fewer than half of its bullets
/// open with a value (`• 手机号… • 邮箱… • name：符合…` describes formats; it does not list
/// `name` as a value).
fn prose_bullets(t: &str) -> bool {
    let bullets: Vec<&str> = t.split(['•', '●']).skip(1).map(str::trim_start).collect();
    let valued = bullets
        .iter()
        .filter(|b| {
            let head: String = b.chars().take_while(|c| value_char(*c)).collect();
            !head.is_empty() && b[head.len()..].starts_with(':')
        })
        .count();
    bullets.len() >= 2 && valued * 2 < bullets.len()
}

/// The code values of a cell, in order, each value once (`line` is left 0 for the caller).
/// Values a cell gives as examples (after `举例`, "for example as follows") are not a list of the
/// field's values and are left out.
pub fn code_values(text: &str) -> Vec<CodeValue> {
    // Bullets are markup, gone once it is stripped.
    if prose_bullets(&lines::half_width(text)) {
        return Vec::new();
    }
    let t = lines::half_width(&lines::strip_markup(text));
    match t.find(EXAMPLES) {
        Some(i) => values(&t[..i]),
        None => values(&t),
    }
}

/// "For example, as follows": what follows are examples, not the field's values.
const EXAMPLES: &str = "举例";

/// Why a cell's `value：label` pairs are not read as code values, when it has some: they are
/// examples (after `举例`). The comparison lists them as not compared. (Bulleted prose is prose,
/// counted with the descriptions.)
pub fn unread_values(text: &str) -> Option<&'static str> {
    let t = lines::half_width(&lines::strip_markup(text));
    let after = &t[t.find(EXAMPLES)?..];
    (!values(after).is_empty()).then_some("values a cell gives as examples (举例), not as a list")
}

fn values(t: &str) -> Vec<CodeValue> {
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
        // An ASCII label is prose (`Content-Type: application/json`) unless it names a unit or
        // word after a numeric code and a space (`15: Mbps`, `41: 1K Tokens`).
        let numeric = value
            .trim_start_matches('-')
            .chars()
            .all(|c| c.is_ascii_digit());
        let unit = numeric && from > colon + 1 && label.chars().any(|c| c.is_ascii_alphabetic());
        if label.is_empty() || (label.is_ascii() && !unit) {
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
    fn numeric_codes_may_have_ascii_labels() {
        assert_eq!(
            pairs("单位： 3: KB (存储) 4: GB 7: 个(次)"),
            p(&[("3", "KB"), ("4", "GB"), ("7", "个")])
        );
        assert_eq!(pairs("• 8: 2K Words"), p(&[("8", "2K")]));
        // Not after a word, nor without the space (a time).
        assert!(pairs("Accept: text/plain").is_empty());
        assert!(pairs("时间 10:30").is_empty());
    }

    #[test]
    fn values_given_as_examples_are_not_a_list() {
        assert_eq!(
            pairs("类型： A1：甲 部分取值举例如下： x_1：乙 x_2：丙"),
            p(&[("A1", "甲")])
        );
        assert!(pairs("规格举例如下： 7_fast：快速 7_slow：慢速").is_empty());
        assert!(unread_values("规格举例如下： 7_fast：快速 7_slow：慢速").is_some());
        assert!(unread_values("规格举例如下： 见文档").is_none());
        assert!(unread_values("颜色： RED：红色").is_none());
    }

    #[test]
    fn bullets_of_prose_are_not_values() {
        assert!(pairs("账号。 • 电话需为数字 • 地址需含@ • code：五位字母").is_empty());
        assert_eq!(
            pairs("开关。 • on: 打开 • off: 关闭 • 默认关闭"),
            p(&[("on", "打开"), ("off", "关闭")])
        );
    }

    #[test]
    fn a_value_is_listed_once() {
        assert_eq!(pairs("1：甲 1：乙"), p(&[("1", "甲")]));
    }
}
