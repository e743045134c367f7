//! The calculator workspace's rules: a project as people enter it (outcomes valued with a proxy
//! from the library or their own, inputs as value × volume), the proxy library, and the report
//! the SROI engine makes of them.
//!
//! The store keeps [`ProjectDetails`], [`OutcomeEntry`] and [`Input`](crate::sroi::Input) values;
//! [`build_report`] turns them into an engine [`Project`](crate::sroi::Project) and every figure a
//! report shows, with a content hash so the same entries always give the same report.

pub(crate) mod entries;
mod proxies;
mod report;

pub use entries::{
    DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS, OutcomeEntry, ProjectDetails, ProjectMode, ProxyValue,
    validate_input,
};
pub use proxies::{Proxy, ProxyFileError, ProxyLibrary, ProxyUse, Verification};
pub use report::{
    ActualComparison, ActualRow, ComponentTotal, ProjectReport, ReportNote, build_report,
    content_hash, default_scenarios,
};
