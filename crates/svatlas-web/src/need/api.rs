pub mod areas;
pub mod correlation;
pub mod datasets;
pub mod indicators;
pub mod rankings;
