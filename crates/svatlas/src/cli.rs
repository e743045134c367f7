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

    /// Folder of the shipped open data (found next to the executable when not given).
    #[arg(long, global = true, env = "SVATLAS_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

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
    /// Area data: import the shipped open data or your own CSV, list what is stored.
    #[command(subcommand)]
    Data(DataCommand),
    /// Apply database migrations and exit.
    Migrate,
    /// Write a consistent copy of the SQLite database to a new file.
    Backup(BackupArgs),
    /// User accounts (for the first admin and for scripts).
    #[command(subcommand)]
    User(UserCommand),
    /// Personal API tokens for the JSON API.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `svatlas user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user in an organisation (created if new). The password is read from standard
    /// input: one line, at least 12 characters.
    Add(UserAddArgs),
}

/// Options of `svatlas user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Login e-mail address.
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Organisation to join; created when no organisation has this name (ignoring case).
    #[arg(long)]
    pub org: String,
    /// Role in the organisation: admin (manages members), editor or viewer.
    #[arg(long, value_parser = parse_role)]
    pub role: svatlas_domain::accounts::Role,
}

fn parse_role(text: &str) -> Result<svatlas_domain::accounts::Role, String> {
    svatlas_domain::accounts::Role::parse(text).map_err(|e| e.to_string())
}

/// `svatlas token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for a user and print it (only the token, on standard output;
    /// it is not shown again).
    Create(TokenCreateArgs),
}

/// Options of `svatlas token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// The user's e-mail address.
    #[arg(long)]
    pub email: String,
    /// A name to recognise the token by.
    #[arg(long, default_value = "cli")]
    pub name: String,
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
    /// Mark the session cookie Secure, so browsers send it over HTTPS only. Turn this on when
    /// the site is served over HTTPS (directly or behind a proxy); leave it off for
    /// http://localhost, where a Secure cookie would never come back.
    #[arg(long, env = "SVATLAS_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Start without area data instead of importing it into an empty database (area pages and
    /// API answer 503 until `svatlas data import` has run and the server restarts).
    #[arg(long)]
    pub no_import: bool,
}

/// `svatlas data ...`
#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Import every shipped dataset (idempotent), or with --file one CSV of your own.
    Import(ImportArgs),
    /// List the stored datasets.
    List,
}

/// Options of `svatlas data import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Your CSV file: one row per area, a column of area codes, numeric columns as indicators.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Name of your dataset (a-z, 0-9, _): indicator ids become NAME.<column>.
    #[arg(long, requires = "file")]
    pub dataset: Option<String>,
    /// Column holding the area codes.
    #[arg(long, requires = "file")]
    pub code_column: Option<String>,
    /// Area type of the codes: lsoa21, lsoa11, lad24, lad19, ward24, ...
    #[arg(long, requires = "file")]
    pub geography: Option<String>,
    /// Licence of your data, shown beside it (e.g. OGL-UK-3.0).
    #[arg(long, requires = "file")]
    pub licence: Option<String>,
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
