//! The naming pass: the one place that chooses the Rust identifiers of the generated crates.
//!
//! Every name is chosen once, here, and stored in the IR; emitters only read it. Each Rust
//! namespace (the crate root, the items of the crate, `Client`'s methods, each request struct's
//! fields and methods, each type's fields and methods, each code list's variants, each record's
//! fields, each generated test file's functions) is a [`Namespace`]. Names the generator adds
//! itself (`new`, `Unknown`, `body`, `_pages`/`_items`, runtime items) are taken in the same
//! namespaces before the spec's names, so a spec name that collides with one is found the same
//! way as two spec names that collide: as a diagnostic at the spec node, with a hint.
//!
//! Three renames are deterministic instead (see `spec/README.md`): a Rust keyword gets a
//! trailing `_` (`type` → `type_`), a code value named like the fallback variant becomes
//! `Unknown_`, and a request body the documents name `…Req` becomes `…Body` (its documented name
//! stays the spec's name and the type's doc alias). Wire names and documented type names are
//! facts of the documents, so these cases cannot be avoided by renaming the spec; the renamed
//! name then takes part in the collision checks like any other.

pub mod case;
mod namespace;

use std::collections::{BTreeMap, HashMap};

pub use namespace::{At, Claim, Collision, Namespace};

use crate::diag::Diagnostic;
use crate::ir::{
    CodeListInfo, ExampleTests, GroupModel, OperationNames, OperationTests, PAGING_SCENARIOS,
    TypeInfo,
};
use crate::node_path;
use crate::spec::SpecSet;

/// Items of the generated crate's root besides the group modules (see `emit::lib_rs`).
pub const CRATE_ROOT_ITEMS: &[&str] = &[
    "auth",
    "call_options",
    "client",
    "codec",
    "codes",
    "credentials",
    "decimal",
    "error",
    "error_codes",
    "files",
    "limiter",
    "pagination",
    "request",
    "retry",
    "signer",
    "throttle",
    "CallOptions",
    "Client",
    "ClientBuilder",
    "Credentials",
    "Decimal",
    "Delivery",
    "Error",
    "ErrorCode",
    "ErrorKind",
    "ErrorMetadata",
    "NoContent",
    "ProvideErrorMetadata",
    "Response",
    "RetryPolicy",
    "RetryReason",
    "RetryVerdict",
    "ServiceError",
    "Site",
    "TransportError",
    "ValidationError",
    "decode_answer",
    "SPEC_SHA256",
    "VERSION",
];

const HINT_ITEM: &str = "type, code-list and file-format names are unique across the spec and must not end up like a generated item: choose a more specific name";
const HINT_METHOD: &str = "rename the operation (the client method is the snake_case operation id)";
const HINT_PARAM: &str = "a request struct has `new`, a `body` field, and a field (and for an optional parameter a setter) named after each parameter; add `rust_name: <snake_case name>` to the parameter to give it another Rust name (its wire name stays)";
const HINT_FIELD: &str = "if both JSON names are real, add `rust_name: <snake_case name>` to one of them (its wire name stays); if one is a typo of the other, record which one the server uses and drop the other";
const HINT_SETTER: &str = "a type sent in requests gets `new` and a setter named like the field per optional field; add `rust_name: <snake_case name>` to the field (its wire name stays)";
const HINT_VARIANT: &str = "give the codes names that differ after case conversion";
const HINT_ERROR_CODE: &str = "error codes become variants of `ErrorCode` (`CBC.0100` -> `Cbc0100`); two codes that differ only in punctuation or case cannot both be variants: check the documented spelling";
/// The file index of `errors.yaml` in an [`At`] (group files are indexed from 0).
const ERRORS_FILE: usize = usize::MAX;
const HINT_MODULE: &str =
    "the group id becomes a module and a cargo feature: choose one the crate does not use";
const HINT_TEST: &str = "generated tests are named after the operation, the example and the field: rename the example (or the type) so the test names differ";

/// Chooses every name, fills it into the IR, and returns the crate's Rust name and the
/// `ErrorCode` variant of every documented error code (by code); or the collisions, each
/// located at its spec node.
///
/// `groups` must still be in the order of `set.groups`, each with its operations, parameters and
/// examples in spec order (as `validate` builds them before sorting).
pub fn assign(
    set: &SpecSet,
    groups: &mut [GroupModel],
    types: &mut [TypeInfo],
    code_lists: &mut [CodeListInfo],
) -> Result<(String, BTreeMap<String, String>), Vec<Diagnostic>> {
    let mut p = Pass {
        set,
        diags: Vec::new(),
    };
    let crate_ident = set.service.value.service.crate_name.replace('-', "_");
    if !case::is_snake(&crate_ident) {
        p.diags.push(set.service.diag(
            &node_path!["service", "crate_name"],
            format!(
                "crate name `{}` is not a Rust crate name",
                set.service.value.service.crate_name
            ),
            Some("use lowercase words joined by `-` or `_`".into()),
        ));
    }
    let gi_of: HashMap<&str, usize> = set
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.value.group.id.as_str(), i))
        .collect();

    // The crate root: runtime modules and re-exports, then one module per group.
    let mut root = Namespace::new("crate-root item", None, HINT_MODULE);
    root.reserve(CRATE_ROOT_ITEMS, "a runtime item");
    for (gi, g) in groups.iter().enumerate() {
        let at = At {
            file: Some(gi),
            path: node_path!["group", "id"],
        };
        p.take(&mut root, &g.info.id, Claim::spec("group", &g.info.id, at));
    }

    // Items of the crate: spec type and code-list names are unique across the spec (a group may
    // use another group's), and the generated request structs and metadata statics sit beside
    // them.
    let mut items = Namespace::new("item", None, HINT_ITEM);
    items.reserve(case::RESERVED_TYPE_NAMES, "a runtime or prelude type");
    let methods: HashMap<String, String> = groups
        .iter()
        .flat_map(|g| g.operations.iter())
        .map(|o| (o.id.clone(), case::method_name(&o.id)))
        .collect();
    let mut client = Namespace::new("method", Some("Client".into()), HINT_METHOD);
    client.reserve(
        case::RESERVED_METHOD_NAMES,
        "a method of the runtime client",
    );
    for (gi, g) in groups.iter_mut().enumerate() {
        for (oi, op) in g.operations.iter_mut().enumerate() {
            let at = At {
                file: Some(gi),
                path: node_path!["operations", oi, "id"],
            };
            let claim = Claim::spec("operation", &op.id, at);
            let request = case::request_type_name(&op.id);
            let meta = case::meta_const_name(&op.id);
            p.take(&mut items, &request, claim.clone());
            p.take(&mut items, &meta, claim.clone());
            let method = case::method_name(&op.id);
            p.take(&mut client, &method, claim.clone());
            // Pagination is resolved after naming (it needs the field names); the spec says
            // whether there is one.
            let paginated = set.groups[gi].value.operations[oi].pagination.is_some();
            let (pages, items_fn) = if paginated {
                let (pg, it) = (format!("{method}_pages"), format!("{method}_items"));
                p.take(&mut client, &pg, claim.clone());
                p.take(&mut client, &it, claim.clone());
                (Some(pg), Some(it))
            } else {
                (None, None)
            };
            op.names = OperationNames {
                replacement_method: op
                    .deprecated
                    .as_ref()
                    .and_then(|d| methods.get(&d.replacement).cloned()),
                body: op.body.as_ref().map(|_| "body".to_string()),
                tests: OperationTests::default(),
                method,
                request,
                meta,
                pages,
                items: items_fn,
            };
        }
    }
    for cl in code_lists.iter() {
        let name = &cl.name;
        let file = cl.group.as_deref().and_then(|g| gi_of.get(g).copied());
        let at = At {
            file,
            path: node_path!["code_lists", name],
        };
        p.take(&mut items, name, Claim::spec("code list", name, at));
    }
    // A request body the documents name `…Req` sits beside the generated `…Request` wrapper:
    // its Rust name says it is a body instead (the documented name stays its doc alias).
    let bodies: std::collections::BTreeSet<crate::ir::TypeId> = groups
        .iter()
        .flat_map(|g| g.operations.iter().filter_map(|o| o.body))
        .collect();
    for (ti, t) in types.iter_mut().enumerate() {
        let body = bodies.contains(&crate::ir::TypeId(ti as u32));
        t.rust = match body.then(|| case::body_type_name(&t.name)).flatten() {
            Some(renamed) => renamed,
            None => t.name.clone(),
        };
        let at = At {
            file: gi_of.get(t.group.as_str()).copied(),
            path: node_path!["types", t.name.as_str()],
        };
        p.take(&mut items, &t.rust, Claim::spec("type", &t.name, at));
    }
    for (gi, g) in groups.iter().enumerate() {
        for name in g.file_formats.keys() {
            let at = At {
                file: Some(gi),
                path: node_path!["file_formats", name],
            };
            p.take(&mut items, name, Claim::spec("file format", name, at));
        }
    }

    // Code-list variants, with the fallback variant taken first.
    for cl in code_lists.iter_mut() {
        let owned = cl.name.clone();
        let name = owned.as_str();
        let file = cl.group.as_deref().and_then(|g| gi_of.get(g).copied());
        let mut ns = Namespace::new("variant", Some(name.to_string()), HINT_VARIANT);
        ns.reserve(&["Unknown"], "the fallback variant for undocumented values");
        cl.unknown = "Unknown".into();
        cl.variants = cl
            .def
            .values
            .iter()
            .enumerate()
            .map(|(vi, v)| {
                let variant = case::variant_name(&v.name);
                let at = At {
                    file,
                    path: node_path!["code_lists", name, "values", vi],
                };
                p.take(&mut ns, &variant, Claim::spec("name", &v.name, at));
                variant
            })
            .collect();
    }

    // Variants of the documented error codes, the fallback variant taken first. A code of
    // errors.yaml that a group also lists as an extra is one variant.
    let mut codes_ns = Namespace::new("variant", Some("ErrorCode".into()), HINT_ERROR_CODE);
    codes_ns.reserve(&["Unknown"], "the fallback variant for undocumented codes");
    let mut error_codes = BTreeMap::new();
    let documented = set
        .errors
        .value
        .error_codes
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let path = node_path!["error_codes", i, "code"];
            (&e.code, ERRORS_FILE, path)
        });
    let extra = set.groups.iter().enumerate().flat_map(|(gi, g)| {
        g.value
            .extra_error_codes
            .iter()
            .enumerate()
            .map(move |(i, e)| {
                let path = node_path!["extra_error_codes", i, "code"];
                (&e.code, gi, path)
            })
    });
    for (code, file, path) in documented.chain(extra) {
        if error_codes.contains_key(code) {
            continue;
        }
        let variant = case::variant_name(code);
        let at = At {
            file: Some(file),
            path,
        };
        p.take(&mut codes_ns, &variant, Claim::spec("error code", code, at));
        error_codes.insert(code.clone(), variant);
    }

    // Fields of the types, and the constructor and setters of the types sent in requests.
    for t in types.iter_mut() {
        let owned = t.name.clone();
        let name = owned.as_str();
        let file = gi_of.get(t.group.as_str()).copied();
        let mut fields = Namespace::new("Rust field", Some(t.rust.clone()), HINT_FIELD);
        let mut methods = Namespace::new("method", Some(t.rust.clone()), HINT_SETTER);
        methods.reserve(&["new"], "its constructor");
        let input = t.input;
        for (fi, f) in t.fields.iter_mut().enumerate() {
            let at = At {
                file,
                path: node_path!["types", name, "fields", fi],
            };
            let rust = p.rust_field(&f.name, f.rust_name.as_deref(), &at);
            // A field that collides is reported once, not again for its setter.
            let free = p.take(
                &mut fields,
                &rust,
                Claim::spec("field", &f.name, at.clone()),
            );
            // Bare setters, named like the field, as on the request structs.
            f.setter = (input && !f.required).then(|| {
                if free {
                    p.take(&mut methods, &rust, Claim::spec("field", &f.name, at));
                }
                rust.clone()
            });
            f.rust = rust;
        }
    }

    // Request structs: a field per parameter (and `body`), `new`, and a setter per optional
    // parameter.
    for (gi, g) in groups.iter_mut().enumerate() {
        for (oi, op) in g.operations.iter_mut().enumerate() {
            let owner = Some(op.names.request.clone());
            let mut fields = Namespace::new("Rust field", owner.clone(), HINT_PARAM);
            let mut methods = Namespace::new("method", owner, HINT_PARAM);
            if let Some(b) = &op.names.body {
                fields.reserve(&[b.as_str()], "the request body");
            }
            methods.reserve(&["new"], "its constructor");
            for (pi, prm) in op.params.iter_mut().enumerate() {
                let at = At {
                    file: Some(gi),
                    path: node_path!["operations", oi, "parameters", pi],
                };
                let rust = p.rust_field(&prm.name, prm.rust_name.as_deref(), &at);
                let claim = Claim::spec("parameter", &prm.name, at);
                // A parameter that collides is reported once, not again for its setter.
                if p.take(&mut fields, &rust, claim.clone()) && !prm.required {
                    p.take(&mut methods, &rust, claim);
                }
                prm.rust = rust;
            }
        }
    }

    // Record structs of the file formats.
    for (gi, g) in groups.iter_mut().enumerate() {
        for (name, ff) in g.file_formats.iter_mut() {
            let mut fields = Namespace::new("Rust field", Some(name.to_string()), HINT_FIELD);
            for (ci, col) in ff.columns.iter_mut().enumerate() {
                let at = At {
                    file: Some(gi),
                    path: node_path!["file_formats", name, "columns", ci],
                };
                let rust = case::field_name(&col.def.name);
                p.take(&mut fields, &rust, Claim::spec("column", &col.def.name, at));
                col.rust = rust;
            }
        }
    }

    p.tests(groups, types, code_lists, &gi_of);

    if p.diags.is_empty() {
        Ok((crate_ident, error_codes))
    } else {
        Err(p.diags)
    }
}

struct Pass<'a> {
    set: &'a SpecSet,
    diags: Vec<Diagnostic>,
}

impl Pass<'_> {
    /// The Rust field name of wire name `wire`: the spec's `rust_name` when it gives one (which
    /// must be a snake_case identifier that is not a keyword), else the converted wire name.
    fn rust_field(&mut self, wire: &str, asked: Option<&str>, at: &At) -> String {
        let Some(asked) = asked else {
            return case::field_name(wire);
        };
        // `field_name` leaves a snake_case name alone and escapes a keyword, so a name it
        // changes is not one the emitters can use as is.
        if case::field_name(asked) != asked {
            let mut path = at.path.clone();
            path.push(crate::spec::locate::Seg::Key("rust_name".into()));
            self.report_at(
                &At {
                    file: at.file,
                    path,
                },
                format!("rust_name `{asked}` is not a snake_case Rust identifier"),
                "lowercase words joined by `_`, not a keyword (`type_` rather than `type`)",
            );
        }
        asked.to_string()
    }

    fn report_at(&mut self, at: &At, msg: String, hint: &str) {
        let hint = Some(hint.to_string());
        let d = match at.file {
            Some(i) => self.set.groups[i].diag(&at.path, msg, hint),
            None => self.set.service.diag(&at.path, msg, hint),
        };
        self.diags.push(d);
    }

    /// Claims `name` in `ns`, reporting a collision at its spec node.
    fn take(&mut self, ns: &mut Namespace, name: &str, claim: Claim) -> bool {
        let free = ns.claim(name, claim);
        if let Err(c) = &free {
            let (msg, hint) = (c.message(), Some(c.hint.to_string()));
            let d = match c.at() {
                Some(At {
                    file: Some(ERRORS_FILE),
                    path,
                }) => self.set.errors.diag(path, msg, hint),
                Some(At {
                    file: Some(i),
                    path,
                }) => self.set.groups[*i].diag(path, msg, hint),
                Some(At { file: None, path }) => self.set.service.diag(path, msg, hint),
                None => self.set.service.diag(&[], msg, hint),
            };
            self.diags.push(d);
        }
        free.is_ok()
    }

    /// Names the functions of the generated test files: each file is one namespace, its names a
    /// fixed suffix on checked names, its helpers taken first.
    fn tests(
        &mut self,
        groups: &mut [GroupModel],
        types: &mut [TypeInfo],
        code_lists: &mut [CodeListInfo],
        gi_of: &HashMap<&str, usize>,
    ) {
        let test_ns = |file: &'static str, helpers: &[&str]| {
            let mut ns = Namespace::new("test function", Some(file.into()), HINT_TEST);
            ns.reserve(helpers, "a helper of the test file");
            ns
        };
        let mut cases = test_ns("tests/cases/mod.rs", &["support"]);
        let mut emulator = test_ns("emulator/tests/operations_cases/mod.rs", &["support"]);
        let mut contract = test_ns("tests/contract_cases/mod.rs", &["contract_client"]);
        let mut paging = test_ns("tests/runtime_cases/pagination.rs", &["paging"]);
        let mut redaction = test_ns("tests/runtime_cases/redaction.rs", &["redaction"]);
        let mut decoding = test_ns("tests/runtime_cases/decoding.rs", &["fuzz"]);
        let mut compat = test_ns("tests/runtime_cases/compat.rs", &["compat"]);

        for (gi, g) in groups.iter_mut().enumerate() {
            for (oi, op) in g.operations.iter_mut().enumerate() {
                let at = |rest: crate::spec::locate::NodePath| {
                    let mut path = node_path!["operations", oi];
                    path.extend(rest);
                    At {
                        file: Some(gi),
                        path,
                    }
                };
                let m = op.names.method.clone();
                let claim = Claim::spec("operation", &op.id, at(node_path!["id"]));
                let mut name = |ns: &mut Namespace, text: String, claim: &Claim| {
                    self.take(ns, &text, claim.clone());
                    text
                };
                let mut t = OperationTests {
                    emulator: name(&mut emulator, m.clone(), &claim),
                    contract: name(
                        &mut contract,
                        format!("{m}_matches_the_openapi_export"),
                        &claim,
                    ),
                    decoder: name(&mut decoding, format!("{m}_decoder"), &claim),
                    unknown_fields: name(
                        &mut compat,
                        format!("{m}_ignores_unknown_fields"),
                        &claim,
                    ),
                    ..OperationTests::default()
                };
                if op.names.pages.is_some() {
                    t.paging_case = name(&mut paging, m.clone(), &claim);
                    t.paging = PAGING_SCENARIOS
                        .iter()
                        .map(|s| name(&mut paging, format!("{m}_{s}"), &claim))
                        .collect();
                }
                for (xi, ex) in op.examples.iter_mut().enumerate() {
                    let stem = format!("{m}_{}", case::field_name(&ex.name));
                    let claim =
                        Claim::spec("example", &ex.name, at(node_path!["examples", xi, "name"]));
                    ex.tests = ExampleTests {
                        request_body: name(&mut cases, format!("{stem}_request_body"), &claim),
                        response_body: name(&mut cases, format!("{stem}_response_body"), &claim),
                        call: name(&mut cases, format!("{stem}_call"), &claim),
                        refused: name(&mut emulator, format!("{stem}_is_refused"), &claim),
                    };
                }
                // The synthetic example is sent only when no documented one is; its test names
                // are taken all the same, so adding an example never renames a test.
                t.synthetic = ExampleTests {
                    call: name(&mut cases, format!("{m}_synthetic_call"), &claim),
                    ..ExampleTests::default()
                };
                for prm in op.params.iter_mut().filter(|p| p.sensitive) {
                    let text =
                        format!("{m}_request_{}_is_redacted", prm.rust.trim_end_matches('_'));
                    prm.redaction_test = Some(name(&mut redaction, text, &claim));
                }
                if let Some(body) = op.body.map(|b| &types[b.0 as usize]) {
                    t.body_redaction = body
                        .fields
                        .iter()
                        .map(|f| {
                            f.sensitive.then(|| {
                                let text = format!(
                                    "{m}_request_body_{}_is_redacted",
                                    f.rust.trim_end_matches('_')
                                );
                                name(&mut redaction, text, &claim)
                            })
                        })
                        .collect();
                }
                op.names.tests = t;
            }
            for (ffname, ff) in g.file_formats.iter_mut() {
                let base = case::method_name(ffname);
                let claim = Claim::spec(
                    "file format",
                    ffname,
                    At {
                        file: Some(gi),
                        path: node_path!["file_formats", ffname],
                    },
                );
                let mut name = |suffix: &str| {
                    let text = format!("{base}_{suffix}");
                    self.take(&mut cases, &text, claim.clone());
                    text
                };
                ff.tests = crate::ir::FileFormatTests {
                    sample: name("documented_sample_reads"),
                    sample_tar_gz: name("documented_sample_reads_from_tar_gz"),
                    bad_cell: name("bad_cell_names_line_and_column"),
                    bad_cell_in_archive: name("bad_cell_in_archive_names_the_file"),
                };
            }
        }
        for t in types.iter_mut() {
            let owned = t.name.clone();
            let tname = owned.as_str();
            let file = gi_of.get(t.group.as_str()).copied();
            let snake = case::field_name(tname);
            let claim = Claim::spec(
                "type",
                tname,
                At {
                    file,
                    path: node_path!["types", tname],
                },
            );
            t.numbers_test = format!("{snake}_reads_numbers_sent_as_strings");
            self.take(&mut compat, &t.numbers_test, claim);
            for (fi, f) in t.fields.iter_mut().enumerate().filter(|(_, f)| f.sensitive) {
                let text = format!("{snake}_{}_is_redacted", f.rust.trim_end_matches('_'));
                let claim = Claim::spec(
                    "field",
                    &f.name,
                    At {
                        file,
                        path: node_path!["types", tname, "fields", fi],
                    },
                );
                self.take(&mut redaction, &text, claim);
                f.redaction_test = Some(text);
            }
        }
        for cl in code_lists.iter_mut() {
            let owned = cl.name.clone();
            let clname = owned.as_str();
            let file = cl.group.as_deref().and_then(|g| gi_of.get(g).copied());
            let claim = Claim::spec(
                "code list",
                clname,
                At {
                    file,
                    path: node_path!["code_lists", clname],
                },
            );
            cl.unknown_test = format!("unknown_{}_code_is_kept", case::field_name(clname));
            self.take(&mut compat, &cl.unknown_test, claim);
        }
    }
}

#[cfg(test)]
mod tests;
