//! One invocation of an operation: reading its flags into the client's request types,
//! validating, printing a dry run, calling, and printing the answer.

use std::future::poll_fn;
use std::io::{IsTerminal, Write};
use std::pin::Pin;

use clap::ArgMatches;
use futures_core::Stream;
use huaweicloud_bss::request::{ApiRequest, Validator};
use huaweicloud_bss::{Client, Error, Response, signer};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::Settings;
use crate::json::Node;
use crate::output::{self, Format, Query};
use crate::table::{Kind, Location, Operation};

/// Why an invocation failed.
pub enum Failure {
    /// Bad flags or values: nothing was sent.
    Usage(String),
    /// The call failed.
    Call(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Call(e)
    }
}

/// Shown in place of a secret.
const REDACTED: &str = "<redacted>";

/// One invocation of an operation.
pub struct Call<'a> {
    /// The operation.
    pub op: &'static Operation,
    /// Its parsed flags (global ones included).
    pub matches: &'a ArgMatches,
    /// Connection settings.
    pub settings: Settings,
    /// Output format.
    pub format: Format,
    /// `--query`.
    pub query: Query,
    /// `--dry-run`.
    pub dry_run: bool,
    /// Names of body members to redact in a dry run, at any depth.
    pub sensitive_body: &'static [&'static str],
}

impl Call<'_> {
    fn flag(&self, name: &str) -> &'static crate::table::Flag {
        self.op
            .flags
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| unreachable!("the generated code names its own flags: {name}"))
    }

    /// The raw values of a flag, if given.
    fn raw(&self, name: &str) -> Option<Vec<&str>> {
        self.matches
            .get_many::<String>(name)
            .map(|v| v.map(String::as_str).collect())
    }

    /// The value of a flag as JSON of its kind, with a warning for an undocumented code.
    fn json_of(&self, name: &str, text: &str) -> Result<serde_json::Value, Failure> {
        let f = self.flag(name);
        if !f.choices.is_empty() && !f.choices.iter().any(|(c, _)| *c == text) {
            let codes: Vec<&str> = f.choices.iter().map(|(c, _)| *c).collect();
            eprintln!(
                "warning: --{name}: `{text}` is not a documented code ({}); it is sent as given",
                codes.join(", ")
            );
        }
        let bad = |what: &str| Failure::Usage(format!("--{name}: `{text}` is not {what}"));
        Ok(match f.kind {
            Kind::Text | Kind::TextCode | Kind::Decimal => {
                serde_json::Value::String(text.to_string())
            }
            Kind::Integer | Kind::IntegerCode => {
                serde_json::Value::from(text.trim().parse::<i64>().map_err(|_| bad("an integer"))?)
            }
            Kind::Number => serde_json::Number::from_f64(
                text.trim().parse::<f64>().map_err(|_| bad("a number"))?,
            )
            .map(serde_json::Value::Number)
            .ok_or_else(|| bad("a finite number"))?,
            Kind::Boolean => serde_json::Value::Bool(match text.trim() {
                "true" => true,
                "false" => false,
                _ => return Err(bad("`true` or `false`")),
            }),
            Kind::Json => serde_json::from_str(text)
                .map_err(|e| Failure::Usage(format!("--{name}: not JSON: {e}")))?,
        })
    }

    /// The value of an optional flag as `T`.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Failure> {
        let Some(values) = self.raw(name) else {
            return Ok(None);
        };
        let json = if self.flag(name).list {
            serde_json::Value::Array(
                values
                    .iter()
                    .map(|v| self.json_of(name, v))
                    .collect::<Result<_, _>>()?,
            )
        } else {
            self.json_of(name, values.last().copied().unwrap_or_default())?
        };
        serde_json::from_value(json)
            .map(Some)
            .map_err(|e| Failure::Usage(format!("--{name}: {e}")))
    }

    /// The value of a required flag as `T`.
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Failure> {
        self.optional(name)?
            .ok_or_else(|| Failure::Usage(format!("--{name} is required")))
    }

    /// The request body: `--body` (inline JSON, `@file` or `-` for stdin), with the body's
    /// flags set on top; decoded into the documented type.
    pub fn body<T: DeserializeOwned + Serialize>(&self) -> Result<T, Failure> {
        let given = match self.matches.get_one::<String>("body") {
            None => None,
            Some(arg) => Some(read_body(arg)?),
        };
        let mut node = match &given {
            Some(text) => {
                Node::parse(text).map_err(|e| Failure::Usage(format!("--body is not JSON: {e}")))?
            }
            None => Node::Object(Vec::new()),
        };
        for f in self
            .op
            .flags
            .iter()
            .filter(|f| f.location == Location::Body)
        {
            let Some(values) = self.raw(f.name) else {
                continue;
            };
            let Node::Object(members) = &mut node else {
                return Err(Failure::Usage(format!(
                    "--{}: --body must be a JSON object to add members to",
                    f.name
                )));
            };
            let value = match f.kind {
                // Numbers go in as written, so that decimals keep every digit.
                Kind::Decimal | Kind::Number | Kind::Integer | Kind::IntegerCode => {
                    let text = values.last().copied().unwrap_or_default().trim();
                    self.json_of(f.name, text)?;
                    match Node::parse(text) {
                        Ok(Node::Number(n)) => Node::Number(n),
                        _ => {
                            return Err(Failure::Usage(format!(
                                "--{}: `{text}` is not a number",
                                f.name
                            )));
                        }
                    }
                }
                _ => Node::parse(
                    &self
                        .json_of(f.name, values.last().copied().unwrap_or_default())?
                        .to_string(),
                )
                .map_err(Failure::Usage)?,
            };
            members.retain(|(k, _)| k != f.wire);
            members.push((f.wire.to_string(), value));
        }
        let text = node.json(false);
        let body: T = serde_json::from_str(&text).map_err(|e| {
            let ty = self.op.body.as_ref().map_or("the body", |b| b.type_name);
            Failure::Usage(format!("--body does not fit {ty}: {e}"))
        })?;
        // Members the type does not know would be dropped silently: say so.
        if let Ok(back) = serde_json::to_string(&body)
            .map_err(|_| ())
            .and_then(|t| Node::parse(&t).map_err(|_| ()))
        {
            for path in unknown_members(&node, &back, String::new()) {
                eprintln!(
                    "warning: --body: `{path}` is not a member of the documented type; it is not sent"
                );
            }
        }
        Ok(body)
    }

    /// Checks the documented constraints with the client's own validation, naming the flag.
    pub fn check<R: ApiRequest>(&self, request: &R) -> Result<(), Failure> {
        let mut v = Validator::default();
        request.validate(&mut v);
        let Err(e) = v.finish() else { return Ok(()) };
        let head = e.field.split(['.', '[']).next().unwrap_or_default();
        let flag = self
            .op
            .flags
            .iter()
            .find(|f| f.location != Location::Body && f.wire == head);
        let place = match (flag, &self.op.body) {
            (Some(f), _) => format!("--{}", f.name),
            (None, Some(b)) => {
                let inner = e
                    .field
                    .strip_prefix(b.field)
                    .map(|r| r.trim_start_matches('.'))
                    .unwrap_or(&e.field);
                let top = inner.split(['.', '[']).next().unwrap_or_default();
                match self.op.flags.iter().find(|f| {
                    f.location == Location::Body && f.wire == top && self.raw(f.name).is_some()
                }) {
                    Some(f) if f.wire == inner => format!("--{}", f.name),
                    _ => format!("--body member `{inner}`"),
                }
            }
            (None, None) => format!("`{}`", e.field),
        };
        Err(Failure::Usage(format!("{place} {}", e.rule)))
    }

    /// With `--dry-run`, prints the request that would be sent and returns `false`.
    pub fn proceed(&self, body: Option<&impl Serialize>) -> Result<bool, Failure> {
        if !self.dry_run {
            return Ok(true);
        }
        let mut path = self.op.path.to_string();
        let mut query = Vec::new();
        let mut headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("User-Agent".to_string(), Settings::user_agent()),
        ];
        let mut language_header = false;
        for f in self
            .op
            .flags
            .iter()
            .filter(|f| f.location != Location::Body)
        {
            let Some(values) = self.raw(f.name) else {
                continue;
            };
            for v in values {
                let text = match f.kind {
                    Kind::Integer | Kind::IntegerCode => self.json_of(f.name, v)?.to_string(),
                    _ => v.to_string(),
                };
                let shown = if f.sensitive {
                    REDACTED.to_string()
                } else {
                    text.clone()
                };
                match f.location {
                    Location::Path => {
                        path = path.replace(
                            &format!("{{{}}}", f.wire),
                            &signer::encode_path_segment(&shown),
                        )
                    }
                    Location::Query => query.push((f.wire.to_string(), shown)),
                    Location::Header => {
                        language_header |= f.wire.eq_ignore_ascii_case("X-Language");
                        headers.push((f.wire.to_string(), shown));
                    }
                    Location::Body => {}
                }
            }
        }
        if let (Some(l), false) = (&self.settings.language, language_header) {
            headers.push(("X-Language".into(), l.clone()));
        }
        headers.push(("X-Sdk-Date".into(), "<set when sent>".into()));
        headers.push((
            "Authorization".into(),
            format!("{REDACTED} (signed with the credentials when sent)"),
        ));
        let mut url = format!("{}{path}", self.settings.endpoint());
        let q = signer::encode_query(&query);
        if !q.is_empty() {
            url.push('?');
            url.push_str(&q);
        }
        let mut out = format!("{} {url}\n", self.op.method);
        for (n, v) in &headers {
            out.push_str(&format!("{n}: {v}\n"));
        }
        if let Some(b) = body {
            let text = serde_json::to_string(b)
                .map_err(|e| Failure::Usage(format!("--body cannot be encoded: {e}")))?;
            let node = redact(
                Node::parse(&text).map_err(Failure::Usage)?,
                self.sensitive_body,
            );
            out.push('\n');
            out.push_str(&node.json(true));
            out.push('\n');
        }
        print(&out);
        Ok(false)
    }

    /// A client with the global settings.
    pub fn client(&self) -> Result<Client, Failure> {
        Ok(self.settings.client()?)
    }

    /// `--all` was given.
    pub fn all(&self) -> bool {
        self.op.paginated && self.matches.get_flag("all")
    }

    /// Prints an answer.
    pub fn answer<T: Serialize>(&self, result: Result<Response<T>, Error>) -> Result<(), Failure> {
        let answer = result?;
        let node = to_node(answer.body())?;
        // An answer without a body (HTTP 204) prints nothing: the exit code says it worked.
        if node == Node::Null {
            return Ok(());
        }
        print(&output::render(&self.query.apply(node), self.format));
        Ok(())
    }

    /// Prints every item of a page walk as one line of JSON, with a progress line on stderr
    /// when it is a terminal.
    pub async fn stream<T: Serialize, S: Stream<Item = Result<T, Error>> + Unpin>(
        &self,
        mut items: S,
    ) -> Result<(), Failure> {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {pos} items ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar
        });
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let result = loop {
            match poll_fn(|cx| Pin::new(&mut items).poll_next(cx)).await {
                None => break Ok(()),
                Some(Err(e)) => break Err(Failure::Call(e)),
                Some(Ok(item)) => {
                    let node = self.query.apply(to_node(&item)?);
                    if writeln!(out, "{}", node.json(false)).is_err() {
                        // The reader went away (`| head`): stop quietly.
                        break Ok(());
                    }
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                }
            }
        };
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        result
    }
}

fn to_node(value: &impl Serialize) -> Result<Node, Failure> {
    let text = serde_json::to_string(value)
        .map_err(|e| Failure::Call(Error::Config(format!("the answer cannot be printed: {e}"))))?;
    Node::parse(&text)
        .map_err(|e| Failure::Call(Error::Config(format!("the answer cannot be printed: {e}"))))
}

fn print(text: &str) {
    // A closed pipe is not an error of the call.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The text of `--body`: `@path` reads a file, `-` standard input, anything else is JSON.
fn read_body(arg: &str) -> Result<String, Failure> {
    if arg == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| Failure::Usage(format!("--body -: cannot read standard input: {e}")))?;
        Ok(s)
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("--body @{path}: {e}")))
    } else {
        Ok(arg.to_string())
    }
}

/// Paths of members of `given` that the decoded value does not have.
fn unknown_members(given: &Node, decoded: &Node, at: String) -> Vec<String> {
    let mut out = Vec::new();
    match (given, decoded) {
        (Node::Object(g), Node::Object(_)) => {
            for (k, v) in g {
                let path = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match decoded.get(k) {
                    Some(d) => out.extend(unknown_members(v, d, path)),
                    None if *v != Node::Null => out.push(path),
                    None => {}
                }
            }
        }
        (Node::Array(g), Node::Array(d)) => {
            for (i, (gv, dv)) in g.iter().zip(d).enumerate() {
                out.extend(unknown_members(gv, dv, format!("{at}[{i}]")));
            }
        }
        _ => {}
    }
    out
}

fn redact(node: Node, names: &[&str]) -> Node {
    match node {
        Node::Object(m) => Node::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = if names.contains(&k.as_str()) && v != Node::Null {
                        Node::Text(REDACTED.into())
                    } else {
                        redact(v, names)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Node::Array(items) => Node::Array(items.into_iter().map(|v| redact(v, names)).collect()),
        other => other,
    }
}
