pub mod area;
pub mod explore;
pub mod home;
pub mod maps;
pub mod search;
