//! `svatlas user add` and `svatlas token create`: accounts for the first admin and for scripts.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::process::ExitCode;

use anyhow::Context;
use svatlas_domain::accounts::{Email, NewPassword};
use svatlas_store::StoreError;
use svatlas_store::accounts::NewUser;

use crate::cli::{TokenCreateArgs, UserAddArgs};

/// Exit code for input the command refuses (bad e-mail, weak password, taken e-mail, ...).
const INVALID_INPUT: u8 = 2;
/// Who the audit log names for changes made from the command line.
const ACTOR: &str = "cli";

fn invalid(message: impl std::fmt::Display) -> anyhow::Result<ExitCode> {
    eprintln!("error: {message}");
    Ok(ExitCode::from(INVALID_INPUT))
}

/// Reads one line from standard input as the password, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least 12 characters; it will be shown as you type): ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(&line);
    Ok(password.to_string())
}

/// Creates a user (and their organisation if new) with the password from standard input.
pub async fn user_add(database_url: &str, args: &UserAddArgs) -> anyhow::Result<ExitCode> {
    let email = match Email::parse(&args.email) {
        Ok(email) => email,
        Err(e) => return invalid(format!("--email: {e}")),
    };
    let password = read_password()?;
    if password.is_empty() {
        return invalid(
            "no password on standard input: pipe one line, e.g. `printf '%s\\n' \"$PASSWORD\" | svatlas user add ...`",
        );
    }
    let password = match NewPassword::parse(&password) {
        Ok(password) => password,
        Err(e) => return invalid(e),
    };
    let store = super::open_store(database_url).await?;
    let result = store
        .create_user(
            ACTOR,
            &NewUser {
                email: &email,
                name: &args.name,
                password: &password,
                organisation: &args.org,
                role: args.role,
            },
        )
        .await;
    store.close().await;
    match result {
        Ok(created) => {
            println!(
                "created user {} ({}) as {} of {}{}",
                created.user.email,
                created.user.id,
                args.role,
                created.organisation.name,
                if created.organisation_created {
                    " (new organisation)"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Duplicate(message) | StoreError::Invalid(message)) => invalid(message),
        Err(e) => Err(e).context("creating the user"),
    }
}

/// Creates an API token for a user and prints it alone on standard output.
pub async fn token_create(database_url: &str, args: &TokenCreateArgs) -> anyhow::Result<ExitCode> {
    let email = match Email::parse(&args.email) {
        Ok(email) => email,
        Err(e) => return invalid(format!("--email: {e}")),
    };
    let store = super::open_store(database_url).await?;
    let result = async {
        let user = store.user_by_email(&email).await?;
        store.create_api_token(ACTOR, user.id, &args.name).await
    }
    .await;
    store.close().await;
    match result {
        Ok(created) => {
            println!("{}", created.token);
            eprintln!(
                "token {} ({}) created for {email}; store it now, it is not shown again",
                created.info.prefix, created.info.name
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::NotFound) => invalid(format!("no user with email {email}")),
        Err(StoreError::Invalid(message)) => invalid(message),
        Err(e) => Err(e).context("creating the token"),
    }
}
