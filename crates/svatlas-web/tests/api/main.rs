//! In-process HTTP tests of the real router (no sockets), on every available store backend.

mod area_helpers;
mod areas;
mod helpers;
mod local_need_fuzz;
mod local_need_stats;
mod maps;
mod pages;
mod sroi;
mod system;
