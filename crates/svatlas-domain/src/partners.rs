//! The VCSE partner directory: voluntary, community and social enterprise organisations
//! register a profile (charity or company number, areas served, causes, needs and offers),
//! buyers and suppliers search it and rank it against a tender or contract, and suppliers
//! pledge support to a need and report its delivery, which the VCSE confirms or queries.
//!
//! - [`causes`]: what a VCSE works on: Social Value Model criteria of either edition, 2025
//!   missions and Bristol Accord components, with how they relate across editions.
//! - [`profile`]: a profile as entered, with the formats of UK charity and company numbers.
//! - [`pledge`]: needs, pledges, delivery reports and their confirmation; only confirmed
//!   delivery counts.
//! - [`matching`]: the ranking formula (causes, area need, distance), shown to users in words.

pub mod causes;
pub mod matching;
pub mod pledge;
pub mod profile;

pub use causes::{Cause, all_causes};
pub use matching::{
    Available, Candidate, Factor, MatchScore, Overlap, cause_overlap, formula_words, rank,
    score_match,
};
pub use pledge::{
    DeliveryReport, NeedDetails, NeedKind, NeedProgress, PledgeDetails, PledgeFigure, PledgeReview,
    PledgeStatus, check_pledge_review, need_progress,
};
pub use profile::{ProfileDetails, is_charity_number, is_company_number};
