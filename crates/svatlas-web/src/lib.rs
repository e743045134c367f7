//! The sv-atlas web application: HTML pages and the JSON API on axum.
//!
//! `router.rs` is the one place that lists URLs; handlers live in `routes/<resource>/<action>.rs`
//! and stay thin (extract, call the domain or store, shape the answer). Errors map to HTTP in
//! `error.rs`.

mod area_data;
pub mod auth;
mod bid_files;
mod calculator;
mod contract_report;
pub mod download;
pub mod error;
mod extract;
pub mod format;
mod local_need;
pub mod login_limit;
pub mod maps;
mod partners;
mod procurement;
mod project_forms;
mod report_view;
pub mod response_cache;
pub mod router;
mod routes;
mod search;
mod spend;
mod state;
pub mod svg;
mod upload;
mod views;

pub use router::{app, openapi};
pub use state::{AppState, Config};
