pub mod calculator;
pub mod projects;
pub mod proxies;
