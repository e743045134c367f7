//! Handlers, one folder per resource and one file per action.

pub mod assets;
pub mod developers;
pub mod health;
pub mod home;
pub mod openapi;
pub mod sroi;
