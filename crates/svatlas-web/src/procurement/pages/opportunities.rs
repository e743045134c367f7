//! Pages of open opportunities: the public list, one opportunity with the form a supplier uses
//! to ask to bid, and the buyer's forms that list a tender and decide requests (shown on the
//! tender page). Routes are registered by [`crate::procurement::routes`].

pub mod decide;
pub mod get;
pub mod list;
