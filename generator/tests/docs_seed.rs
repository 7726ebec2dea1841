//! The document reader on the real partner reference, when `shared/seeds` is present beside the
//! checkout (or named by `BSS_SEEDS`). Every number below was checked against the text.

use std::path::PathBuf;

use bss_codegen::docs::model::{Constraint, Document, Operation};

mod seed;

fn seed() -> Option<Document> {
    let (_, bytes) = seed::partner_reference()?;
    Some(bss_codegen::docs::read_bytes(&bytes).expect("the seed reads"))
}

fn op<'a>(d: &'a Document, section: &str) -> &'a Operation {
    d.operations
        .iter()
        .find(|o| o.section == section)
        .unwrap_or_else(|| panic!("no operation {section}"))
}

#[test]
fn outline_and_operations() {
    let Some(d) = seed() else { return };
    assert_eq!(
        d.version.as_ref().map(|v| (v.value.as_str(), v.line)),
        Some(("66", 7))
    );
    assert_eq!(
        d.date.as_ref().map(|v| (v.value.as_str(), v.line)),
        Some(("2024-01-29", 8))
    );
    assert_eq!(d.sections.len(), 122);
    let s139 = d
        .sections
        .iter()
        .find(|s| s.number == "13.9")
        .expect("13.9");
    assert_eq!(s139.line, 10052);
    assert_eq!(d.operations.len(), 58);
    assert_eq!(d.operations.iter().filter(|o| o.deprecated).count(), 16);
    assert!(
        d.operations
            .iter()
            .filter(|o| o.deprecated)
            .all(|o| o.section.starts_with("12."))
    );
    let typo = d
        .operations
        .iter()
        .find(|o| o.section == "8.4.1")
        .map(|o| o.path.as_str());
    assert_eq!(typo, Some("/v2/orders/suscriptions/resources/query"));
    assert!(d.notes.is_empty(), "{:?}", d.notes);
}

#[test]
fn tables_across_page_breaks_ranges_and_nested_types() {
    let Some(d) = seed() else { return };
    let budget = op(&d, "8.1.1");
    assert_eq!((budget.method.as_str(), budget.uri_line), ("GET", 3669));
    let q: Vec<(&str, usize)> = budget
        .query
        .iter()
        .map(|r| (r.name.as_str(), r.line))
        .collect();
    assert_eq!(q, [("customer_id", 3676), ("indirect_partner_id", 3679)]);
    assert_eq!(
        budget.query[0].constraints,
        [Constraint::MaxLength { value: 64 }]
    );
    let batch = op(&d, "8.1.2");
    assert_eq!(
        batch.body[0].constraints,
        [Constraint::Range {
            min: Some(1),
            max: Some(100),
            min_exclusive: false,
            max_exclusive: false,
            max_integer: false
        }]
    );
    let info = batch.nested("BudgetInfo").expect("BudgetInfo");
    assert_eq!((info.label.as_str(), info.line), ("表2", 3789));
    let names: Vec<&str> = info.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["customer_id", "budget_amount", "used_amount", "budget_type"]
    );
    let modes: Vec<&str> = info.rows[3]
        .code_values
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(modes, ["MONTHLY", "PACKAGE"]);
    let set = op(&d, "8.1.3");
    assert_eq!(
        set.body[1].constraints,
        [Constraint::Range {
            min: Some(0),
            max: Some(2147483647),
            min_exclusive: true,
            max_exclusive: false,
            max_integer: false
        }]
    );
    // `[0-4000000 0]`: the upper end was wrapped inside its digits.
    let offset = op(&d, "5.3.1")
        .body
        .iter()
        .find(|r| r.line == 3137)
        .expect("offset row");
    assert_eq!(
        offset.constraints,
        [Constraint::Range {
            min: Some(0),
            max: Some(40000000),
            min_exclusive: false,
            max_exclusive: false,
            max_integer: false
        }]
    );
    // `service_type _code`: a field name split by the wrap.
    let orders = op(&d, "8.3.1");
    let split = orders
        .types
        .iter()
        .flat_map(|t| &t.rows)
        .find(|r| r.line == 4223)
        .expect("row 4223");
    assert_eq!(split.name, "service_type_code");
    let lang: Vec<&str> = op(&d, "4.1.1").header[0]
        .code_values
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(lang, ["zh_CN", "en_US"]);
}

#[test]
fn examples_and_errors() {
    let Some(d) = seed() else { return };
    let batch = op(&d, "8.1.2");
    assert!(
        batch.request_examples[0].json.is_none(),
        "the documented request has a trailing comma"
    );
    let resp = &batch.response_examples[0];
    assert_eq!(resp.status, Some(200));
    assert_eq!(
        resp.json
            .as_ref()
            .map(|j| j["budget_infos"].as_array().map(Vec::len)),
        Some(Some(2))
    );
    let codes: Vec<(Option<u16>, &str)> = op(&d, "8.1.1")
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_str()))
        .collect();
    assert_eq!(codes[0], (Some(400), "CBC.0100"));
    assert_eq!(codes.len(), 6);
    let old = op(&d, "12.3.2.2")
        .errors
        .iter()
        .find(|e| e.line == 8368)
        .expect("row 8368");
    assert_eq!((old.code.as_str(), old.joined), ("CBC.0101", true));
}

#[test]
fn global_errors_permissions_and_rate_limits() {
    let Some(d) = seed() else { return };
    assert_eq!(d.global_errors.len(), 217);
    assert_eq!(d.global_errors.iter().filter(|e| e.joined).count(), 9);
    let wrapped = d
        .global_errors
        .iter()
        .find(|e| e.line == 10212)
        .expect("row 10212");
    assert_eq!(
        (wrapped.status, wrapped.code.as_str()),
        (400, "CBC.99003141")
    );
    assert!(!d.global_errors.iter().any(|e| e.code.contains(' ')));
    assert_eq!(d.permissions.len(), 21);
    let list = d
        .permissions
        .iter()
        .find(|p| p.path == "/v2/partners/sub-customers/query")
        .expect("3.3 row");
    assert_eq!(
        list.items,
        ["BPC_ITEM_SUBCUSTSERV_010100", "BPC_ITEM_SUBCUSTSERV_010500"]
    );
    assert_eq!(list.names.len(), 2);
    assert_eq!(d.rate_limits.len(), 42);
    let budget = d
        .rate_limits
        .iter()
        .find(|r| r.title == "查询客户预算")
        .expect("3.4 row");
    assert_eq!(
        (budget.requests, budget.per_seconds, budget.line),
        (25, 1, 992)
    );
    // 3.4 prints the URL of another API on this row; the reader keeps what is printed.
    let check = d
        .rate_limits
        .iter()
        .find(|r| r.title == "校验客户注册信息")
        .expect("3.4 row");
    assert_eq!(
        (check.path.as_str(), check.requests),
        ("/v2/bills/ratings/on-demand-resources", 5)
    );
}

/// The code values of the row at `line`, in any table of the operation at `section`.
fn codes_at(d: &Document, section: &str, line: usize) -> Vec<String> {
    let o = op(d, section);
    let row = o
        .header
        .iter()
        .chain(&o.query)
        .chain(&o.body)
        .chain(o.types.iter().flat_map(|t| &t.rows))
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no row at line {line} in {section}"));
    row.code_values.iter().map(|c| c.value.clone()).collect()
}

#[test]
fn code_values_with_units_examples_and_prose_bullets() {
    let Some(d) = seed() else { return };
    // `15: Mbps (…) 17: GB (…) 14: 个(次)`: numeric codes with ASCII unit labels.
    assert_eq!(codes_at(&d, "4.2.1", 1759), ["15", "17", "14"]);
    let measure = codes_at(&d, "4.1.5", 1557);
    assert!(measure.contains(&"41".to_string()) && measure.contains(&"104".to_string()));
    assert_eq!(measure.len(), 29, "{measure:?}");
    // resource_spec gives bandwidth and disk specifications as examples (举例), not a list.
    assert!(codes_at(&d, "4.2.1", 1747).is_empty());
    assert!(codes_at(&d, "4.2.2", 1989).is_empty());
    // search_value's bullets describe formats; `name：` opens one of three.
    assert!(codes_at(&d, "5.1.1", 2372).is_empty());
}

#[test]
fn the_spec_explains_every_difference_with_the_seed() {
    let Some(d) = seed() else { return };
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let (view, fixups) = bss_codegen::docs::spec_view::load(&spec).expect("the spec loads");
    let r = bss_codegen::docs::compare::compare(&d, &view, &fixups.claims);
    assert!(
        r.drift.is_empty(),
        "{}",
        bss_codegen::docs::compare::to_text(&r)
    );
    // Every claim explains something (a stale one would be drift), each exactly one difference or
    // one renamed pair.
    assert!(r.explained >= fixups.claims.len());
    assert!(fixups.by_kind.values().sum::<usize>() > 0);
}
