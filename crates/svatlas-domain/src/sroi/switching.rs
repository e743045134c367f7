//! Switching values: how far one assumption must move for the SROI ratio to reach exactly 1.00
//! (METHOD.md §6.2; the SROI Guide asks for this for the assumptions that matter most).
//!
//! Every switching value applies to **all outcomes together**:
//!
//! - **Deflators** (`deadweight`, `displacement`, `attribution`, `leakage`): the common value
//!   that, set on every outcome, gives a ratio of 1. With every outcome set to `x` the net PV is
//!   `(1 − x)·A`, where `A` is the net PV with that deflator at 0, so the answer is exact for any
//!   mix of outcomes, disbenefits included: `x* = 1 − inputs / A`. For a single outcome this is
//!   METHOD.md's `x* = 1 − inputs (1 − x0) / pv_net`.
//! - **Proxy and quantity**: every proxy (or quantity) is multiplied by `k* = inputs / pv_net`.
//!   `proxy_scale` / `quantity_scale` always report `k*`. `proxy_gbp` / `quantity` report the
//!   resulting value when the project has exactly one outcome (e.g. £6,500 → £2,689.30), and
//!   `k*` itself when it has several (there is then no single value to show).
//! - **Inputs**: `inputs_gbp` is the present value of inputs that gives a ratio of 1, i.e. `pv_net`.
//! - **Drop-off**: the common drop-off in [0, 1] found by bracketing and bisection.
//! - **Duration**: the common duration in years from 1 to 200, found by scanning every whole
//!   duration. It is reported as a fractional number of years, interpolating linearly inside the
//!   last year (partial years count pro rata, as METHOD.md §3.4 does by scaling Q); the ratio
//!   is above 1 on one side of it and below on the other.
//!
//! When the ratio is already below 1 the value reported is where it would rise to 1. When the
//! ratio could cross 1 at several values (only possible with disbenefits), the crossing nearest
//! the current value (the mean over outcomes) is reported. `not_reachable` means no value in the
//! allowed range gives a ratio of 1 (e.g. drop-off 100% still leaves year 1 above 1:1).
//! All values are `null` (undefined) when inputs are £0, except `inputs_gbp`.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::engine::{Prepared, years};
use super::project::Outcome;
use super::validate::MAX_DURATION_YEARS;

/// A switching value: a number, `"not_reachable"`, or `null` when undefined.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum SwitchingValue {
    /// The value at which the SROI ratio is exactly 1.00.
    Value(f64),
    /// No value in the allowed range brings the ratio to 1.00.
    NotReachable,
    /// The question has no answer because the ratio itself is undefined (inputs £0).
    #[default]
    Undefined,
}

impl SwitchingValue {
    /// The number, when there is one.
    pub const fn value(self) -> Option<f64> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }
}

const NOT_REACHABLE: &str = "not_reachable";

impl Serialize for SwitchingValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Value(v) if v.is_finite() => serializer.serialize_f64(v),
            Self::NotReachable => serializer.serialize_str(NOT_REACHABLE),
            Self::Value(_) | Self::Undefined => serializer.serialize_none(),
        }
    }
}

impl<'de> Deserialize<'de> for SwitchingValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SwitchingValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a number, \"{NOT_REACHABLE}\" or null")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(SwitchingValue::Value(v))
            }
            #[allow(clippy::cast_precision_loss)] // JSON integers here are small switching values
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(SwitchingValue::Value(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(SwitchingValue::Value(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == NOT_REACHABLE {
                    Ok(SwitchingValue::NotReachable)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(SwitchingValue::Undefined)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(SwitchingValue::Undefined)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Switching values for the parameters users control (see the module documentation for the
/// exact meaning of each).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SwitchingValues {
    /// Common deadweight (fraction) giving a ratio of 1.
    #[serde(default)]
    pub deadweight: SwitchingValue,
    /// Common displacement (fraction) giving a ratio of 1.
    #[serde(default)]
    pub displacement: SwitchingValue,
    /// Common attribution (fraction) giving a ratio of 1.
    #[serde(default)]
    pub attribution: SwitchingValue,
    /// Common leakage (fraction) giving a ratio of 1.
    #[serde(default)]
    pub leakage: SwitchingValue,
    /// Single outcome: the proxy (£) giving a ratio of 1. Several outcomes: the factor `k*`
    /// applied to every proxy.
    #[serde(default)]
    pub proxy_gbp: SwitchingValue,
    /// Single outcome: the quantity giving a ratio of 1. Several outcomes: the factor `k*`
    /// applied to every quantity.
    #[serde(default)]
    pub quantity: SwitchingValue,
    /// Present value of inputs (£) giving a ratio of 1 (equals `pv_net`).
    #[serde(default)]
    pub inputs_gbp: SwitchingValue,
    /// Common drop-off (fraction) giving a ratio of 1.
    #[serde(default)]
    pub dropoff: SwitchingValue,
    /// Common duration (fractional years) giving a ratio of 1.
    #[serde(default)]
    pub duration: SwitchingValue,
    /// Factor `k*` applied to every proxy that gives a ratio of 1, whatever the outcome count.
    #[serde(default)]
    pub proxy_scale: SwitchingValue,
    /// Factor `k*` applied to every quantity that gives a ratio of 1 (same as `proxy_scale`,
    /// since value = quantity × proxy).
    #[serde(default)]
    pub quantity_scale: SwitchingValue,
}

impl SwitchingValues {
    /// Every value undefined.
    pub(crate) fn undefined() -> Self {
        Self::default()
    }
}

/// `Value(v)` when `reachable`, else `NotReachable`.
fn reach(reachable: bool, v: f64) -> SwitchingValue {
    if reachable && v.is_finite() {
        SwitchingValue::Value(v)
    } else {
        SwitchingValue::NotReachable
    }
}

/// Grid used to bracket roots of the drop-off polynomial before bisection.
const DROPOFF_GRID: usize = 256;

pub(crate) fn switching_values(
    prepared: &Prepared,
    single: Option<&Outcome>,
    inputs: f64,
    pv_net: f64,
) -> SwitchingValues {
    let inputs_gbp = reach(pv_net > 0.0, pv_net);
    if inputs <= 0.0 || inputs.is_nan() {
        return SwitchingValues {
            inputs_gbp,
            ..SwitchingValues::undefined()
        };
    }
    let benefit_df = &prepared.discount.benefit;
    let flows = &prepared.flows;
    let horizon = usize::try_from(MAX_DURATION_YEARS).unwrap_or(200);

    // Deflators: A[p] = net PV with deflator p at 0 on every outcome.
    let mut without = [0.0_f64; 4];
    // Drop-off: PV_net(d) = Σ_j c[j] (1 − d)^j, of degree below the longest duration (kept
    // short because it is evaluated a few hundred times).
    let longest = flows
        .iter()
        .map(|f| f.duration)
        .max()
        .unwrap_or(0)
        .min(horizon);
    let mut poly = vec![0.0_f64; longest];
    // Duration: PV_net(D) = Σ_{j<D} e[j], each outcome extended to the 200-year maximum.
    let mut extended = vec![0.0_f64; horizon];
    for f in flows {
        let n1 = f.first_year_net();
        let keep = 1.0 - f.dropoff;
        let (mut weighted, mut decay) = (0.0, 1.0);
        for (j, &df) in years(benefit_df, f.start, horizon).iter().enumerate() {
            if j < f.duration {
                weighted += decay * df;
                poly[j] += n1 * df;
            }
            extended[j] += n1 * decay * df;
            decay *= keep;
        }
        for (p, slot) in without.iter_mut().enumerate() {
            let others = f
                .deflators
                .iter()
                .enumerate()
                .filter(|&(q, _)| q != p)
                .fold(1.0, |v, (_, x)| v * (1.0 - x));
            *slot += f.gross * others * weighted;
        }
    }
    let deflator = |a: f64| reach(a > 0.0 && a >= inputs, 1.0 - inputs / a);
    let [leakage, deadweight, displacement, attribution] = without.map(deflator);

    let k = inputs / pv_net;
    let scale = reach(pv_net > 0.0, k);
    let (proxy_gbp, quantity) = match single {
        Some(o) => (
            reach(pv_net > 0.0, o.proxy_gbp * k),
            reach(pv_net > 0.0, o.quantity * k),
        ),
        None => (scale, scale),
    };

    #[allow(clippy::cast_precision_loss)] // counts of at most 10,000 outcomes
    let count = flows.len().max(1) as f64;
    let mean_dropoff = flows.iter().map(|f| f.dropoff).sum::<f64>() / count;
    #[allow(clippy::cast_precision_loss)]
    let mean_duration = flows.iter().map(|f| f.duration as f64).sum::<f64>() / count;

    let dropoff_gap = |d: f64| horner(&poly, 1.0 - d) - inputs;
    let dropoff = match nearest_root(dropoff_gap, mean_dropoff) {
        Some(d) if !flows.is_empty() => SwitchingValue::Value(d),
        _ => SwitchingValue::NotReachable,
    };
    let duration = match duration_root(&extended, inputs, mean_duration) {
        Some(d) if !flows.is_empty() => SwitchingValue::Value(d),
        _ => SwitchingValue::NotReachable,
    };

    SwitchingValues {
        deadweight,
        displacement,
        attribution,
        leakage,
        proxy_gbp,
        quantity,
        inputs_gbp,
        dropoff,
        duration,
        proxy_scale: scale,
        quantity_scale: scale,
    }
}

/// `Σ c[j] q^j`.
fn horner(coefficients: &[f64], q: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * q + c)
}

/// The root of `gap` on [0, 1] nearest `base`: the grid brackets every sign change (and any
/// exact zero), the bracket nearest `base` is refined by bisection.
fn nearest_root(gap: impl Fn(f64) -> f64, base: f64) -> Option<f64> {
    if (0.0..=1.0).contains(&base) && gap(base) == 0.0 {
        return Some(base);
    }
    #[allow(clippy::cast_precision_loss)]
    let point = |k: usize| k as f64 / DROPOFF_GRID as f64;
    let distance = |a: f64, b: f64| {
        if base < a {
            a - base
        } else if base > b {
            base - b
        } else {
            0.0
        }
    };
    let mut best: Option<(f64, f64, f64, f64)> = None; // (distance, a, b, gap(a))
    let mut consider = |a: f64, b: f64, ga: f64| {
        let d = distance(a, b);
        if best.is_none_or(|(bd, ..)| d < bd) {
            best = Some((d, a, b, ga));
        }
    };
    let (mut x0, mut g0) = (0.0, gap(0.0));
    if g0 == 0.0 {
        consider(x0, x0, g0);
    }
    for k in 1..=DROPOFF_GRID {
        let x1 = point(k);
        let g1 = gap(x1);
        if g1 == 0.0 {
            consider(x1, x1, g1);
        } else if g0 != 0.0 && (g0 < 0.0) != (g1 < 0.0) {
            consider(x0, x1, g0);
        }
        (x0, g0) = (x1, g1);
    }
    let (_, mut a, mut b, mut ga) = best?;
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        let gm = gap(m);
        if gm == 0.0 {
            return Some(m);
        }
        if (gm < 0.0) == (ga < 0.0) {
            (a, ga) = (m, gm);
        } else {
            b = m;
        }
    }
    Some(0.5 * (a + b))
}

/// Common duration (fractional, 1..=200) at which the net PV equals `inputs`, nearest `base`.
fn duration_root(per_year: &[f64], inputs: f64, base: f64) -> Option<f64> {
    let mut cumulative = Vec::with_capacity(per_year.len());
    let mut total = 0.0;
    for &v in per_year {
        total += v;
        cumulative.push(total - inputs); // gap at duration j + 1
    }
    let mut best: Option<(f64, f64)> = None; // (distance, root)
    let mut consider = |root: f64| {
        let d = (root - base).abs();
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, root));
        }
    };
    for (i, &g) in cumulative.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // i < 200
        let duration = (i + 1) as f64;
        if g == 0.0 {
            consider(duration);
        } else if let Some(&next) = cumulative.get(i + 1)
            && next != 0.0
            && (g < 0.0) != (next < 0.0)
        {
            consider(duration + g / (g - next));
        }
    }
    best.map(|(_, root)| root)
}

// Hand-written because the value serialises as a number, a fixed string or null.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for SwitchingValue {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([NOT_REACHABLE])),
            )
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .description(Some(
                "The value at which the SROI ratio is 1.00, \"not_reachable\", or null when the ratio is undefined",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for SwitchingValue {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_forms() {
        let v = |s: SwitchingValue| serde_json::to_string(&s).expect("serialize");
        assert_eq!(v(SwitchingValue::Value(0.5)), "0.5");
        assert_eq!(v(SwitchingValue::NotReachable), "\"not_reachable\"");
        assert_eq!(v(SwitchingValue::Undefined), "null");
        assert_eq!(v(SwitchingValue::Value(f64::NAN)), "null");
        let p = |s: &str| serde_json::from_str::<SwitchingValue>(s).expect("parse");
        assert_eq!(p("0.25"), SwitchingValue::Value(0.25));
        assert_eq!(p("3"), SwitchingValue::Value(3.0));
        assert_eq!(p("\"not_reachable\""), SwitchingValue::NotReachable);
        assert_eq!(p("null"), SwitchingValue::Undefined);
        assert!(serde_json::from_str::<SwitchingValue>("\"maybe\"").is_err());
        let all: SwitchingValues = serde_json::from_str("{}").expect("defaults");
        assert_eq!(all, SwitchingValues::undefined());
    }

    #[test]
    fn nearest_root_picks_the_crossing_nearest_base() {
        // Roots at 0.2 and 0.8.
        let gap = |d: f64| (d - 0.2) * (d - 0.8);
        assert!((nearest_root(gap, 0.1).expect("root") - 0.2).abs() < 1e-12);
        assert!((nearest_root(gap, 0.7).expect("root") - 0.8).abs() < 1e-12);
        assert_eq!(nearest_root(|d| d + 1.0, 0.5), None);
        assert_eq!(nearest_root(|d| d - 0.5, 0.5), Some(0.5));
    }

    #[test]
    fn duration_root_interpolates() {
        // PV 10 per year; inputs 25 → 2.5 years.
        let per_year = [10.0; 5];
        assert_eq!(duration_root(&per_year, 25.0, 4.0), Some(2.5));
        assert_eq!(duration_root(&per_year, 30.0, 4.0), Some(3.0));
        assert_eq!(duration_root(&per_year, 5.0, 4.0), None);
        assert_eq!(duration_root(&per_year, 60.0, 4.0), None);
    }
}
