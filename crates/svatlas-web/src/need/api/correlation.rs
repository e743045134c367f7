pub mod get;
pub mod matrix;
