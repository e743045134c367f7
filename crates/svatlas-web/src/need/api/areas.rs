pub mod change;
pub mod get;
pub mod needs;
pub mod similar;
pub mod summarise;
pub mod summary;
