//! `bss`: every documented operation of the Huawei Cloud BSS APIs from the command line.
//!
//! The subcommands, their flags and help come from the spec (`commands.rs`, generated); the
//! rest of this crate is a small hand-written runtime copied from `templates/cli/`.

#![forbid(unsafe_code)]

mod app;
mod call;
#[rustfmt::skip]
mod commands;
mod config;
mod json;
mod output;
mod table;

fn main() -> std::process::ExitCode {
    app::main()
}
