//! Evaluation of a tender's bids: evaluators score each question independently on the
//! tender's scale with a rationale, a moderator records the consensus score and its
//! justification, and the consensus scores give each bid's weighted scores, total and rank
//! through the same rules as the stateless scoring helper ([`super::scoring::evaluate`]).
//!
//! A bid's quality points are `Σ w_q × s_q / 100` over its quality questions and its social
//! value points the same over its social value questions (SOCIAL_VALUE_MODEL.md §4.3), each
//! question's weight `w_q` in percent of the total score.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::scoring::{
    Bid, BidScore, Method, ScoringRequest, ScoringResult, ScoringWarning, Weights, evaluate,
};
use super::tender::{QuestionKind, TEXT_MAX_CHARS, TenderDetails};
use crate::calculator::entries::{check_required, finish};
use crate::sroi::{FieldError, ValidationErrors};

/// A buyer's member's part in evaluating one tender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PanelRole {
    /// Scores every question of every bid independently; sees only their own scores until the
    /// consensus of that question is recorded.
    Evaluator,
    /// Sees every evaluator's scores and records the consensus score with its justification.
    Moderator,
}

impl PanelRole {
    /// Id as stored.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Evaluator => "evaluator",
            Self::Moderator => "moderator",
        }
    }

    /// Parses the id.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "evaluator" => Some(Self::Evaluator),
            "moderator" => Some(Self::Moderator),
            _ => None,
        }
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Evaluator => "Evaluator",
            Self::Moderator => "Moderator",
        }
    }
}

/// A score for one question of one bid, by an evaluator or (as consensus) by the moderator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuestionScore {
    /// One of the tender's scale scores.
    pub score: f64,
    /// Why: the evaluator's rationale, or the moderator's justification of the consensus.
    pub rationale: String,
}

impl QuestionScore {
    /// Checks the score is on the tender's scale and the rationale is written.
    pub fn validate(&self, tender: &TenderDetails) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        if !self.score.is_finite() || !tender.on_scale(self.score) {
            errors.push(FieldError::new(
                "out_of_range",
                "score",
                format!(
                    "the score must be one of this tender's scale: {}",
                    tender.scale_words()
                ),
            ));
        }
        check_required(&mut errors, "rationale", &self.rationale, TEXT_MAX_CHARS);
        finish(errors)
    }
}

/// A submitted bid with its consensus scores, as the results need it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredBid {
    /// Bidder name (unique in the tender).
    pub name: String,
    /// Bid price, £.
    pub price_gbp: f64,
    /// Consensus score per question id.
    pub consensus: BTreeMap<String, f64>,
}

/// One bid's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidResult {
    /// Bidder name (sent once, as the scoring figures' `name`).
    #[serde(skip)]
    pub name: String,
    /// Bid price, £.
    pub price_gbp: f64,
    /// `Σ w_q × s_q / 100` over the quality questions (out of `W_quality`).
    pub quality_points: f64,
    /// `Σ w_q × s_q / 100` over the social value questions (out of `W_sv`).
    pub social_value_points: f64,
    /// The scoring helper's figures and rank for this bid (`name`, the method's scores,
    /// `rank`), at the top level.
    #[serde(flatten)]
    pub score: BidScore,
}

/// The ranked result of a tender's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenderResults {
    /// The tender's method.
    pub method: Method,
    /// Bids in the order given, each with its rank (1 = winner).
    pub bids: Vec<BidResult>,
    /// Warnings from the scoring rules.
    pub warnings: Vec<ScoringWarning>,
}

/// Why results cannot be worked out yet.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResultsError {
    /// No submitted bids.
    #[error("there are no submitted bids to score")]
    NoBids,
    /// Some questions have no consensus score yet.
    #[error("consensus scores are still missing: {}", .0.join("; "))]
    Incomplete(Vec<String>),
    /// The scoring rules refused the figures (e.g. a bid with no quality points under price
    /// per quality point).
    #[error("{0}")]
    Scoring(String),
}

/// Quality and social value points of one bid's consensus scores.
pub fn points(tender: &TenderDetails, consensus: &BTreeMap<String, f64>) -> (f64, f64) {
    let mut quality = 0.0;
    let mut social = 0.0;
    for q in &tender.questions {
        let s = consensus.get(&q.id).copied().unwrap_or(0.0);
        let p = q.weight * s / 100.0;
        match q.kind {
            QuestionKind::Quality => quality += p,
            QuestionKind::SocialValue => social += p,
        }
    }
    (quality, social)
}

/// Ranks the bids from their consensus scores. Every question of every bid needs one.
pub fn results(tender: &TenderDetails, bids: &[ScoredBid]) -> Result<TenderResults, ResultsError> {
    if bids.is_empty() {
        return Err(ResultsError::NoBids);
    }
    let missing: Vec<String> = bids
        .iter()
        .filter_map(|b| {
            let gaps: Vec<&str> = tender
                .questions
                .iter()
                .filter(|q| !b.consensus.contains_key(&q.id))
                .map(|q| q.id.as_str())
                .collect();
            (!gaps.is_empty()).then(|| format!("{}: {}", b.name, gaps.join(", ")))
        })
        .collect();
    if !missing.is_empty() {
        return Err(ResultsError::Incomplete(missing));
    }
    let w_quality = tender.quality_weight();
    let pts: Vec<(f64, f64)> = bids.iter().map(|b| points(tender, &b.consensus)).collect();
    let w_social_value = tender.social_value_weight();
    let request = ScoringRequest {
        method: tender.method,
        weights: (tender.method == Method::WeightedScore).then_some(Weights {
            price: tender.price_weight,
            quality: w_quality,
            social_value: w_social_value,
        }),
        bids: bids
            .iter()
            .zip(&pts)
            .map(|(b, (q, sv))| {
                let (quality, social_value) = match tender.method {
                    // The helper takes scores out of 100 and weights them again.
                    Method::WeightedScore => (
                        if w_quality > 0.0 {
                            (q / w_quality * 100.0).clamp(0.0, 100.0)
                        } else {
                            0.0
                        },
                        Some((sv / w_social_value * 100.0).clamp(0.0, 100.0)),
                    ),
                    Method::PricePerQualityPoint => (q + sv, None),
                };
                Bid {
                    name: b.name.clone(),
                    price: b.price_gbp,
                    quality,
                    social_value,
                }
            })
            .collect(),
    };
    let ScoringResult {
        method,
        bids: scores,
        warnings,
    } = evaluate(&request).map_err(|e| {
        ResultsError::Scoring(
            e.0.iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    Ok(TenderResults {
        method,
        bids: bids
            .iter()
            .zip(pts)
            .zip(scores)
            .map(|((b, (q, sv)), score)| BidResult {
                name: b.name.clone(),
                price_gbp: b.price_gbp,
                quality_points: q,
                social_value_points: sv,
                score,
            })
            .collect(),
        warnings,
    })
}

/// How far apart the evaluators' scores for one question are: the spread a moderator looks at.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spread {
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// Mean score.
    pub mean: f64,
    /// How many evaluators scored.
    pub count: usize,
}

/// The spread of some scores; `None` when there are none.
pub fn spread(scores: &[f64]) -> Option<Spread> {
    if scores.is_empty() {
        return None;
    }
    let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(Spread {
        min,
        max,
        mean: scores.iter().sum::<f64>() / scores.len() as f64,
        count: scores.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procurement::scoring::WeightedBidScore;
    use crate::procurement::tender::tests::example5;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    /// A bid with consensus `q` on the quality question Q1 and `sv` on SV1 and SV2.
    fn bid(name: &str, price: f64, q: f64, sv: f64) -> ScoredBid {
        ScoredBid {
            name: name.into(),
            price_gbp: price,
            consensus: [("Q1", q), ("SV1", sv), ("SV2", sv)]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        }
    }

    /// Example 5's bids as consensus scores: A quality 70, SV 80; B quality 85, SV 50.
    fn example5_bids() -> Vec<ScoredBid> {
        vec![
            bid("A", 900_000.0, 70.0, 80.0),
            bid("B", 1_000_000.0, 85.0, 50.0),
        ]
    }

    #[test]
    fn example_5_weighted_scores_from_consensus_b_wins_835_to_830() {
        let mut t = example5();
        // The example's 70 and 85 are not on the five-point scale; a finer scale carries them.
        t.scale = (0..=20)
            .map(|i| super::super::tender::ScaleLevel {
                score: f64::from(i) * 5.0,
                descriptor: format!("{} points", i * 5),
            })
            .collect();
        t.validate().expect("valid");
        let r = results(&t, &example5_bids()).expect("results");
        let w = |i: usize| match &r.bids[i].score {
            BidScore::Weighted(w) => w.clone(),
            other => panic!("{other:?}"),
        };
        let WeightedBidScore {
            price_score,
            quality_score,
            social_value_score,
            total,
            rank,
            ..
        } = w(0);
        close(price_score, 40.0);
        close(quality_score, 35.0);
        close(social_value_score, 8.0);
        close(total, 83.0);
        assert_eq!(rank, 2);
        let b = w(1);
        close(b.price_score, 36.0);
        close(b.quality_score, 42.5);
        close(b.social_value_score, 5.0);
        close(b.total, 83.5);
        assert_eq!(b.rank, 1);
        close(r.bids[0].quality_points, 35.0);
        close(r.bids[0].social_value_points, 8.0);
    }

    #[test]
    fn example_5_two_social_value_questions_give_8_percent() {
        let t = example5();
        let consensus: BTreeMap<String, f64> = [("Q1", 0.0), ("SV1", 100.0), ("SV2", 50.0)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let (q, sv) = points(&t, &consensus);
        close(q, 0.0);
        close(sv, 8.0);
    }

    #[test]
    fn example_5_price_per_quality_point() {
        // 70 and 85 total quality points: one question carrying all 100 points is not allowed
        // (social value must carry 10%), so 90 + 10 points scored to the same totals.
        let mut t = example5();
        t.method = Method::PricePerQualityPoint;
        t.price_weight = 0.0;
        t.questions[0].weight = 90.0;
        t.questions[1].weight = 5.0;
        t.questions[2].weight = 5.0;
        t.scale = (0..=100)
            .map(|i| super::super::tender::ScaleLevel {
                score: f64::from(i),
                descriptor: format!("{i}"),
            })
            .collect();
        t.validate().expect("valid");
        let bids = vec![
            bid("A", 900_000.0, 70.0, 70.0),
            bid("B", 1_000_000.0, 85.0, 85.0),
        ];
        let r = results(&t, &bids).expect("results");
        let pqp = |i: usize| match &r.bids[i].score {
            BidScore::PricePerQualityPoint(p) => (p.price_per_quality_point, p.rank),
            other => panic!("{other:?}"),
        };
        assert_eq!(crate::sroi::display::round_money(pqp(0).0), 12_857.14, "A");
        assert_eq!(crate::sroi::display::round_money(pqp(1).0), 11_764.71);
        assert_eq!((pqp(0).1, pqp(1).1), (2, 1));
    }

    #[test]
    fn missing_consensus_is_listed_by_bid_and_question() {
        let t = example5();
        let mut bids = example5_bids();
        bids[1].consensus.remove("SV2");
        match results(&t, &bids) {
            Err(ResultsError::Incomplete(gaps)) => assert_eq!(gaps, vec!["B: SV2".to_owned()]),
            other => panic!("{other:?}"),
        }
        assert_eq!(results(&t, &[]), Err(ResultsError::NoBids));
    }

    #[test]
    fn scores_must_be_on_the_scale_with_a_rationale() {
        let t = example5();
        let s = QuestionScore {
            score: 70.0,
            rationale: " ".into(),
        };
        let e = s.validate(&t).unwrap_err();
        assert!(
            e.for_field("score")
                .unwrap()
                .message
                .contains("0, 20, 50, 80 or 100")
        );
        assert!(e.for_field("rationale").is_some());
        QuestionScore {
            score: 80.0,
            rationale: "Clear plan".into(),
        }
        .validate(&t)
        .expect("valid");
    }

    #[test]
    fn spread_of_scores() {
        let s = spread(&[50.0, 80.0, 80.0]).unwrap();
        assert_eq!((s.min, s.max, s.count), (50.0, 80.0, 3));
        close(s.mean, 70.0);
        assert!(spread(&[]).is_none());
    }
}
