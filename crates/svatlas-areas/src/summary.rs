//! Area summaries with the MHCLG local-authority-district summary method, for any set of LSOAs.
//!
//! Per domain: population-weighted average of the reversed LSOA rank (`N + 1 - rank`, so higher
//! = more deprived), population-weighted average score, share of LSOAs in national decile 1,
//! IMD extent and local concentration, Income/Employment scale. Values that cannot be computed
//! from the shipped data are `None`, never estimated from something else.
//!
//! Weights: IoD2019 uses its own File 6 (mid-2015, excluding prisoners). The IoD2025 mid-2022
//! denominators are not available, so custom IoD2025 areas are weighted by Census 2021 usual
//! residents (Employment: residents x share aged 18-66 from mid-2020 estimates), see
//! [`POPULATION_SOURCE_2025`]. For Plymouth this gives an IMD average score of 24.03 against the
//! official 24.087 (mean absolute difference over all 296 districts: 0.04).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::catalog::IodDomain;
use crate::frame::AreaFrame;
use crate::geography::{AreaType, Edition};
use crate::stats::competition_ranks;

/// `population_source` for IoD2019 summaries.
pub const POPULATION_SOURCE_2019: &str = "IoD2019 File 6: mid-2015 population excluding prisoners (official denominators; working-age 18-59/64 for Employment, 0-15 for IDACI, 60+ for IDAOPI)";
/// `population_source` for custom IoD2025 summaries.
pub const POPULATION_SOURCE_2025: &str = "Census 2021 usual residents per LSOA 2021 (TS038 total); Employment weighted by residents x share aged 18-66 from ONS mid-2020 LSOA 2011 estimates mapped to LSOA 2021. sv-atlas estimate: the official IoD2025 mid-2022 denominators are not available, so figures differ slightly from File 10";
/// `population_source` for official IoD2025 district figures.
pub const POPULATION_SOURCE_2025_OFFICIAL: &str = "Official MHCLG IoD2025 File 10 v2 district summaries (weighted by mid-2022 denominators); the population shown is Census 2021 usual residents";

fn de_opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Option::<f64>::deserialize(d)
}

fn de_opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    Option::<u32>::deserialize(d)
}

/// IMD-only measures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Concentration {
    /// Population-weighted share living in the most deprived 30% (sliding weights above 10%).
    #[serde(deserialize_with = "de_opt_f64")]
    pub extent: Option<f64>,
    /// Rank of `extent` among districts (1 = most deprived).
    #[serde(deserialize_with = "de_opt_u32")]
    pub rank_of_extent: Option<u32>,
    /// Population-weighted mean reversed rank of the most deprived LSOAs holding 10% of the population.
    #[serde(deserialize_with = "de_opt_f64")]
    pub local_concentration: Option<f64>,
    /// Rank of `local_concentration` among districts.
    #[serde(deserialize_with = "de_opt_u32")]
    pub rank_of_local_concentration: Option<u32>,
}

/// Income/Employment-only measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    /// Number of deprived people (IoD2025: sum of File 8 numerators; IoD2019: score x denominator).
    #[serde(deserialize_with = "de_opt_f64")]
    pub scale: Option<f64>,
    /// Rank of `scale` among districts.
    #[serde(deserialize_with = "de_opt_u32")]
    pub rank_of_scale: Option<u32>,
}

/// Summary measures of one domain. Ranks are only set for district summaries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DomainSummary {
    /// Population-weighted mean of `N + 1 - rank` (higher = more deprived).
    pub average_rank: Option<f64>,
    /// Rank of `average_rank` among districts (1 = most deprived).
    pub rank_of_average_rank: Option<u32>,
    /// Population-weighted mean score (None where scores are not available).
    pub average_score: Option<f64>,
    /// Rank of `average_score`.
    pub rank_of_average_score: Option<u32>,
    /// Share of LSOAs (unweighted) in the most deprived national decile.
    pub proportion_most_deprived_10pc: Option<f64>,
    /// Rank of the proportion.
    pub rank_of_proportion_most_deprived_10pc: Option<u32>,
    /// Extent and local concentration (IMD only).
    #[serde(flatten)]
    pub concentration: Option<Concentration>,
    /// Scale (Income and Employment only).
    #[serde(flatten)]
    pub scale: Option<Scale>,
}

/// Summary of a set of LSOAs (a district or a custom area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Edition used.
    pub edition: Edition,
    /// Number of LSOAs.
    pub lsoa_count: usize,
    /// Total population of the weights used (None if not available).
    pub population: Option<f64>,
    /// Which population weights were used.
    pub population_source: String,
    /// Per domain id (`imd`, `income`, ...); domains without data in the edition are absent.
    pub domains: BTreeMap<String, DomainSummary>,
}

/// Summary of one district, with ranks among all districts of the edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LadSummary {
    /// District code.
    pub code: String,
    /// District name.
    pub name: String,
    /// Summary with `rank_of_*` filled in.
    #[serde(flatten)]
    pub summary: Summary,
}

/// Why a summary could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SummaryError {
    /// No codes were given.
    #[error("no LSOA codes given")]
    Empty,
    /// Some codes are not LSOAs of the edition.
    #[error("{} unknown code(s), {} code(s) of the other edition's LSOA geography", unknown.len(), other_edition.len())]
    InvalidCodes {
        /// Codes that are not ranked LSOAs of the edition (or of the other edition).
        unknown: Vec<String>,
        /// Codes that are LSOAs of the other edition only (e.g. 2011 LSOAs split in 2021).
        other_edition: Vec<String>,
    },
    /// The edition's data is not in the frame.
    #[error("{0:?} data is not loaded")]
    NotLoaded(Edition),
}

/// Columns needed for one domain, aligned to the edition's LSOA index.
struct DomainCols<'a> {
    domain: IodDomain,
    rank: &'a [f64],
    score: Option<&'a [f64]>,
    decile: Option<&'a [f64]>,
    weight: Option<&'a [f64]>,
    numerator: Option<&'a [f64]>,
}

struct EditionCols<'a> {
    n: f64,
    total: Option<&'a [f64]>,
    domains: Vec<DomainCols<'a>>,
}

fn weight_id(edition: Edition, domain: IodDomain) -> &'static str {
    match (edition, domain) {
        (Edition::Iod2019, IodDomain::Employment) => "iod2019.population.working_age",
        (Edition::Iod2019, IodDomain::Idaci) => "iod2019.population.children_0_15",
        (Edition::Iod2019, IodDomain::Idaopi) => "iod2019.population.older_60_plus",
        (Edition::Iod2019, _) => "iod2019.population.total",
        (Edition::Iod2025, IodDomain::Employment) => "pop2021.working_age_18_66.estimate",
        (Edition::Iod2025, IodDomain::Idaci) => "pop2021.children_0_15.estimate",
        (Edition::Iod2025, IodDomain::Idaopi) => "pop2021.older_60_plus.estimate",
        (Edition::Iod2025, _) => "pop2021.total.count",
    }
}

fn edition_cols(frame: &AreaFrame, edition: Edition) -> EditionCols<'_> {
    let t = edition.lsoa_type();
    let ds = edition.dataset_id();
    let col = |id: &str| frame.column(id, t);
    let domains = IodDomain::ALL
        .iter()
        .filter_map(|&d| {
            let id = |m: &str| format!("{ds}.{}.{m}", d.id());
            Some(DomainCols {
                domain: d,
                rank: col(&id("rank"))?,
                score: col(&id("score")),
                decile: col(&id("decile")),
                weight: col(weight_id(edition, d)),
                numerator: col(&id("numerator")),
            })
        })
        .collect();
    EditionCols {
        n: edition.lsoa_count() as f64,
        total: col(weight_id(edition, IodDomain::Imd)),
        domains,
    }
}

/// Extent weight of an LSOA by its national percentile (1 = most deprived 1%).
fn extent_weight(rank: f64, n: f64) -> f64 {
    // ceil without a libm call (hot in district summaries); x is a small positive number.
    let x = 100.0 * rank / n;
    let t = x as i64 as f64;
    let p = if t < x { t + 1.0 } else { t };
    if p <= 10.0 {
        1.0
    } else if p <= 30.0 {
        0.95 - (p - 11.0) * 0.9 / 19.0
    } else {
        0.0
    }
}

/// Sum of weights; None if any weight is missing.
fn weight_total(w: &[f64]) -> Option<f64> {
    let mut s = 0.0;
    for &wi in w {
        if !wi.is_finite() {
            return None;
        }
        s += wi * 1.0;
    }
    Some(s)
}

/// One domain's inputs for one area, each slice holding the area's LSOAs contiguously in LSOA
/// index order (so sums do not depend on how the inputs were laid out).
struct DomainSlice<'a> {
    domain: IodDomain,
    rank: &'a [f64],
    score: Option<&'a [f64]>,
    /// Decile flags, see [`decile_flags`].
    decile: Option<&'a [u8]>,
    weight: Option<&'a [f64]>,
    numerator: Option<&'a [f64]>,
    /// IMD only: `(rank, weight)` of the same LSOAs ordered by rank (then LSOA index).
    by_rank: Option<(&'a [f64], &'a [f64])>,
}

fn compute_domain(d: &DomainSlice<'_>, n: f64) -> DomainSummary {
    let len = d.rank.len();
    let is_imd = d.domain == IodDomain::Imd;
    // Tight loops over contiguous slices without per-element branching; a missing input (NaN)
    // poisons its sum and becomes None below.
    let [sw, sw_rank, sw_score, sw_extent] = match (d.weight, d.score) {
        (Some(w), Some(s)) if is_imd => weighted_sums::<true, true>(w, d.rank, s, n),
        (Some(w), Some(s)) => weighted_sums::<true, false>(w, d.rank, s, n),
        (Some(w), None) if is_imd => weighted_sums::<false, true>(w, d.rank, &[], n),
        (Some(w), None) => weighted_sums::<false, false>(w, d.rank, &[], n),
        // Without weights every mean is None (the total is not a positive number).
        (None, _) => [f64::NAN; 4],
    };
    let (mut in_first, mut decile_missing) = (0usize, d.decile.is_none());
    if let Some(dec) = d.decile {
        for &v in dec {
            decile_missing |= v == DECILE_MISSING;
            in_first += usize::from(v == DECILE_FIRST);
        }
    }
    let total = (sw.is_finite() && sw > 0.0).then_some(sw);
    let mean = |s: f64| total.filter(|_| s.is_finite()).map(|t| s / t);
    let proportion = (!decile_missing && len > 0).then(|| in_first as f64 / len as f64);
    let concentration = is_imd.then(|| Concentration {
        extent: mean(sw_extent),
        rank_of_extent: None,
        local_concentration: d
            .by_rank
            .and_then(|(r, w)| local_concentration(r, w, total, n)),
        rank_of_local_concentration: None,
    });
    let scale = matches!(d.domain, IodDomain::Income | IodDomain::Employment).then(|| Scale {
        scale: scale(d),
        rank_of_scale: None,
    });
    DomainSummary {
        average_rank: mean(sw_rank),
        rank_of_average_rank: None,
        average_score: d.score.and_then(|_| mean(sw_score)),
        rank_of_average_score: None,
        proportion_most_deprived_10pc: proportion,
        rank_of_proportion_most_deprived_10pc: None,
        concentration,
        scale,
    }
}

/// `[sum w, sum w (n + 1 - rank), sum w score, sum w extent_weight(rank)]` in one pass, each
/// summed in slice order (the score and extent sums are NaN unless requested).
#[inline(always)]
fn weighted_sums<const SCORE: bool, const EXTENT: bool>(
    w: &[f64],
    rank: &[f64],
    score: &[f64],
    n: f64,
) -> [f64; 4] {
    let len = w.len();
    let (rank, score) = (&rank[..len], if SCORE { &score[..len] } else { score });
    // Independent accumulators, so the four dependency chains overlap. The score and extent sums
    // start at -0.0 like `Iterator::sum`.
    let (mut sw, mut sw_rank, mut sw_score, mut sw_extent) = (0.0, 0.0, -0.0, -0.0);
    for i in 0..len {
        let (wi, r) = (w[i], rank[i]);
        sw += wi;
        sw_rank += wi * (n + 1.0 - r);
        if SCORE {
            sw_score += wi * score[i];
        }
        if EXTENT {
            sw_extent += wi * extent_weight(r, n);
        }
    }
    [
        sw,
        sw_rank,
        if SCORE { sw_score } else { f64::NAN },
        if EXTENT { sw_extent } else { f64::NAN },
    ]
}

/// Population-weighted mean reversed rank of the most deprived LSOAs holding exactly 10% of the
/// population (the last LSOA counted in part). `rank` and `weight` are ordered by rank.
fn local_concentration(rank: &[f64], weight: &[f64], total: Option<f64>, n: f64) -> Option<f64> {
    let total = total?;
    if rank.iter().any(|r| !r.is_finite()) {
        return None;
    }
    let target = 0.1 * total;
    let (mut taken, mut sum) = (0.0, 0.0);
    for (&r, &w) in rank.iter().zip(weight) {
        let remaining = target - taken;
        if remaining <= 0.0 {
            break;
        }
        let part = w.min(remaining);
        sum += part * (n + 1.0 - r);
        taken += part;
    }
    (taken > 0.0).then(|| sum / taken)
}

fn scale(d: &DomainSlice<'_>) -> Option<f64> {
    let mut s = 0.0;
    for i in 0..d.rank.len() {
        let from_numerator = d.numerator.map(|num| num[i]).filter(|v| v.is_finite());
        // Suppressed numerators (small counts) fall back to score x denominator.
        let v = match from_numerator {
            Some(v) => v,
            None => d.score?[i] * d.weight?[i],
        };
        if !v.is_finite() {
            return None;
        }
        s += v;
    }
    Some(s)
}

/// Order of `positions` by `rank` (then position), as used by local concentration.
fn rank_order(positions: &[u32], rank: &[f64]) -> Vec<u32> {
    let mut order: Vec<u32> = positions.to_vec();
    order.sort_unstable_by(|&a, &b| {
        rank[a as usize]
            .total_cmp(&rank[b as usize])
            .then(a.cmp(&b))
    });
    order
}

fn gather(col: &[f64], positions: &[u32]) -> Vec<f64> {
    positions.iter().map(|&p| col[p as usize]).collect()
}

const DECILE_MISSING: u8 = 0;
const DECILE_FIRST: u8 = 1;
const DECILE_OTHER: u8 = 2;

/// All a summary needs of a decile, in one byte: missing (not finite), 1, or another value.
fn decile_flags(col: &[f64], positions: &[u32]) -> Vec<u8> {
    positions
        .iter()
        .map(|&p| match col[p as usize] {
            v if !v.is_finite() => DECILE_MISSING,
            1.0 => DECILE_FIRST,
            _ => DECILE_OTHER,
        })
        .collect()
}

/// One domain's columns gathered in district order (see [`DistrictLayout`]).
#[derive(Debug)]
struct DomainBlock {
    domain: IodDomain,
    rank: Vec<f64>,
    score: Option<Vec<f64>>,
    decile: Option<Vec<u8>>,
    /// Index into [`DistrictLayout::weights`] (domains share denominators).
    weight: Option<usize>,
    numerator: Option<Vec<f64>>,
}

/// The inputs of district summaries laid out so that each district's LSOAs are contiguous:
/// every domain's ranks, scores, deciles, weights and numerators gathered in district order
/// (LSOA index order inside a district; deciles reduced to one byte), and the IMD ranks and
/// weights sorted by rank inside each district for local concentration. Built once per edition
/// and cached in the frame by [`lad_summaries`] (about 5.5 MB for IoD2019); building one explicitly is only useful to measure
/// or avoid that cache ([`computed_lad_summaries_with`]).
#[derive(Debug)]
pub struct DistrictLayout {
    edition: Edition,
    n: f64,
    /// `(district index, start, end)`: the district's LSOAs are `start..end` of every block.
    lads: Vec<(u32, usize, usize)>,
    /// Distinct weight columns, gathered.
    weights: Vec<Vec<f64>>,
    /// Index into `weights` of the total population.
    total: Option<usize>,
    domains: Vec<DomainBlock>,
    /// IMD `(rank, weight)` ordered by rank inside each district (empty without IMD weights).
    imd_by_rank: (Vec<f64>, Vec<f64>),
}

impl DistrictLayout {
    /// Gather the edition's columns in district order (the frame's LSOA index per district is
    /// built first if needed).
    pub fn build(frame: &AreaFrame, edition: Edition) -> DistrictLayout {
        let idx = frame.edition_index(edition);
        let cols = edition_cols(frame, edition);
        let mut positions: Vec<u32> = Vec::with_capacity(idx.in_edition.len());
        let mut lads = Vec::with_capacity(idx.lads.len());
        for (lad, members) in &idx.lads {
            let start = positions.len();
            positions.extend_from_slice(members);
            lads.push((*lad, start, positions.len()));
        }
        // Domains share denominators: gather each distinct column (by address) once.
        let mut weight_cols: Vec<*const f64> = Vec::new();
        let mut weights: Vec<Vec<f64>> = Vec::new();
        let mut weight_slot = |col: Option<&[f64]>| {
            let col = col?;
            if let Some(i) = weight_cols.iter().position(|c| *c == col.as_ptr()) {
                return Some(i);
            }
            weight_cols.push(col.as_ptr());
            weights.push(gather(col, &positions));
            Some(weights.len() - 1)
        };
        let total = weight_slot(cols.total);
        let mut imd_by_rank = (Vec::new(), Vec::new());
        let domains = cols
            .domains
            .iter()
            .map(|d| {
                if d.domain == IodDomain::Imd
                    && let Some(w) = d.weight
                {
                    for &(_, start, end) in &lads {
                        for p in rank_order(&positions[start..end], d.rank) {
                            imd_by_rank.0.push(d.rank[p as usize]);
                            imd_by_rank.1.push(w[p as usize]);
                        }
                    }
                }
                DomainBlock {
                    domain: d.domain,
                    rank: gather(d.rank, &positions),
                    score: d.score.map(|c| gather(c, &positions)),
                    decile: d.decile.map(|c| decile_flags(c, &positions)),
                    weight: weight_slot(d.weight),
                    numerator: d.numerator.map(|c| gather(c, &positions)),
                }
            })
            .collect();
        DistrictLayout {
            edition,
            n: cols.n,
            lads,
            weights,
            total,
            domains,
            imd_by_rank,
        }
    }

    /// Edition the layout was built for.
    pub fn edition(&self) -> Edition {
        self.edition
    }

    fn slice<'a>(&'a self, d: &'a DomainBlock, start: usize, end: usize) -> DomainSlice<'a> {
        let by_rank = (d.domain == IodDomain::Imd && !self.imd_by_rank.0.is_empty()).then(|| {
            (
                &self.imd_by_rank.0[start..end],
                &self.imd_by_rank.1[start..end],
            )
        });
        DomainSlice {
            domain: d.domain,
            rank: &d.rank[start..end],
            score: d.score.as_deref().map(|c| &c[start..end]),
            decile: d.decile.as_deref().map(|c| &c[start..end]),
            weight: d.weight.map(|i| &self.weights[i][start..end]),
            numerator: d.numerator.as_deref().map(|c| &c[start..end]),
            by_rank,
        }
    }
}

/// Summary of the positions of a custom area (gathers its inputs, then the district kernel).
fn summarise_positions(
    cols: &EditionCols<'_>,
    edition: Edition,
    positions: &[u32],
    source: &str,
) -> Summary {
    let domains = cols
        .domains
        .iter()
        .map(|d| {
            let weight = d.weight.map(|w| gather(w, positions));
            let by_rank = (d.domain == IodDomain::Imd)
                .then(|| {
                    let w = d.weight?;
                    let order = rank_order(positions, d.rank);
                    Some((gather(d.rank, &order), gather(w, &order)))
                })
                .flatten();
            let rank = gather(d.rank, positions);
            let score = d.score.map(|c| gather(c, positions));
            let decile = d.decile.map(|c| decile_flags(c, positions));
            let numerator = d.numerator.map(|c| gather(c, positions));
            let slice = DomainSlice {
                domain: d.domain,
                rank: &rank,
                score: score.as_deref(),
                decile: decile.as_deref(),
                weight: weight.as_deref(),
                numerator: numerator.as_deref(),
                by_rank: by_rank.as_ref().map(|(r, w)| (r.as_slice(), w.as_slice())),
            };
            (d.domain.id().to_owned(), compute_domain(&slice, cols.n))
        })
        .collect();
    Summary {
        edition,
        lsoa_count: positions.len(),
        population: cols.total.and_then(|w| weight_total(&gather(w, positions))),
        population_source: source.to_owned(),
        domains,
    }
}

fn population_source(edition: Edition) -> &'static str {
    match edition {
        Edition::Iod2019 => POPULATION_SOURCE_2019,
        Edition::Iod2025 => POPULATION_SOURCE_2025,
    }
}

/// Summarise a custom set of LSOAs of one edition (order and duplicates do not matter).
/// Ranks are `None` (they only exist among districts).
pub fn summarise(
    frame: &AreaFrame,
    edition: Edition,
    lsoas: &[&str],
) -> Result<Summary, SummaryError> {
    if lsoas.is_empty() {
        return Err(SummaryError::Empty);
    }
    let idx = frame.edition_index(edition);
    if !idx.in_edition.iter().any(|b| *b) {
        return Err(SummaryError::NotLoaded(edition));
    }
    let other = frame.edition_index(edition.other());
    let (mut unknown, mut other_edition, mut positions) = (Vec::new(), Vec::new(), Vec::new());
    for code in lsoas {
        let code = code.trim();
        match frame.locate(code, edition.lsoa_type()) {
            Some(at) if idx.in_edition[at.index as usize] => positions.push(at.index),
            _ => {
                let in_other = frame
                    .locate(code, edition.other().lsoa_type())
                    .is_some_and(|at| {
                        other
                            .in_edition
                            .get(at.index as usize)
                            .copied()
                            .unwrap_or(false)
                    });
                if in_other {
                    other_edition.push(code.to_owned())
                } else {
                    unknown.push(code.to_owned())
                }
            }
        }
    }
    if !unknown.is_empty() || !other_edition.is_empty() {
        for list in [&mut unknown, &mut other_edition] {
            list.sort();
            list.dedup();
        }
        return Err(SummaryError::InvalidCodes {
            unknown,
            other_edition,
        });
    }
    // Sorted positions make the floating-point sums independent of input order.
    positions.sort_unstable();
    positions.dedup();
    let cols = edition_cols(frame, edition);
    Ok(summarise_positions(
        &cols,
        edition,
        &positions,
        population_source(edition),
    ))
}

/// Summaries of every district of the edition with `rank_of_*` among them (1 = most deprived,
/// ties share the lowest rank). IoD2019: computed from the LSOA files (317 LAD 2019).
/// IoD2025: the official File 10 v2 figures (296 LAD 2024).
pub fn lad_summaries(frame: &AreaFrame, edition: Edition) -> Vec<LadSummary> {
    match edition {
        Edition::Iod2019 => computed_lad_summaries(frame, edition),
        Edition::Iod2025 => official_lad_summaries_2025(frame),
    }
}

/// District summaries computed with the method above, whatever the edition (for IoD2025 this
/// uses the Census-based weights and differs slightly from File 10). The inputs' district layout
/// is built on first use and cached in the frame.
pub fn computed_lad_summaries(frame: &AreaFrame, edition: Edition) -> Vec<LadSummary> {
    let layout = frame
        .edition_index(edition)
        .layout
        .get_or_init(|| DistrictLayout::build(frame, edition));
    computed_lad_summaries_with(frame, layout)
}

/// [`computed_lad_summaries`] over an explicitly built layout (same results; `frame` must be the
/// one the layout was built from).
pub fn computed_lad_summaries_with(frame: &AreaFrame, layout: &DistrictLayout) -> Vec<LadSummary> {
    let edition = layout.edition;
    let k = layout.domains.len();
    // Every district's domain summaries in one flat table (district-major), ranked in place.
    let mut table: Vec<DomainSummary> = Vec::with_capacity(layout.lads.len() * k);
    for &(_, start, end) in &layout.lads {
        for d in &layout.domains {
            table.push(compute_domain(&layout.slice(d, start, end), layout.n));
        }
    }
    if k > 0 {
        assign_ranks(&mut table, k);
    }
    let lads = frame.areas(edition.lad_type());
    let source = population_source(edition);
    // Domains in id order, so building each district's map needs no reordering.
    let mut by_id: Vec<usize> = (0..k).collect();
    by_id.sort_by_key(|&j| layout.domains[j].domain.id());
    layout
        .lads
        .iter()
        .enumerate()
        .map(|(i, &(lad, start, end))| {
            let row = &table[i * k..(i + 1) * k];
            let area = &lads[lad as usize];
            let domains = by_id
                .iter()
                .map(|&j| (layout.domains[j].domain.id().to_owned(), row[j]))
                .collect();
            LadSummary {
                code: area.code.clone(),
                name: area.name.clone(),
                summary: Summary {
                    edition,
                    lsoa_count: end - start,
                    population: layout
                        .total
                        .and_then(|t| weight_total(&layout.weights[t][start..end])),
                    population_source: source.to_owned(),
                    domains,
                },
            }
        })
        .collect()
}

/// Fill every `rank_of_*` field by ranking the districts' values (descending). `table` holds
/// `k` domain summaries per district.
fn assign_ranks(table: &mut [DomainSummary], k: usize) {
    type Get = fn(&DomainSummary) -> Option<f64>;
    type Set = fn(&mut DomainSummary, Option<u32>);
    let measures: [(Get, Set); 6] = [
        (|d| d.average_rank, |d, r| d.rank_of_average_rank = r),
        (|d| d.average_score, |d, r| d.rank_of_average_score = r),
        (
            |d| d.proportion_most_deprived_10pc,
            |d, r| d.rank_of_proportion_most_deprived_10pc = r,
        ),
        (
            |d| d.concentration.and_then(|c| c.extent),
            |d, r| {
                if let Some(c) = d.concentration.as_mut() {
                    c.rank_of_extent = r
                }
            },
        ),
        (
            |d| d.concentration.and_then(|c| c.local_concentration),
            |d, r| {
                if let Some(c) = d.concentration.as_mut() {
                    c.rank_of_local_concentration = r
                }
            },
        ),
        (
            |d| d.scale.and_then(|s| s.scale),
            |d, r| {
                if let Some(s) = d.scale.as_mut() {
                    s.rank_of_scale = r
                }
            },
        ),
    ];
    let (mut rows, mut values) = (Vec::new(), Vec::new());
    for domain in 0..k {
        for (get, set) in measures {
            rows.clear();
            values.clear();
            for (row, d) in table.iter().skip(domain).step_by(k).enumerate() {
                if let Some(v) = get(d) {
                    rows.push(row);
                    values.push(v);
                }
            }
            for (&row, rank) in rows.iter().zip(competition_ranks(&values, true)) {
                set(&mut table[row * k + domain], Some(rank));
            }
        }
    }
}

fn official_lad_summaries_2025(frame: &AreaFrame) -> Vec<LadSummary> {
    let edition = Edition::Iod2025;
    let idx = frame.edition_index(edition);
    let cols = edition_cols(frame, edition);
    let lads = frame.areas(AreaType::Lad24);
    const MEASURES: [&str; 12] = [
        "average_rank",
        "rank_of_average_rank",
        "average_score",
        "rank_of_average_score",
        "proportion_most_deprived_10pc",
        "rank_of_proportion_most_deprived_10pc",
        "extent",
        "rank_of_extent",
        "local_concentration",
        "rank_of_local_concentration",
        "scale",
        "rank_of_scale",
    ];
    // Resolve every File 10 column once; the per-district loop then only indexes slices.
    let columns: Vec<(IodDomain, Vec<Option<&[f64]>>)> = IodDomain::ALL
        .iter()
        .map(|d| {
            let cols = MEASURES
                .iter()
                .map(|m| {
                    if m.is_empty() {
                        None
                    } else {
                        frame.column(&format!("iod2025.{}.{m}", d.id()), AreaType::Lad24)
                    }
                })
                .collect();
            (*d, cols)
        })
        .filter(|(_, cols): &(IodDomain, Vec<Option<&[f64]>>)| cols[0].is_some())
        .collect();
    let imd_score = frame.column("iod2025.imd.average_score", AreaType::Lad24);
    idx.lads
        .iter()
        .filter(|(lad, _)| {
            imd_score
                .and_then(|c| c.get(*lad as usize))
                .is_some_and(|v| v.is_finite())
        })
        .map(|(lad, members)| {
            let lad = *lad;
            let mut domains = BTreeMap::new();
            for (d, cols) in &columns {
                let get = |i: usize| {
                    cols[i]
                        .and_then(|c| c.get(lad as usize).copied())
                        .filter(|v| v.is_finite())
                };
                let rank = |i: usize| get(i).map(|v| v as u32);
                let summary = DomainSummary {
                    average_rank: get(0),
                    rank_of_average_rank: rank(1),
                    average_score: get(2),
                    rank_of_average_score: rank(3),
                    proportion_most_deprived_10pc: get(4),
                    rank_of_proportion_most_deprived_10pc: rank(5),
                    concentration: (*d == IodDomain::Imd).then(|| Concentration {
                        extent: get(6),
                        rank_of_extent: rank(7),
                        local_concentration: get(8),
                        rank_of_local_concentration: rank(9),
                    }),
                    scale: matches!(d, IodDomain::Income | IodDomain::Employment).then(|| Scale {
                        scale: get(10),
                        rank_of_scale: rank(11),
                    }),
                };
                domains.insert(d.id().to_owned(), summary);
            }
            let area = &lads[lad as usize];
            LadSummary {
                code: area.code.clone(),
                name: area.name.clone(),
                summary: Summary {
                    edition,
                    lsoa_count: members.len(),
                    population: cols.total.and_then(|w| weight_total(&gather(w, members))),
                    population_source: POPULATION_SOURCE_2025_OFFICIAL.to_owned(),
                    domains,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extent_weights_follow_the_official_sliding_scale() {
        let n = 1000.0;
        assert_eq!(extent_weight(1.0, n), 1.0);
        assert_eq!(extent_weight(100.0, n), 1.0);
        assert!((extent_weight(101.0, n) - 0.95).abs() < 1e-12);
        assert!((extent_weight(300.0, n) - 0.05).abs() < 1e-12);
        assert_eq!(extent_weight(301.0, n), 0.0);
    }

    #[test]
    fn summary_serialises_in_the_documented_shape() {
        let mut domains = BTreeMap::new();
        let base = DomainSummary {
            average_rank: Some(1.0),
            rank_of_average_rank: None,
            average_score: None,
            rank_of_average_score: None,
            proportion_most_deprived_10pc: Some(0.5),
            rank_of_proportion_most_deprived_10pc: None,
            concentration: None,
            scale: None,
        };
        domains.insert(
            "imd".to_owned(),
            DomainSummary {
                concentration: Some(Concentration {
                    extent: Some(0.1),
                    rank_of_extent: None,
                    local_concentration: None,
                    rank_of_local_concentration: None,
                }),
                ..base
            },
        );
        domains.insert(
            "income".to_owned(),
            DomainSummary {
                scale: Some(Scale {
                    scale: Some(5.0),
                    rank_of_scale: None,
                }),
                ..base
            },
        );
        domains.insert("health".to_owned(), base);
        let s = Summary {
            edition: Edition::Iod2019,
            lsoa_count: 2,
            population: Some(10.0),
            population_source: "x".into(),
            domains,
        };
        let json = serde_json::to_value(&s).expect("json");
        let imd = json["domains"]["imd"].as_object().expect("imd");
        let mut keys: Vec<&str> = imd.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = vec![
            "average_rank",
            "rank_of_average_rank",
            "average_score",
            "rank_of_average_score",
            "proportion_most_deprived_10pc",
            "rank_of_proportion_most_deprived_10pc",
            "extent",
            "rank_of_extent",
            "local_concentration",
            "rank_of_local_concentration",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert!(json["domains"]["income"].get("scale").is_some());
        assert!(json["domains"]["income"].get("extent").is_none());
        assert!(json["domains"]["health"].get("scale").is_none());
        assert_eq!(json["edition"], "iod2019");
        let back: Summary = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, s);
    }
}

#[cfg(test)]
mod data_tests;
