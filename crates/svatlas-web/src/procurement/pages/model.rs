//! The Social Value Model catalogue as a page.

pub mod get;
