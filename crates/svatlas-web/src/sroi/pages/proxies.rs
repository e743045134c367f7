//! The proxy library as pages: the shipped library (public) and an organisation's own
//! proxies (members).

pub mod library;
pub mod own;
