//! `svatlas`: the Social Value Atlas command line (server, calculator, database tasks).

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser;

/// jemalloc rather than glibc's malloc: start-up loads on several threads, and glibc keeps each
/// thread's freed memory in its own arena (BENCHMARKS.md, "Memory: compact change data and
/// jemalloc").
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod cli;
mod commands;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to standard error so `--json` output on standard output stays clean.
fn init_logging(verbose: bool) {
    let default = if verbose {
        "debug,sqlx=info"
    } else {
        "info,sqlx=warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
