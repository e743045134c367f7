//! One module per subcommand; each returns the process exit code.

use std::process::ExitCode;

use anyhow::Context;
use svatlas_store::Store;

use crate::cli::{Cli, Command, SroiCommand, TokenCommand, UserCommand};

mod accounts;
mod data;
mod serve;
mod sroi;

/// Runs the chosen subcommand.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.database_url, cli.data_dir.as_deref(), args).await,
        Command::Data(command) => {
            data::run(&cli.database_url, cli.data_dir.as_deref(), command).await
        }
        Command::Sroi(SroiCommand::Calc(args)) => sroi::calc(&args),
        Command::Migrate => {
            let store = open_store(&cli.database_url).await?;
            println!(
                "database is at schema version {}",
                store
                    .schema_version()
                    .await
                    .context("reading the schema version")?
            );
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Add(args)) => accounts::user_add(&cli.database_url, &args).await,
        Command::Token(TokenCommand::Create(args)) => {
            accounts::token_create(&cli.database_url, &args).await
        }
        Command::Backup(args) => {
            let store = open_store(&cli.database_url).await?;
            store
                .backup_to(&args.to)
                .await
                .with_context(|| format!("backing up to {}", args.to.display()))?;
            store.close().await;
            println!("backup written to {}", args.to.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the store and applies pending migrations.
pub async fn open_store(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url)
        .await
        .with_context(|| format!("opening the database {}", svatlas_store::redact(url)))?;
    store
        .migrate()
        .await
        .context("applying database migrations")?;
    Ok(store)
}
