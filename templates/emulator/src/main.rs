//! `bss-emulator`: serves the emulated BSS API until interrupted.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;

/// A local server that answers like the documented Huawei Cloud BSS API.
#[derive(Parser)]
#[command(name = "bss-emulator", version, about)]
struct Cli {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on. The control endpoints are not authenticated: think before
    /// listening beyond this machine.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Access key to accept (with --secret-key) instead of the default one.
    #[arg(long, env = "BSS_EMULATOR_AK", requires = "secret_key")]
    access_key: Option<String>,
    /// Secret key of --access-key.
    #[arg(
        long,
        env = "BSS_EMULATOR_SK",
        hide_env_values = true,
        requires = "access_key"
    )]
    secret_key: Option<String>,
    /// Accept only this X-Auth-Token (repeat for several); by default any non-empty token.
    #[arg(long = "token", hide_env_values = true)]
    tokens: Vec<String>,
    /// Do not enforce the documented rate limits.
    #[arg(long)]
    no_throttling: bool,
    /// Accept any X-Sdk-Date, not only one within 15 minutes of the clock.
    #[arg(long)]
    no_clock_check: bool,
    /// Check requests against this site's documents (international or china), where the two
    /// document different fields or codes for the same call.
    #[arg(long)]
    site: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let mut builder = bss_emulator::Emulator::builder()
        .bind(SocketAddr::new(cli.bind, cli.port))
        .throttling(!cli.no_throttling)
        .clock_check(!cli.no_clock_check);
    if let (Some(ak), Some(sk)) = (cli.access_key, cli.secret_key) {
        builder = builder.credentials(ak, sk);
    }
    for token in cli.tokens {
        builder = builder.token(token);
    }
    if let Some(site) = cli.site {
        builder = builder.site(site);
    }
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!(
                "bss-emulator: cannot start on {}:{}: {e}",
                cli.bind, cli.port
            );
            return ExitCode::FAILURE;
        }
    };
    println!(
        "bss-emulator {} listening on {}",
        env!("CARGO_PKG_VERSION"),
        emulator.url()
    );
    // The default pair is public and fake; a pair given on the command line is not printed.
    if emulator.access_key() == bss_emulator::DEFAULT_ACCESS_KEY {
        println!(
            "access key {}, secret key {}",
            bss_emulator::DEFAULT_ACCESS_KEY,
            bss_emulator::DEFAULT_SECRET_KEY
        );
    } else {
        println!("access key {}", emulator.access_key());
    }
    println!(
        "{} operations; control endpoints under {}/_emulator/",
        bss_emulator::operations().len(),
        emulator.url()
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("bss-emulator: cannot wait for Ctrl-C: {e}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}
