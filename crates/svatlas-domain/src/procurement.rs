//! Procurement: the UK Government Social Value Model and how bids are scored against it.
//!
//! - [`model`]: both editions of the Social Value Model (2020, PPN 06/20; 2025, PPN 002) as a
//!   catalogue of themes or missions, policy outcomes, model award criteria (MACs) and reporting
//!   metrics, each with how certain its wording is, plus a suggested 2020 → 2025 mapping.
//! - [`scoring`]: the stateless bid-scoring helper (weighted score and price per quality point,
//!   SOCIAL_VALUE_MODEL.md §4), with the worked example of METHOD.md §11 Example 5 as its tests.
//! - [`tender`]: a buyer's tender (criteria, questions and weights, method, scale).
//! - [`bid`]: a supplier's bid (price, method statements, quantified commitments).
//! - [`valuation`]: a commitment valued with the calculator's SROI engine and a library proxy.
//! - [`evaluation`]: evaluators' and consensus scores, and the ranked results.
//! - [`opportunity`]: open tenders listed for suppliers to find, their requests to bid and the
//!   buyer's decision.
//! - [`spend`]: local spend with the supply chain and its shares (area, deprived, SME, VCSE).
//! - [`delivery`]: contract KPIs from the winning bid, delivery claims and their review,
//!   progress, milestones and the double-counting guard.

pub mod bid;
pub mod delivery;
pub mod evaluation;
pub mod model;
pub mod opportunity;
pub mod scoring;
pub mod spend;
pub mod tender;
pub mod valuation;
