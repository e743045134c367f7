pub mod bid_files;
pub mod contracts;
pub mod model;
pub mod opportunities;
pub mod spend;
pub mod tenders;
pub mod transparency;
