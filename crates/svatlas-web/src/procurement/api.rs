pub mod bids;
pub mod contracts;
pub mod model;
pub mod opportunities;
pub mod scoring;
pub mod tenders;
pub mod transparency;
