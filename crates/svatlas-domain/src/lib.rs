//! Pure domain rules for sv-atlas (Social Value Atlas).
//!
//! Everything here is plain computation on in-memory values: no I/O, no async, no clocks.
//! The web layer, the CLI and the store call into this crate and own all side effects.
//!
//! - [`sroi`]: the social return on investment (SROI) engine specified in `METHOD.md`
//!   (present values, ratios, payback, RAG colour, sensitivity, switching values, scenarios).
//! - [`calculator`]: projects as people enter them, the proxy library and project reports.
//! - [`accounts`]: roles, e-mail logins, the password policy and the lockout rule.
//! - [`procurement`]: the Social Value Model catalogue (2020 and 2025 editions) and bid scoring.
//! - [`frameworks`]: reference enums such as the eight Bristol Accord components.
//! - [`partners`]: the VCSE partner directory: profiles, needs, pledges and the match ranking.
#![warn(missing_docs)]

pub mod accounts;
pub mod calculator;
mod csv_rows;
pub mod frameworks;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod partners;
pub mod procurement;
pub mod sroi;

/// Version of this engine, recorded next to every saved calculation so a figure can always be
/// traced to the arithmetic that produced it.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
