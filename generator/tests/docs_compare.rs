//! `docs check`'s comparison on an invented document and a hand-built spec view: matching,
//! drift kinds, claims that explain a difference, and stale claims.

use std::collections::BTreeMap;

use bss_codegen::docs::compare::{Claim, DriftKind, compare, to_json, to_markdown, to_text};
use bss_codegen::docs::read;
use bss_codegen::docs::spec_view::{
    SpecError, SpecExample, SpecField, SpecOperation, SpecType, SpecView,
};
use bss_codegen::ir::{Constraints, NamedTypeExpr as TypeExpr};

const DOC: &str = r#"文档版本 3
发布日期 2031-04-05

1 管理水果

1.1 查询篮子

URI

GET /v9/baskets

表 1-1 查询参数

参数	是否必选	参数类型	取值范围	描述
size	否	Integer	[1-20]	大小。
shape	是	String	-	形状： ROUND：圆 SQUARE：方

响应参数

参数	参数类型	取值范围	描述
baskets	List<Basket>	-	篮子。

表 1-2 Basket

参数	参数类型	取值范围	描述
basket_id	String	最大长度：16	ID。
weight	Double	-	重量。

响应示例

```
HTTP/1.1 200 OK
{"baskets": []}
```

状态码

HTTP状态码	错误码	错误描述
400	FRU.0100	参数错误。

1.2 倒空篮子

URI

POST /v9/baskets/empty-all

2 待下线接口

2.1 查询篮子（旧）

URI

GET /v1.0/{orchard_id}/baskets

3 附录

3.1 错误码

状态码	错误码	错误码信息	错误码描述
400	FRU.0100	Bad fruit.	坏水果。
"#;

fn field(name: &str, ty: TypeExpr, c: Constraints, code_list: Option<&str>) -> SpecField {
    SpecField {
        name: name.into(),
        ty,
        doc_type: None,
        required: false,
        constraints: c,
        code_list: code_list.map(str::to_string),
        from_example: false,
    }
}

fn op(id: &str, section: &str, title: &str, method: &str, path: &str) -> SpecOperation {
    SpecOperation {
        id: id.into(),
        section: section.into(),
        title_zh: title.into(),
        method: method.into(),
        path: path.into(),
        location: format!("spec/groups/fruit.yaml: operation {id}"),
        deprecated: false,
        params: Vec::new(),
        body: None,
        responses: vec![(200, None)],
        errors: Vec::new(),
        rate_limit: None,
        permission: None,
        examples: Vec::new(),
    }
}

fn spec() -> SpecView {
    let mut list = op("ListBaskets", "1.1", "查询篮子", "GET", "/v9/baskets");
    list.params = vec![
        (
            "query",
            field(
                "size",
                TypeExpr::Integer,
                Constraints {
                    minimum: Some(1),
                    maximum: Some(10),
                    ..Constraints::default()
                },
                None,
            ),
        ),
        (
            "query",
            SpecField {
                required: true,
                ..field(
                    "shape",
                    TypeExpr::String,
                    Constraints::default(),
                    Some("Shape"),
                )
            },
        ),
    ];
    list.responses = vec![(200, Some("ListBasketsResponse".into()))];
    list.errors = vec![(400, "FRU.0100".into()), (500, "FRU.0999".into())];
    list.examples = vec![SpecExample {
        query: None,
        request_body: None,
        response_status: Some(200),
        response_body: Some("{\"baskets\": []}".into()),
    }];
    // Renamed in the document: matched by section and title, reported as one path change.
    let empty = op(
        "EmptyBaskets",
        "1.2",
        "倒空篮子",
        "POST",
        "/v9/baskets/empty",
    );
    // Still documented, but not marked deprecated in the spec.
    let old = op(
        "ListBasketsOld",
        "2.1",
        "查询篮子(旧)",
        "GET",
        "/v1.0/{orchard_id}/baskets",
    );
    let gone = op("WeighBaskets", "1.3", "称篮子", "POST", "/v9/baskets/weigh");
    let mut types = BTreeMap::new();
    types.insert(
        "ListBasketsResponse".to_string(),
        SpecType {
            name: "ListBasketsResponse".into(),
            doc_name: None,
            location: "spec/groups/fruit.yaml: types.ListBasketsResponse".into(),
            fields: vec![field(
                "baskets",
                TypeExpr::List(Box::new(TypeExpr::Named("Basket".into()))),
                Constraints::default(),
                None,
            )],
        },
    );
    types.insert(
        "Basket".to_string(),
        SpecType {
            name: "Basket".into(),
            doc_name: None,
            location: "spec/groups/fruit.yaml: types.Basket".into(),
            fields: vec![
                field(
                    "basket_id",
                    TypeExpr::String,
                    Constraints {
                        max_length: Some(16),
                        ..Constraints::default()
                    },
                    None,
                ),
                field("weight", TypeExpr::String, Constraints::default(), None),
                field("color", TypeExpr::String, Constraints::default(), None),
            ],
        },
    );
    let mut code_lists = BTreeMap::new();
    code_lists.insert(
        "Shape".to_string(),
        vec!["ROUND".to_string(), "OVAL".to_string()],
    );
    SpecView {
        operations: vec![list, empty, old, gone],
        types,
        code_lists,
        errors: vec![SpecError {
            code: "FRU.0100".into(),
            status: 400,
            message: "Bad fruit.".into(),
        }],
    }
}

fn drift(claims: &[Claim]) -> Vec<(String, String, String)> {
    let doc = read(DOC).expect("reads");
    let r = compare(&doc, &spec(), claims);
    let mut v: Vec<(String, String, String)> = r
        .drift
        .iter()
        .map(|d| {
            (
                d.kind.as_str(),
                d.section.clone().unwrap_or_default(),
                d.item.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

fn k(kind: &str, section: &str, item: &str) -> (String, String, String) {
    (kind.into(), section.into(), item.into())
}

#[test]
fn every_difference_is_reported_at_its_level() {
    let mut want = vec![
        k("constraint_changed", "1.1", "query.size"),
        k("code_value_added", "1.1", "query.shape"),
        k("code_value_removed", "1.1", "query.shape"),
        k("type_changed", "1.1", "response.baskets[].weight"),
        k("field_removed", "1.1", "response.baskets[].color"),
        k("error_code_removed", "1.1", "FRU.0999"),
        k("path_changed", "1.2", "path"),
        k("deprecation_changed", "2.1", "deprecated"),
        k("operation_removed", "1.3", "POST /v9/baskets/weigh"),
    ];
    want.sort();
    assert_eq!(drift(&[]), want);
}

#[test]
fn a_claim_explains_one_fact_and_a_stale_claim_is_reported() {
    let claim = |item: &str, document: Option<&str>| Claim {
        fixup: "basket-weight-string".into(),
        kind: DriftKind::TypeChanged,
        section: Some("1.1".into()),
        item: item.into(),
        document: document.map(str::to_string),
        spec: None,
        replaces: None,
    };
    let explained = drift(&[claim("response.baskets[].weight", Some("Double"))]);
    assert!(!explained.contains(&k("type_changed", "1.1", "response.baskets[].weight")));
    assert!(!explained.iter().any(|d| d.0 == "fixup_stale"));
    // A claim about a value the document no longer prints explains nothing and is stale.
    let stale = drift(&[claim("response.baskets[].weight", Some("Float"))]);
    assert!(stale.contains(&k("type_changed", "1.1", "response.baskets[].weight")));
    assert!(stale.contains(&k("fixup_stale", "1.1", "response.baskets[].weight")));
}

#[test]
fn outputs_end_with_counts_and_keep_the_json_contract() {
    let doc = read(DOC).unwrap();
    let r = compare(&doc, &spec(), &[]);
    let text = to_text(&r);
    assert!(
        text.trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("types")),
        "{text}"
    );
    assert!(text.contains("compared"));
    assert!(to_markdown(&r).contains("| path_changed | 1.2 | EmptyBaskets | `path` |"));
    let json: serde_json::Value = serde_json::from_str(&to_json(&r)).unwrap();
    assert_eq!(json["document"]["version"], "3");
    assert_eq!(json["explained"], 0);
    let first = &json["drift"][0];
    for key in [
        "kind",
        "section",
        "operation",
        "item",
        "doc_line",
        "spec_location",
        "document",
        "spec",
        "message",
    ] {
        assert!(first.get(key).is_some(), "{key} missing");
    }
    // Path and method of three matched operations, and one removed.
    assert_eq!(r.classes["operations"].compared, 7);
}

#[test]
fn mutated_documents_compare_without_panicking() {
    let spec = spec();
    let bytes = DOC.as_bytes();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..2000 {
        let mut m = bytes.to_vec();
        for _ in 0..1 + next() % 6 {
            let at = (next() % m.len() as u64) as usize;
            match next() % 3 {
                0 => m.insert(at, b"\t\n-[]:"[(next() % 6) as usize]),
                1 => {
                    m.remove(at);
                }
                _ => m[at] = next() as u8,
            }
        }
        if let Ok(doc) = bss_codegen::docs::read_bytes(&m) {
            let r = compare(&doc, &spec, &[]);
            let _ = (to_text(&r), to_markdown(&r), to_json(&r));
        }
    }
}

#[test]
fn a_rename_claim_explains_both_sides() {
    let doc_text = DOC.replace("basket_id\tString", "basket_idd\tString");
    let doc = read(&doc_text).unwrap();
    let claim = Claim {
        fixup: "basket-id-typo".into(),
        kind: DriftKind::FieldAdded,
        section: Some("1.1".into()),
        item: "response.baskets[].basket_idd".into(),
        document: None,
        spec: None,
        replaces: Some("response.baskets[].basket_id".into()),
    };
    let with = compare(&doc, &spec(), std::slice::from_ref(&claim));
    let without = compare(&doc, &spec(), &[]);
    let items = |r: &bss_codegen::docs::compare::Report| {
        r.drift
            .iter()
            .filter(|d| d.item.contains("basket_id"))
            .count()
    };
    assert_eq!(items(&without), 2);
    assert_eq!(items(&with), 0);
    assert_eq!(with.explained, 2);
}

#[test]
fn a_claim_on_the_spec_value_explains_that_value_only() {
    let claim = |spec: &str| Claim {
        fixup: "shape-oval".into(),
        kind: DriftKind::CodeValueRemoved,
        section: Some("1.1".into()),
        item: "query.shape".into(),
        document: None,
        spec: Some(spec.into()),
        replaces: None,
    };
    let explained = drift(&[claim("Shape: OVAL")]);
    assert!(!explained.contains(&k("code_value_removed", "1.1", "query.shape")));
    assert!(!explained.iter().any(|d| d.0 == "fixup_stale"));
    let other = drift(&[claim("Shape: SQUARE")]);
    assert!(other.contains(&k("code_value_removed", "1.1", "query.shape")));
    assert!(other.contains(&k("fixup_stale", "1.1", "query.shape")));
}

#[test]
fn a_body_field_claim_explains_the_query_parameter_it_replaces() {
    // The section prints its query parameters in a body table (as 12.2.2.2 of the reference does).
    let doc = read(&DOC.replace("表 1-1 查询参数", "请求参数")).unwrap();
    let claim = |name: &str| Claim {
        fixup: "filters-in-query".into(),
        kind: DriftKind::FieldAdded,
        section: Some("1.1".into()),
        item: format!("body.{name}"),
        document: None,
        spec: None,
        replaces: Some(format!("query.{name}")),
    };
    let kinds = |r: &bss_codegen::docs::compare::Report| {
        let mut v: Vec<String> = r
            .drift
            .iter()
            .filter(|d| d.item.ends_with("size") || d.item.ends_with("shape"))
            .map(|d| format!("{} {}", d.kind.as_str(), d.item))
            .collect();
        v.sort();
        v
    };
    let without = compare(&doc, &spec(), &[]);
    assert_eq!(
        kinds(&without),
        [
            "field_added body.shape",
            "field_added body.size",
            "parameter_removed query.shape",
            "parameter_removed query.size"
        ]
    );
    // The claims explain the location; the rest of each row is still compared with the
    // parameter (the same differences as when the section prints them as query parameters).
    let with = compare(&doc, &spec(), &[claim("size"), claim("shape")]);
    assert_eq!(
        kinds(&with),
        [
            "code_value_added body.shape",
            "code_value_removed body.shape",
            "constraint_changed body.size"
        ]
    );
    assert_eq!(with.explained, 4);
}

#[test]
fn a_booleans_true_and_false_are_its_domain_not_a_code_list() {
    let doc = read(&DOC.replace(
        "weight\tDouble\t-\t重量。",
        "weight\tDouble\t-\t重量。\nripe\tBoolean\t-\t成熟： true：是 false：否",
    ))
    .unwrap();
    let with_ripe = |ty: TypeExpr| {
        let mut s = spec();
        if let Some(t) = s.types.get_mut("Basket") {
            t.fields
                .push(field("ripe", ty, Constraints::default(), None));
        }
        compare(&doc, &s, &[])
            .drift
            .iter()
            .filter(|d| d.item.ends_with("ripe") && d.kind.as_str().starts_with("code_value"))
            .map(|d| d.kind.as_str())
            .collect::<Vec<_>>()
    };
    assert!(with_ripe(TypeExpr::Boolean).is_empty());
    // A string documented with the values true and false has no code list in this spec.
    assert_eq!(
        with_ripe(TypeExpr::String),
        ["code_value_added", "code_value_added"]
    );
}

#[test]
fn a_renamed_field_is_still_compared_with_the_field_it_replaces() {
    let doc_text = DOC.replace(
        "basket_id\tString\t最大长度：16",
        "basket_idd\tString\t最大长度：17",
    );
    let doc = read(&doc_text).unwrap();
    let claim = Claim {
        fixup: "basket-id-typo".into(),
        kind: DriftKind::FieldAdded,
        section: Some("1.1".into()),
        item: "response.baskets[].basket_idd".into(),
        document: None,
        spec: None,
        replaces: Some("response.baskets[].basket_id".into()),
    };
    let r = compare(&doc, &spec(), std::slice::from_ref(&claim));
    let ids: Vec<(String, String)> = r
        .drift
        .iter()
        .filter(|d| d.item.contains("basket_id"))
        .map(|d| (d.kind.as_str(), d.item.clone()))
        .collect();
    assert_eq!(
        ids,
        [(
            "constraint_changed".to_string(),
            "response.baskets[].basket_idd".to_string()
        )]
    );
}

/// A rate-limit table whose rows name an operation the revision removed and one it marked to be
/// retired: each change is reported once, at its section, not again as a rate-limit row.
const LIMITS_DOC: &str = "文档版本 4
发布日期 2031-05-06

1 使用前必读

1.1 流控信息

接口名称\t接口URL\t流量配额\t配额维度
摘苹果\tPOST /v9/apples/pick\t5/1(s)\t维度: 源 IP
削苹果\tPOST /v9/apples/peel\t7/1(s)\t维度: 源 IP

2 管理苹果

2.1 削苹果（待下线）

URI

POST /v9/apples/peel
";

#[test]
fn a_removed_or_retired_operation_is_not_reported_again_by_its_rate_limit_row() {
    let doc = read(LIMITS_DOC).expect("reads");
    assert_eq!(doc.rate_limits.len(), 2, "{:?}", doc.rate_limits);
    let limit = |i: usize| {
        let r = &doc.rate_limits[i];
        Some((r.requests, r.per_seconds, r.dimensions.clone()))
    };
    let mut pick = op("PickApples", "2.1", "摘苹果", "POST", "/v9/apples/pick");
    pick.rate_limit = limit(0);
    let mut peel = op("PeelApples", "2.1", "削苹果", "POST", "/v9/apples/peel");
    peel.rate_limit = limit(1);
    let spec = SpecView {
        operations: vec![pick, peel],
        types: BTreeMap::new(),
        code_lists: BTreeMap::new(),
        errors: Vec::new(),
    };
    let r = compare(&doc, &spec, &[]);
    let mut got: Vec<_> = r
        .drift
        .iter()
        .map(|d| {
            (
                d.kind.as_str(),
                d.section.clone().unwrap_or_default(),
                d.item.clone(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            k("deprecation_changed", "2.1", "deprecated"),
            k("operation_removed", "2.1", "POST /v9/apples/pick"),
        ]
    );
    assert_eq!(r.classes["rate_limits"].equal, 2);
}
