//! The `bss-codegen` command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates the huaweicloud-bss crate from the BSS API spec.
#[derive(Parser)]
#[command(name = "bss-codegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the generated crate.
    Generate {
        /// Spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Output directory.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Regenerates in memory; fails with a unified diff when the output directory differs.
    Check {
        /// Spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Directory holding the checked-in crate.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Loads and validates the spec only.
    Lint {
        /// Spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
    /// Exports the spec as one OpenAPI 3.0.3 JSON document.
    Openapi {
        /// Spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Semantic diff of two specs, each change classified as breaking or compatible for users of
    /// the generated crate.
    Diff {
        /// `OLD NEW` spec directories; with --base, only the new one (default: spec).
        dirs: Vec<PathBuf>,
        /// Compare the spec directory with itself at this git revision (e.g. HEAD~1, main).
        #[arg(long)]
        base: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with status 1 when any change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Reads a partner reference document (the text of `shared/seeds/004_...txt`).
    Docs {
        #[command(subcommand)]
        command: DocsCommand,
    },
    /// Writes the JSON Schema of the spec format.
    Schema {
        /// Spec directory (the schema goes to DIR/spec.schema.json).
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
}

/// Subcommands of `docs`.
#[derive(Subcommand)]
enum DocsCommand {
    /// Prints what the document states (sections, operations, tables, errors, limits) as JSON.
    Dump {
        /// The document's text.
        #[arg(long)]
        doc: PathBuf,
    },
    /// Compares the document with the spec; exits 1 when a difference is unexplained.
    Check {
        /// The document's text.
        #[arg(long)]
        doc: PathBuf,
        /// Spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// YAML list of claims (`fixup`, `kind`, `section`, `item`, `document`) that explain
        /// differences (a prototype until the spec records them).
        #[arg(long)]
        claims: Option<PathBuf>,
    },
    /// Writes one documented operation as a spec group file (facts only, descriptions TODO,
    /// uncertain readings marked `# CHECK:`).
    Draft {
        /// The document's text.
        #[arg(long)]
        doc: PathBuf,
        /// Section number of the operation (`8.1.2`).
        #[arg(long)]
        section: String,
        /// Spec directory whose types, code lists, error codes and operation ids the draft
        /// reuses (default: `spec`, when it exists).
        #[arg(long, conflicts_with = "no_spec")]
        spec: Option<PathBuf>,
        /// Draft from the document alone.
        #[arg(long)]
        no_spec: bool,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Output format of `diff`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Plain text for terminals.
    Text,
    /// Markdown for a pull-request comment, with a CHANGELOG entry.
    Markdown,
    /// JSON for tools.
    Json,
}

// Generation allocates millions of small, short-lived token and syntax-tree nodes; with the
// system allocator, malloc and free were a third of the instructions of `generate`.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status for an invalid spec.
const INVALID_SPEC: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { spec, out } => bss_codegen::generate(&spec).map_err(fail).and_then(|tree| {
            bss_codegen::output::write(&tree, &out).map_err(|e| io_fail(&out, e))?;
            eprintln!("wrote {} files to {}", tree.len(), out.display());
            Ok(())
        }),
        Command::Check { spec, out } => bss_codegen::generate(&spec).map_err(fail).and_then(|tree| {
            let diff = bss_codegen::output::diff(&tree, &out).map_err(|e| io_fail(&out, e))?;
            if diff.is_empty() {
                eprintln!("{} is up to date with {}", out.display(), spec.display());
                Ok(())
            } else {
                print!("{diff}");
                eprintln!("{} is stale: run `cargo run -p bss-codegen -- generate`", out.display());
                Err(ExitCode::FAILURE)
            }
        }),
        Command::Lint { spec } => bss_codegen::load(&spec).map(|m| {
            let ops = m.operations().count();
            eprintln!("spec is valid: {} groups, {ops} operations, {} types, {} code lists, {} error codes", m.groups.len(), m.types.len(), m.code_lists.len(), m.error_codes.len());
        }).map_err(|d| fail(bss_codegen::GenerateError::Spec(d))),
        Command::Openapi { spec, out } => bss_codegen::load(&spec).map_err(|d| fail(bss_codegen::GenerateError::Spec(d))).and_then(|m| {
            let text = serde_json::to_string_pretty(&bss_codegen::openapi::export(&m)).unwrap_or_default() + "\n";
            match out {
                Some(path) => std::fs::write(&path, text).map_err(|e| io_fail(&path, e)),
                None => {
                    print!("{text}");
                    Ok(())
                }
            }
        }),
        Command::Diff { dirs, base, format, fail_on_breaking } => run_diff(&dirs, base.as_deref(), format, fail_on_breaking),
        Command::Docs { command } => run_docs(command),
        Command::Schema { spec } => {
            let path = spec.join("spec.schema.json");
            let text = serde_json::to_string_pretty(&bss_codegen::spec_schema()).unwrap_or_default() + "\n";
            std::fs::write(&path, text).map_err(|e| io_fail(&path, e))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

fn run_diff(
    dirs: &[PathBuf],
    base: Option<&str>,
    format: Format,
    fail_on_breaking: bool,
) -> Result<(), ExitCode> {
    let usage = |msg: &str| {
        eprintln!("{msg}");
        ExitCode::from(INVALID_SPEC)
    };
    let (old_dir, new_dir, temp) = match (base, dirs) {
        (Some(rev), [] | [_]) => {
            let new = dirs
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("spec"));
            let old = bss_codegen::spec_at_revision(&new, rev).map_err(|e| usage(&e))?;
            (old.clone(), new, Some(old))
        }
        (None, [old, new]) => (old.clone(), new.clone(), None),
        _ => {
            return Err(usage(
                "usage: bss-codegen diff OLD NEW, or bss-codegen diff --base REV [NEW]",
            ));
        }
    };
    let load = |dir: &std::path::Path, which: &str| {
        bss_codegen::load(dir).map_err(|d| {
            eprintln!("the {which} spec ({}) is invalid:", dir.display());
            fail(bss_codegen::GenerateError::Spec(d))
        })
    };
    let loaded = load(&old_dir, "old").and_then(|old| load(&new_dir, "new").map(|new| (old, new)));
    if let Some(t) = temp {
        let _ = std::fs::remove_dir_all(t);
    }
    let (old, new) = loaded?;
    let d = bss_codegen::diff::diff(&old, &new);
    let text = match format {
        Format::Text => bss_codegen::diff::to_text(&d),
        Format::Markdown => bss_codegen::diff::to_markdown(&d),
        Format::Json => bss_codegen::diff::to_json(&d),
    };
    print!("{text}");
    if fail_on_breaking && d.is_breaking() {
        eprintln!("breaking changes found");
        return Err(ExitCode::FAILURE);
    }
    Ok(())
}

fn run_docs(command: DocsCommand) -> Result<(), ExitCode> {
    let read = |path: &std::path::Path| {
        let bytes = std::fs::read(path).map_err(|e| {
            eprintln!("{}: {e}", path.display());
            ExitCode::from(INVALID_SPEC)
        })?;
        bss_codegen::docs::read_bytes(&bytes).map_err(|e| {
            eprintln!("{}: {e}", path.display());
            ExitCode::from(INVALID_SPEC)
        })
    };
    match command {
        DocsCommand::Dump { doc } => {
            let model = read(&doc)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&model).unwrap_or_default()
            );
            Ok(())
        }
        DocsCommand::Check {
            doc,
            spec,
            format,
            claims,
        } => {
            let document = read(&doc)?;
            let model =
                bss_codegen::load(&spec).map_err(|d| fail(bss_codegen::GenerateError::Spec(d)))?;
            let claims = match claims {
                None => Vec::new(),
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        eprintln!("{}: {e}", path.display());
                        ExitCode::from(INVALID_SPEC)
                    })?;
                    bss_codegen::spec::yaml::from_str(&text).map_err(|e| {
                        eprintln!("{}: {e}", path.display());
                        ExitCode::from(INVALID_SPEC)
                    })?
                }
            };
            let view = bss_codegen::docs::spec_view::view(&model);
            let report = bss_codegen::docs::compare::compare(&document, &view, &claims);
            let text = match format {
                Format::Text => bss_codegen::docs::compare::to_text(&report),
                Format::Markdown => bss_codegen::docs::compare::to_markdown(&report),
                Format::Json => bss_codegen::docs::compare::to_json(&report),
            };
            print!("{text}");
            if report.drift.is_empty() {
                Ok(())
            } else {
                Err(ExitCode::FAILURE)
            }
        }
        DocsCommand::Draft {
            doc,
            section,
            out,
            spec,
            no_spec,
        } => {
            let document = read(&doc)?;
            let spec = match spec {
                Some(dir) => Some(dir),
                None if no_spec => None,
                None => Some(PathBuf::from("spec")).filter(|d| d.is_dir()),
            };
            let model = match &spec {
                Some(dir) => Some(
                    bss_codegen::load(dir)
                        .map_err(|d| fail(bss_codegen::GenerateError::Spec(d)))?,
                ),
                None => None,
            };
            let view = model.as_ref().map(bss_codegen::docs::spec_view::view);
            let drafted = bss_codegen::docs::draft::draft(&document, &section, view.as_ref());
            let draft = drafted.map_err(|e| {
                eprintln!("{}: {e}", doc.display());
                ExitCode::from(INVALID_SPEC)
            })?;
            match &out {
                Some(path) => std::fs::write(path, &draft.yaml).map_err(|e| io_fail(path, e))?,
                None => print!("{}", draft.yaml),
            }
            eprintln!(
                "drafted {} from section {section}: {} readings marked `# CHECK:` to confirm",
                draft.operation_id, draft.checks
            );
            Ok(())
        }
    }
}

fn fail(e: bss_codegen::GenerateError) -> ExitCode {
    eprintln!("{e}");
    match e {
        bss_codegen::GenerateError::Spec(_) => ExitCode::from(INVALID_SPEC),
        bss_codegen::GenerateError::Emit(_) => ExitCode::FAILURE,
    }
}

fn io_fail(path: &std::path::Path, e: std::io::Error) -> ExitCode {
    eprintln!("{}: {e}", path.display());
    ExitCode::FAILURE
}
