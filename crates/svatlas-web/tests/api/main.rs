//! In-process HTTP tests of the real router (no sockets), on every available store backend.

mod accounts_web;
mod area_helpers;
mod area_page;
mod areas;
mod authz_matrix;
mod calculator_helpers;
mod contract_pages;
mod explore_pages;
mod helpers;
mod local_need_fuzz;
mod local_need_stats;
mod maps;
mod pages;
mod partners_matrix;
mod procurement_api;
mod procurement_helpers;
mod procurement_matrix;
mod project_pages;
mod projects_api;
mod search;
mod snapshots;
mod spend_transparency;
mod sroi;
mod system;
mod tender_pages;
mod tenders_api;
