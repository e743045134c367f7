//! Who an API token belongs to.

pub mod get;
