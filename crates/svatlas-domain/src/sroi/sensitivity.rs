//! Sensitivity analysis (METHOD.md §6): the default one-at-a-time set for a tornado chart, and
//! named scenarios compared side by side.

use serde::{Deserialize, Serialize};

use super::discount::Discount;
use super::engine::{Flow, Prepared, SroiResult, compute, ratio};
use super::project::{Convention, Deflator, DiscountSchedule, Project};
use super::rag::Rag;
use super::switching::{SwitchingValues, switching_values};
use super::validate::{
    Collector, FieldError, MAX_DURATION_YEARS, ValidationErrors, check_duration, check_rate,
    check_share, validate,
};

/// Change applied to deflators and drop-off in the default set: 10 percentage points.
const SHARE_STEP: f64 = 0.10;
/// Relative change applied to proxies and quantities in the default set: 20%.
const SCALE_STEP: f64 = 0.20;
/// Flat discount rate used for the high discount case: 7%.
const HIGH_DISCOUNT_RATE: f64 = 0.07;
/// Largest scale factor a scenario may apply to proxies or quantities.
const MAX_SCENARIO_SCALE: f64 = 1000.0;
/// Most scenarios compared in one call (bounds the work per request).
pub const MAX_SCENARIOS: usize = 50;

/// A parameter varied in the one-at-a-time set; serialized in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SensitivityParameter {
    /// Deadweight, ±10 percentage points on every outcome.
    Deadweight,
    /// Displacement, ±10 percentage points on every outcome.
    Displacement,
    /// Attribution, ±10 percentage points on every outcome.
    Attribution,
    /// Leakage, ±10 percentage points on every outcome.
    Leakage,
    /// Drop-off, ±10 percentage points on every outcome.
    Dropoff,
    /// Every financial proxy ±20%.
    ProxyGbp,
    /// Every quantity ±20%.
    Quantity,
    /// Every duration ±1 year (kept within 1 to 200).
    Duration,
    /// Discount rate: 0% (low) and a flat 7% (high).
    DiscountRate,
}

impl SensitivityParameter {
    /// Plain-English name of the parameter, for the tornado chart's axis.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Deadweight => "Deadweight (share that would have happened anyway)",
            Self::Displacement => "Displacement (share moved from elsewhere)",
            Self::Attribution => "Attribution (share due to others)",
            Self::Leakage => "Leakage (share going outside the target area or group)",
            Self::Dropoff => "Drop-off (yearly decline after the first year)",
            Self::ProxyGbp => "Financial proxy values",
            Self::Quantity => "Quantities (how many experience each outcome)",
            Self::Duration => "Duration of outcomes",
            Self::DiscountRate => "Discount rate",
        }
    }

    /// Plain-English description of the low and the high case.
    const fn changes(self) -> (&'static str, &'static str) {
        match self {
            Self::Deadweight
            | Self::Displacement
            | Self::Attribution
            | Self::Leakage
            | Self::Dropoff => ("10 percentage points lower", "10 percentage points higher"),
            Self::ProxyGbp | Self::Quantity => ("20% lower", "20% higher"),
            Self::Duration => ("1 year shorter (at least 1 year)", "1 year longer"),
            Self::DiscountRate => ("0% (no discounting)", "7% flat rate"),
        }
    }

    const fn for_deflator(d: Deflator) -> Self {
        match d {
            Deflator::Leakage => Self::Leakage,
            Deflator::Deadweight => Self::Deadweight,
            Deflator::Displacement => Self::Displacement,
            Deflator::Attribution => Self::Attribution,
        }
    }
}

/// One bar of the tornado chart: the parameter moved down ("low") and up ("high") on every
/// outcome at once, all else as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SensitivityRow {
    /// Which parameter was varied.
    pub parameter: SensitivityParameter,
    /// Plain-English name of the parameter.
    pub label: String,
    /// Plain-English description of the low case (e.g. "10 percentage points lower").
    pub low_change: String,
    /// Plain-English description of the high case.
    pub high_change: String,
    /// Parameter value in the low case when every outcome shares one value (always true for a
    /// single outcome; for the discount rate, the rate); null otherwise.
    pub low_value: Option<f64>,
    /// Parameter value in the high case, on the same terms as `low_value`.
    pub high_value: Option<f64>,
    /// SROI ratio in the low case; null when undefined.
    pub ratio_low: Option<f64>,
    /// SROI ratio in the high case; null when undefined.
    pub ratio_high: Option<f64>,
    /// Change of the low-case ratio from the base ratio, in % of the base; null when undefined.
    pub change_pct_low: Option<f64>,
    /// Change of the high-case ratio from the base ratio, in % of the base.
    pub change_pct_high: Option<f64>,
    /// Net present value of benefits in the low case, £.
    pub pv_net_low: f64,
    /// Net present value of benefits in the high case, £.
    pub pv_net_high: f64,
    /// Width of the bar: `|ratio_high − ratio_low|`, or `|pv_net_high − pv_net_low|` when the
    /// ratio is undefined. Rows are sorted by it, widest first.
    pub swing: f64,
}

/// The default one-at-a-time sensitivity set with the base figures and switching values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sensitivity {
    /// SROI ratio as entered; null when undefined (inputs £0).
    pub base_ratio: Option<f64>,
    /// Net present value of benefits as entered, £.
    pub base_pv_net: f64,
    /// Present value of inputs as entered, £.
    pub inputs: f64,
    /// Tornado rows, widest swing first (ties keep the order of [`SensitivityParameter`]).
    pub rows: Vec<SensitivityRow>,
    /// Values that bring the ratio to exactly 1.00.
    pub switching_values: SwitchingValues,
}

/// Net PV of benefits after applying `change` to a copy of every flow.
fn pv_net_with(flows: &[Flow], benefit_df: &[f64], change: impl Fn(&mut Flow)) -> f64 {
    flows
        .iter()
        .map(|f| {
            let mut f = *f;
            change(&mut f);
            f.present_values(benefit_df).1
        })
        .sum()
}

/// The shared value of an iterator, if it is non-empty and every item is equal.
fn common(mut values: impl Iterator<Item = f64>) -> Option<f64> {
    let first = values.next()?;
    values.all(|v| v == first).then_some(first)
}

fn change_pct(ratio: Option<f64>, base: Option<f64>) -> Option<f64> {
    match (ratio, base) {
        (Some(r), Some(b)) if b != 0.0 => Some((r - b) / b.abs() * 100.0),
        _ => None,
    }
}

struct Case {
    pv_net: f64,
    inputs: f64,
    value: Option<f64>,
}

struct Base {
    ratio: Option<f64>,
}

impl Base {
    fn row(&self, parameter: SensitivityParameter, low: Case, high: Case) -> SensitivityRow {
        let ratio_low = ratio(low.pv_net, low.inputs);
        let ratio_high = ratio(high.pv_net, high.inputs);
        let swing = match (self.ratio, ratio_low, ratio_high) {
            (Some(_), Some(l), Some(h)) => (h - l).abs(),
            (Some(_), ..) => 0.0,
            (None, ..) => (high.pv_net - low.pv_net).abs(),
        };
        let (low_change, high_change) = parameter.changes();
        SensitivityRow {
            parameter,
            label: parameter.label().to_string(),
            low_change: low_change.to_string(),
            high_change: high_change.to_string(),
            low_value: low.value,
            high_value: high.value,
            ratio_low,
            ratio_high,
            change_pct_low: change_pct(ratio_low, self.ratio),
            change_pct_high: change_pct(ratio_high, self.ratio),
            pv_net_low: low.pv_net,
            pv_net_high: high.pv_net,
            swing,
        }
    }
}

/// Runs the default one-at-a-time set of METHOD.md §6 on every outcome together: each deflator
/// and drop-off ±10 percentage points (kept within [0, 1]), proxies and quantities ±20%,
/// durations ±1 year (kept within 1 to 200), and the discount rate at 0% and at a flat 7%.
pub fn sensitivity(project: &Project) -> Result<Sensitivity, ValidationErrors> {
    validate(project)?;
    let prepared = Prepared::new(project);
    let flows = &prepared.flows;
    let benefit_df = &prepared.discount.benefit;
    let inputs = prepared.inputs_pv();
    let base_pv_net = pv_net_with(flows, benefit_df, |_| {});
    let base = Base {
        ratio: ratio(base_pv_net, inputs),
    };
    let case = |change: &dyn Fn(&mut Flow), value: Option<f64>| Case {
        pv_net: pv_net_with(flows, benefit_df, change),
        inputs,
        value,
    };
    let share = |x: f64, step: f64| (x + step).clamp(0.0, 1.0);
    let max_duration = usize::try_from(MAX_DURATION_YEARS).unwrap_or(200);

    let mut rows = Vec::with_capacity(9);
    for d in [
        Deflator::Deadweight,
        Deflator::Displacement,
        Deflator::Attribution,
        Deflator::Leakage,
    ] {
        let i = d.index();
        let now = common(flows.iter().map(|f| f.deflators[i]));
        let low = case(
            &|f| f.deflators[i] = share(f.deflators[i], -SHARE_STEP),
            now.map(|x| share(x, -SHARE_STEP)),
        );
        let high = case(
            &|f| f.deflators[i] = share(f.deflators[i], SHARE_STEP),
            now.map(|x| share(x, SHARE_STEP)),
        );
        rows.push(base.row(SensitivityParameter::for_deflator(d), low, high));
    }
    let now = common(flows.iter().map(|f| f.dropoff));
    let low = case(
        &|f| f.dropoff = share(f.dropoff, -SHARE_STEP),
        now.map(|x| share(x, -SHARE_STEP)),
    );
    let high = case(
        &|f| f.dropoff = share(f.dropoff, SHARE_STEP),
        now.map(|x| share(x, SHARE_STEP)),
    );
    rows.push(base.row(SensitivityParameter::Dropoff, low, high));

    for (parameter, values) in [
        (
            SensitivityParameter::ProxyGbp,
            project
                .outcomes
                .iter()
                .map(|o| o.proxy_gbp)
                .collect::<Vec<_>>(),
        ),
        (
            SensitivityParameter::Quantity,
            project.outcomes.iter().map(|o| o.quantity).collect(),
        ),
    ] {
        // Value = quantity × proxy, so scaling either scales the gross value.
        let now = common(values.into_iter());
        let low = case(
            &|f| f.gross *= 1.0 - SCALE_STEP,
            now.map(|x| x * (1.0 - SCALE_STEP)),
        );
        let high = case(
            &|f| f.gross *= 1.0 + SCALE_STEP,
            now.map(|x| x * (1.0 + SCALE_STEP)),
        );
        rows.push(base.row(parameter, low, high));
    }

    #[allow(clippy::cast_precision_loss)] // durations are at most 200
    let now = common(flows.iter().map(|f| f.duration as f64));
    let low = case(
        &|f| f.duration = f.duration.saturating_sub(1).max(1),
        now.map(|d| (d - 1.0).max(1.0)),
    );
    let high = case(
        &|f| f.duration = (f.duration + 1).min(max_duration),
        now.map(|d| (d + 1.0).min(200.0)),
    );
    rows.push(base.row(SensitivityParameter::Duration, low, high));

    let discounted = |schedule: DiscountSchedule, rate: f64| {
        let discount = Discount::new(schedule, rate, prepared.convention);
        Case {
            pv_net: pv_net_with(flows, &discount.benefit, |_| {}),
            inputs: discount.inputs_pv(&prepared.inputs),
            value: Some(rate),
        }
    };
    rows.push(base.row(
        SensitivityParameter::DiscountRate,
        discounted(DiscountSchedule::Zero, 0.0),
        discounted(DiscountSchedule::Flat, HIGH_DISCOUNT_RATE),
    ));

    rows.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    let single = match project.outcomes.as_slice() {
        [one] => Some(one),
        _ => None,
    };
    Ok(Sensitivity {
        base_ratio: base.ratio,
        base_pv_net,
        inputs,
        rows,
        switching_values: switching_values(&prepared, single, inputs, base_pv_net),
    })
}

/// A named set of assumptions ("cautious", "central", "optimistic"...) applied to every outcome.
/// Fields left out keep the project's own values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scenario {
    /// Name shown above the scenario's column.
    pub name: String,
    /// Leakage set on every outcome (fraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub leakage: Option<f64>,
    /// Deadweight set on every outcome (fraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub deadweight: Option<f64>,
    /// Displacement set on every outcome (fraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub displacement: Option<f64>,
    /// Attribution set on every outcome (fraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub attribution: Option<f64>,
    /// Drop-off set on every outcome (fraction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    pub dropoff: Option<f64>,
    /// Factor every proxy is multiplied by (0 to 1000; 0.8 = 20% lower).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub proxy_scale: Option<f64>,
    /// Factor every quantity is multiplied by (0 to 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub quantity_scale: Option<f64>,
    /// Duration in years set on every outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 200))]
    pub duration_years: Option<i64>,
    /// Discount schedule to use instead of the project's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_schedule: Option<DiscountSchedule>,
    /// Flat discount rate to use (with a `flat` schedule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat_rate: Option<f64>,
    /// Timing convention to use instead of the project's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convention: Option<Convention>,
}

impl Scenario {
    /// The project with this scenario's overrides applied.
    pub fn apply(&self, project: &Project) -> Project {
        let mut p = project.clone();
        for o in &mut p.outcomes {
            for (d, value) in [
                (Deflator::Leakage, self.leakage),
                (Deflator::Deadweight, self.deadweight),
                (Deflator::Displacement, self.displacement),
                (Deflator::Attribution, self.attribution),
            ] {
                if let Some(v) = value {
                    o.set_deflator(d, v);
                }
            }
            if let Some(v) = self.dropoff {
                o.dropoff = v;
            }
            if let Some(k) = self.proxy_scale {
                o.proxy_gbp *= k;
            }
            if let Some(k) = self.quantity_scale {
                o.quantity *= k;
            }
            if let Some(d) = self.duration_years {
                o.duration_years = d;
            }
        }
        if let Some(s) = self.discount_schedule {
            p.discount_schedule = s;
        }
        if self.flat_rate.is_some() {
            p.flat_rate = self.flat_rate;
        }
        if let Some(c) = self.convention {
            p.convention = c;
        }
        p
    }

    fn check(&self, c: &mut Collector, prefix: &str) {
        let at = |name: &str| format!("{prefix}{name}");
        for (name, value) in [
            ("leakage", self.leakage),
            ("deadweight", self.deadweight),
            ("displacement", self.displacement),
            ("attribution", self.attribution),
            ("dropoff", self.dropoff),
        ] {
            if let Some(v) = value {
                check_share(c, || at(name), name, v);
            }
        }
        for (name, value) in [
            ("proxy_scale", self.proxy_scale),
            ("quantity_scale", self.quantity_scale),
        ] {
            if let Some(k) = value
                && !(0.0..=MAX_SCENARIO_SCALE).contains(&k)
            {
                c.push(FieldError::new(
                    "out_of_range",
                    at(name),
                    format!("{name} must be between 0 and 1000 (a factor: 0.8 means 20% lower)"),
                ));
            }
        }
        if let Some(d) = self.duration_years {
            check_duration(c, || at("duration_years"), d);
        }
        if let Some(r) = self.flat_rate {
            check_rate(c, || at("flat_rate"), r);
        }
    }
}

/// Headline figures of a calculation, as compared across scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Headline {
    /// Present value of gross benefits, £.
    pub pv_gross: f64,
    /// Present value of net benefits, £.
    pub pv_net: f64,
    /// Present value of inputs, £.
    pub inputs: f64,
    /// Net present value, £.
    pub npv: f64,
    /// Gross social return; null when undefined.
    pub gross_ratio: Option<f64>,
    /// SROI ratio (net social return); null when undefined.
    pub sroi_ratio: Option<f64>,
    /// SROI Guide net ratio (`npv / inputs`); null when undefined.
    pub net_sroi_ratio_guide: Option<f64>,
    /// Undiscounted gross total, £.
    pub undisc_gross_total: f64,
    /// Undiscounted net total, £.
    pub undisc_net_total: f64,
    /// SROI Guide payback in months; null when not defined.
    pub payback_months_guide: Option<f64>,
    /// Discounted payback in years; null when not reached.
    pub payback_years_discounted: Option<f64>,
    /// RAG colour of the SROI ratio; null when undefined.
    pub rag: Option<Rag>,
    /// True when the ratios cannot be calculated.
    pub ratio_undefined: bool,
}

impl From<&SroiResult> for Headline {
    fn from(r: &SroiResult) -> Self {
        Self {
            pv_gross: r.pv_gross,
            pv_net: r.pv_net,
            inputs: r.inputs,
            npv: r.npv,
            gross_ratio: r.gross_ratio,
            sroi_ratio: r.sroi_ratio,
            net_sroi_ratio_guide: r.net_sroi_ratio_guide,
            undisc_gross_total: r.undisc_gross_total,
            undisc_net_total: r.undisc_net_total,
            payback_months_guide: r.payback_months_guide,
            payback_years_discounted: r.payback_years_discounted,
            rag: r.rag,
            ratio_undefined: r.ratio_undefined,
        }
    }
}

/// One scenario's name and headline figures (serialized flat: `{"name": ..., "pv_net": ...}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScenarioResult {
    /// The scenario's name.
    pub name: String,
    /// Its headline figures.
    #[serde(flatten)]
    pub figures: Headline,
}

/// Calculates each scenario (the project with that scenario's overrides) for side-by-side
/// display, in the order given. Errors name the field inside the scenario, e.g.
/// `scenarios[1].deadweight`, or `scenarios[1].outcomes[0].quantity` for a value the scenario
/// pushed out of range. At most [`MAX_SCENARIOS`] scenarios.
pub fn scenarios(
    project: &Project,
    scenarios: &[Scenario],
) -> Result<Vec<ScenarioResult>, ValidationErrors> {
    validate(project)?;
    if scenarios.len() > MAX_SCENARIOS {
        return Err(ValidationErrors(vec![FieldError::new(
            "too_many",
            "scenarios",
            format!("at most {MAX_SCENARIOS} scenarios can be compared at once"),
        )]));
    }
    let mut c = Collector::default();
    let mut applied = Vec::with_capacity(scenarios.len());
    for (i, s) in scenarios.iter().enumerate() {
        let prefix = format!("scenarios[{i}].");
        let mut own = Collector::default();
        s.check(&mut own, &prefix);
        match own.finish() {
            Err(e) => e.0.into_iter().for_each(|e| c.push(e)),
            Ok(()) => {
                let p = s.apply(project);
                match validate(&p) {
                    Err(e) => e.prefixed(&prefix).0.into_iter().for_each(|e| c.push(e)),
                    Ok(()) => applied.push((s.name.clone(), p)),
                }
            }
        }
    }
    c.finish()?;
    Ok(headlines(applied))
}

/// The report's own steps (±20% on proxies and quantities) of a valid project. Unlike
/// [`scenarios`], a step may take a value past an entry limit (a quantity of 10^12 becomes
/// 1.2 × 10^12): the limits guard what people enter, and the figures stay finite, so a project
/// that was accepted always reports.
pub(crate) fn report_steps(
    project: &Project,
    steps: &[Scenario],
) -> Result<Vec<ScenarioResult>, ValidationErrors> {
    validate(project)?;
    let applied = steps.iter().map(|s| (s.name.clone(), s.apply(project)));
    Ok(headlines(applied.collect()))
}

fn headlines(applied: Vec<(String, Project)>) -> Vec<ScenarioResult> {
    applied
        .into_iter()
        .map(|(name, p)| {
            let result = compute(&p, &Prepared::new(&p), false);
            ScenarioResult {
                name,
                figures: Headline::from(&result),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sroi::{Outcome, calculate};

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

    #[test]
    fn rows_are_plain_english_and_complete() {
        let s = sensitivity(&example1()).expect("valid");
        assert_eq!(s.rows.len(), 9);
        let dw = s
            .rows
            .iter()
            .find(|r| r.parameter == SensitivityParameter::Deadweight)
            .expect("row");
        assert_eq!(
            dw.label,
            "Deadweight (share that would have happened anyway)"
        );
        assert_eq!(dw.low_change, "10 percentage points lower");
        assert!(dw.ratio_low > s.base_ratio && dw.ratio_high < s.base_ratio);
        // The proxy and quantity rows are identical because value = quantity × proxy.
        let p = s
            .rows
            .iter()
            .find(|r| r.parameter == SensitivityParameter::ProxyGbp)
            .expect("row");
        let q = s
            .rows
            .iter()
            .find(|r| r.parameter == SensitivityParameter::Quantity)
            .expect("row");
        assert_eq!((p.ratio_low, p.ratio_high), (q.ratio_low, q.ratio_high));
        assert_eq!((q.low_value, q.high_value), (Some(16.0), Some(24.0)));
        let json = serde_json::to_value(&s).expect("serialize");
        assert!(json["rows"][0]["parameter"].is_string());
        assert_eq!(
            s.switching_values,
            calculate(&example1()).expect("valid").switching_values
        );
    }

    #[test]
    fn clamps_at_the_limits() {
        let mut p = example1();
        p.outcomes[0].deadweight = 0.95;
        p.outcomes[0].dropoff = 0.0;
        p.outcomes[0].duration_years = 1;
        let s = sensitivity(&p).expect("valid");
        let row = |x| s.rows.iter().find(|r| r.parameter == x).expect("row");
        assert_eq!(row(SensitivityParameter::Deadweight).high_value, Some(1.0));
        assert_eq!(row(SensitivityParameter::Deadweight).ratio_high, Some(0.0));
        assert_eq!(row(SensitivityParameter::Dropoff).low_value, Some(0.0));
        let duration = row(SensitivityParameter::Duration);
        assert_eq!(duration.low_value, Some(1.0));
        assert_eq!(duration.ratio_low, s.base_ratio);
    }

    #[test]
    fn multi_outcome_values_and_zero_inputs() {
        let mut p = example1();
        let mut b = Outcome::new("B", 5.0, 100.0);
        b.deadweight = 0.25;
        p.outcomes.push(b);
        p.inputs_by_year.insert("0".into(), 0.0);
        let s = sensitivity(&p).expect("zero inputs are allowed");
        assert_eq!(s.base_ratio, None);
        let row = |x| s.rows.iter().find(|r| r.parameter == x).expect("row");
        // Deadweight is 0.25 on both outcomes; attribution differs.
        assert_eq!(row(SensitivityParameter::Deadweight).low_value, Some(0.15));
        assert_eq!(row(SensitivityParameter::Attribution).low_value, None);
        assert!(
            s.rows
                .iter()
                .all(|r| r.ratio_low.is_none() && r.change_pct_low.is_none())
        );
        // Without a ratio the bars are sized by net PV.
        assert!(row(SensitivityParameter::Deadweight).swing > 0.0);
        for pair in s.rows.windows(2) {
            assert!(pair[0].swing >= pair[1].swing);
        }
    }

    #[test]
    fn scenarios_apply_overrides_to_every_outcome() {
        let base = example1();
        let cautious = Scenario {
            name: "cautious".into(),
            deadweight: Some(0.5),
            proxy_scale: Some(0.8),
            duration_years: Some(2),
            ..Scenario::default()
        };
        let undiscounted = Scenario {
            name: "undiscounted".into(),
            discount_schedule: Some(DiscountSchedule::Zero),
            ..Scenario::default()
        };
        let out = scenarios(&base, &[cautious.clone(), undiscounted]).expect("valid");
        assert_eq!(out.len(), 2);
        let mut manual = base.clone();
        manual.outcomes[0].deadweight = 0.5;
        manual.outcomes[0].proxy_gbp = 6500.0 * 0.8;
        manual.outcomes[0].duration_years = 2;
        let expected = calculate(&manual).expect("valid");
        assert_eq!(out[0].name, "cautious");
        assert_eq!(out[0].figures, Headline::from(&expected));
        assert!((out[1].figures.pv_net - 146_051.1).abs() < 1e-6);
        let json = serde_json::to_value(&out[0]).expect("serialize");
        assert_eq!(json["name"], "cautious");
        assert!(json["sroi_ratio"].is_number());
        assert_eq!(cautious.apply(&base), manual);
    }

    #[test]
    fn scenario_errors_name_the_scenario() {
        let mut base = example1();
        base.outcomes[0].quantity = 1e10;
        let bad = [
            Scenario {
                name: "ok".into(),
                ..Scenario::default()
            },
            Scenario {
                name: "bad share".into(),
                deadweight: Some(1.5),
                ..Scenario::default()
            },
            Scenario {
                name: "too big".into(),
                quantity_scale: Some(1000.0),
                ..Scenario::default()
            },
            Scenario {
                name: "flat".into(),
                discount_schedule: Some(DiscountSchedule::Flat),
                ..Scenario::default()
            },
        ];
        let e = scenarios(&base, &bad).expect_err("invalid");
        assert!(e.for_field("scenarios[1].deadweight").is_some());
        assert!(e.for_field("scenarios[2].outcomes[0].quantity").is_some());
        assert_eq!(
            e.for_field("scenarios[3].flat_rate")
                .map(|e| e.code.as_str()),
            Some("required")
        );
        assert_eq!(e.0.len(), 3);
        let many = vec![Scenario::default(); MAX_SCENARIOS + 1];
        assert_eq!(
            scenarios(&example1(), &many).expect_err("too many").0[0].code,
            "too_many"
        );
    }
}
