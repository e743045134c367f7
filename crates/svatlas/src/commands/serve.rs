//! `svatlas serve`: the web server, with graceful shutdown on Ctrl-C and SIGTERM.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use svatlas_web::{AppState, Config};

use crate::cli::ServeArgs;

/// Opens the store, then serves until a shutdown signal arrives.
pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(database_url).await?;
    let config = Config {
        body_limit: args.body_limit,
        request_timeout: Duration::from_secs(args.request_timeout),
    };
    let app = svatlas_web::app(AppState::new(store.clone(), config));
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("listening on {}", args.bind))?;
    let address = listener.local_addr().context("reading the bound address")?;
    tracing::info!(%address, database = %store.backend(), "sv-atlas listening on http://{address}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server stops.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
