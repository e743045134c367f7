pub mod projects;
pub mod proxies;
pub mod report;
