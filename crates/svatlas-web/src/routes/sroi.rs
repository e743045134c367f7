pub mod calculate;
pub mod get_calculation;
