//! The sv-atlas web application: HTML pages and the JSON API on axum.
//!
//! The crate is grouped by job. `platform/` holds what every job uses (errors, extractors,
//! downloads, uploads, page layout, SVG charts, health and the API description) and imports no
//! job; `accounts/`, `need/`, `sroi/`, `procurement/` and `partners/` each hold their `api/` and
//! `pages/` handlers, what those share, and one `routes()`. `router.rs` composes the six and adds
//! the middleware; `state.rs` is the application state.

pub mod accounts;
pub mod need;
pub(crate) mod partners;
pub mod platform;
pub(crate) mod procurement;
pub mod router;
pub(crate) mod sroi;
mod state;

pub use router::{app, openapi};
pub use state::{AppState, Config};
