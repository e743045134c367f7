pub mod assets;
pub mod developers;
