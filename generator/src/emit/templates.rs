//! Non-Rust files of the crate, rendered from `templates/` with minijinja, and the runtime
//! sources the crate ships. Templates are compiled into the generator so that a build of
//! `bss-codegen` always carries the templates it was tested with.

use minijinja::{Environment, context};
use serde::Serialize;

use crate::ir::Model;

/// Runtime sources copied verbatim into `src/`.
pub const RUNTIME: &[(&str, &str)] = &[
    (
        "auth.rs",
        include_str!("../../../templates/runtime/auth.rs"),
    ),
    (
        "call_options.rs",
        include_str!("../../../templates/runtime/call_options.rs"),
    ),
    (
        "client.rs",
        include_str!("../../../templates/runtime/client.rs"),
    ),
    (
        "codec.rs",
        include_str!("../../../templates/runtime/codec.rs"),
    ),
    (
        "credentials.rs",
        include_str!("../../../templates/runtime/credentials.rs"),
    ),
    (
        "files.rs",
        include_str!("../../../templates/runtime/files.rs"),
    ),
    (
        "decimal.rs",
        include_str!("../../../templates/runtime/decimal.rs"),
    ),
    (
        "error.rs",
        include_str!("../../../templates/runtime/error.rs"),
    ),
    (
        "limiter.rs",
        include_str!("../../../templates/runtime/limiter.rs"),
    ),
    (
        "pagination.rs",
        include_str!("../../../templates/runtime/pagination.rs"),
    ),
    (
        "redis_limiter.rs",
        include_str!("../../../templates/runtime/redis_limiter.rs"),
    ),
    (
        "request.rs",
        include_str!("../../../templates/runtime/request.rs"),
    ),
    (
        "retry.rs",
        include_str!("../../../templates/runtime/retry.rs"),
    ),
    (
        "signer.rs",
        include_str!("../../../templates/runtime/signer.rs"),
    ),
    (
        "throttle.rs",
        include_str!("../../../templates/runtime/throttle.rs"),
    ),
];

/// Sources of the emulator crate, copied verbatim under `emulator/`.
pub const EMULATOR: &[(&str, &str)] = &[
    (
        "src/answer.rs",
        include_str!("../../../templates/emulator/src/answer.rs"),
    ),
    (
        "src/api.rs",
        include_str!("../../../templates/emulator/src/api.rs"),
    ),
    (
        "src/auth.rs",
        include_str!("../../../templates/emulator/src/auth.rs"),
    ),
    (
        "src/control.rs",
        include_str!("../../../templates/emulator/src/control.rs"),
    ),
    (
        "src/lib.rs",
        include_str!("../../../templates/emulator/src/lib.rs"),
    ),
    (
        "src/lock.rs",
        include_str!("../../../templates/emulator/src/lock.rs"),
    ),
    (
        "src/main.rs",
        include_str!("../../../templates/emulator/src/main.rs"),
    ),
    (
        "src/record.rs",
        include_str!("../../../templates/emulator/src/record.rs"),
    ),
    (
        "src/router.rs",
        include_str!("../../../templates/emulator/src/router.rs"),
    ),
    (
        "src/scenario.rs",
        include_str!("../../../templates/emulator/src/scenario.rs"),
    ),
    (
        "src/server.rs",
        include_str!("../../../templates/emulator/src/server.rs"),
    ),
    (
        "src/state.rs",
        include_str!("../../../templates/emulator/src/state.rs"),
    ),
    (
        "src/throttle.rs",
        include_str!("../../../templates/emulator/src/throttle.rs"),
    ),
    (
        "src/validate.rs",
        include_str!("../../../templates/emulator/src/validate.rs"),
    ),
    (
        "tests/binary.rs",
        include_str!("../../../templates/emulator/tests/binary.rs"),
    ),
    (
        "tests/support/mod.rs",
        include_str!("../../../templates/emulator/tests/support/mod.rs"),
    ),
];

/// Sources of the CLI crate, copied verbatim under `cli/`.
pub const CLI: &[(&str, &str)] = &[
    (
        "src/app.rs",
        include_str!("../../../templates/cli/src/app.rs"),
    ),
    (
        "src/call.rs",
        include_str!("../../../templates/cli/src/call.rs"),
    ),
    (
        "src/config.rs",
        include_str!("../../../templates/cli/src/config.rs"),
    ),
    (
        "src/json.rs",
        include_str!("../../../templates/cli/src/json.rs"),
    ),
    (
        "src/main.rs",
        include_str!("../../../templates/cli/src/main.rs"),
    ),
    (
        "src/output.rs",
        include_str!("../../../templates/cli/src/output.rs"),
    ),
    (
        "src/table.rs",
        include_str!("../../../templates/cli/src/table.rs"),
    ),
    (
        "tests/behaviour.rs",
        include_str!("../../../templates/cli/tests/behaviour.rs"),
    ),
    (
        "tests/support/mod.rs",
        include_str!("../../../templates/cli/tests/support/mod.rs"),
    ),
];

/// The crate's example against the emulator or Huawei Cloud.
pub const QUICKSTART_EXAMPLE: &str =
    include_str!("../../../templates/crate/examples/quickstart.rs");

/// The groups whose operations the example calls: a spec without them (a test fixture) gets no
/// example, rather than one that cannot build.
pub const QUICKSTART_GROUPS: &[&str] = &["products", "budgets", "customers"];

/// Whether the spec has every group the example calls.
pub fn has_quickstart(model: &Model) -> bool {
    QUICKSTART_GROUPS
        .iter()
        .all(|id| model.groups.iter().any(|g| g.info.id == *id))
}

/// Support module of the generated tests.
pub const TEST_SUPPORT: &str = include_str!("../../../templates/crate/tests/support.rs");

/// Support module of the generated runtime tests (pagination, redaction, decoding, compatibility).
pub const RUNTIME_TEST_SUPPORT: &str =
    include_str!("../../../templates/crate/tests/runtime_support.rs");

const CARGO_TOML: &str = include_str!("../../../templates/crate/Cargo.toml.j2");
const README: &str = include_str!("../../../templates/crate/README.md.j2");
const EMULATOR_CARGO_TOML: &str = include_str!("../../../templates/emulator/Cargo.toml.j2");
const EMULATOR_README: &str = include_str!("../../../templates/emulator/README.md.j2");

#[derive(Serialize)]
struct GroupCtx {
    id: String,
    title_zh: String,
    summary: String,
    operations: usize,
    depends_on: Vec<String>,
    /// What the group's cargo feature enables: the groups whose types it uses, and the
    /// optional dependencies of the file readers when it has file formats.
    enables: Vec<String>,
}

#[derive(Serialize)]
struct PaginationCtx {
    offset: String,
    limit: String,
    unit: &'static str,
    items: String,
}

#[derive(Serialize)]
struct OpCtx {
    id: String,
    method_name: String,
    http_method: String,
    path: String,
    group: String,
    title_zh: String,
    pagination: Option<PaginationCtx>,
}

fn render(name: &str, source: &str, model: &Model) -> Result<String, String> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template(name, source)
        .map_err(|e| format!("template {name}: {e}"))?;
    let groups: Vec<GroupCtx> = model
        .groups
        .iter()
        .map(|g| GroupCtx {
            id: g.info.id.clone(),
            title_zh: g.info.title_zh.clone(),
            summary: g.info.summary.clone(),
            operations: g.operations.len(),
            depends_on: g.depends_on.iter().cloned().collect(),
            enables: g
                .depends_on
                .iter()
                .cloned()
                .chain(
                    ["dep:csv", "dep:flate2", "dep:tar"]
                        .into_iter()
                        .filter(|_| !g.file_formats.is_empty())
                        .map(String::from),
                )
                .collect(),
        })
        .collect();
    let ops: Vec<OpCtx> = model
        .operations()
        .map(|o| OpCtx {
            id: o.id.clone(),
            method_name: o.names.method.clone(),
            http_method: o.method.as_str().into(),
            path: o.path.clone(),
            group: o.group.clone(),
            title_zh: o.title_zh.clone(),
            pagination: o.pagination.as_ref().map(|p| PaginationCtx {
                offset: p.offset.wire.clone(),
                limit: p.limit.wire.clone(),
                unit: match p.offset_unit {
                    crate::ir::OffsetUnit::Record => "records",
                    crate::ir::OffsetUnit::Page => "pages",
                },
                items: p.items.text.clone(),
            }),
        })
        .collect();
    // The code the README's error example matches on: a parameter error of the spec's own table.
    let example_code = model
        .error_codes
        .iter()
        .find(|e| e.http_status == 400)
        .or(model.error_codes.first())
        .and_then(|e| model.error_code_variants.get(&e.code))
        .map_or("Unknown", String::as_str);
    let tmpl = env
        .get_template(name)
        .map_err(|e| format!("template {name}: {e}"))?;
    tmpl.render(context! {
        service => &model.service.service,
        crate_ident => &model.crate_ident,
        quickstart_groups => has_quickstart(model).then_some(QUICKSTART_GROUPS),
        sites => &model.service.sites,
        groups => groups,
        operations => ops,
        operation_count => model.operations().count(),
        error_code_count => model.error_code_counts().0 + model.error_code_counts().1,
        global_error_code_count => model.error_code_counts().0,
        operation_error_code_count => model.error_code_counts().1,
        example_code => example_code,
        spec_hash => &model.spec_hash,
    })
    .map_err(|e| format!("template {name}: {e:#}"))
}

/// `Cargo.toml` of the generated crate.
pub fn cargo_toml(model: &Model) -> Result<String, String> {
    render("Cargo.toml.j2", CARGO_TOML, model)
}

/// `README.md` of the generated crate (also its crate-level documentation).
pub fn readme(model: &Model) -> Result<String, String> {
    render("README.md.j2", README, model)
}

/// `Cargo.toml` of the emulator crate.
pub fn emulator_cargo_toml(model: &Model) -> Result<String, String> {
    render("emulator/Cargo.toml.j2", EMULATOR_CARGO_TOML, model)
}

/// `README.md` of the emulator crate.
pub fn emulator_readme(model: &Model) -> Result<String, String> {
    render("emulator/README.md.j2", EMULATOR_README, model)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn the_readme_counts_the_error_codes_the_table_holds() {
        let model =
            crate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).expect("spec");
        let tree = crate::emit::generate(&model).expect("generate");
        let file = |name: &str| {
            tree.get(name)
                .cloned()
                .unwrap_or_else(|| panic!("{name} is generated"))
        };
        let table = file("src/error_codes.rs");
        let rows = table.matches("ErrorCodeInfo {").count()
            - table.matches("pub struct ErrorCodeInfo {").count();
        let global = table.matches("in_global_table: true").count();
        let readme = file("README.md");
        let line = format!(
            "- {rows} documented error codes ({global} in the global table, {} listed only by an operation's own table)",
            rows - global
        );
        assert!(readme.contains(&line), "README lacks `{line}`");
    }
}
