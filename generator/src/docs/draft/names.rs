//! Placeholder names a draft needs and the document does not give: operation ids, code-list
//! names and variant names. Each is marked for a person to confirm.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `POST /v2/partners/sub-customers/budget/query` gives `PostPartnersSubCustomersBudgetQuery`:
/// the method and the path without its version and placeholders. The public reference's
/// PascalCase name is not in the partner reference.
pub(super) fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_upper_camel_case();
    for seg in path.split('/') {
        let version = seg
            .strip_prefix('v')
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'));
        if seg.is_empty() || version || seg.starts_with('{') {
            continue;
        }
        id.push_str(&seg.to_upper_camel_case());
    }
    if id.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        id
    } else {
        format!("Op{id}")
    }
}

/// UpperCamelCase of a field name (`budget_type` gives `BudgetType`).
pub(super) fn type_name(field: &str) -> String {
    let n = field.to_upper_camel_case();
    if n.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        n
    } else {
        format!("Code{n}")
    }
}

/// snake_case variant name of a code value; `None` when the value gives no word (a number, a
/// symbol), and a placeholder is used.
pub(super) fn variant(value: &str) -> Option<String> {
    let word = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    word.then(|| value.to_snake_case())
}

/// Placeholder variant name of a value that gives no word (`-1` gives `value_minus_1`).
pub(super) fn placeholder_variant(value: &str) -> String {
    let mut out = String::from("value_");
    for c in value.chars() {
        match c {
            '-' => out.push_str("minus_"),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => out.push('_'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            operation_id("POST", "/v2/partners/sub-customers/budget/query"),
            "PostPartnersSubCustomersBudgetQuery"
        );
        assert_eq!(
            operation_id(
                "GET",
                "/v1.0/{domain_id}/common/order-mgr/orders/{order_id}"
            ),
            "GetCommonOrderMgrOrders"
        );
        assert_eq!(type_name("budget_type"), "BudgetType");
        assert_eq!(type_name("1st"), "Code1st");
        assert_eq!(variant("MONTHLY").as_deref(), Some("monthly"));
        assert_eq!(variant("zh_CN").as_deref(), Some("zh_cn"));
        assert_eq!(variant("1"), None);
        assert_eq!(placeholder_variant("-1"), "value_minus_1");
    }
}
