//! Valuing a bid's commitment with the calculator's own engine: the commitment's target is the
//! quantity, a financial proxy from the shipped library is the value per unit per year, and the
//! bidder's deflators (deadweight, attribution, displacement, leakage, drop-off) and duration
//! go through [`crate::sroi::calculate`] exactly as a project's outcome would, discounted at the
//! Green Book rate. The result replaces the commitment's estimated value and its basis says how
//! it was made; it is still an estimate, of the kind the bidder names, and is never added to
//! values of other kinds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bid::{BidDetails, Commitment};
use super::tender::num;
use crate::calculator::entries::finish;
use crate::calculator::{ProxyLibrary, ProxyUse};
use crate::sroi::display::{format_money, round_money};
use crate::sroi::{FieldError, Outcome, Project, ValidationErrors, calculate};

const fn one() -> i64 {
    1
}

/// How to value a commitment with the engine. Deflators are fractions (0.25 = 25%).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Valuation {
    /// A proxy of the shipped library that values an outcome (`GB-QALY`), not an input rate.
    pub proxy_id: String,
    /// Years each unit's benefit is counted (1 to 200; default 1).
    #[serde(default = "one")]
    pub duration_years: i64,
    /// Share that would have happened anyway.
    #[serde(default)]
    pub deadweight: f64,
    /// Share owed to others.
    #[serde(default)]
    pub attribution: f64,
    /// Share that merely moved from elsewhere.
    #[serde(default)]
    pub displacement: f64,
    /// Share that benefits people outside the area or group.
    #[serde(default)]
    pub leakage: f64,
    /// Yearly decline after the first year.
    #[serde(default)]
    pub dropoff: f64,
}

/// A commitment's value from the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Valued {
    /// Present value of the net benefit, £ (an estimate).
    pub pv_net_gbp: f64,
    /// Present value before deflators and drop-off, £.
    pub pv_gross_gbp: f64,
    /// How it was worked out, in words, with the proxy's source.
    pub basis: String,
}

fn pct(x: f64) -> String {
    format!("{}%", num(x * 100.0))
}

/// Values one commitment; errors name fields under `valuation.`.
pub fn value(
    c: &Commitment,
    v: &Valuation,
    library: &ProxyLibrary,
) -> Result<Valued, ValidationErrors> {
    let Some(proxy) = library.get(v.proxy_id.trim()) else {
        return Err(ValidationErrors(vec![FieldError::new(
            "invalid",
            "valuation.proxy_id",
            format!(
                "{:?} is not a proxy of the library: choose one listed on the proxies page",
                v.proxy_id
            ),
        )]));
    };
    if proxy.proxy_use == ProxyUse::InputRate {
        return Err(ValidationErrors(vec![FieldError::new(
            "invalid",
            "valuation.proxy_id",
            format!(
                "{} values inputs such as staff or volunteer time, not an outcome: choose an outcome proxy",
                proxy.id
            ),
        )]));
    }
    let outcome = Outcome {
        duration_years: v.duration_years,
        deadweight: v.deadweight,
        attribution: v.attribution,
        displacement: v.displacement,
        leakage: v.leakage,
        dropoff: v.dropoff,
        ..Outcome::new(c.description.clone(), c.target, proxy.value_gbp)
    };
    // No inputs: only the benefit's present value is wanted (ratios are undefined).
    let project = Project {
        inputs_by_year: BTreeMap::from([("0".to_owned(), 0.0)]),
        outcomes: vec![outcome],
        ..Project::default()
    };
    let result = calculate(&project).map_err(|e| {
        ValidationErrors(
            e.0.into_iter()
                .map(|mut f| {
                    f.field = match f.field.strip_prefix("outcomes[0].") {
                        Some("quantity") => "target".to_owned(),
                        Some(rest) => format!("valuation.{rest}"),
                        None => format!("valuation.{}", f.field),
                    };
                    f
                })
                .collect(),
        )
    })?;
    let years = if v.duration_years == 1 {
        "1 year".to_owned()
    } else {
        format!("{} years", v.duration_years)
    };
    let basis = format!(
        "Estimate by the sv-atlas SROI engine {engine}: {target} × {name} at {value} {unit} \
         ({source}, {year} prices; {check}) for {years}; deadweight {dw}, attribution {at}, \
         displacement {dp}, leakage {lk}, drop-off {dr} a year; discounted at the Green Book \
         rate. Gross {gross}.",
        engine = crate::ENGINE_VERSION,
        target = num(c.target),
        name = proxy.name,
        value = format_money(proxy.value_gbp),
        unit = proxy.unit,
        source = proxy.source_title,
        year = proxy.price_year,
        check = proxy.verification.label().to_lowercase(),
        dw = pct(v.deadweight),
        at = pct(v.attribution),
        dp = pct(v.displacement),
        lk = pct(v.leakage),
        dr = pct(v.dropoff),
        gross = format_money(result.pv_gross),
    );
    Ok(Valued {
        pv_net_gbp: round_money(result.pv_net),
        pv_gross_gbp: round_money(result.pv_gross),
        basis,
    })
}

/// Values every commitment that asks for it, writing the estimate and its basis onto the
/// commitment; errors name `commitments[i].valuation.…`. Commitments without a valuation keep
/// the bidder's own estimate.
pub fn apply_valuations(
    bid: &mut BidDetails,
    library: &ProxyLibrary,
) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    for (i, c) in bid.commitments.iter_mut().enumerate() {
        let Some(v) = c.valuation.clone() else {
            continue;
        };
        match value(c, &v, library) {
            Ok(valued) => {
                c.estimated_value_gbp = Some(valued.pv_net_gbp);
                c.value_basis = Some(valued.basis);
            }
            Err(e) => errors.extend(e.prefixed(&format!("commitments[{i}].")).0),
        }
    }
    finish(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procurement::bid::ValueKind;
    use crate::procurement::bid::tests::jobs;

    fn qaly(deadweight: f64, years: i64) -> Valuation {
        Valuation {
            proxy_id: "GB-QALY".into(),
            duration_years: years,
            deadweight,
            attribution: 0.0,
            displacement: 0.0,
            leakage: 0.0,
            dropoff: 0.0,
        }
    }

    #[test]
    fn a_commitment_is_valued_as_the_engine_values_an_outcome() {
        // 2 QALYs at the Green Book's £70,000, 25% deadweight, one year from year 1:
        // 2 × 70,000 × 0.75 = £105,000, discounted one year at 3.5% = £101,449.28.
        let mut c = jobs();
        c.target = 2.0;
        let v = value(&c, &qaly(0.25, 1), ProxyLibrary::shipped()).unwrap();
        assert_eq!(v.pv_net_gbp, 101_449.28);
        assert_eq!(v.pv_gross_gbp, 135_265.70);
        assert!(
            v.basis
                .contains("2 × One quality-adjusted life year (QALY) at £70,000.00 per QALY"),
            "{}",
            v.basis
        );
        assert!(
            v.basis.contains("deadweight 25%") && v.basis.starts_with("Estimate"),
            "{}",
            v.basis
        );
        // Two years: the second year is discounted twice: 105,000 / 1.035².
        let two = value(&c, &qaly(0.25, 2), ProxyLibrary::shipped()).unwrap();
        assert_eq!(
            two.pv_net_gbp,
            round_money(101_449.275_362 + 105_000.0 / 1.035_f64.powi(2))
        );
    }

    #[test]
    fn valuations_are_written_onto_the_bid_and_bad_ones_are_named() {
        let mut bid = crate::procurement::bid::tests::complete_bid();
        bid.commitments[0].target = 2.0;
        bid.commitments[0].value_kind = Some(ValueKind::Wellbeing);
        bid.commitments[0].valuation = Some(qaly(0.25, 1));
        apply_valuations(&mut bid, ProxyLibrary::shipped()).unwrap();
        assert_eq!(bid.commitments[0].estimated_value_gbp, Some(101_449.28));
        assert!(
            bid.commitments[0]
                .value_basis
                .as_deref()
                .unwrap()
                .contains("GB-QALY")
                || bid.commitments[0]
                    .value_basis
                    .as_deref()
                    .unwrap()
                    .contains("QALY")
        );

        let mut bad = bid.clone();
        bad.commitments[0].valuation = Some(Valuation {
            proxy_id: "NO-SUCH".into(),
            ..qaly(0.0, 1)
        });
        let e = apply_valuations(&mut bad, ProxyLibrary::shipped()).unwrap_err();
        assert_eq!(e.0[0].field, "commitments[0].valuation.proxy_id");
        bad.commitments[0].valuation = Some(Valuation {
            proxy_id: "NLW-2025".into(),
            ..qaly(0.0, 1)
        });
        let e = apply_valuations(&mut bad, ProxyLibrary::shipped()).unwrap_err();
        assert!(
            e.0[0].message.contains("values inputs"),
            "{}",
            e.0[0].message
        );
        bad.commitments[0].valuation = Some(qaly(1.5, 1));
        let e = apply_valuations(&mut bad, ProxyLibrary::shipped()).unwrap_err();
        assert_eq!(e.0[0].field, "commitments[0].valuation.deadweight");
    }
}
