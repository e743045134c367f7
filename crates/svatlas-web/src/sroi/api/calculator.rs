pub mod calculate;
pub mod get_calculation;
pub mod sensitivity;
