//! A contract's local spend, for people: the shares, every line with where it was spent, a
//! form to record a line (the supplier) and downloads of the table; and the contract's PDF
//! report.

pub mod add;
pub mod delete;
pub mod get;
pub mod report;
