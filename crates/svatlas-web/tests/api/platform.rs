pub(crate) mod app;
pub(crate) mod authz_matrix;
pub(crate) mod helpers;
pub(crate) mod matrix;
pub(crate) mod pages;
pub(crate) mod system;
