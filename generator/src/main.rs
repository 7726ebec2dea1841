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
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Exit with status 1 when a breaking change is not listed in the accepted breaks.
        #[arg(long)]
        fail_on_breaking: bool,
        /// Accepted breaking changes (default: accepted-breaks.yaml in the new spec directory).
        #[arg(long)]
        accepted: Option<PathBuf>,
        /// With --format changelog: write the section into this CHANGELOG.md (newest first)
        /// instead of printing it.
        #[arg(long)]
        changelog: Option<PathBuf>,
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
        /// YAML list of further claims (`fixup`, `kind`, `section`, `item`, `document`, `spec`,
        /// `replaces`) that explain differences, beside the claims of the spec's fixups.
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

/// Output format of `docs check`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Plain text for terminals.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// JSON for tools.
    Json,
    /// GitHub Actions annotations (workflow commands) on the spec lines.
    Github,
}

/// Output format of `diff`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    /// Plain text for terminals.
    Text,
    /// Markdown for a pull-request comment, with a CHANGELOG entry.
    Markdown,
    /// JSON for tools.
    Json,
    /// GitHub Actions annotations (workflow commands) on the changed lines of the new spec.
    Github,
    /// JUnit XML: one test case per change, failed when breaking and not accepted.
    Junit,
    /// The CHANGELOG section for the next version.
    Changelog,
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
            let written = bss_codegen::output::write(&tree, &out).map_err(|e| io_fail(&out, e))?;
            eprintln!("{}: {written}", out.display());
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
        Command::Diff { dirs, base, format, fail_on_breaking, accepted, changelog } => run_diff(&dirs, base.as_deref(), format, fail_on_breaking, accepted.as_deref(), changelog.as_deref()),
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
    format: DiffFormat,
    fail_on_breaking: bool,
    accepted: Option<&std::path::Path>,
    changelog: Option<&std::path::Path>,
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
    // The raw files too, for the positions of changes; both loaded before the base is removed.
    let sets = bss_codegen::spec::load_dir(&old_dir)
        .ok()
        .zip(bss_codegen::spec::load_dir(&new_dir).ok());
    // Changes of the generated API the generator made since the base (read before it is removed).
    let api_changes = {
        use bss_codegen::review::api_changes::{load, since};
        load(&old_dir).and_then(|o| load(&new_dir).map(|n| since(&o, &n)))
    };
    if let Some(t) = temp {
        let _ = std::fs::remove_dir_all(t);
    }
    let (old, new) = loaded?;
    let api_changes = api_changes.map_err(|e| usage(&e))?;
    let accepted_path = accepted.map_or_else(
        || new_dir.join(bss_codegen::review::accepted::FILE_NAME),
        std::path::Path::to_path_buf,
    );
    let mut accepted =
        bss_codegen::review::accepted::load(&accepted_path).map_err(|e| usage(&e))?;
    let sides = sets.as_ref().map(|(o, n)| bss_codegen::review::Sides {
        old: o,
        new: n,
        new_dir: &new_dir,
    });
    let mut d = bss_codegen::diff::diff(&old, &new);
    api_changes
        .iter()
        .for_each(|c| d.changes.push(c.to_change()));
    accepted.extend(api_changes.iter().filter_map(|c| c.acceptance()));
    (d.suggested_bump, d.suggested_version) = bss_codegen::diff::bump(&d.old_version, &d.changes);
    let mut r = bss_codegen::review::review(d, sides.as_ref(), &accepted);
    for c in &mut r.changes {
        if let Some(a) = api_changes.iter().find(|a| a.to_change() == c.change) {
            c.at = Some(a.at.clone());
        }
    }
    use bss_codegen::review::{changelog as log, github, junit, report};
    let text = match format {
        DiffFormat::Text => report::to_text(&r),
        DiffFormat::Markdown => report::to_markdown(&r),
        DiffFormat::Json => r.to_json(),
        DiffFormat::Github => github::to_github(&r),
        DiffFormat::Junit => junit::to_junit(&r),
        DiffFormat::Changelog => log::section(&r),
    };
    match (format, changelog) {
        (DiffFormat::Changelog, Some(path)) => {
            let existing = std::fs::read_to_string(path).map_err(|e| io_fail(path, e))?;
            std::fs::write(path, log::insert(&existing, &text)).map_err(|e| io_fail(path, e))?;
            eprintln!(
                "{}: section {} written",
                path.display(),
                r.suggested_version
            );
        }
        (_, Some(_)) => return Err(usage("--changelog needs --format changelog")),
        _ => print!("{text}"),
    }
    for s in &r.stale {
        eprintln!(
            "{}:{}: stale accepted break `{}`: it matches no breaking change",
            s.file, s.line, s.location
        );
    }
    let blocking = r.blocking().count();
    if fail_on_breaking && blocking > 0 {
        eprintln!(
            "{blocking} breaking change(s) not accepted in {}",
            accepted_path.display()
        );
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
            claims: claims_file,
        } => {
            let document = read(&doc)?;
            let (view, fixups) = bss_codegen::docs::spec_view::load(&spec)
                .map_err(|d| fail(bss_codegen::GenerateError::Spec(d)))?;
            let mut claims = fixups.claims;
            let extra: Vec<bss_codegen::docs::compare::Claim> = match claims_file {
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
            claims.extend(extra);
            let mut report = bss_codegen::docs::compare::compare(&document, &view, &claims);
            report.fixups_by_kind = fixups.by_kind;
            let text = match format {
                Format::Text => bss_codegen::docs::compare::to_text(&report),
                Format::Markdown => bss_codegen::docs::compare::to_markdown(&report),
                Format::Json => bss_codegen::docs::compare::to_json(&report),
                Format::Github => {
                    let set = bss_codegen::spec::load_dir(&spec).ok();
                    bss_codegen::review::docs_github::to_github(&report, set.as_ref(), &spec)
                }
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
