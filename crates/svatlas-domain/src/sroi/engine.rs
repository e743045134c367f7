//! The core calculation (METHOD.md §2–§5): present values, ratios, NPV, payback and tables.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::discount::Discount;
use super::project::{Convention, Deflator, DiscountSchedule, Outcome, Project};
use super::rag::{Rag, rag};
use super::switching::{SwitchingValues, switching_values};
use super::validate::{
    LONG_DURATION_WARNING_YEARS, MAX_DURATION_YEARS, MAX_YEAR, parse_year, validate,
};
use super::{ValidationErrors, display};

/// Everything the engine reports for one project. Serialized key names are a public contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SroiResult {
    /// Present value of gross benefits (before deflators and drop-off), £.
    pub pv_gross: f64,
    /// Present value of net benefits (after deflators and drop-off), £.
    pub pv_net: f64,
    /// Present value of inputs, £.
    pub inputs: f64,
    /// Gross social return: `pv_gross / inputs`; null when the ratio is undefined.
    pub gross_ratio: Option<f64>,
    /// Net social return (the SROI ratio): `pv_net / inputs`; null when undefined.
    pub sroi_ratio: Option<f64>,
    /// Net present value: `pv_net − inputs`, £.
    pub npv: f64,
    /// The SROI Guide's net SROI ratio: `npv / inputs`; null when undefined.
    pub net_sroi_ratio_guide: Option<f64>,
    /// Undiscounted sum of gross values over all outcome years, £.
    pub undisc_gross_total: f64,
    /// Undiscounted sum of net values over all outcome years, £.
    pub undisc_net_total: f64,
    /// SROI Guide payback in months: `inputs / (first-year net / 12)`, where first-year net is
    /// the undiscounted net value of the earliest benefit year across outcomes. Null when that
    /// value is not positive, when there are no outcomes, or when inputs are £0.
    pub payback_months_guide: Option<f64>,
    /// Discounted payback in years counted from the start of the earliest benefit year: the
    /// point where cumulative `pv_net` reaches `inputs`, interpolated linearly inside the year.
    /// Null when never reached within the benefit period, or when inputs are £0.
    pub payback_years_discounted: Option<f64>,
    /// RAG colour of `sroi_ratio`; null when the ratio is undefined.
    pub rag: Option<Rag>,
    /// True when the ratios cannot be calculated (inputs PV is £0).
    pub ratio_undefined: bool,
    /// One row per year from the earliest benefit year to the last, gaps included.
    pub by_year: Vec<YearRow>,
    /// One entry per outcome, in the order given.
    pub outcomes: Vec<OutcomeResult>,
    /// Values at which the SROI ratio would fall (or rise) to exactly 1.00.
    pub switching_values: SwitchingValues,
    /// Things worth checking; they never stop the calculation.
    pub warnings: Vec<Warning>,
    /// [`crate::ENGINE_VERSION`] of the engine that produced this result.
    pub engine_version: String,
}

/// Totals for one benefit year across all outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearRow {
    /// Year number (year 0 is the base year).
    pub year: u32,
    /// Discount factor applied to this year's benefits (depends on the convention).
    pub discount_factor: f64,
    /// Undiscounted gross value, £.
    pub gross: f64,
    /// Undiscounted net value, £.
    pub net: f64,
    /// `gross × discount_factor`, £.
    pub pv_gross: f64,
    /// `net × discount_factor`, £.
    pub pv_net: f64,
}

/// Figures for one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeResult {
    /// The outcome's name, as given.
    pub name: String,
    /// Present value of gross benefits, £.
    pub pv_gross: f64,
    /// Present value of net benefits, £ (negative for a disbenefit).
    pub pv_net: f64,
    /// Undiscounted gross total, £.
    pub undisc_gross: f64,
    /// Undiscounted net total, £.
    pub undisc_net: f64,
    /// Net value in the outcome's own first year (`N1`), £.
    pub first_year_net: f64,
}

/// Kind of warning; serialized as a snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// Inputs total £0, so no ratio can be given.
    RatioUndefined,
    /// The SROI ratio is in the red band.
    RatioRed,
    /// No leakage, deadweight, displacement or attribution on any outcome.
    NoDeflators,
    /// An outcome lasts more than 30 years.
    LongDuration,
    /// Two or more outcomes share a stakeholder and a proxy category.
    PossibleDoubleCounting,
    /// `flat_rate` was given but the schedule is not `flat`.
    FlatRateIgnored,
}

/// A non-blocking remark about the project or its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    /// Machine code.
    pub code: WarningCode,
    /// Plain-English explanation.
    pub message: String,
    /// JSON path of the field concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Warning {
    fn new(code: WarningCode, message: String, field: Option<String>) -> Self {
        Self {
            code,
            message,
            field,
        }
    }
}

/// Validates `project` and calculates every figure (METHOD.md §2–§6).
///
/// Never panics: anything the arithmetic cannot handle is refused by [`validate`] first.
pub fn calculate(project: &Project) -> Result<SroiResult, ValidationErrors> {
    validate(project)?;
    let prepared = Prepared::new(project);
    Ok(compute(project, &prepared, true))
}

/// One outcome reduced to what the arithmetic needs. Years are clamped to the validated ranges
/// so that indexing the discount tables can never go out of bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flow {
    pub(crate) start: usize,
    pub(crate) duration: usize,
    /// `G = Q × P`, £ per year.
    pub(crate) gross: f64,
    /// Leakage, deadweight, displacement, attribution (in [`Deflator::ALL`] order).
    pub(crate) deflators: [f64; 4],
    pub(crate) dropoff: f64,
}

impl Flow {
    pub(crate) fn from_outcome(o: &Outcome) -> Self {
        Self {
            start: clamp_year(o.start_year, 0, MAX_YEAR),
            duration: clamp_year(o.duration_years, 1, MAX_DURATION_YEARS),
            gross: o.quantity * o.proxy_gbp,
            deflators: Deflator::ALL.map(|d| o.deflator(d)),
            dropoff: o.dropoff,
        }
    }

    /// `N1 = G (1 − L)(1 − DW)(1 − Disp)(1 − Attr)`, applied in that order.
    pub(crate) fn first_year_net(&self) -> f64 {
        self.deflators.iter().fold(self.gross, |v, x| v * (1.0 - x))
    }

    /// Present values `(gross, net)` of this flow with the given benefit discount factors.
    pub(crate) fn present_values(&self, benefit_df: &[f64]) -> (f64, f64) {
        let n1 = self.first_year_net();
        let keep = 1.0 - self.dropoff;
        let (mut df_sum, mut weighted, mut decay) = (0.0, 0.0, 1.0);
        for &df in years(benefit_df, self.start, self.duration) {
            df_sum += df;
            weighted += decay * df;
            decay *= keep;
        }
        (self.gross * df_sum, n1 * weighted)
    }
}

/// The discount factors of `duration` years from `start`; empty if out of the table (which
/// the clamps in [`Flow::from_outcome`] rule out).
pub(crate) fn years(table: &[f64], start: usize, duration: usize) -> &[f64] {
    table
        .get(start..start.saturating_add(duration))
        .unwrap_or(&[])
}

fn clamp_year(value: i64, min: i64, max: i64) -> usize {
    usize::try_from(value.clamp(min, max)).unwrap_or(0)
}

/// A validated project in the engine's working form.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) flows: Vec<Flow>,
    /// `(year, £)` for each input entry.
    pub(crate) inputs: Vec<(usize, f64)>,
    pub(crate) convention: Convention,
    pub(crate) discount: Discount,
}

impl Prepared {
    pub(crate) fn new(project: &Project) -> Self {
        let flat_rate = project.flat_rate.unwrap_or(0.0);
        Self {
            flows: project.outcomes.iter().map(Flow::from_outcome).collect(),
            inputs: project
                .inputs_by_year
                .iter()
                .filter_map(|(k, &v)| parse_year(k).map(|y| (y, v)))
                .collect(),
            convention: project.convention,
            discount: Discount::new(project.discount_schedule, flat_rate, project.convention),
        }
    }

    pub(crate) fn inputs_pv(&self) -> f64 {
        self.discount.inputs_pv(&self.inputs)
    }
}

/// `numerator / inputs`, or `None` when inputs are not positive or the quotient overflows.
pub(crate) fn ratio(numerator: f64, inputs: f64) -> Option<f64> {
    if inputs > 0.0 {
        let r = numerator / inputs;
        r.is_finite().then_some(r)
    } else {
        None
    }
}

/// Discounted payback over per-year net present values starting at the first benefit year:
/// `(k − 1) + (inputs − cum(k − 1)) / pv_net(k)` for the first year `k` where the cumulative
/// value reaches `inputs`.
fn discounted_payback(inputs: f64, pv_net_by_year: impl Iterator<Item = f64>) -> Option<f64> {
    if inputs <= 0.0 || inputs.is_nan() {
        return None;
    }
    let mut cumulative = 0.0;
    for (k, pv) in pv_net_by_year.enumerate() {
        // Reaching `inputs` from below needs a positive year, so the division is safe.
        if pv > 0.0 && cumulative + pv >= inputs {
            return Some(k as f64 + (inputs - cumulative) / pv);
        }
        cumulative += pv;
    }
    None
}

/// Full calculation of a validated project; `with_switching` is off for scenario headlines.
pub(crate) fn compute(project: &Project, prepared: &Prepared, with_switching: bool) -> SroiResult {
    let benefit_df = &prepared.discount.benefit;
    let inputs = prepared.inputs_pv();
    let flows = &prepared.flows;

    let first_year = flows.iter().map(|f| f.start).min().unwrap_or(0);
    let last_year = flows
        .iter()
        .map(|f| f.start + f.duration - 1)
        .max()
        .unwrap_or(0);
    let span = if flows.is_empty() {
        0
    } else {
        last_year - first_year + 1
    };
    let mut year_gross = vec![0.0; span];
    let mut year_net = vec![0.0; span];

    let mut outcome_results = Vec::with_capacity(flows.len());
    let (mut pv_gross, mut pv_net, mut undisc_gross, mut undisc_net) = (0.0, 0.0, 0.0, 0.0);
    for (flow, outcome) in flows.iter().zip(&project.outcomes) {
        let n1 = flow.first_year_net();
        let keep = 1.0 - flow.dropoff;
        let mut r = OutcomeResult {
            name: outcome.name.clone(),
            pv_gross: 0.0,
            pv_net: 0.0,
            undisc_gross: 0.0,
            undisc_net: 0.0,
            first_year_net: n1,
        };
        let mut net = n1;
        for (j, &df) in years(benefit_df, flow.start, flow.duration)
            .iter()
            .enumerate()
        {
            r.pv_gross += flow.gross * df;
            r.pv_net += net * df;
            r.undisc_gross += flow.gross;
            r.undisc_net += net;
            let row = flow.start + j - first_year;
            year_gross[row] += flow.gross;
            year_net[row] += net;
            net *= keep;
        }
        pv_gross += r.pv_gross;
        pv_net += r.pv_net;
        undisc_gross += r.undisc_gross;
        undisc_net += r.undisc_net;
        outcome_results.push(r);
    }

    let by_year: Vec<YearRow> = (0..span)
        .map(|i| {
            let year = first_year + i;
            let df = benefit_df.get(year).copied().unwrap_or(0.0);
            YearRow {
                year: u32::try_from(year).unwrap_or(u32::MAX),
                discount_factor: df,
                gross: year_gross[i],
                net: year_net[i],
                pv_gross: year_gross[i] * df,
                pv_net: year_net[i] * df,
            }
        })
        .collect();

    let gross_ratio = ratio(pv_gross, inputs);
    let sroi_ratio = ratio(pv_net, inputs);
    let npv = pv_net - inputs;
    let net_sroi_ratio_guide = ratio(npv, inputs);
    let ratio_undefined = sroi_ratio.is_none();
    let thresholds = project.rag_thresholds.unwrap_or_default();
    let rag = sroi_ratio.map(|r| rag(r, &thresholds));

    let first_year_net = by_year.first().map_or(0.0, |row| row.net);
    let payback_months_guide = if first_year_net > 0.0 && inputs > 0.0 {
        let months = inputs / (first_year_net / 12.0);
        months.is_finite().then_some(months)
    } else {
        None
    };
    let payback_years_discounted = discounted_payback(inputs, by_year.iter().map(|r| r.pv_net));

    let switching_values = if with_switching {
        let single = match project.outcomes.as_slice() {
            [one] => Some(one),
            _ => None,
        };
        switching_values(prepared, single, inputs, pv_net)
    } else {
        SwitchingValues::undefined()
    };

    let warnings = warnings(project, sroi_ratio, rag);

    SroiResult {
        pv_gross,
        pv_net,
        inputs,
        gross_ratio,
        sroi_ratio,
        npv,
        net_sroi_ratio_guide,
        undisc_gross_total: undisc_gross,
        undisc_net_total: undisc_net,
        payback_months_guide,
        payback_years_discounted,
        rag,
        ratio_undefined,
        by_year,
        outcomes: outcome_results,
        switching_values,
        warnings,
        engine_version: crate::ENGINE_VERSION.to_string(),
    }
}

/// Shortens an outcome name for use inside a message.
fn short_name(name: &str) -> String {
    const MAX: usize = 60;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

fn normalise(text: Option<&String>) -> Option<String> {
    text.map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
}

fn warnings(project: &Project, sroi_ratio: Option<f64>, rag: Option<Rag>) -> Vec<Warning> {
    let mut out = Vec::new();
    match sroi_ratio {
        None => out.push(Warning::new(
            WarningCode::RatioUndefined,
            "Total inputs are £0, so the ratios cannot be calculated; present values and NPV are still shown."
                .to_string(),
            Some("inputs_by_year".to_string()),
        )),
        Some(r) if rag == Some(Rag::Red) => out.push(Warning::new(
            WarningCode::RatioRed,
            format!(
                "The SROI ratio of {} is in the red band; high ratios attract scrutiny, so check quantities, proxies and deflators.",
                display::format_ratio(r)
            ),
            None,
        )),
        Some(_) => {}
    }
    let outcomes = &project.outcomes;
    if !outcomes.is_empty()
        && outcomes
            .iter()
            .all(|o| Deflator::ALL.iter().all(|&d| o.deflator(d) == 0.0))
    {
        out.push(Warning::new(
            WarningCode::NoDeflators,
            "No leakage, deadweight, displacement or attribution is applied to any outcome, so the whole change is claimed; most analyses need at least deadweight and attribution."
                .to_string(),
            Some("outcomes".to_string()),
        ));
    }
    for (i, o) in outcomes.iter().enumerate() {
        if o.duration_years > LONG_DURATION_WARNING_YEARS {
            out.push(Warning::new(
                WarningCode::LongDuration,
                format!(
                    "Outcome \"{}\" is counted for {} years; durations over {LONG_DURATION_WARNING_YEARS} years are unusual, so check the evidence that the change lasts this long.",
                    short_name(&o.name),
                    o.duration_years
                ),
                Some(format!("outcomes[{i}].duration_years")),
            ));
        }
    }
    // Group outcomes by (stakeholder, proxy category), compared without case or outer spaces.
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, o) in outcomes.iter().enumerate() {
        if let (Some(s), Some(c)) = (
            normalise(o.stakeholder.as_ref()),
            normalise(o.proxy_category.as_ref()),
        ) {
            groups.entry((s, c)).or_default().push(i);
        }
    }
    let mut repeats: Vec<&Vec<usize>> = groups.values().filter(|v| v.len() > 1).collect();
    repeats.sort_by_key(|v| v[1]);
    for members in repeats {
        let first = &outcomes[members[0]];
        let listed: Vec<String> = members.iter().take(10).map(|i| i.to_string()).collect();
        let more = if members.len() > 10 { ", ..." } else { "" };
        out.push(Warning::new(
            WarningCode::PossibleDoubleCounting,
            format!(
                "Outcomes {}{more} share stakeholder \"{}\" and proxy category \"{}\"; check that the same change is not valued twice.",
                listed.join(", "),
                short_name(first.stakeholder.as_deref().unwrap_or_default().trim()),
                short_name(first.proxy_category.as_deref().unwrap_or_default().trim()),
            ),
            Some(format!("outcomes[{}].proxy_category", members[1])),
        ));
    }
    if project.flat_rate.is_some() && project.discount_schedule != DiscountSchedule::Flat {
        out.push(Warning::new(
            WarningCode::FlatRateIgnored,
            "flat_rate is ignored because discount_schedule is not \"flat\".".to_string(),
            Some("flat_rate".to_string()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example1() -> Project {
        let mut o = Outcome::new("A", 20.0, 6500.0);
        o.duration_years = 3;
        o.leakage = 0.05;
        o.deadweight = 0.25;
        o.displacement = 0.1;
        o.attribution = 0.2;
        o.dropoff = 0.3;
        Project::with_year0_inputs(56_884.0, vec![o])
    }

    fn codes(r: &SroiResult) -> Vec<WarningCode> {
        r.warnings.iter().map(|w| w.code).collect()
    }

    #[test]
    fn example1_headline() {
        let r = calculate(&example1()).expect("valid");
        assert!((r.pv_net - 137_487.636_564).abs() < 1e-5);
        assert!((r.sroi_ratio.expect("defined") - 2.416_983).abs() < 1e-6);
        assert_eq!(r.rag, Some(Rag::Green));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.engine_version, crate::ENGINE_VERSION);
    }

    #[test]
    fn zero_inputs_give_undefined_ratios_not_errors() {
        let mut p = example1();
        p.inputs_by_year.insert("0".into(), 0.0);
        let r = calculate(&p).expect("zero inputs are allowed");
        assert!(r.ratio_undefined);
        assert_eq!(
            (r.sroi_ratio, r.gross_ratio, r.net_sroi_ratio_guide, r.rag),
            (None, None, None, None)
        );
        assert_eq!(
            (r.payback_months_guide, r.payback_years_discounted),
            (None, None)
        );
        assert!((r.npv - r.pv_net).abs() < 1e-9);
        assert_eq!(codes(&r), vec![WarningCode::RatioUndefined]);
        let json = serde_json::to_value(&r).expect("serialize");
        assert!(json["sroi_ratio"].is_null());
        assert!(json["switching_values"]["deadweight"].is_null());
        assert!(
            (json["switching_values"]["inputs_gbp"]
                .as_f64()
                .expect("number")
                - r.pv_net)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn no_outcomes_gives_zeros() {
        let r = calculate(&Project::with_year0_inputs(100.0, vec![])).expect("valid");
        assert_eq!((r.pv_net, r.pv_gross, r.sroi_ratio), (0.0, 0.0, Some(0.0)));
        assert!(r.by_year.is_empty() && r.outcomes.is_empty());
        assert_eq!(r.payback_months_guide, None);
        assert_eq!(
            r.switching_values.deadweight,
            crate::sroi::SwitchingValue::NotReachable
        );
    }

    #[test]
    fn by_year_covers_gaps_between_outcomes() {
        let mut a = Outcome::new("A", 1.0, 100.0);
        a.start_year = 2;
        let mut b = Outcome::new("B", 1.0, 50.0);
        b.start_year = 5;
        b.duration_years = 2;
        b.dropoff = 0.5;
        let p = Project {
            discount_schedule: DiscountSchedule::Zero,
            ..Project::with_year0_inputs(100.0, vec![a, b])
        };
        let r = calculate(&p).expect("valid");
        let years: Vec<u32> = r.by_year.iter().map(|y| y.year).collect();
        assert_eq!(years, vec![2, 3, 4, 5, 6]);
        let nets: Vec<f64> = r.by_year.iter().map(|y| y.net).collect();
        assert_eq!(nets, vec![100.0, 0.0, 0.0, 50.0, 25.0]);
        // Guide payback uses the earliest benefit year (year 2): 100 / (100 / 12) = 12 months.
        assert_eq!(r.payback_months_guide, Some(12.0));
        // Cumulative PV reaches 100 at the end of the first benefit year.
        assert_eq!(r.payback_years_discounted, Some(1.0));
    }

    #[test]
    fn payback_null_when_first_year_not_positive_or_never_reached() {
        let mut p = example1();
        p.outcomes[0].proxy_gbp = -10.0;
        let r = calculate(&p).expect("valid");
        assert_eq!(
            (r.payback_months_guide, r.payback_years_discounted),
            (None, None)
        );
        let mut p = example1();
        p.inputs_by_year.insert("0".into(), 1e9);
        let r = calculate(&p).expect("valid");
        assert!(r.payback_months_guide.is_some());
        assert_eq!(r.payback_years_discounted, None);
    }

    #[test]
    fn year0_convention_with_benefit_in_year_0_uses_df_1() {
        let mut p = example1();
        p.convention = Convention::GreenBookYear0;
        p.outcomes[0].start_year = 0;
        let r = calculate(&p).expect("valid");
        let dfs: Vec<f64> = r.by_year.iter().map(|y| y.discount_factor).collect();
        assert_eq!(dfs[0], 1.0);
        assert_eq!(dfs[1], 1.0);
        assert!((dfs[2] - 1.0 / 1.035).abs() < 1e-15);
    }

    #[test]
    fn warnings_cover_each_rule() {
        let mut a = Outcome::new("A", 10.0, 100.0);
        a.duration_years = 31;
        a.stakeholder = Some("Residents".into());
        a.proxy_category = Some("Wellbeing".into());
        let mut b = Outcome::new("B", 1.0, 1.0);
        b.stakeholder = Some(" residents".into());
        b.proxy_category = Some("WELLBEING ".into());
        let mut c = Outcome::new("C", 1.0, 1.0);
        c.stakeholder = Some("Residents".into());
        let p = Project {
            flat_rate: Some(0.05),
            ..Project::with_year0_inputs(1.0, vec![a, b, c])
        };
        let r = calculate(&p).expect("valid");
        assert_eq!(
            codes(&r),
            vec![
                WarningCode::RatioRed,
                WarningCode::NoDeflators,
                WarningCode::LongDuration,
                WarningCode::PossibleDoubleCounting,
                WarningCode::FlatRateIgnored
            ]
        );
        let dc = &r.warnings[3];
        assert_eq!(dc.field.as_deref(), Some("outcomes[1].proxy_category"));
        assert!(
            dc.message.starts_with("Outcomes 0, 1 share"),
            "{}",
            dc.message
        );
        assert_eq!(
            r.warnings[2].field.as_deref(),
            Some("outcomes[0].duration_years")
        );
        let json = serde_json::to_value(&r.warnings[0]).expect("serialize");
        assert_eq!(json["code"], "ratio_red");
        assert!(json.get("field").is_none());
    }

    #[test]
    fn custom_rag_thresholds_apply() {
        let mut p = example1();
        p.rag_thresholds = Some(crate::sroi::RagThresholds {
            amber_from: 2.0,
            red_above: 2.4,
        });
        assert_eq!(calculate(&p).expect("valid").rag, Some(Rag::Red));
    }

    #[test]
    fn serialized_keys_are_the_contract() {
        let r = calculate(&example1()).expect("valid");
        let json = serde_json::to_value(&r).expect("serialize");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = vec![
            "pv_gross",
            "pv_net",
            "inputs",
            "gross_ratio",
            "sroi_ratio",
            "npv",
            "net_sroi_ratio_guide",
            "undisc_gross_total",
            "undisc_net_total",
            "payback_months_guide",
            "payback_years_discounted",
            "rag",
            "ratio_undefined",
            "by_year",
            "outcomes",
            "switching_values",
            "warnings",
            "engine_version",
        ];
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(json["rag"], "green");
        let row: Vec<&str> = json["by_year"][0]
            .as_object()
            .expect("row")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(row.len(), 6);
        let back: SroiResult = serde_json::from_value(json).expect("round trip");
        assert_eq!(
            (back.rag, back.by_year.len(), back.warnings),
            (r.rag, 3, r.warnings)
        );
    }
}
