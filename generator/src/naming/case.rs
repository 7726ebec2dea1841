//! Case conversion of spec names into Rust identifiers (the only users of `heck`), and the
//! names the generated crate reserves. Only the naming pass ([`super`]) and the spec checks call
//! these; emitters read the chosen names from the IR.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict, reserved and weak ones that cannot be field names).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated crate or the prelude already uses at the crate root or in every
/// group module; a spec type with one of these names would shadow or collide with it.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Auth",
    "Box",
    "CallOptions",
    "Client",
    "ClientBuilder",
    "Config",
    "Credentials",
    "Decimal",
    "Default",
    "Delivery",
    "Error",
    "ErrorCode",
    "ErrorCodeInfo",
    "ErrorKind",
    "ErrorMetadata",
    "HttpStatusInfo",
    "Option",
    "OperationMeta",
    "ProvideErrorMetadata",
    "Result",
    "Response",
    "Self",
    "RetryReason",
    "RetryVerdict",
    "ServiceError",
    "Site",
    "String",
    "TransportError",
    "ValidationError",
    "Vec",
];

/// Method names of `Client` that operations must not take: its inherent methods, public or not
/// (two inherent methods of one name are E0592 whatever their visibility), and the methods of
/// the traits it implements, which a same-named inherent method would shadow.
pub const RESERVED_METHOD_NAMES: &[&str] = &[
    "attempt",
    "builder",
    "call",
    "clone",
    "config",
    "default",
    "endpoint",
    "execute",
    "fmt",
    "new",
    "send",
    "with_options",
];

/// Field or method name: snake_case, keywords get a trailing underscore.
pub fn field_name(wire: &str) -> String {
    let mut s = if is_plain_snake(wire) {
        wire.to_string()
    } else {
        wire.replace(['-', ' ', '.'], "_").to_snake_case()
    };
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Whether `name` is lowercase ASCII words joined by single underscores, which `to_snake_case`
/// returns unchanged: heck splits words only at other characters and at changes of case. Nearly
/// every wire name is such a name, and heck's formatting a character at a time made
/// `field_name` 2% of the instructions of `generate`.
fn is_plain_snake(name: &str) -> bool {
    !name.is_empty()
        && name.split('_').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Method name of an operation.
pub fn method_name(operation_id: &str) -> String {
    field_name(operation_id)
}

/// Name of the request struct of an operation.
pub fn request_type_name(operation_id: &str) -> String {
    format!("{operation_id}Request")
}

/// Rust name of a request-body type the documents name `…Req` (or `…ReqV<n>`): `…Body`
/// (`…BodyV<n>`), so that it does not read like a typo of the `…Request` wrapper beside it.
/// `None` for any other name.
pub fn body_type_name(type_name: &str) -> Option<String> {
    let (stem, version) = match type_name.rfind("ReqV") {
        Some(i)
            if type_name.len() > i + 4
                && type_name[i + 4..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            (&type_name[..i], &type_name[i + 3..])
        }
        _ => (type_name.strip_suffix("Req")?, ""),
    };
    if stem.is_empty() {
        return None;
    }
    Some(format!("{stem}Body{version}"))
}

/// Name of the metadata constant of an operation.
pub fn meta_const_name(operation_id: &str) -> String {
    operation_id.to_shouty_snake_case()
}

/// Variant name of a code-list value.
pub fn variant_name(name: &str) -> String {
    let mut s = name.to_upper_camel_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" || s == "Unknown" {
        s.push('_');
    }
    s
}

/// Whether a spec identifier is already in UpperCamelCase.
pub fn is_upper_camel(name: &str) -> bool {
    !name.is_empty() && name.to_upper_camel_case() == name
}

/// Whether a group id is a valid snake_case module and feature name.
pub fn is_snake(name: &str) -> bool {
    !name.is_empty()
        && name.to_snake_case() == name
        && !KEYWORDS.contains(&name)
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Command-line name of an operation, group or parameter: kebab-case
/// (`ShowSubCustomerBudget` -> `show-sub-customer-budget`, `X-Language` -> `x-language`).
pub fn cli_name(name: &str) -> String {
    use heck::ToKebabCase;
    name.to_kebab_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_bodies_named_req_are_called_body() {
        for (documented, rust) in [
            ("QuerySubCustomerListReq", Some("QuerySubCustomerListBody")),
            ("CreateCustomerV2Req", Some("CreateCustomerV2Body")),
            ("CreateSubCustomerReqV2", Some("CreateSubCustomerBodyV2")),
            ("Req", None),
            ("ReqV2", None),
            ("FooReqV", None),
            ("FooReqVx", None),
            ("FooRequest", None),
            ("FreezeSubCustomersOldBody", None),
        ] {
            assert_eq!(body_type_name(documented).as_deref(), rust, "{documented}");
        }
    }

    #[test]
    fn plain_snake_names_are_their_own_snake_case() {
        for name in [
            "a",
            "id",
            "customer_id",
            "v2",
            "2fa",
            "x_1_y",
            "_a",
            "a_",
            "a__b",
            "_",
            "",
            "camelCase",
            "Upper",
            "with-dash",
            "dot.ted",
            "spa ce",
            "ALL_CAPS",
            "é",
        ] {
            if is_plain_snake(name) {
                assert_eq!(name.to_snake_case(), name, "{name}");
            }
        }
        assert!(is_plain_snake("customer_id") && is_plain_snake("2fa"));
        assert!(!is_plain_snake("a__b") && !is_plain_snake("_a") && !is_plain_snake("a_"));
    }
}
