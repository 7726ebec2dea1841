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
    /// Writes the JSON Schema of the spec format.
    Schema {
        /// Spec directory (the schema goes to DIR/spec.schema.json).
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
}

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
