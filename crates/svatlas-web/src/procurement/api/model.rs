//! The Social Value Model catalogue as JSON.

pub mod get;
