//! The stateless bid-scoring helper.

pub mod evaluate;
