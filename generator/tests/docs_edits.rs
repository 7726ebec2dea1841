//! `docs check` on revisions of the real partner reference: each edit of the document, made in
//! memory, must be reported exactly once, with the right kind, section and item. Runs when
//! `shared/seeds` is present beside the checkout (or named by `BSS_SEEDS`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use bss_codegen::docs::compare::{Report, compare};
use bss_codegen::docs::spec_view::{SpecView, view};

mod seed;

fn inputs() -> Option<(String, SpecView)> {
    let (_, bytes) = seed::partner_reference()?;
    let text = String::from_utf8(bytes).expect("the seed is UTF-8");
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let model = bss_codegen::load(&manifest.join("../spec")).expect("the spec loads");
    Some((text, view(&model)))
}

/// One edit of the document: on 1-based `line`, which must contain `from`.
enum Edit {
    Replace(usize, &'static str, &'static str),
    InsertAfter(usize, &'static str),
    Delete(usize, &'static str),
}

fn line_of(e: &Edit) -> usize {
    match e {
        Edit::Replace(l, ..) | Edit::InsertAfter(l, _) | Edit::Delete(l, _) => *l,
    }
}

fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut sorted: Vec<&&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(line_of(e)));
    for e in sorted {
        match e {
            Edit::Replace(l, from, to) => {
                assert!(
                    lines[l - 1].contains(from),
                    "line {l} lacks {from:?}: {}",
                    lines[l - 1]
                );
                lines[l - 1] = lines[l - 1].replacen(from, to, 1);
            }
            Edit::InsertAfter(l, row) => lines.insert(*l, row.to_string()),
            Edit::Delete(l, from) => {
                assert!(
                    lines[l - 1].starts_with(from),
                    "line {l} does not start with {from:?}"
                );
                lines.remove(l - 1);
            }
        }
    }
    lines.join("\n")
}

type Key = (String, Option<String>, String);

fn keys(r: &Report) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for d in &r.drift {
        *m.entry((d.kind.as_str(), d.section.clone(), d.item.clone()))
            .or_insert(0) += 1;
    }
    m
}

/// Drift the revision has that the original has not.
fn new_drift(before: &BTreeMap<Key, usize>, after: &BTreeMap<Key, usize>) -> Vec<Key> {
    let mut out = Vec::new();
    for (k, n) in after {
        for _ in before.get(k).copied().unwrap_or(0)..*n {
            out.push(k.clone());
        }
    }
    out
}

fn check(text: &str, spec: &SpecView) -> Report {
    let doc = bss_codegen::docs::read(text).expect("the revision reads");
    compare(&doc, spec, &[])
}

/// Each edit with the one drift it must cause.
fn cases() -> Vec<(Edit, &'static str, &'static str, &'static str)> {
    vec![
        (
            Edit::Replace(3669, "/budget", "/budgets"),
            "path_changed",
            "8.1.1",
            "path",
        ),
        (
            Edit::Replace(3669, "GET", "PUT"),
            "method_changed",
            "8.1.1",
            "method",
        ),
        (
            Edit::Replace(3676, "\t是\t", "\t否\t"),
            "required_changed",
            "8.1.1",
            "query.customer_id",
        ),
        (
            Edit::Replace(3679, "64", "65"),
            "constraint_changed",
            "8.1.1",
            "query.indirect_partner_id",
        ),
        (
            Edit::Replace(3794, "BigDecimal", "Integer"),
            "type_changed",
            "8.1.2",
            "response.budget_infos[].used_amount",
        ),
        (
            Edit::InsertAfter(3794, "spent_ratio\tDouble\t-\t比例。"),
            "field_added",
            "8.1.2",
            "response.budget_infos[].spent_ratio",
        ),
        (
            Edit::Delete(3794, "used_amount"),
            "field_removed",
            "8.1.2",
            "response.budget_infos[].used_amount",
        ),
        (
            Edit::Replace(
                3795,
                "PACKAGE：一次性预算",
                "PACKAGE：一次性预算 DAILY：每日预算",
            ),
            "code_value_added",
            "8.1.2",
            "response.budget_infos[].budget_type",
        ),
        (
            Edit::Replace(3735, "403", "401"),
            "error_code_changed",
            "8.1.1",
            "CBC.0151",
        ),
        (
            Edit::InsertAfter(3735, "400\tCBC.12345678\t新错误。"),
            "error_code_added",
            "8.1.1",
            "CBC.12345678",
        ),
        (
            Edit::Delete(3735, "403\tCBC.0151"),
            "error_code_removed",
            "8.1.1",
            "CBC.0151",
        ),
        (
            Edit::Replace(992, "25/1(s)", "20/1(s)"),
            "rate_limit_changed",
            "3.4",
            "rate_limit[查询客户预算]",
        ),
        (
            Edit::Replace(931, "SUBCUSTSERV_010119", "SUBCUSTSERV_010120"),
            "permission_changed",
            "3.3",
            "permission[申请个人实名认证]",
        ),
        (
            Edit::Replace(10081, "200", "400"),
            "error_code_changed",
            "13.9",
            "CBC.3002",
        ),
        (
            Edit::InsertAfter(10081, "400\tCBC.3003\tA new error.\t新错误。"),
            "error_code_added",
            "13.9",
            "CBC.3003",
        ),
        (
            Edit::Replace(3717, "1.0", "2.0"),
            "example_changed",
            "8.1.1",
            "response_example[0]",
        ),
        (
            Edit::InsertAfter(3679, "region_code\t否\tString\t最大长度：64\t区域。"),
            "parameter_added",
            "8.1.1",
            "query.region_code",
        ),
        // 17: a new operation section, invented rows in the document's layout.
        (
            Edit::InsertAfter(
                3921,
                "8.1.4 查询预算变更记录\n\nURI\n\nGET /v2/partners/sub-customers/budget-records\n\n\
                 表 8-99 查询参数\n\n参数\t是否必选\t参数类型\t取值范围\t描述\n\
                 customer_id\t是\tString\t最大长度：64\t客户。\n",
            ),
            "operation_added",
            "8.1.4",
            "GET /v2/partners/sub-customers/budget-records",
        ),
        // 18: an operation's request line removed: the section no longer documents it.
        (
            Edit::Delete(4852, "PUT /v2/orders/customer-orders/cancel"),
            "operation_removed",
            "8.3.4",
            "PUT /v2/orders/customer-orders/cancel",
        ),
        // 19: an active operation marked as to be retired.
        (
            Edit::Replace(
                4905,
                "查询退款订单的金额详情",
                "查询退款订单的金额详情（待下线）",
            ),
            "deprecation_changed",
            "8.3.5",
            "deprecated",
        ),
        // 20: a query parameter row deleted.
        (
            Edit::Delete(3679, "indirect_partner_id"),
            "parameter_removed",
            "8.1.1",
            "query.indirect_partner_id",
        ),
        // 21: one value dropped from a code list cell.
        (
            Edit::Replace(3795, " PACKAGE：一次性预算", ""),
            "code_value_removed",
            "8.1.2",
            "response.budget_infos[].budget_type",
        ),
    ]
}

/// Edits whose drift shows only against the spec's claims: the revision corrects a misprint a
/// fixup explains, so the fixup is stale.
fn claim_cases() -> Vec<(Edit, &'static str, &'static str, &'static str)> {
    vec![(
        Edit::Replace(7257, "Intger", "Integer"),
        "fixup_stale",
        "12.2.2.2",
        "body.page_no",
    )]
}

/// Edits of distinct lines and sections that do not hide one another (an edit that deletes or
/// rewrites a line another edit touches, or removes an operation another edit changes, is left
/// out): 14 edits of 13 kinds.
const PICK: [usize; 14] = [0, 2, 5, 9, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21];

fn key(case: &(Edit, &str, &str, &str)) -> Key {
    (
        case.1.to_string(),
        Some(case.2.to_string()),
        case.3.to_string(),
    )
}

#[test]
fn each_edit_is_reported_once_with_its_kind_section_and_item() {
    let Some((text, spec)) = inputs() else { return };
    let before = keys(&check(&text, &spec));
    // Every case is run before failing, so one run lists every edit reported wrongly.
    let mut wrong = Vec::new();
    for case in cases() {
        let after = keys(&check(&apply(&text, &[&case.0]), &spec));
        let got = new_drift(&before, &after);
        if got != vec![key(&case)] {
            wrong.push((key(&case), got));
        }
    }
    assert!(
        wrong.is_empty(),
        "edits reported wrongly (want, got): {wrong:#?}"
    );
}

#[test]
fn the_cases_cover_every_drift_kind() {
    let all = [
        "operation_added",
        "operation_removed",
        "path_changed",
        "method_changed",
        "parameter_added",
        "parameter_removed",
        "field_added",
        "field_removed",
        "type_changed",
        "required_changed",
        "constraint_changed",
        "code_value_added",
        "code_value_removed",
        "error_code_added",
        "error_code_removed",
        "error_code_changed",
        "rate_limit_changed",
        "permission_changed",
        "example_changed",
        "deprecation_changed",
        "fixup_stale",
    ];
    let covered: BTreeSet<&str> = cases().iter().chain(&claim_cases()).map(|c| c.1).collect();
    let missing: Vec<&str> = all.into_iter().filter(|k| !covered.contains(k)).collect();
    assert!(missing.is_empty(), "kinds without an edit: {missing:?}");
}

#[test]
fn the_many_edits_cover_distinct_lines_and_at_least_twelve_kinds() {
    let cases = cases();
    let lines: BTreeSet<(usize, bool)> = PICK
        .iter()
        .map(|&i| {
            (
                line_of(&cases[i].0),
                matches!(cases[i].0, Edit::InsertAfter(..)),
            )
        })
        .collect();
    assert_eq!(lines.len(), PICK.len());
    let kinds: BTreeSet<&str> = PICK.iter().map(|&i| cases[i].1).collect();
    assert!(kinds.len() >= 12, "{kinds:?}");
}

#[test]
fn a_revision_with_many_edits_is_reported_edit_by_edit() {
    let Some((text, spec)) = inputs() else { return };
    let before = keys(&check(&text, &spec));
    let cases = cases();
    let edits: Vec<&Edit> = PICK.iter().map(|&i| &cases[i].0).collect();
    let after = keys(&check(&apply(&text, &edits), &spec));
    let mut got = new_drift(&before, &after);
    got.sort();
    let mut want: Vec<Key> = PICK.iter().map(|&i| key(&cases[i])).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn the_unchanged_document_reports_the_same_drift_twice() {
    let Some((text, spec)) = inputs() else { return };
    assert_eq!(keys(&check(&text, &spec)), keys(&check(&text, &spec)));
}

fn with_claims() -> Option<(String, impl Fn(&str) -> BTreeMap<Key, usize>)> {
    let (text, _) = inputs()?;
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (spec, fixups) =
        bss_codegen::docs::spec_view::load(&manifest.join("../spec")).expect("the spec loads");
    let run = move |t: &str| {
        let doc = bss_codegen::docs::read(t).expect("the revision reads");
        keys(&compare(&doc, &spec, &fixups.claims))
    };
    Some((text, run))
}

fn flat(m: BTreeMap<Key, usize>) -> Vec<Key> {
    m.into_iter()
        .flat_map(|(k, n)| std::iter::repeat_n(k, n))
        .collect()
}

#[test]
fn with_the_specs_claims_a_corrected_misprint_makes_its_fixup_stale() {
    let Some((text, run)) = with_claims() else {
        return;
    };
    for case in claim_cases() {
        assert_eq!(flat(run(&apply(&text, &[&case.0]))), vec![key(&case)]);
    }
}

#[test]
fn with_the_specs_claims_a_revision_reports_exactly_its_edits() {
    let Some((text, run)) = with_claims() else {
        return;
    };
    // The seed itself: every difference explained.
    assert_eq!(run(&text), BTreeMap::new());
    let (cases, stale) = (cases(), claim_cases());
    let mut edits: Vec<&Edit> = PICK.iter().map(|&i| &cases[i].0).collect();
    edits.extend(stale.iter().map(|c| &c.0));
    let got = flat(run(&apply(&text, &edits)));
    let mut want: Vec<Key> = PICK.iter().map(|&i| key(&cases[i])).collect();
    want.extend(stale.iter().map(key));
    want.sort();
    assert_eq!(got, want);
}
