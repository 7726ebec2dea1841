//! The command tree built from the generated table, the global flags, and the run of one
//! invocation from arguments to exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Command};
use huaweicloud_bss::{Error, Site};

use crate::call::{Call, Failure};
use crate::commands::{GROUPS, SENSITIVE_BODY_MEMBERS};
use crate::config::{self, EXIT_CODES_HELP, EXIT_USAGE, Settings};
use crate::output::{Format, Query};
use crate::table::{Flag, Kind, Operation};

/// Accepts any text, but offers the documented codes to `--help` and shell completions: an
/// undocumented code is sent with a warning (`Call::optional`), since the service may know
/// codes the documents do not list yet.
#[derive(Clone)]
struct Codes(&'static [(&'static str, &'static str)]);

impl TypedValueParser for Codes {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().map(|(code, meaning)| {
            PossibleValue::new(*code).help(*meaning)
        })))
    }
}

fn global(name: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name(value)
        .help(help)
        .global(true)
        .help_heading("Global options")
}

/// The whole command tree.
pub fn command() -> Command {
    let mut root = Command::new("bss")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Huawei Cloud BSS APIs from the command line: one subcommand per documented operation.")
        .after_help(EXIT_CODES_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args([
            global("output", "FORMAT", "Output format: json (pretty on a terminal), yaml, table or csv").short('o').value_parser(["json", "yaml", "table", "csv"]),
            global("query", "PATH", "Print only this part of the answer: members, [N] and [] projections, e.g. data.items[].id"),
            global("endpoint", "URL", "Endpoint URL (e.g. http://127.0.0.1:8080 for bss-emulator); overrides --site"),
            global("site", "SITE", "Documented site: intl (default) or china").value_parser(["intl", "china"]),
            global("profile", "NAME", "Take the AK/SK from section [NAME] of the credentials file (HUAWEICLOUD_SDK_CREDENTIALS_FILE, default ~/.huaweicloud/credentials) instead of the chain: environment, the file's [global] section, ECS metadata"),
            global("timeout", "SECONDS", "Timeout of each attempt").value_parser(clap::value_parser!(u64).range(1..)),
            global("retries", "N", "Retries of a failed attempt (0: none); the documented retry advice applies").value_parser(clap::value_parser!(u32).range(0..100)),
            global("language", "LANG", "Language of the answer's texts (X-Language), e.g. en_US or zh_CN"),
            global("dry-run", "", "Print the request that would be sent (secrets redacted) without sending it").action(ArgAction::SetTrue).value_name(None::<&str>),
            global("debug", "", "Log each attempt (status, request id, retries) to stderr").action(ArgAction::SetTrue).value_name(None::<&str>),
        ]);
    for g in GROUPS {
        let mut group = Command::new(g.name)
            .about(g.about)
            .subcommand_required(true)
            .arg_required_else_help(true);
        for op in g.operations {
            group = group.subcommand(operation(op));
        }
        root = root.subcommand(group);
    }
    root.subcommand(
        Command::new("completions")
            .about("Print a shell completion script")
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell)),
            ),
    )
    .subcommand(Command::new("man").about("Print the man page (roff)"))
}

fn operation(op: &'static Operation) -> Command {
    let about = match op.replaced_by {
        Some(r) => format!("[deprecated: use {r}] {}", op.about),
        None => op.about.to_string(),
    };
    let mut cmd = Command::new(op.name)
        .about(about.clone())
        .long_about(format!("{about}\n\n{}", op.details))
        .after_long_help(format!("Example:\n  {}\n\n{EXIT_CODES_HELP}", op.example));
    for f in op.flags {
        cmd = cmd.arg(flag(f));
    }
    if let Some(b) = &op.body {
        cmd = cmd.arg(
            Arg::new("body")
                .long("body")
                .value_name("JSON|@FILE|-")
                .help(format!(
                    "Request body ({}): inline JSON, @file or - for standard input",
                    b.type_name
                )),
        );
    }
    if op.paginated {
        cmd = cmd.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Walk every page and print the items as JSON lines"),
        );
    }
    cmd
}

fn flag(f: &'static Flag) -> Arg {
    let value = match f.kind {
        Kind::Text | Kind::TextCode | Kind::Json => "TEXT",
        Kind::Integer | Kind::IntegerCode => "INT",
        Kind::Decimal | Kind::Number => "NUMBER",
        Kind::Boolean => "BOOL",
    };
    let mut arg = Arg::new(f.name)
        .long(f.name)
        .value_name(value)
        .help(f.help)
        .required(f.required);
    if matches!(
        f.kind,
        Kind::Integer | Kind::IntegerCode | Kind::Decimal | Kind::Number
    ) {
        arg = arg.allow_negative_numbers(true);
    }
    arg = if f.list {
        arg.action(ArgAction::Append)
    } else {
        arg.action(ArgAction::Set)
    };
    if !f.choices.is_empty() {
        arg = arg.value_parser(Codes(f.choices));
    } else if f.kind == Kind::Boolean {
        arg = arg.value_parser(["true", "false"]);
    }
    arg
}

/// Runs the CLI with the process's arguments.
pub fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    match matches.subcommand() {
        Some(("completions", m)) => {
            let shell = *m
                .get_one::<clap_complete::Shell>("shell")
                .unwrap_or(&clap_complete::Shell::Bash);
            clap_complete::generate(shell, &mut command(), "bss", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(("man", _)) => match clap_mangen::Man::new(command()).render(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Some((group, gm)) => {
            let Some((name, om)) = gm.subcommand() else {
                return ExitCode::from(EXIT_USAGE);
            };
            let Some(op) = GROUPS
                .iter()
                .filter(|g| g.name == group)
                .flat_map(|g| g.operations)
                .find(|o| o.name == name)
            else {
                return ExitCode::from(EXIT_USAGE);
            };
            run(op, om)
        }
        None => ExitCode::from(EXIT_USAGE),
    }
}

fn run(op: &'static Operation, m: &ArgMatches) -> ExitCode {
    if m.get_flag("debug") {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_max_level(tracing::Level::DEBUG)
            .with_target(false)
            .init();
    }
    if let Some(r) = op.replaced_by {
        eprintln!("warning: {} is deprecated; use `{r}`", op.name);
    }
    let query = match m
        .get_one::<String>("query")
        .map(|q| Query::parse(q))
        .transpose()
    {
        Ok(q) => q.unwrap_or_default(),
        Err(e) => return usage(&e),
    };
    let format = match m.get_one::<String>("output").map(String::as_str) {
        Some("yaml") => Format::Yaml,
        Some("table") => Format::Table,
        Some("csv") => Format::Csv,
        _ => Format::Json {
            pretty: std::io::stdout().is_terminal(),
        },
    };
    let settings = Settings {
        endpoint: m.get_one::<String>("endpoint").cloned(),
        site: m.get_one::<String>("site").map(|s| {
            if s == "china" {
                Site::China
            } else {
                Site::International
            }
        }),
        profile: m.get_one::<String>("profile").cloned(),
        timeout: m.get_one::<u64>("timeout").copied(),
        retries: m.get_one::<u32>("retries").copied(),
        language: m.get_one::<String>("language").cloned(),
    };
    let call = Call {
        op,
        matches: m,
        settings,
        format,
        query,
        dry_run: m.get_flag("dry-run"),
        sensitive_body: SENSITIVE_BODY_MEMBERS,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return report(&Error::Config(format!(
                "cannot start the async runtime: {e}"
            )));
        }
    };
    match runtime.block_on(crate::commands::run(&call)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => usage(&msg),
        Err(Failure::Call(e)) => report(&e),
    }
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\nnothing was sent");
    ExitCode::from(EXIT_USAGE)
}

/// Prints a failed call with what the documents say about it.
fn report(e: &Error) -> ExitCode {
    eprintln!("error: {e}");
    if let Error::Service(s) = e {
        if let Some(d) = s.documented() {
            eprintln!("  {}: {} ({})", d.code, d.message, d.meaning_zh);
        }
        if let Some(h) = huaweicloud_bss::error_codes::http_status(s.status) {
            let advice = match h.advice {
                Some(huaweicloud_bss::error_codes::RetryAdvice::DoNotRetry) => {
                    " Fix the request; retrying it unchanged will fail again."
                }
                Some(huaweicloud_bss::error_codes::RetryAdvice::MayRetry) => {
                    " The request may be sent again unchanged."
                }
                Some(huaweicloud_bss::error_codes::RetryAdvice::RetryAfter) => {
                    " Wait as long as Retry-After says, then retry."
                }
                _ => "",
            };
            eprintln!("  HTTP {} {}: {}{advice}", h.status, h.name, h.meaning);
        }
    }
    if matches!(e, Error::Timeout { .. } | Error::Transport { .. }) {
        eprintln!("  the call may or may not have reached the service");
    }
    ExitCode::from(config::exit_code(e))
}
