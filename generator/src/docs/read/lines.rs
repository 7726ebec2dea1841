//! Line normalization: full-width punctuation to half-width, spaces that a PDF line wrap put
//! inside a word removed, HTML list markup of the extraction dropped.

/// Maps full-width ASCII variants (`：`, `（`, `，`, `［`, ...) and the ideographic space to their
/// half-width forms; no-break spaces become spaces.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            '、' => ',',
            c => c,
        })
        .collect()
}

/// Whether `c` is a CJK ideograph or CJK punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Removes whitespace between two CJK characters (`最大长 度` reads `最大长度`): the extraction
/// breaks Chinese words where the PDF wrapped the cell.
pub fn join_cjk(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let glue = matches!((before, after), (Some(b), Some(a)) if is_cjk(b) && is_cjk(a));
            if !glue {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.trim().to_string()
}

/// Replaces HTML tags (`<p>`, `<ul style=...>`) and list bullets with spaces.
pub fn strip_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A tag starts with `<` and a letter or `/`; `List<String>` never reaches this
            // function, and a lone `<` in prose is kept.
            '<' if !in_tag
                && chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/') =>
            {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '•' | '●' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A cell made readable: half-width punctuation, markup dropped, wrap spaces inside Chinese words
/// removed, whitespace collapsed.
pub fn cell(s: &str) -> String {
    join_cjk(&strip_markup(&half_width(s)))
}

/// Whether `s` is an identifier as field and type names are (`budget_infos`, `X-Language`).
pub fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A field-name cell: a name that a wrap split (`service_type _code`) is joined; anything that is
/// not an identifier once joined is returned normalized but unjoined.
pub fn name(s: &str) -> String {
    let c = cell(s);
    let joined: String = c.split_whitespace().collect();
    if is_ident(&joined) { joined } else { c }
}

/// Splits the document into lines, without line terminators (`\r\n` and `\n` both end a line).
pub fn split(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_punctuation_becomes_half_width() {
        assert_eq!(half_width("长度：［1－9］（ok），"), "长度:[1-9](ok),");
    }

    #[test]
    fn wrap_spaces_inside_chinese_words_are_removed_but_not_between_words() {
        assert_eq!(cell("最大长 度： 64"), "最大长度: 64");
        assert_eq!(cell("a b  c"), "a b c");
        assert_eq!(cell("<p>甲</p> <p>乙</p>"), "甲乙");
    }

    #[test]
    fn split_names_are_joined_only_when_they_form_an_identifier() {
        assert_eq!(name("fruit_basket _size"), "fruit_basket_size");
        assert_eq!(name("X-Trace"), "X-Trace");
        assert_eq!(name("甲 乙"), "甲乙");
        assert_eq!(name("a 乙"), "a 乙");
    }

    #[test]
    fn markup_is_dropped_but_angle_brackets_in_prose_stay() {
        assert_eq!(
            strip_markup("<ul a=\"b\"> • x</ul>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["x"]
        );
        assert_eq!(strip_markup("a < 3"), "a < 3");
    }
}
