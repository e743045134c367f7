//! Signing out.

pub mod post;
