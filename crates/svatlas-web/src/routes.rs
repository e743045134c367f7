//! Handlers, one folder per resource and one file per action.

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
pub mod maps;
pub mod openapi;
pub mod rankings;
pub mod search;
pub mod sroi;
