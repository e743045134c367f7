//! Discount rates and factors (METHOD.md §3.5).

use super::project::{Convention, DiscountSchedule};
use super::validate::{MAX_DURATION_YEARS, MAX_YEAR};

/// Largest year [`discount_factors`] will tabulate; longer requests are cut here so a caller
/// can never ask for an unbounded allocation.
pub const MAX_TABLE_YEAR: u32 = 10_000;

/// Green Book standard discount rate for the step into `year` (METHOD.md §3.5 table).
///
/// Year 0 returns 3.5% for completeness, but `DF(0)` is always 1.
pub const fn green_book_rate(year: u32) -> f64 {
    match year {
        0..=30 => 0.035,
        31..=75 => 0.030,
        76..=125 => 0.025,
        126..=200 => 0.020,
        201..=300 => 0.015,
        _ => 0.010,
    }
}

/// Discount rate for the step into `year` under `schedule`; `flat_rate` is used only by
/// [`DiscountSchedule::Flat`].
pub const fn rate_for_year(schedule: DiscountSchedule, flat_rate: f64, year: u32) -> f64 {
    match schedule {
        DiscountSchedule::GreenBookStandard => green_book_rate(year),
        DiscountSchedule::Flat => flat_rate,
        DiscountSchedule::Zero => 0.0,
    }
}

/// Discount factors `DF(0..=last_year)`, indexed by year: `DF(0) = 1` and
/// `DF(t) = DF(t − 1) / (1 + r(t))`, so the rate of a year applies to the step into it
/// (Green Book: `DF(31) = DF(30) / 1.03`). A flat rate gives `(1 + r)^−t`.
///
/// `last_year` is capped at [`MAX_TABLE_YEAR`].
pub fn discount_factors(schedule: DiscountSchedule, flat_rate: f64, last_year: u32) -> Vec<f64> {
    let last = last_year.min(MAX_TABLE_YEAR);
    let mut factors = Vec::with_capacity(last as usize + 1);
    let mut df = 1.0;
    factors.push(df);
    for year in 1..=last {
        df /= 1.0 + rate_for_year(schedule, flat_rate, year);
        factors.push(df);
    }
    factors
}

/// Last year any validated project can touch: a benefit starting in year 200 and lasting 200
/// years ends in year 399, and sensitivity may extend a duration to the 200-year maximum.
pub(crate) const TABLE_LAST_YEAR: usize = (MAX_YEAR + MAX_DURATION_YEARS) as usize;

/// Discount factors for one calculation: `input` for inputs (always `DF(y)`), `benefit` for
/// outcome years (shifted by one year under the Green Book year-0 convention).
#[derive(Debug, Clone)]
pub(crate) struct Discount {
    pub(crate) input: Vec<f64>,
    pub(crate) benefit: Vec<f64>,
}

impl Discount {
    /// Tables covering years `0..=TABLE_LAST_YEAR`, so every clamped year indexes safely.
    pub(crate) fn new(schedule: DiscountSchedule, flat_rate: f64, convention: Convention) -> Self {
        let input = discount_factors(schedule, flat_rate, TABLE_LAST_YEAR as u32);
        let benefit = match convention {
            Convention::SroiGuideEndOfYear => input.clone(),
            Convention::GreenBookYear0 => (0..input.len())
                .map(|t| input[t.saturating_sub(1)])
                .collect(),
        };
        Self { input, benefit }
    }

    /// Present value of inputs given as `(year, £)` pairs.
    pub(crate) fn inputs_pv(&self, inputs: &[(usize, f64)]) -> f64 {
        inputs
            .iter()
            .map(|&(year, amount)| amount * self.input_factor(year))
            .sum()
    }

    fn input_factor(&self, year: usize) -> f64 {
        // Years are validated to 0..=200, well inside the table; 0 only guards against misuse.
        self.input.get(year).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn green_book_factors_match_method_examples() {
        let df = discount_factors(DiscountSchedule::GreenBookStandard, 0.0, 40);
        assert_eq!(df[0], 1.0);
        assert!((df[1] - 1.0 / 1.035).abs() < 1e-15);
        assert!((df[30] - 0.356_278_410_6).abs() < 1e-10);
        assert!((df[31] - 0.345_901_369_5).abs() < 1e-10);
        assert!((df[40] - 0.265_104_597_3).abs() < 1e-10);
        // A flat 3.5% would give 0.2525724682 in year 40: the schedule must decline.
        let flat = discount_factors(DiscountSchedule::Flat, 0.035, 40);
        assert!((flat[40] - 0.252_572_468_2).abs() < 1e-10);
    }

    #[test]
    fn rate_bands_change_at_the_documented_years() {
        let bands = [
            (30, 0.035),
            (31, 0.03),
            (75, 0.03),
            (76, 0.025),
            (125, 0.025),
        ];
        for (year, rate) in bands {
            assert_eq!(green_book_rate(year), rate, "year {year}");
        }
        let more = [
            (126, 0.02),
            (200, 0.02),
            (201, 0.015),
            (300, 0.015),
            (301, 0.01),
        ];
        for (year, rate) in more {
            assert_eq!(green_book_rate(year), rate, "year {year}");
        }
    }

    #[test]
    fn zero_schedule_and_cap() {
        assert!(
            discount_factors(DiscountSchedule::Zero, 0.5, 10)
                .iter()
                .all(|&f| f == 1.0)
        );
        assert_eq!(
            discount_factors(DiscountSchedule::Zero, 0.0, u32::MAX).len(),
            MAX_TABLE_YEAR as usize + 1
        );
    }

    #[test]
    fn year0_convention_shifts_benefits_only() {
        let d = Discount::new(
            DiscountSchedule::GreenBookStandard,
            0.0,
            Convention::GreenBookYear0,
        );
        assert_eq!(d.benefit[0], 1.0);
        assert_eq!(d.benefit[1], 1.0);
        assert_eq!(d.benefit[2], d.input[1]);
        assert_eq!(d.benefit.len(), TABLE_LAST_YEAR + 1);
        assert!((d.inputs_pv(&[(0, 100.0), (1, 103.5)]) - 200.0).abs() < 1e-9);
    }
}
