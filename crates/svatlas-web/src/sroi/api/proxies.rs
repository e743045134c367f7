//! The financial proxy library.

pub mod list;
