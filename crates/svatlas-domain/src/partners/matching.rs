//! Ranking VCSEs for a tender or contract. No black box: the score is three factors, each
//! between 0 and 1, weighted and added up to a score out of 100, and every factor is shown in
//! words with its value.
//!
//! 1. **Causes** (weight 50%): of the Social Value Model criteria the tender asks for (or the
//!    contract's KPIs deliver), the share the VCSE works on. A criterion the VCSE lists counts
//!    1; one it does not list but that falls under a 2025 mission the VCSE works on (directly,
//!    or through a criterion of either edition; 2020 criteria through the *suggested*
//!    2020 → 2025 mapping) counts [`RELATED_CREDIT`].
//! 2. **Need** (weight 30%): how deprived the neighbourhoods the VCSE serves are: with `d` the
//!    average IMD 2025 decile of the LSOAs in its areas (1 = most deprived 10% in England),
//!    need = (10 − d) ÷ 9, so 1 for the most deprived decile and 0 for the least.
//! 3. **Distance** (weight 20%): closeness = 1 − km ÷ [`FAR_KM`] (never below 0), where km is
//!    the distance between the nearest centroids of the VCSE's and the tender's areas, and 0
//!    when one of the VCSE's areas is, contains or lies within one of the tender's.
//!
//! score = 100 × Σ (weight × value) ÷ Σ weight, the sums over the factors that can be worked out
//! on this server for this tender (no criteria, no area data or no boundaries leave a factor
//! out for everyone, and the weights of the others are rescaled). A factor that applies but is
//! unknown for one VCSE (areas outside England, unknown codes) counts 0 for that VCSE and says
//! so.

use serde::Serialize;

use super::causes::Cause;
use crate::procurement::tender::num;

/// Weight of the causes factor.
pub const CAUSE_WEIGHT: f64 = 0.5;
/// Weight of the area need factor.
pub const NEED_WEIGHT: f64 = 0.3;
/// Weight of the distance factor.
pub const DISTANCE_WEIGHT: f64 = 0.2;
/// Distance at and beyond which closeness is 0, km.
pub const FAR_KM: f64 = 50.0;
/// Credit for a criterion related through a shared 2025 mission rather than listed.
pub const RELATED_CREDIT: f64 = 0.5;

/// How a VCSE's causes meet the criteria wanted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overlap {
    /// Share of the criteria met, 0 to 1 (related ones count [`RELATED_CREDIT`]).
    pub value: f64,
    /// Criteria wanted that the VCSE lists.
    pub matched: Vec<String>,
    /// Criteria wanted that share a 2025 mission with the VCSE's causes.
    pub related: Vec<String>,
    /// Number of distinct criteria wanted.
    pub wanted: usize,
}

/// The overlap of `causes` with the criteria in `wanted` (other kinds of cause in `wanted`
/// are ignored; duplicates count once).
pub fn cause_overlap(wanted: &[Cause], causes: &[Cause]) -> Overlap {
    let mut criteria: Vec<&Cause> = Vec::new();
    for w in wanted {
        if matches!(w, Cause::Criterion { .. }) && !criteria.contains(&w) {
            criteria.push(w);
        }
    }
    let their_missions: std::collections::BTreeSet<String> =
        causes.iter().flat_map(Cause::missions).collect();
    let mut out = Overlap {
        wanted: criteria.len(),
        ..Overlap::default()
    };
    let mut credit = 0.0;
    for w in criteria {
        if causes.contains(w) {
            credit += 1.0;
            out.matched.push(w.id());
        } else if w.missions().iter().any(|m| their_missions.contains(m)) {
            credit += RELATED_CREDIT;
            out.related.push(w.id());
        }
    }
    if out.wanted > 0 {
        out.value = credit / out.wanted as f64;
    }
    out
}

/// Need from an average IMD decile: (10 − d) ÷ 9, within 0 and 1.
pub fn need_value(decile: f64) -> f64 {
    ((10.0 - decile) / 9.0).clamp(0.0, 1.0)
}

/// Closeness from a distance: 1 − km ÷ [`FAR_KM`], within 0 and 1.
pub fn closeness(km: f64) -> f64 {
    (1.0 - km / FAR_KM).clamp(0.0, 1.0)
}

/// What is known about one VCSE.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Candidate {
    /// Its causes.
    pub causes: Vec<Cause>,
    /// Average IMD 2025 decile of the LSOAs in its areas, when known.
    pub need_decile: Option<f64>,
    /// How many LSOAs that average is over.
    pub need_lsoas: usize,
    /// Distance to the tender's areas, km (0 when they overlap), when known.
    pub distance_km: Option<f64>,
}

/// Which factors can be worked out at all for this tender on this server, with the reason
/// when one cannot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Available {
    /// `None` when the causes factor applies, else why not.
    pub causes: Option<String>,
    /// `None` when the need factor applies, else why not.
    pub need: Option<String>,
    /// `None` when the distance factor applies, else why not.
    pub distance: Option<String>,
}

/// One factor of a score, as shown to people.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Factor {
    /// `causes`, `need` or `distance`.
    pub factor: &'static str,
    /// Whether it could be worked out for this tender on this server.
    pub available: bool,
    /// Its weight after leaving out unavailable factors, 0 to 1.
    pub weight: f64,
    /// Its value for this VCSE, 0 to 1 (0 when unknown for this VCSE).
    pub value: f64,
    /// Whether the value is known for this VCSE.
    pub known: bool,
    /// Points it adds to the score: 100 × weight × value.
    pub points: f64,
    /// How it was worked out, in words, with the figures.
    pub words: String,
}

/// A VCSE's score for a tender, factor by factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchScore {
    /// 0 to 100: the sum of the factors' points.
    pub score: f64,
    /// The three factors, in the order of the formula.
    pub factors: Vec<Factor>,
    /// Criteria wanted that the VCSE lists.
    pub matched: Vec<String>,
    /// Criteria wanted that share a 2025 mission with the VCSE's causes.
    pub related: Vec<String>,
}

fn pct(share: f64) -> String {
    format!("{}%", num(share * 100.0))
}

/// Scores one VCSE against the criteria `wanted`.
pub fn score_match(wanted: &[Cause], candidate: &Candidate, available: &Available) -> MatchScore {
    let weights = [
        (CAUSE_WEIGHT, available.causes.is_none()),
        (NEED_WEIGHT, available.need.is_none()),
        (DISTANCE_WEIGHT, available.distance.is_none()),
    ];
    let total: f64 = weights.iter().filter(|(_, a)| *a).map(|(w, _)| w).sum();
    let share = |i: usize| {
        if weights[i].1 && total > 0.0 {
            weights[i].0 / total
        } else {
            0.0
        }
    };
    let overlap = cause_overlap(wanted, &candidate.causes);

    let cause_words = match &available.causes {
        Some(why) => format!("Causes: not used ({why})."),
        None => {
            let mut w = format!(
                "Causes: they list {} of the {} {} wanted",
                overlap.matched.len(),
                overlap.wanted,
                if overlap.wanted == 1 {
                    "criterion"
                } else {
                    "criteria"
                }
            );
            if !overlap.matched.is_empty() {
                w.push_str(&format!(" ({})", overlap.matched.join(", ")));
            }
            if !overlap.related.is_empty() {
                w.push_str(&format!(
                    " and {} more {} a 2025 mission with their causes, counting {} each ({})",
                    overlap.related.len(),
                    if overlap.related.len() == 1 {
                        "shares"
                    } else {
                        "share"
                    },
                    num(RELATED_CREDIT),
                    overlap.related.join(", ")
                ));
            }
            format!(
                "{w}: overlap {} × weight {} = {} points.",
                num(overlap.value),
                pct(share(0)),
                num(100.0 * share(0) * overlap.value)
            )
        }
    };
    let cause = factor(
        "causes",
        available.causes.is_none(),
        share(0),
        Some(overlap.value),
        cause_words,
    );

    let need_v = candidate.need_decile.map(need_value);
    let need_words = match (&available.need, candidate.need_decile) {
        (Some(why), _) => format!("Need: not used ({why})."),
        (None, Some(d)) => format!(
            "Need: the {} neighbourhoods (LSOAs) they serve have an average IMD 2025 decile of {} \
             (1 = most deprived 10% in England): (10 − {}) ÷ 9 = {} × weight {} = {} points.",
            candidate.need_lsoas,
            num(d),
            num(d),
            num(need_value(d)),
            pct(share(1)),
            num(100.0 * share(1) * need_value(d))
        ),
        (None, None) => "Need: unknown (none of their areas is an English area with IMD 2025 \
                         figures), so it counts 0."
            .to_owned(),
    };
    let need = factor(
        "need",
        available.need.is_none(),
        share(1),
        need_v,
        need_words,
    );

    let close_v = candidate.distance_km.map(closeness);
    let distance_words = match (&available.distance, candidate.distance_km) {
        (Some(why), _) => format!("Distance: not used ({why})."),
        (None, Some(km)) if km <= 0.0 => format!(
            "Distance: 0 km (one of their areas is, contains or lies within the tender's areas): \
             closeness 1 × weight {} = {} points.",
            pct(share(2)),
            num(100.0 * share(2))
        ),
        (None, Some(km)) => format!(
            "Distance: {} km between the nearest area centres: closeness 1 − {} ÷ {} = {}{} × \
             weight {} = {} points.",
            num(km),
            num(km),
            num(FAR_KM),
            num(closeness(km)),
            if km > FAR_KM { " (never below 0)" } else { "" },
            pct(share(2)),
            num(100.0 * share(2) * closeness(km))
        ),
        (None, None) => {
            "Distance: unknown (no boundary for their areas), so it counts 0.".to_owned()
        }
    };
    let distance = factor(
        "distance",
        available.distance.is_none(),
        share(2),
        close_v,
        distance_words,
    );

    let factors = vec![cause, need, distance];
    let score = factors.iter().map(|f| f.points).sum();
    MatchScore {
        score,
        factors,
        matched: overlap.matched,
        related: overlap.related,
    }
}

fn factor(
    name: &'static str,
    available: bool,
    weight: f64,
    value: Option<f64>,
    words: String,
) -> Factor {
    let known = available && value.is_some();
    let value = if available { value.unwrap_or(0.0) } else { 0.0 };
    Factor {
        factor: name,
        available,
        weight,
        value,
        known,
        points: 100.0 * weight * value,
        words,
    }
}

/// Sorts scored items best first: higher score, then more criteria listed; ties keep their
/// order (callers sort by name first).
pub fn rank<T>(items: &mut [(T, MatchScore)]) {
    items.sort_by(|(_, a), (_, b)| {
        b.score
            .total_cmp(&a.score)
            .then(b.matched.len().cmp(&a.matched.len()))
    });
}

/// The formula in words, for the page and the API.
pub fn formula_words() -> Vec<String> {
    vec![
        format!(
            "Score out of 100 = causes × {} + need × {} + distance × {}; when a factor cannot be \
             worked out for this tender on this server it is left out for everyone and the \
             other weights are rescaled to add up to 100%.",
            pct(CAUSE_WEIGHT),
            pct(NEED_WEIGHT),
            pct(DISTANCE_WEIGHT)
        ),
        format!(
            "Causes: the share of the Social Value Model criteria wanted that the organisation \
             lists; a criterion it does not list but that falls under a 2025 government mission \
             it works on counts {} (2020 criteria through the suggested 2020 to 2025 mapping, \
             which is our judgement, not official). Bristol Accord components are not part of \
             the match.",
            num(RELATED_CREDIT)
        ),
        "Need: (10 − d) ÷ 9, where d is the average IMD 2025 decile of the neighbourhoods \
         (LSOAs) in the areas the organisation serves; 1 = most deprived 10% in England."
            .to_owned(),
        format!(
            "Distance: 1 − km ÷ {}, at least 0, where km is the distance between the nearest \
             centres of the organisation's and the tender's areas, and 0 when an area served is, \
             contains or lies within one of the tender's areas.",
            num(FAR_KM)
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn causes(ids: &[&str]) -> Vec<Cause> {
        ids.iter().map(|i| Cause::parse(i).expect(i)).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn overlap_counts_listed_criteria_and_half_for_a_shared_mission() {
        let wanted = causes(&["MAC 2.2", "MAC 8.1", "MAC 2.2"]);
        let o = cause_overlap(&wanted, &causes(&["MAC 2.2", "thriving"]));
        assert_eq!(o.wanted, 2);
        assert_eq!(o.matched, ["MAC 2.2"]);
        assert!(o.related.is_empty());
        assert!(close(o.value, 0.5));
        // MAC 1a (2025) is under Kickstart economic growth, where 2020 outcome 2 maps.
        let o = cause_overlap(&wanted, &causes(&["MAC 1a"]));
        assert_eq!(o.related, ["MAC 2.2"]);
        assert!(close(o.value, 0.25), "{}", o.value);
        // Outcome 8 maps to Take back our streets and Break down barriers to opportunity.
        let o = cause_overlap(&wanted, &causes(&["mission:take-back-our-streets"]));
        assert_eq!(o.related, ["MAC 8.1"]);
        let o = cause_overlap(&[], &causes(&["MAC 2.2"]));
        assert_eq!((o.wanted, o.value), (0, 0.0));
    }

    #[test]
    fn need_and_closeness_follow_their_formulas() {
        assert!(close(need_value(1.0), 1.0));
        assert!(close(need_value(10.0), 0.0));
        assert!(close(need_value(2.0), 8.0 / 9.0));
        assert!(close(closeness(0.0), 1.0));
        assert!(close(closeness(25.0), 0.5));
        assert!(close(closeness(80.0), 0.0));
    }

    /// Hand-worked: the tender wants MAC 2.2 and MAC 8.1.
    /// A lists MAC 2.2, serves decile 2 on average, overlaps the tender's area:
    ///   0.5 × 0.5 + 0.3 × (8 ÷ 9) + 0.2 × 1 = 0.25 + 0.26667 + 0.2 = 0.71667 → 71.67.
    /// B lists both, serves decile 8, 25 km away:
    ///   0.5 × 1 + 0.3 × (2 ÷ 9) + 0.2 × 0.5 = 0.5 + 0.06667 + 0.1 = 0.66667 → 66.67.
    /// So A, the more local and more deprived, ranks above B despite fewer causes.
    #[test]
    fn hand_worked_scores_and_ranking() {
        let wanted = causes(&["MAC 2.2", "MAC 8.1"]);
        let all = Available::default();
        let a = score_match(
            &wanted,
            &Candidate {
                causes: causes(&["MAC 2.2"]),
                need_decile: Some(2.0),
                need_lsoas: 10,
                distance_km: Some(0.0),
            },
            &all,
        );
        assert!(close(a.score, 71.666_666_666_666_67), "{}", a.score);
        assert!(close(a.factors[1].points, 26.666_666_666_666_67));
        let b = score_match(
            &wanted,
            &Candidate {
                causes: causes(&["MAC 2.2", "MAC 8.1"]),
                need_decile: Some(8.0),
                need_lsoas: 4,
                distance_km: Some(25.0),
            },
            &all,
        );
        assert!(close(b.score, 66.666_666_666_666_67), "{}", b.score);
        let mut ranked = vec![("B", b), ("A", a)];
        rank(&mut ranked);
        assert_eq!(ranked[0].0, "A");
        let words: Vec<&str> = ranked[0]
            .1
            .factors
            .iter()
            .map(|f| f.words.as_str())
            .collect();
        assert!(
            words[0].contains("they list 1 of the 2 criteria"),
            "{}",
            words[0]
        );
        assert!(words[1].contains("(10 − 2) ÷ 9 = 0.89"), "{}", words[1]);
        assert!(words[2].contains("0 km"), "{}", words[2]);
    }

    /// Without area data, need and distance are left out and causes carry the whole weight:
    /// A scores 100 × 0.5 = 50, B 100 × 1 = 100.
    #[test]
    fn unavailable_factors_are_left_out_for_everyone() {
        let wanted = causes(&["MAC 2.2", "MAC 8.1"]);
        let none = Available {
            causes: None,
            need: Some("area data is not loaded on this server".into()),
            distance: Some("area boundaries are not loaded on this server".into()),
        };
        let a = score_match(
            &wanted,
            &Candidate {
                causes: causes(&["MAC 2.2"]),
                ..Candidate::default()
            },
            &none,
        );
        assert!(close(a.score, 50.0));
        assert!(close(a.factors[0].weight, 1.0));
        assert!(!a.factors[1].available && a.factors[1].points == 0.0);
        assert!(a.factors[1].words.contains("not loaded"));
        // Unknown for one VCSE while available: counts 0 and says so.
        let c = score_match(
            &wanted,
            &Candidate {
                causes: causes(&["MAC 8.1"]),
                need_decile: None,
                need_lsoas: 0,
                distance_km: Some(50.0),
            },
            &Available::default(),
        );
        assert!(close(c.score, 25.0), "{}", c.score);
        assert!(!c.factors[1].known && c.factors[1].words.contains("counts 0"));
    }

    #[test]
    fn ties_go_to_more_criteria_listed_then_keep_their_order() {
        let s = |score: f64, matched: usize| MatchScore {
            score,
            factors: Vec::new(),
            matched: vec!["MAC 2.2".into(); matched],
            related: Vec::new(),
        };
        let mut items = vec![("x", s(40.0, 0)), ("y", s(40.0, 1)), ("z", s(40.0, 0))];
        rank(&mut items);
        let order: Vec<&str> = items.iter().map(|(n, _)| *n).collect();
        assert_eq!(order, ["y", "x", "z"]);
        assert_eq!(formula_words().len(), 4);
    }
}
