//! The bid offline, for signed-in suppliers: the same files and import as
//! `routes::tenders::bid_file`, answering pages.

pub mod get;
pub mod import;
