//! Rankings, correlations, the least-squares line and quantile classes.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::frame::AreaFrame;
use crate::geography::AreaType;

/// Competition ranks ("1, 2, 2, 4"): tied values share the lowest rank. `descending = true` gives
/// rank 1 to the highest value. NaN values must be filtered out by the caller (they rank last).
pub fn competition_ranks(values: &[f64], descending: bool) -> Vec<u32> {
    let order = sorted_order(values, descending);
    let mut ranks = vec![0u32; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && values[order[j]] == values[order[i]] {
            j += 1;
        }
        for &k in &order[i..j] {
            ranks[k] = i as u32 + 1;
        }
        i = j;
    }
    ranks
}

/// Average ranks (ascending; ties get the mean of the ranks they span), as used by Spearman's rho.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let order = sorted_order(values, false);
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && values[order[j]] == values[order[i]] {
            j += 1;
        }
        // Positions i..j (0-based) share rank mean(i+1..=j).
        let avg = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = avg;
        }
        i = j;
    }
    ranks
}

fn sorted_order(values: &[f64], descending: bool) -> Vec<usize> {
    if values.len() > RADIX_MIN && u32::try_from(values.len()).is_ok() {
        // Same order as the stable comparison sort below, in linear time (ties keep index order;
        // ranks do not depend on the order inside a tie either way).
        let mut order: Vec<usize> = radix_order(values)
            .into_iter()
            .map(|i| i as usize)
            .collect();
        if descending {
            order.reverse();
        }
        return order;
    }
    // Integer keys in one contiguous array sort faster than indices compared through `values`;
    // the index breaks ties, so this is the stable order.
    let mut keyed: Vec<(u64, usize)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (total_order_key(v), i))
        .collect();
    keyed.sort_unstable();
    if descending {
        // Reversed ascending order: ties end up in reverse index order, which ranks ignore.
        keyed.reverse();
    }
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Below this length a comparison sort is as quick as the radix sort's fixed passes.
const RADIX_MIN: usize = 512;

/// Key whose unsigned order is the order of [`f64::total_cmp`].
fn total_order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    // total_cmp flips the magnitude bits of negative values and compares as i64; flipping the
    // sign bit as well turns that signed order into an unsigned one.
    let flipped = bits ^ (((bits as i64 >> 63) as u64) >> 1);
    flipped ^ (1 << 63)
}

/// Indices of `values` in ascending `total_cmp` order (stable): LSD radix sort, 11-bit digits,
/// skipping digits every key shares. `values.len()` must fit in `u32`.
fn radix_order(values: &[f64]) -> Vec<u32> {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    const PASSES: usize = 64_usize.div_ceil(BITS as usize);
    let n = values.len();
    let mut keys: Vec<u64> = values.iter().map(|&v| total_order_key(v)).collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut counts = vec![[0u32; BUCKETS]; PASSES];
    for &k in &keys {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[((k >> (pass as u32 * BITS)) as usize) & (BUCKETS - 1)] += 1;
        }
    }
    let (mut keys_out, mut order_out) = (vec![0u64; n], vec![0u32; n]);
    for (pass, count) in counts.iter_mut().enumerate() {
        if count.iter().any(|&c| c as usize == n) {
            continue;
        }
        let mut next = 0u32;
        for c in count.iter_mut() {
            (*c, next) = (next, next + *c);
        }
        let shift = pass as u32 * BITS;
        for (&k, &i) in keys.iter().zip(&order) {
            let bucket = ((k >> shift) as usize) & (BUCKETS - 1);
            let at = count[bucket] as usize;
            count[bucket] += 1;
            keys_out[at] = k;
            order_out[at] = i;
        }
        std::mem::swap(&mut keys, &mut keys_out);
        std::mem::swap(&mut order, &mut order_out);
    }
    order
}

/// Correlation method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Pearson's r.
    Pearson,
    /// Spearman's rho (Pearson on average ranks).
    Spearman,
}

/// A correlation with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Correlation {
    /// Method used.
    pub method: Method,
    /// Coefficient in [-1, 1].
    pub r: f64,
    /// Number of complete pairs.
    pub n: usize,
    /// Lower bound of the 95% confidence interval (Fisher z; `None` if n <= 3).
    pub ci_low: Option<f64>,
    /// Upper bound of the 95% confidence interval.
    pub ci_high: Option<f64>,
    /// Two-sided p-value from the t distribution with n - 2 degrees of freedom (`None` if n <= 2).
    pub p_value: Option<f64>,
}

/// Keep pairs where both values are finite.
fn complete_pairs(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    x.iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .unzip()
}

fn raw_pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    if x.len() < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

fn finish(method: Method, r: f64, n: usize) -> Correlation {
    // Fisher z interval; Spearman uses the Fieller et al. (1957) variance 1.06 / (n - 3).
    let (ci_low, ci_high) = if n > 3 {
        let var = match method {
            Method::Pearson => 1.0 / (n as f64 - 3.0),
            Method::Spearman => 1.06 / (n as f64 - 3.0),
        };
        let z = r.clamp(-0.999_999_999, 0.999_999_999).atanh();
        let half = 1.959_963_984_540_054 * var.sqrt();
        (Some((z - half).tanh()), Some((z + half).tanh()))
    } else {
        (None, None)
    };
    let p_value = if n > 2 {
        let df = n as f64 - 2.0;
        if r.abs() >= 1.0 {
            Some(0.0)
        } else {
            let t = r * (df / (1.0 - r * r)).sqrt();
            StudentsT::new(0.0, 1.0, df)
                .ok()
                .map(|d| (2.0 * (1.0 - d.cdf(t.abs()))).clamp(0.0, 1.0))
        }
    } else {
        None
    };
    Correlation {
        method,
        r,
        n,
        ci_low,
        ci_high,
        p_value,
    }
}

/// Pearson's r over complete pairs; `None` if fewer than 2 pairs or a constant input.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<Correlation> {
    let (x, y) = complete_pairs(x, y);
    raw_pearson(&x, &y).map(|r| finish(Method::Pearson, r, x.len()))
}

/// Spearman's rho (average ranks for ties) over complete pairs.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Correlation> {
    let (x, y) = complete_pairs(x, y);
    let (rx, ry) = (average_ranks(&x), average_ranks(&y));
    raw_pearson(&rx, &ry).map(|r| finish(Method::Spearman, r, x.len()))
}

/// Correlation by method.
pub fn correlate(method: Method, x: &[f64], y: &[f64]) -> Option<Correlation> {
    match method {
        Method::Pearson => pearson(x, y),
        Method::Spearman => spearman(x, y),
    }
}

/// Pairwise correlations between indicators over the areas of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationMatrix {
    /// Indicator ids (rows and columns).
    pub indicators: Vec<String>,
    /// Level the values were taken at.
    pub level: AreaType,
    /// `cells[i][j]`: correlation of indicators i and j (`None` if not computable).
    pub cells: Vec<Vec<Option<Correlation>>>,
}

/// Errors for [`correlation_matrix`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatsError {
    /// The indicator has no values at the level.
    #[error("indicator {indicator} has no values for {level}")]
    NoValues {
        /// Indicator id.
        indicator: String,
        /// Level.
        level: AreaType,
    },
}

/// Correlation matrix of `indicators` over all areas of `level` (complete pairs per cell).
pub fn correlation_matrix(
    frame: &AreaFrame,
    indicators: &[&str],
    level: AreaType,
    method: Method,
) -> Result<CorrelationMatrix, StatsError> {
    let columns: Vec<&[f64]> = indicators
        .iter()
        .map(|id| {
            frame.column(id, level).ok_or_else(|| StatsError::NoValues {
                indicator: (*id).to_owned(),
                level,
            })
        })
        .collect::<Result<_, _>>()?;
    let k = columns.len();
    let mut cells = vec![vec![None; k]; k];
    for i in 0..k {
        for j in i..k {
            let c = correlate(method, columns[i], columns[j]);
            cells[i][j] = c;
            cells[j][i] = c;
        }
    }
    Ok(CorrelationMatrix {
        indicators: indicators.iter().map(|s| (*s).to_owned()).collect(),
        level,
        cells,
    })
}

/// A least-squares line `y = slope * x + intercept`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// Slope.
    pub slope: f64,
    /// Intercept.
    pub intercept: f64,
}

/// Ordinary least-squares fit of y on x over the finite pairs; None with fewer than 2 pairs or
/// when every x is the same.
pub fn fit_line(points: &[(f64, f64)]) -> Option<Line> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some(Line {
        slope,
        intercept: my - slope * mx,
    })
}

/// National decile (1 = most deprived 10%) of a share of LSOAs an area is more deprived than
/// (`(N + 1 - rank) / N` for an LSOA, or a population-weighted average of it for a larger area).
pub fn decile_of_share(share: f64) -> f64 {
    ((1.0 - share) * 10.0).ceil().clamp(1.0, 10.0)
}

/// Quantile classes (quintiles, deciles, ...) of a set of values: the finite values, sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantiles {
    sorted: Vec<f64>,
}

impl Quantiles {
    /// The finite values of `values`; NaN and infinities are left out.
    pub fn new(values: impl IntoIterator<Item = f64>) -> Quantiles {
        let mut sorted: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        Quantiles { sorted }
    }

    /// Smallest and largest value; None without values.
    pub fn range(&self) -> Option<(f64, f64)> {
        Some((*self.sorted.first()?, *self.sorted.last()?))
    }

    /// 0-based class of `v` among `n` classes: its first position in sorted order scaled to `n`,
    /// so tied values always share a class.
    pub fn class_of(&self, v: f64, n: usize) -> usize {
        if self.sorted.is_empty() || n == 0 {
            return 0;
        }
        let position = self.sorted.partition_point(|x| *x < v);
        (position * n / self.sorted.len()).min(n - 1)
    }

    /// Lowest and highest value in each of `n` classes (None for a class no value falls in).
    pub fn class_ranges(&self, n: usize) -> Vec<Option<(f64, f64)>> {
        let mut ranges: Vec<Option<(f64, f64)>> = vec![None; n];
        for &v in &self.sorted {
            if let Some(r) = ranges.get_mut(self.class_of(v, n)) {
                *r = Some(r.map_or((v, v), |(lo, _)| (lo, v)));
            }
        }
        ranges
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fitted_line_of_an_exact_line_is_that_line() {
        let pts: Vec<(f64, f64)> = (0..10)
            .map(|i| (f64::from(i), 2.0 * f64::from(i) + 1.0))
            .collect();
        let line = fit_line(&pts).unwrap();
        assert!((line.slope - 2.0).abs() < 1e-12);
        assert!((line.intercept - 1.0).abs() < 1e-12);
    }

    #[test]
    fn fitted_line_of_a_known_dataset() {
        // x = 1..5, y = 2, 4, 5, 4, 5: slope = 6/10 = 0.6, intercept = 4 - 0.6 * 3 = 2.2.
        let pts = [(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)];
        let line = fit_line(&pts).unwrap();
        assert!((line.slope - 0.6).abs() < 1e-12);
        assert!((line.intercept - 2.2).abs() < 1e-12);
        assert_eq!(fit_line(&[(1.0, 1.0), (1.0, 2.0)]), None);
        assert_eq!(fit_line(&[(1.0, 1.0)]), None);
    }

    #[test]
    fn deciles_of_shares_put_the_most_deprived_tenth_in_decile_1() {
        assert_eq!(decile_of_share(0.95), 1.0);
        assert_eq!(decile_of_share(1.0), 1.0);
        assert_eq!(decile_of_share(0.9), 1.0);
        assert_eq!(decile_of_share(0.55), 5.0);
        assert_eq!(decile_of_share(0.0), 10.0);
    }

    #[test]
    fn deciles_split_values_evenly_and_ties_share_a_class() {
        let q = Quantiles::new((1..=20).map(f64::from).chain([f64::NAN]));
        assert_eq!(q.range(), Some((1.0, 20.0)));
        assert_eq!(q.class_of(1.0, 10), 0);
        assert_eq!(q.class_of(2.0, 10), 0);
        assert_eq!(q.class_of(3.0, 10), 1);
        assert_eq!(q.class_of(20.0, 10), 9);
        let ranges = q.class_ranges(10);
        assert_eq!(ranges[0], Some((1.0, 2.0)));
        assert_eq!(ranges[9], Some((19.0, 20.0)));
        let tied = Quantiles::new([1.0, 1.0, 1.0, 1.0, 5.0]);
        assert_eq!(tied.class_of(1.0, 5), 0);
        assert_eq!(tied.class_of(5.0, 5), 4);
        assert_eq!(tied.class_ranges(5)[1], None);
        assert_eq!(Quantiles::new([]).range(), None);
    }

    #[test]
    fn competition_ranks_share_the_lowest_rank() {
        assert_eq!(
            competition_ranks(&[10.0, 8.0, 8.0, 5.0], true),
            vec![1, 2, 2, 4]
        );
        assert_eq!(
            competition_ranks(&[10.0, 8.0, 8.0, 5.0], false),
            vec![4, 2, 2, 1]
        );
        assert!(competition_ranks(&[], true).is_empty());
    }

    #[test]
    fn average_ranks_for_ties() {
        assert_eq!(
            average_ranks(&[1.0, 2.0, 2.0, 3.0]),
            vec![1.0, 2.5, 2.5, 4.0]
        );
    }

    #[test]
    fn pearson_matches_a_hand_computed_example() {
        // x = 1..5, y = 2,4,5,4,5: r = 0.7745967, t = 2.1213, df 3, p = 0.1240.
        let c = pearson(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 5.0, 4.0, 5.0]).expect("r");
        assert!((c.r - 0.774_596_7).abs() < 1e-6, "{}", c.r);
        assert!((c.p_value.expect("p") - 0.124_0).abs() < 1e-3);
        // Fisher z CI: atanh(r) = 1.0317, se = 1/sqrt(2), +-1.386 -> tanh(-0.3542, 2.4176) = (-0.340, 0.984).
        assert!(
            (c.ci_low.expect("lo") + 0.340_1).abs() < 1e-3,
            "{:?}",
            c.ci_low
        );
        assert!(
            (c.ci_high.expect("hi") - 0.984_2).abs() < 1e-3,
            "{:?}",
            c.ci_high
        );
    }

    #[test]
    fn spearman_handles_ties_and_missing() {
        let c = spearman(&[1.0, 2.0, 2.0, 3.0, f64::NAN], &[1.0, 3.0, 2.0, 4.0, 9.0]).expect("rho");
        assert_eq!(c.n, 4);
        // ranks x = 1, 2.5, 2.5, 4; y = 1, 3, 2, 4 -> rho = 0.9486833.
        assert!((c.r - 0.948_683_3).abs() < 1e-6, "{}", c.r);
        assert!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_none());
    }

    proptest! {
        #[test]
        fn ranks_are_consistent_with_values(values in proptest::collection::vec(0u8..20, 0..60)) {
            let v: Vec<f64> = values.iter().map(|x| f64::from(*x)).collect();
            let ranks = competition_ranks(&v, true);
            for i in 0..v.len() {
                // Rank = 1 + number of strictly greater values.
                let greater = v.iter().filter(|x| **x > v[i]).count() as u32;
                prop_assert_eq!(ranks[i], greater + 1);
            }
            let avg = average_ranks(&v);
            let total: f64 = avg.iter().sum();
            let n = v.len() as f64;
            prop_assert!((total - n * (n + 1.0) / 2.0).abs() < 1e-6);
        }

        #[test]
        fn radix_order_matches_total_cmp(values in proptest::collection::vec(
            prop_oneof![any::<f64>(), (0u8..5).prop_map(f64::from), Just(-0.0), Just(0.0)],
            0..2000,
        )) {
            let mut expected: Vec<u32> = (0..values.len() as u32).collect();
            expected.sort_by(|&a, &b| values[a as usize].total_cmp(&values[b as usize]));
            prop_assert_eq!(radix_order(&values), expected);
        }

        #[test]
        fn correlation_is_bounded_and_symmetric(pairs in proptest::collection::vec((-1e3f64..1e3, -1e3f64..1e3), 3..40)) {
            let (x, y): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            if let Some(c) = pearson(&x, &y) {
                prop_assert!(c.r >= -1.0 && c.r <= 1.0);
                let d = pearson(&y, &x).expect("symmetric");
                prop_assert!((c.r - d.r).abs() < 1e-9);
                if let Some(p) = c.p_value { prop_assert!((0.0..=1.0).contains(&p)); }
            }
        }
    }
}
