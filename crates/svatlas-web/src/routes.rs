//! Handlers, one folder per resource and one file per action.

pub mod account;
pub mod area_page;
pub mod areas;
pub mod assets;
pub mod correlation;
pub mod datasets;
pub mod developers;
pub mod explore;
pub mod health;
pub mod home;
pub mod indicators;
pub mod login;
pub mod logout;
pub mod maps;
pub mod me;
pub mod openapi;
pub mod organisations;
pub mod project_pages;
pub mod project_report;
pub mod projects;
pub mod proxies;
pub mod proxy_pages;
pub mod rankings;
pub mod search;
pub mod sroi;
