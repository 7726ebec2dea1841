//! The document reader on a small invented document in the partner reference's layout, and on
//! truncated, mutated and random input.

use bss_codegen::docs::model::{Constraint, DocType};
use bss_codegen::docs::{ReadError, read, read_bytes};

/// An invented reference in the extracted layout: a contents page, a revision table, two
/// operations (one table continued over a page break, a wrapped cell, a field name and a range
/// split by the wrap, an example printed as two fences, a wrapped error code), a retired chapter,
/// a permission table, a rate-limit table and a global error table.
const FIXTURE: &str = r#"

果园服务

API 参考

文档版本 07
发布日期 2030-02-03

目录

1 修订记录	1
2 管理水果	2
2.1 查询水果列表	2

1 修订记录

修订记录	发布日期
<p>第七次</p>	2030-02-03

2 管理水果

2.1 查询水果列表

功能介绍

查询水果。

URI

GET /v9/fruits/{orchard_id}

表 2-1 路径参数

参数	是否必选	参数类型	取值范围	描述
orchard_id	是	String	最大长度：32	果园ID。

表 2-2 查询参数

参数	是否必选	参数类型	取值范围	描述
limit	否	Integer	[1-50]	每页数量。

参数	是否必选	参数类型	取值范围	描述
color	否	String	[red green]	颜色： red：红色 green：绿色

请求消息

请求参数

无。

请求示例

```
GET https://fruit.example/v9/fruits/o1?limit=5 HTTP/1.1
Content-Type: application/json
```

响应消息

响应参数

参数	参数类型	取值范围	描述
total	Integer	[0-最大整数]	总数。
fruit_infos	List<Fruit Info>	-	水果列表。具体参见表2-3。

表 2-3 FruitInfo

参数	参数类型	取值范围	描述
fruit_name	String	最大长度： 64	名称。
ripe_ state	Integer	-	成熟度： <ul> • 0：生 • 1：熟

参数	参数类型	取值范围	描述
			• 2：烂</ul>
basket	String	最大长 度： 8	篮子。

响应示例

```
HTTP/1.1 200 OK
Content-Type: application/json
{
  "total": 1,
  "fruit_infos": [{"fruit_name": "pear", "ripe_state": 1}]
}
```

状态码

HTTP状态码	错误码	错误描述
400	FRU.0100	参数错误。

HTTP状态码	错误码	错误描述
500	FRU.0 999	其他错误。

2.2 种植水果

URI

POST /v9/fruits

请求消息

请求参数

参数	是否必选	参数类型	取值范围	描述
fruit_name	是	String	长度：[1-64]	名称。
tags	否	List<String>	最大个数：5	标签。

请求示例

```
POST https://fruit.example/v9/fruits HTTP/1.1
{
  "fruit_name": "pear",
```

```
  "tags": []
}
```

响应消息

响应参数

状态码：200

参数	参数类型	描述
fruit_id	String	ID。

状态码：400

参数	参数类型	描述
error_code	String	错误码。

状态码

HTTP状态码	错误码	错误描述
400	FRU.0100	参数错误。

3 待下线接口

3.1 查询水果列表（旧）

1. URI

GET /v1.0/{orchard_id}/fruits

参数说明请参见下表。

参数	是否必选	取值范围	描述
orchard_id	是	最大长度：32	果园ID。

4 附录

4.1 权限

表 4-1

场景	子场景	接口名称	接口URL	权限项	权限项名称
水果	查询	查询水果列表	GET /v9/fruits/{orchard_id}	FRUIT_VIEW	看-水果
		种植水果	POST /v9/fruits	FRUIT_PLANT FRUIT_ALL	<ul> 种-水果 全-水果 (能力开放)</ul>

4.2 流控

场景	子场景	接口名称	接口URL	流量配额	配额维度
水果	查询	查询水果列表	GET /v9/fruits/{orchard_id}	5/1(s)	API限速维度： 源IP,API,ParentUid

4.3 错误码

表 4-2 错误码

状态码	错误码	错误码信息	错误码描述
400	FRU.0100	Bad fruit.	坏水果。

状态码	错误码	错误码信息	错误码描述
500	FRU.099 9	Rotten.	烂了。
"#;

/// 1-based line of the first line of the fixture that starts with `prefix`.
fn line_of(prefix: &str) -> usize {
    FIXTURE
        .split('\n')
        .position(|l| l.starts_with(prefix))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{prefix} not in fixture"))
}

#[test]
fn outline_version_and_date() {
    let d = read(FIXTURE).expect("fixture reads");
    assert_eq!(
        d.version.as_ref().map(|v| (v.value.as_str(), v.line)),
        Some(("07", 7))
    );
    assert_eq!(
        d.date.as_ref().map(|v| v.value.as_str()),
        Some("2030-02-03")
    );
    let numbers: Vec<&str> = d.sections.iter().map(|s| s.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["1", "2", "2.1", "2.2", "3", "3.1", "4", "4.1", "4.2", "4.3"]
    );
    let body_heading = FIXTURE
        .split('\n')
        .position(|l| l == "2 管理水果")
        .map(|i| i + 1);
    assert_eq!(Some(d.sections[1].line), body_heading);
    assert_eq!(d.operations.len(), 3);
    let retired: Vec<bool> = d.operations.iter().map(|o| o.deprecated).collect();
    assert_eq!(retired, [false, false, true]);
    assert_eq!(d.operations[2].title, "查询水果列表(旧)");
}

#[test]
fn parameters_across_a_page_break_with_ranges_and_code_values() {
    let d = read(FIXTURE).unwrap();
    let op = &d.operations[0];
    assert_eq!(
        (op.method.as_str(), op.path.as_str(), op.uri_line),
        ("GET", "/v9/fruits/{orchard_id}", line_of("GET /v9/fruits/"))
    );
    assert_eq!(op.path_params.len(), 1);
    assert_eq!(op.path_params[0].required, Some(true));
    assert_eq!(
        op.path_params[0].constraints,
        [Constraint::MaxLength { value: 32 }]
    );
    let q: Vec<(&str, usize)> = op.query.iter().map(|r| (r.name.as_str(), r.line)).collect();
    assert_eq!(
        q,
        [("limit", line_of("limit\t")), ("color", line_of("color\t"))]
    );
    assert_eq!(
        op.query[1].constraints,
        [Constraint::Values {
            values: vec!["red".into(), "green".into()]
        }]
    );
    let codes: Vec<&str> = op.query[1]
        .code_values
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(codes, ["red", "green"]);
    assert_eq!(op.request_examples[0].query.as_deref(), Some("limit=5"));
}

#[test]
fn responses_nested_types_wrapped_cells_and_split_names() {
    let d = read(FIXTURE).unwrap();
    let op = &d.operations[0];
    assert_eq!(op.responses.len(), 1);
    let fields = &op.responses[0].rows;
    assert_eq!(
        fields[0].constraints,
        [Constraint::Range {
            min: Some(0),
            max: None,
            min_exclusive: false,
            max_exclusive: false,
            max_integer: true
        }]
    );
    assert_eq!(
        fields[1].ty,
        Some(DocType::List(Box::new(DocType::Object("FruitInfo".into()))))
    );
    let t = op.nested("FruitInfo").expect("nested type by caption");
    assert_eq!((t.label.as_str(), t.line), ("表 2-3", line_of("表 2-3")));
    let names: Vec<&str> = t.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["fruit_name", "ripe_state", "basket"]);
    let ripe: Vec<(&str, &str)> = t.rows[1]
        .code_values
        .iter()
        .map(|c| (c.value.as_str(), c.label.as_str()))
        .collect();
    assert_eq!(ripe, [("0", "生"), ("1", "熟"), ("2", "烂")]);
    assert_eq!(t.rows[2].constraints, [Constraint::MaxLength { value: 8 }]);
    assert_eq!(op.response_examples[0].status, Some(200));
    assert_eq!(
        op.response_examples[0]
            .json
            .as_ref()
            .map(|j| j["total"].clone()),
        Some(serde_json::json!(1))
    );
}

#[test]
fn error_tables_join_wrapped_codes() {
    let d = read(FIXTURE).unwrap();
    let e: Vec<(Option<u16>, &str, bool)> = d.operations[0]
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_str(), e.joined))
        .collect();
    assert_eq!(
        e,
        [
            (Some(400), "FRU.0100", false),
            (Some(500), "FRU.0999", true)
        ]
    );
    let g: Vec<(u16, &str, &str, bool)> = d
        .global_errors
        .iter()
        .map(|e| (e.status, e.code.as_str(), e.message.as_str(), e.joined))
        .collect();
    assert_eq!(
        g,
        [
            (400, "FRU.0100", "Bad fruit.", false),
            (500, "FRU.0999", "Rotten.", true)
        ]
    );
    assert_eq!(d.global_errors[1].line, line_of("500\tFRU.099 9"));
}

#[test]
fn statuses_fragments_and_retired_layout() {
    let d = read(FIXTURE).unwrap();
    let op = &d.operations[1];
    assert_eq!(op.body.len(), 2);
    assert_eq!(
        op.body[0].constraints,
        [
            Constraint::MinLength { value: 1 },
            Constraint::MaxLength { value: 64 }
        ]
    );
    assert_eq!(op.body[1].constraints, [Constraint::MaxItems { value: 5 }]);
    let statuses: Vec<Option<u16>> = op.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(200), Some(400)]);
    assert_eq!(
        op.request_examples.len(),
        1,
        "two fences of one example are joined"
    );
    assert_eq!(
        op.request_examples[0].json,
        Some(serde_json::json!({"fruit_name": "pear", "tags": []}))
    );
    let old = &d.operations[2];
    assert_eq!(
        old.path_params.len(),
        1,
        "an uncaptioned table under URI naming the path placeholder"
    );
    assert_eq!(old.path_params[0].required, Some(true));
    assert!(d.notes.is_empty(), "{:?}", d.notes);
}

#[test]
fn permissions_and_rate_limits() {
    let d = read(FIXTURE).unwrap();
    assert_eq!(d.permissions.len(), 2);
    assert_eq!(d.permissions[1].items, ["FRUIT_PLANT", "FRUIT_ALL"]);
    assert_eq!(d.permissions[1].names, ["种-水果", "全-水果(能力开放)"]);
    assert_eq!(d.permissions[1].title, "种植水果");
    assert_eq!(d.rate_limits.len(), 1);
    let r = &d.rate_limits[0];
    assert_eq!(
        (r.requests, r.per_seconds, r.line),
        (
            5,
            1,
            line_of("水果\t查询\t查询水果列表\tGET /v9/fruits/{orchard_id}\t5")
        )
    );
    assert_eq!(r.dimensions, ["source_ip", "api", "parent_uid"]);
}

#[test]
fn what_is_not_a_reference_says_why() {
    assert_eq!(read("").unwrap_err(), ReadError::Empty);
    assert_eq!(
        read("just words\nmore words\n").unwrap_err(),
        ReadError::NoSections
    );
    assert_eq!(
        read("1 甲\n\n2 乙\n").unwrap_err(),
        ReadError::NoOperations { sections: 2 }
    );
    assert_eq!(
        read("1 甲\n\0\n").unwrap_err(),
        ReadError::Binary { line: 2 }
    );
    assert_eq!(
        read_bytes(b"1 a\n\xff").unwrap_err(),
        ReadError::NotUtf8 { offset: 4 }
    );
    assert!(
        read("1 甲\n")
            .unwrap_err()
            .to_string()
            .contains("none documents an operation")
    );
}

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn truncated_mutated_and_random_input_never_panics() {
    let bytes = FIXTURE.as_bytes();
    for cut in 0..bytes.len() {
        let _ = read_bytes(&bytes[..cut]);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let pieces: [&[u8]; 12] = [
        b"\t",
        b"\n",
        b"```",
        b"[",
        b"-",
        b"\xef\xbc\x9a",
        b"List<",
        b"\xe8\xa1\xa8 ",
        b"(",
        b" ",
        b"1.1 ",
        b"GET /",
    ];
    for _ in 0..3000 {
        let mut m = bytes.to_vec();
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(m.len());
            match rng.below(3) {
                0 => {
                    let p = pieces[rng.below(pieces.len())];
                    m.splice(at..at, p.iter().copied());
                }
                1 => {
                    let end = (at + rng.below(40)).min(m.len());
                    m.drain(at..end);
                }
                _ => m[at] = rng.next() as u8,
            }
        }
        let _ = read_bytes(&m);
    }
    for len in [0, 1, 7, 100, 4096] {
        let random: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        assert!(read_bytes(&random).is_err());
    }
}

#[test]
fn large_pathological_inputs_are_read_in_one_pass() {
    // Many headings, a huge cell full of colons, many table rows: each is walked once.
    let mut text = String::from("1 甲\n\n");
    for i in 1..=30_000 {
        text.push_str(&format!("1.{i} 乙\n"));
    }
    text.push_str("\nURI\n\nGET /x\n\n参数\t参数类型\t取值范围\t描述\n");
    text.push_str(&format!(
        "a\tString\t-\t{}\n",
        " a1:甲a2:乙".repeat(100_000)
    ));
    for i in 0..50_000 {
        text.push_str(&format!("f{i}\tString\t[1-2]\t说明\n"));
    }
    let started = std::time::Instant::now();
    let d = read(&text).expect("reads");
    // Section numbers have at most three digits a part: `1.1000` and later are prose.
    assert_eq!(d.sections.len(), 1000);
    assert_eq!(d.operations[0].query.len(), 50_001);
    assert_eq!(d.operations[0].query[0].code_values.len(), 2);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}
