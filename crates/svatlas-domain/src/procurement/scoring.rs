//! Stateless bid scoring (SOCIAL_VALUE_MODEL.md §4), a contract other tools rely on.
//!
//! Two methods:
//! - `weighted_score`: price score = `W_price × lowest price / bid price`, quality score =
//!   `W_quality × quality / 100`, social value score = `W_sv × social value / 100`; the highest
//!   total wins. Weights are percentages summing to 100 with `W_sv ≥ 10` (both editions of the
//!   Social Value Model); above 30 a warning is given.
//! - `price_per_quality_point`: `price / quality`, where `quality` is the bid's **total**
//!   quality points, social value included (METHOD.md §11 Example 5 divides by that figure);
//!   the lowest wins. A bid's `social_value` is not added to it.
//!
//! Ranks: 1 is the winner; equal figures share a rank and the next rank skips (1, 1, 3).
//! Figures are equal when they differ by at most one part in 10^9 (float noise, not a real
//! difference). Figures are returned unrounded; round them only for display. Bids are answered
//! in the order they were sent.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::{Deserialize, Serialize};

use crate::sroi::{FieldError, ValidationErrors};

/// Most bids one request may score.
pub const MAX_BIDS: usize = 200;
/// Longest bid name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Highest price accepted (£).
pub const MAX_PRICE: f64 = 1e15;
/// Lowest social value weighting, percent of the total score (PPN 06/20 and PPN 002).
pub const MIN_SOCIAL_VALUE_WEIGHT: f64 = 10.0;
/// Social value weightings above this (percent) are accepted with a warning: unusually high.
pub const HIGH_SOCIAL_VALUE_WEIGHT: f64 = 30.0;
/// Most errors listed in one answer.
const MAX_REPORTED_ERRORS: usize = 200;

/// How bids are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Price, quality and social value scores weighted and added; highest total wins.
    WeightedScore,
    /// Price divided by total quality points; lowest wins.
    PricePerQualityPoint,
}

/// Weightings in percent of the total score; they must add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weights {
    /// Price weighting, 0–100.
    pub price: f64,
    /// Quality weighting, 0–100.
    pub quality: f64,
    /// Social value weighting, 10–100 (at least 10% of the total score).
    pub social_value: f64,
}

/// One bid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bid {
    /// Bidder or bid name, unique in the request (ignoring case and surrounding spaces).
    pub name: String,
    /// Bid price in £, more than 0.
    pub price: f64,
    /// Quality score 0–100. With `price_per_quality_point`: the bid's total quality points
    /// including its social value score, more than 0.
    pub quality: f64,
    /// Social value score 0–100: required with `weighted_score`; optional and not added to
    /// `quality` with `price_per_quality_point`.
    #[serde(default)]
    pub social_value: Option<f64>,
}

/// A scoring request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringRequest {
    /// `weighted_score` or `price_per_quality_point`.
    pub method: Method,
    /// Required with `weighted_score`; not used with `price_per_quality_point`.
    #[serde(default)]
    pub weights: Option<Weights>,
    /// The bids, 1 to 200.
    pub bids: Vec<Bid>,
}

/// A bid scored by weighted score.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeightedBidScore {
    /// The bid's name as sent.
    pub name: String,
    /// `W_price × lowest price / price`.
    pub price_score: f64,
    /// `W_quality × quality / 100`.
    pub quality_score: f64,
    /// `W_sv × social value / 100`.
    pub social_value_score: f64,
    /// Sum of the three scores, out of 100.
    pub total: f64,
    /// 1 = highest total; equal totals share a rank.
    pub rank: u32,
}

/// A bid scored by price per quality point.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PricePerQualityPointScore {
    /// The bid's name as sent.
    pub name: String,
    /// `price / quality` in £ per quality point.
    pub price_per_quality_point: f64,
    /// 1 = lowest price per quality point; equal figures share a rank.
    pub rank: u32,
}

/// One scored bid; its keys depend on the method.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum BidScore {
    /// With `weighted_score`.
    Weighted(WeightedBidScore),
    /// With `price_per_quality_point`.
    PricePerQualityPoint(PricePerQualityPointScore),
}

impl BidScore {
    /// The bid's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Weighted(b) => &b.name,
            Self::PricePerQualityPoint(b) => &b.name,
        }
    }

    /// The bid's rank (1 = winner).
    pub fn rank(&self) -> u32 {
        match self {
            Self::Weighted(b) => b.rank,
            Self::PricePerQualityPoint(b) => b.rank,
        }
    }
}

/// Why a request was scored but deserves a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// The social value weighting is above 30%.
    SocialValueWeightHigh,
    /// Weights were sent with `price_per_quality_point`, which does not use them.
    WeightsNotUsed,
    /// Social value scores were sent with `price_per_quality_point`; they are not added to
    /// `quality`.
    SocialValueNotAdded,
}

/// A warning about an accepted request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringWarning {
    /// What kind of warning.
    pub code: WarningCode,
    /// Plain-English explanation.
    pub message: String,
    /// The field it concerns.
    pub field: String,
}

/// The scored bids.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoringResult {
    /// The method used.
    pub method: Method,
    /// Every bid in the order sent, with its figures and rank.
    pub bids: Vec<BidScore>,
    /// Warnings (empty when none).
    pub warnings: Vec<ScoringWarning>,
}

/// The weighted social value score of several questions: `Σ weight × score / 100`, with each
/// question's weighting in percent of the total score and its score 0–100
/// (SOCIAL_VALUE_MODEL.md §4.3: 6% scored 100 and 4% scored 50 give 8.0).
pub fn weighted_social_value(questions: &[(f64, f64)]) -> f64 {
    questions.iter().map(|(w, s)| w * s / 100.0).sum()
}

/// Whether two figures are the same up to float noise (one part in 10^9).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Competition ranks (1, 1, 3) of `values`, best first: highest when `higher_wins`.
fn ranks(values: &[f64], higher_wins: bool) -> Vec<u32> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        let ordering = values[a].total_cmp(&values[b]);
        if higher_wins {
            ordering.reverse()
        } else {
            ordering
        }
    });
    let mut ranks = vec![0u32; values.len()];
    for (position, &i) in order.iter().enumerate() {
        ranks[i] = match position.checked_sub(1).map(|p| order[p]) {
            Some(previous) if same(values[previous], values[i]) => ranks[previous],
            // Positions are below MAX_BIDS, far inside u32.
            _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
    }
    ranks
}

fn out_of_range(field: String, message: String) -> FieldError {
    FieldError::new("out_of_range", field, message)
}

/// Checks a 0–100 score (NaN fails).
fn check_score(errors: &mut Vec<FieldError>, field: impl FnOnce() -> String, name: &str, v: f64) {
    if !(0.0..=100.0).contains(&v) {
        errors.push(out_of_range(
            field(),
            format!("{name} must be a score from 0 to 100"),
        ));
    }
}

fn validate(request: &ScoringRequest) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    let pqp = request.method == Method::PricePerQualityPoint;
    if request.bids.is_empty() {
        errors.push(FieldError::new("required", "bids", "send at least one bid"));
    } else if request.bids.len() > MAX_BIDS {
        // Checked before the bids themselves so a huge list costs nothing more.
        return Err(ValidationErrors(vec![FieldError::new(
            "too_many",
            "bids",
            format!(
                "at most {MAX_BIDS} bids can be scored at once; {} were sent",
                request.bids.len()
            ),
        )]));
    }
    if !pqp {
        match &request.weights {
            None => errors.push(FieldError::new(
                "required",
                "weights",
                "weighted_score needs weights: {\"price\", \"quality\", \"social_value\"} in \
                 percent, adding up to 100",
            )),
            Some(w) => {
                let mut each_ok = true;
                for (name, value) in [("price", w.price), ("quality", w.quality)] {
                    if !(0.0..=100.0).contains(&value) {
                        each_ok = false;
                        errors.push(out_of_range(
                            format!("weights.{name}"),
                            format!("weights.{name} must be a percentage from 0 to 100"),
                        ));
                    }
                }
                if !(MIN_SOCIAL_VALUE_WEIGHT..=100.0).contains(&w.social_value) {
                    each_ok = false;
                    errors.push(out_of_range(
                        "weights.social_value".into(),
                        format!(
                            "weights.social_value must be at least {MIN_SOCIAL_VALUE_WEIGHT} \
                             (social value is at least 10% of the total score under PPN 06/20 \
                             and PPN 002) and at most 100"
                        ),
                    ));
                }
                let sum = w.price + w.quality + w.social_value;
                if each_ok && !same(sum, 100.0) {
                    errors.push(FieldError::new(
                        "invalid",
                        "weights",
                        format!("weights must add up to 100; these add up to {sum}"),
                    ));
                }
            }
        }
    }
    // Names compare ignoring case and surrounding spaces: "Acme" and "ACME " are one bidder.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, bid) in request.bids.iter().enumerate() {
        let field = |name: &str| format!("bids[{i}].{name}");
        let name = bid.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                "required",
                field("name"),
                "each bid needs a name",
            ));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "too_long",
                field("name"),
                format!("a bid name can have at most {MAX_NAME_CHARS} characters"),
            ));
        } else {
            match seen.entry(name.to_lowercase()) {
                Entry::Occupied(first) => errors.push(FieldError::new(
                    "duplicate",
                    field("name"),
                    format!(
                        "bids[{}] already has the name {name:?}; bid names must be unique",
                        first.get()
                    ),
                )),
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
        if !(bid.price > 0.0 && bid.price <= MAX_PRICE) {
            errors.push(out_of_range(
                field("price"),
                format!("price must be more than 0 and at most {MAX_PRICE} (£)"),
            ));
        }
        if pqp {
            if !(bid.quality > 0.0 && bid.quality <= 100.0) {
                errors.push(out_of_range(
                    field("quality"),
                    "quality must be the bid's total quality points, more than 0 and at most \
                     100"
                    .into(),
                ));
            }
        } else {
            check_score(&mut errors, || field("quality"), "quality", bid.quality);
        }
        match bid.social_value {
            Some(v) => check_score(&mut errors, || field("social_value"), "social_value", v),
            None if !pqp => errors.push(FieldError::new(
                "required",
                field("social_value"),
                "weighted_score needs each bid's social_value score (0 to 100)",
            )),
            None => {}
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    if errors.len() > MAX_REPORTED_ERRORS {
        errors.truncate(MAX_REPORTED_ERRORS);
        errors.push(FieldError::new(
            "too_many_errors",
            "",
            format!("only the first {MAX_REPORTED_ERRORS} problems are listed"),
        ));
    }
    Err(ValidationErrors(errors))
}

/// Scores and ranks the bids, or lists every problem with the request (each naming its
/// field, e.g. `bids[1].price` or `weights.social_value`).
pub fn evaluate(request: &ScoringRequest) -> Result<ScoringResult, ValidationErrors> {
    validate(request)?;
    let mut warnings = Vec::new();
    let bids = match request.method {
        Method::WeightedScore => {
            let w = request
                .weights
                .expect("validate() requires weights for weighted_score");
            if w.social_value > HIGH_SOCIAL_VALUE_WEIGHT {
                warnings.push(ScoringWarning {
                    code: WarningCode::SocialValueWeightHigh,
                    message: format!(
                        "social value is weighted {}% of the total score; weightings of 10% \
                         to {HIGH_SOCIAL_VALUE_WEIGHT}% are usual, so check that this is \
                         intended and justified",
                        w.social_value
                    ),
                    field: "weights.social_value".into(),
                });
            }
            let lowest = request
                .bids
                .iter()
                .map(|b| b.price)
                .fold(f64::INFINITY, f64::min);
            let scored: Vec<(f64, f64, f64)> = request
                .bids
                .iter()
                .map(|b| {
                    (
                        w.price * lowest / b.price,
                        w.quality * b.quality / 100.0,
                        w.social_value * b.social_value.unwrap_or(0.0) / 100.0,
                    )
                })
                .collect();
            let totals: Vec<f64> = scored.iter().map(|(p, q, s)| p + q + s).collect();
            let ranks = ranks(&totals, true);
            request
                .bids
                .iter()
                .zip(scored)
                .zip(totals.iter().zip(ranks))
                .map(|((bid, (p, q, s)), (&total, rank))| {
                    BidScore::Weighted(WeightedBidScore {
                        name: bid.name.clone(),
                        price_score: p,
                        quality_score: q,
                        social_value_score: s,
                        total,
                        rank,
                    })
                })
                .collect()
        }
        Method::PricePerQualityPoint => {
            if request.weights.is_some() {
                warnings.push(ScoringWarning {
                    code: WarningCode::WeightsNotUsed,
                    message: "price_per_quality_point does not use weights; they were ignored"
                        .into(),
                    field: "weights".into(),
                });
            }
            if let Some(i) = request.bids.iter().position(|b| b.social_value.is_some()) {
                warnings.push(ScoringWarning {
                    code: WarningCode::SocialValueNotAdded,
                    message: "social_value is not added to quality: with \
                              price_per_quality_point, quality must already be the bid's total \
                              quality points including its social value score"
                        .into(),
                    field: format!("bids[{i}].social_value"),
                });
            }
            let figures: Vec<f64> = request.bids.iter().map(|b| b.price / b.quality).collect();
            let ranks = ranks(&figures, false);
            request
                .bids
                .iter()
                .zip(figures.iter().zip(ranks))
                .map(|(bid, (&figure, rank))| {
                    BidScore::PricePerQualityPoint(PricePerQualityPointScore {
                        name: bid.name.clone(),
                        price_per_quality_point: figure,
                        rank,
                    })
                })
                .collect()
        }
    };
    Ok(ScoringResult {
        method: request.method,
        bids,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn bid(name: &str, price: f64, quality: f64, social_value: Option<f64>) -> Bid {
        Bid {
            name: name.into(),
            price,
            quality,
            social_value,
        }
    }

    /// METHOD.md §11 Example 5: weights 40/50/10, A £900,000 quality 70 SV 80, B £1,000,000
    /// quality 85 SV 50.
    fn example5(method: Method) -> ScoringRequest {
        ScoringRequest {
            method,
            weights: (method == Method::WeightedScore).then_some(Weights {
                price: 40.0,
                quality: 50.0,
                social_value: 10.0,
            }),
            bids: vec![
                bid("A", 900_000.0, 70.0, Some(80.0)),
                bid("B", 1_000_000.0, 85.0, Some(50.0)),
            ],
        }
    }

    fn weighted(result: &ScoringResult) -> Vec<&WeightedBidScore> {
        result
            .bids
            .iter()
            .map(|b| match b {
                BidScore::Weighted(w) => w,
                BidScore::PricePerQualityPoint(_) => panic!("weighted expected"),
            })
            .collect()
    }

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "got {actual}, expected {expected}"
        );
    }

    #[test]
    fn example_5_weighted_score_b_wins_by_half_a_point() {
        let result = evaluate(&example5(Method::WeightedScore)).expect("valid");
        let bids = weighted(&result);
        // A: 40.0 + 35.0 + 8.0 = 83.0; B: 36.0 + 42.5 + 5.0 = 83.5.
        let (a, b) = (bids[0], bids[1]);
        assert_eq!(a.name, "A");
        close(a.price_score, 40.0, 1e-9);
        close(a.quality_score, 35.0, 1e-9);
        close(a.social_value_score, 8.0, 1e-9);
        close(a.total, 83.0, 1e-9);
        close(b.price_score, 36.0, 1e-9);
        close(b.quality_score, 42.5, 1e-9);
        close(b.social_value_score, 5.0, 1e-9);
        close(b.total, 83.5, 1e-9);
        assert_eq!((a.rank, b.rank), (2, 1));
        assert!(result.warnings.is_empty());
    }

    #[test]
    fn example_5_price_per_quality_point_b_wins() {
        let mut request = example5(Method::PricePerQualityPoint);
        for b in &mut request.bids {
            b.social_value = None;
        }
        let result = evaluate(&request).expect("valid");
        let figures: Vec<(f64, u32)> = result
            .bids
            .iter()
            .map(|b| match b {
                BidScore::PricePerQualityPoint(p) => (p.price_per_quality_point, p.rank),
                BidScore::Weighted(_) => panic!("pqp expected"),
            })
            .collect();
        // A 900,000/70 = 12,857.14; B 1,000,000/85 = 11,764.71 (to 2 dp).
        close(figures[0].0, 12_857.14, 0.005);
        close(figures[1].0, 11_764.71, 0.005);
        assert_eq!((figures[0].1, figures[1].1), (2, 1));
        assert!(result.warnings.is_empty());
    }

    #[test]
    fn example_5_two_social_value_questions_make_8() {
        close(
            weighted_social_value(&[(6.0, 100.0), (4.0, 50.0)]),
            8.0,
            1e-12,
        );
        assert_eq!(weighted_social_value(&[]), 0.0);
    }

    #[test]
    fn price_per_quality_point_warns_about_unused_fields() {
        let mut request = example5(Method::PricePerQualityPoint);
        request.weights = Some(Weights {
            price: 40.0,
            quality: 50.0,
            social_value: 10.0,
        });
        let result = evaluate(&request).expect("valid");
        let codes: Vec<WarningCode> = result.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [
                WarningCode::WeightsNotUsed,
                WarningCode::SocialValueNotAdded
            ]
        );
        assert_eq!(result.warnings[1].field, "bids[0].social_value");
        // Social value is not added: the figures are the Example 5 ones.
        assert_eq!(result.bids[1].rank(), 1);
    }

    #[test]
    fn high_social_value_weighting_is_scored_with_a_warning() {
        let mut request = example5(Method::WeightedScore);
        request.weights = Some(Weights {
            price: 30.0,
            quality: 35.0,
            social_value: 35.0,
        });
        let result = evaluate(&request).expect("valid");
        assert_eq!(result.warnings.len(), 1);
        assert_eq!(result.warnings[0].code, WarningCode::SocialValueWeightHigh);
        assert_eq!(result.warnings[0].field, "weights.social_value");
        // Exactly 30 is usual: no warning.
        request.weights = Some(Weights {
            price: 30.0,
            quality: 40.0,
            social_value: 30.0,
        });
        assert!(evaluate(&request).expect("valid").warnings.is_empty());
    }

    #[test]
    fn equal_totals_share_a_rank_and_the_next_rank_skips() {
        let request = ScoringRequest {
            method: Method::WeightedScore,
            weights: Some(Weights {
                price: 40.0,
                quality: 50.0,
                social_value: 10.0,
            }),
            bids: vec![
                bid("Low", 1_000_000.0, 60.0, Some(50.0)),
                bid("Top 1", 900_000.0, 70.0, Some(80.0)),
                bid("Top 2", 900_000.0, 70.0, Some(80.0)),
            ],
        };
        let result = evaluate(&request).expect("valid");
        let ranks: Vec<u32> = result.bids.iter().map(BidScore::rank).collect();
        assert_eq!(ranks, [3, 1, 1]);
        let names: Vec<&str> = result.bids.iter().map(BidScore::name).collect();
        assert_eq!(names, ["Low", "Top 1", "Top 2"], "request order kept");
        // Totals equal up to float noise are ties too.
        assert_eq!(ranks_of(&[0.1 + 0.2, 0.3, 0.2], true), [1, 1, 3]);
        assert_eq!(ranks_of(&[5.0, 2.0, 2.0, 1.0], false), [4, 2, 2, 1]);
    }

    fn ranks_of(values: &[f64], higher_wins: bool) -> Vec<u32> {
        ranks(values, higher_wins)
    }

    fn errors(request: &ScoringRequest) -> ValidationErrors {
        evaluate(request).expect_err("invalid")
    }

    #[test]
    fn social_value_weighting_below_10_is_refused() {
        let mut request = example5(Method::WeightedScore);
        request.weights = Some(Weights {
            price: 45.0,
            quality: 50.0,
            social_value: 5.0,
        });
        let e = errors(&request);
        let sv = e.for_field("weights.social_value").expect("named");
        assert_eq!(sv.code, "out_of_range");
        assert!(sv.message.contains("at least 10"));
    }

    #[test]
    fn weights_must_add_up_to_100_and_be_present() {
        let mut request = example5(Method::WeightedScore);
        request.weights = Some(Weights {
            price: 40.0,
            quality: 40.0,
            social_value: 10.0,
        });
        let e = errors(&request);
        assert_eq!(e.for_field("weights").expect("sum").code, "invalid");
        assert!(e.0[0].message.contains("90"));
        request.weights = None;
        assert_eq!(
            errors(&request)
                .for_field("weights")
                .expect("required")
                .code,
            "required"
        );
        request.weights = Some(Weights {
            price: -10.0,
            quality: 100.0,
            social_value: 10.0,
        });
        let e = errors(&request);
        assert!(e.for_field("weights.price").is_some());
        assert!(e.for_field("weights").is_none(), "no sum error on top");
    }

    #[test]
    fn bad_bids_are_named_by_index_and_field() {
        let mut request = example5(Method::WeightedScore);
        request.bids = vec![
            bid("A", 900_000.0, 70.0, Some(80.0)),
            bid("B", 0.0, 101.0, None),
            bid(" a ", f64::NAN, -1.0, Some(100.5)),
            bid("  ", 1.0, 50.0, Some(50.0)),
        ];
        let e = errors(&request);
        let code = |f: &str| e.for_field(f).map(|x| x.code.as_str());
        assert_eq!(code("bids[1].price"), Some("out_of_range"));
        assert_eq!(code("bids[1].quality"), Some("out_of_range"));
        assert_eq!(code("bids[1].social_value"), Some("required"));
        assert_eq!(code("bids[2].name"), Some("duplicate"));
        assert_eq!(code("bids[2].price"), Some("out_of_range"));
        assert_eq!(code("bids[2].quality"), Some("out_of_range"));
        assert_eq!(code("bids[2].social_value"), Some("out_of_range"));
        assert_eq!(code("bids[3].name"), Some("required"));
        assert!(e.for_field("bids[0].name").is_none());
        assert!(
            e.for_field("bids[2].name")
                .expect("dup")
                .message
                .contains("bids[0]")
        );
    }

    #[test]
    fn bid_count_and_name_length_are_bounded() {
        let mut request = example5(Method::PricePerQualityPoint);
        request.bids.clear();
        assert_eq!(
            errors(&request).for_field("bids").expect("empty").code,
            "required"
        );
        request.bids = (0..=MAX_BIDS)
            .map(|i| bid(&format!("Bid {i}"), 1.0, 50.0, None))
            .collect();
        let e = errors(&request);
        assert_eq!((e.0.len(), e.0[0].code.as_str()), (1, "too_many"));
        request.bids.truncate(MAX_BIDS);
        assert_eq!(
            evaluate(&request).expect("200 is allowed").bids.len(),
            MAX_BIDS
        );
        request.bids = vec![bid(&"x".repeat(MAX_NAME_CHARS + 1), 1.0, 50.0, None)];
        assert_eq!(errors(&request).0[0].code, "too_long");
    }

    #[test]
    fn price_per_quality_point_needs_positive_quality() {
        let mut request = example5(Method::PricePerQualityPoint);
        request.bids[0].quality = 0.0;
        let e = errors(&request);
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "bids[0].quality");
        // social_value stays optional but must be a score when sent.
        request.bids[0].quality = 70.0;
        request.bids[1].social_value = Some(120.0);
        assert!(errors(&request).for_field("bids[1].social_value").is_some());
    }

    #[test]
    fn the_contract_json_shape() {
        let request: ScoringRequest = serde_json::from_value(serde_json::json!({
            "method": "weighted_score",
            "weights": {"price": 40, "quality": 50, "social_value": 10},
            "bids": [{"name": "A", "price": 900000, "quality": 70, "social_value": 80},
                     {"name": "B", "price": 1000000, "quality": 85, "social_value": 50}]
        }))
        .expect("contract request");
        let json = serde_json::to_value(evaluate(&request).expect("valid")).expect("json");
        assert_eq!(json["method"], "weighted_score");
        let keys: Vec<&String> = json["bids"][0]
            .as_object()
            .expect("object")
            .keys()
            .collect();
        assert_eq!(
            keys,
            // serde_json lists keys alphabetically.
            [
                "name",
                "price_score",
                "quality_score",
                "rank",
                "social_value_score",
                "total"
            ]
        );
        assert_eq!(json["bids"][1]["rank"], 1);
        assert_eq!(json["warnings"], serde_json::json!([]));
        let pqp: ScoringRequest = serde_json::from_value(serde_json::json!({
            "method": "price_per_quality_point",
            "bids": [{"name": "A", "price": 900000, "quality": 70}]
        }))
        .expect("contract request");
        let json = serde_json::to_value(evaluate(&pqp).expect("valid")).expect("json");
        let keys: Vec<&String> = json["bids"][0]
            .as_object()
            .expect("object")
            .keys()
            .collect();
        assert_eq!(keys, ["name", "price_per_quality_point", "rank"]);
    }

    proptest! {
        /// A bid's rank is 1 + the number of bids strictly better than it, whatever the order.
        #[test]
        fn rank_is_one_plus_the_bids_strictly_ahead(
            bids in prop::collection::vec((1.0f64..2e6, 1.0f64..=100.0, 0.0f64..=100.0), 1..30),
        ) {
            let request = ScoringRequest {
                method: Method::WeightedScore,
                weights: Some(Weights { price: 40.0, quality: 45.0, social_value: 15.0 }),
                bids: bids
                    .iter()
                    .enumerate()
                    .map(|(i, &(p, q, s))| bid(&format!("Bid {i}"), p, q, Some(s)))
                    .collect(),
            };
            let result = evaluate(&request).expect("valid");
            let scored = weighted(&result);
            prop_assert!(scored.iter().any(|b| b.rank == 1));
            for b in &scored {
                let ahead = scored.iter().filter(|o| o.total > b.total && !same(o.total, b.total)).count();
                prop_assert_eq!(b.rank as usize, ahead + 1);
                prop_assert!(b.total <= 100.0 + 1e-9 && b.total >= 0.0);
            }
        }
    }
}
