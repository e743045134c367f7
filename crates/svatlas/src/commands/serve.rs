//! `svatlas serve`: the web server, with graceful shutdown on Ctrl-C and SIGTERM.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use svatlas_areas::{AreaFrame, Boundaries};
use svatlas_web::{AppState, Config};

use crate::cli::ServeArgs;

/// Opens the store, then serves until a shutdown signal arrives.
pub async fn run(
    database_url: &str,
    data_dir: Option<&Path>,
    args: ServeArgs,
) -> anyhow::Result<ExitCode> {
    let store = super::open_store(database_url).await?;
    let config = Config {
        body_limit: args.body_limit,
        request_timeout: Duration::from_secs(args.request_timeout),
        secure_cookies: args.secure_cookies,
        ..Config::default()
    };
    let mut state = match load_areas(&store, data_dir, args.no_import).await? {
        Some(frame) => AppState::with_areas(store.clone(), config, Arc::new(frame)),
        None => AppState::new(store.clone(), config),
    };
    if let Some(boundaries) = load_boundaries(data_dir).await {
        state = state.with_boundaries(Arc::new(boundaries));
    }
    // Postcode search needs the shipped lookup file; without a data folder it is simply off.
    let state = match super::data::resolve_data_dir(data_dir) {
        Ok(dir) if dir.join("postcode_lookup").is_dir() => state.with_postcodes(dir),
        _ => {
            tracing::warn!("no postcode lookup found; postcode search is off");
            state
        }
    };
    state.warm_caches();
    svatlas_web::platform::auth::spawn_session_cleanup(store.clone());
    let app = svatlas_web::app(state);
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("listening on {}", args.bind))?;
    let address = listener.local_addr().context("reading the bound address")?;
    tracing::info!(%address, database = %store.backend(), "sv-atlas listening on http://{address}");
    // With the peer address, so sign-in attempts are limited per client.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving HTTP")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Loads the area data from the store into memory, importing the shipped data first when the
/// database has none (unless `--no-import`).
async fn load_areas(
    store: &svatlas_store::Store,
    data_dir: Option<&Path>,
    no_import: bool,
) -> anyhow::Result<Option<AreaFrame>> {
    if !store.has_area_data().await? {
        if no_import {
            tracing::warn!("the database holds no area data; local-need pages will answer 503");
            return Ok(None);
        }
        tracing::info!("empty database: importing the shipped open data first");
        let dir = super::data::resolve_data_dir(data_dir)?;
        super::data::import_shipped(store, &dir).await?;
    }
    let started = std::time::Instant::now();
    // Datasets that define areas first (the hierarchy), then the others one at a time, so only
    // one dataset's rows are held at once beside the frame itself.
    let datasets = store
        .list_area_datasets()
        .await
        .context("listing stored area data")?;
    let (with_areas, without): (Vec<_>, Vec<_>) =
        datasets.into_iter().partition(|d| d.area_count > 0);
    let mut first = Vec::with_capacity(with_areas.len());
    for d in &with_areas {
        first.push(
            store
                .load_area_bundle(&d.dataset.id)
                .await
                .context("reading area data")?,
        );
    }
    let mut frame = tokio::task::spawn_blocking(move || AreaFrame::from_bundles(&first))
        .await
        .context("the loading task failed")?
        .context("building the in-memory area data")?;
    for d in &without {
        let bundle = store
            .load_area_bundle(&d.dataset.id)
            .await
            .context("reading area data")?;
        frame = tokio::task::spawn_blocking(move || frame.add_bundle(&bundle).map(|()| frame))
            .await
            .context("the loading task failed")?
            .with_context(|| format!("adding dataset {} to the area data", d.dataset.id))?;
    }
    tracing::info!(
        indicators = frame.indicators().len(),
        seconds = started.elapsed().as_secs_f64(),
        "area data loaded"
    );
    Ok(Some(frame))
}

/// Loads the simplified boundary layers for maps. Maps are an addition to pages that work
/// without them, so a missing or broken layer is logged and the server starts without maps.
async fn load_boundaries(data_dir: Option<&Path>) -> Option<Boundaries> {
    let dir = match super::data::resolve_data_dir(data_dir) {
        Ok(dir) => dir.join(svatlas_areas::boundaries::SIMPLIFIED_DIR),
        Err(e) => {
            tracing::warn!(error = %e, "no data folder: pages will have no maps");
            return None;
        }
    };
    let started = std::time::Instant::now();
    match tokio::task::spawn_blocking(move || Boundaries::load(&dir)).await {
        Ok(Ok(boundaries)) => {
            tracing::info!(
                seconds = started.elapsed().as_secs_f64(),
                "map boundaries loaded"
            );
            Some(boundaries)
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "boundaries not loaded: pages will have no maps");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "the boundary loading task failed: pages will have no maps");
            None
        }
    }
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
