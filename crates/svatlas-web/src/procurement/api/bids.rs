//! Scoring bids in the JSON API: evaluators' scores and the moderator's consensus.

pub mod consensus;
pub mod score;
