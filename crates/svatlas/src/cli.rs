//! Command-line arguments. `svatlas --help` is the configuration reference: every option can also
//! be set from the environment variable named beside it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Social Value Atlas: where social value is needed, and how much value work creates.
#[derive(Debug, Parser)]
#[command(name = "svatlas", version, about)]
pub struct Cli {
    /// Database: sqlite://PATH (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://svatlas.db"
    )]
    pub database_url: String,

    /// More detailed logs (RUST_LOG overrides).
    #[arg(long, short, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (HTML pages and JSON API).
    Serve(ServeArgs),
    /// Social return on investment calculations.
    #[command(subcommand)]
    Sroi(SroiCommand),
    /// Apply database migrations and exit.
    Migrate,
    /// Write a consistent copy of the SQLite database to a new file.
    Backup(BackupArgs),
}

/// Options of `svatlas serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "SVATLAS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "SVATLAS_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,
    /// Seconds a request may take before it is answered with 408.
    #[arg(long, env = "SVATLAS_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
}

/// `svatlas sroi ...`
#[derive(Debug, Subcommand)]
pub enum SroiCommand {
    /// Calculate a project from a JSON file (the body of POST /api/v1/sroi/calculate).
    Calc(CalcArgs),
}

/// Options of `svatlas sroi calc`.
#[derive(Debug, Args)]
pub struct CalcArgs {
    /// Project JSON file, or - for standard input.
    pub file: PathBuf,
    /// Print the full result as JSON (the API's response shape) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `svatlas backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// File to write (must not exist yet).
    #[arg(long)]
    pub to: PathBuf,
}
