//! The area data as the web layer holds it: the in-memory [`AreaFrame`] plus answers that are
//! expensive to compute and the same for every request (district summaries, national rankings,
//! relative change for every LSOA, ...), computed on first use and kept.
//!
//! Handlers stay thin: they ask this cache, which calls the `svatlas_areas` engine once. Caches
//! keyed by request values (rankings, correlations, neighbours) are bounded so odd queries cannot
//! grow memory without limit.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use svatlas_areas::AreaFrame;
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::change::{self, ChangeError, ChangeTable, LsoaChange};
use svatlas_areas::frame::{AreaRef, FrameError};
use svatlas_areas::geography::{AreaType, Edition};
use svatlas_areas::similar::{self, Neighbour, SimilarError};
use svatlas_areas::stats::{self, Correlation};
use svatlas_areas::summary::{self, LadSummary, Summary};

/// Code of England in the geography lookups (the comparator for local need).
pub const ENGLAND: &str = "E92000001";

/// Most neighbours kept per area; requests for fewer are served from the same list.
pub const MAX_NEIGHBOURS: usize = 50;

/// A map that forgets everything once it holds `capacity` entries: crude, but it bounds memory
/// for caches keyed by request values, and refilling is only a recomputation.
struct Bounded<K, V> {
    capacity: usize,
    map: Mutex<HashMap<K, Arc<V>>>,
}

impl<K: Eq + Hash, V> Bounded<K, V> {
    fn new(capacity: usize) -> Self {
        Bounded {
            capacity,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn get_or_insert_with(&self, key: K, compute: impl FnOnce() -> V) -> Arc<V> {
        // A panic while holding the lock cannot leave the map inconsistent (insert or clear
        // only), so a poisoned lock is still usable.
        if let Some(hit) = self
            .map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Arc::clone(hit);
        }
        // Compute outside the lock: other requests keep being served meanwhile.
        let value = Arc::new(compute());
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(key, Arc::clone(&value));
        value
    }
}

/// One row of a cached national ranking: the area's position in its level and its rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankRow {
    /// Position of the area in [`AreaFrame::areas`] of the level.
    pub index: u32,
    /// Competition rank (1 = first in the requested order).
    pub rank: u32,
    /// Indicator value.
    pub value: f64,
}

/// Relative change of every LSOA 2021 for one domain, with the frame it was built from.
pub struct ChangeIndex {
    table: ChangeTable,
    frame: Arc<AreaFrame>,
}

impl ChangeIndex {
    /// The change record of one LSOA 2021.
    pub fn get(&self, lsoa21: &str) -> Option<LsoaChange> {
        self.table.get(&self.frame, lsoa21)
    }

    /// The label of one LSOA 2021 (no record is built).
    pub fn label(&self, lsoa21: &str) -> Option<change::ChangeLabel> {
        self.table.label(&self.frame, lsoa21)
    }
}

/// Pearson and Spearman over one set of complete pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairCorrelation {
    /// Number of complete pairs.
    pub n: usize,
    /// Pearson's r with CI and p-value (None if fewer than 2 pairs or an input is constant).
    pub pearson: Option<Correlation>,
    /// Spearman's rho (None if the ranks are constant).
    pub spearman: Option<Correlation>,
}

/// Area data and its caches; one per server, shared by every request.
pub struct AreaData {
    /// Finished answers of the area page and area JSON (the data never changes while running).
    pub responses: crate::platform::response_cache::ResponseCache,
    frame: Arc<AreaFrame>,
    lad_summaries: [OnceLock<HashMap<String, LadSummary>>; 2],
    england: [OnceLock<Option<Summary>>; 2],
    changes: [OnceLock<Result<ChangeIndex, ChangeError>>; 10],
    value_counts: OnceLock<HashMap<String, usize>>,
    children: Bounded<AreaRef, BTreeMap<String, usize>>,
    rankings: Bounded<(String, AreaType, bool), Result<Vec<RankRow>, FrameError>>,
    correlations: Bounded<(String, String, AreaType), Option<PairCorrelation>>,
    neighbours: Bounded<AreaRef, Result<Vec<Neighbour>, SimilarError>>,
    names: OnceLock<crate::need::place_index::NameIndex>,
    change_counts: Bounded<String, Vec<(IodDomain, [usize; 4])>>,
    profiles: [OnceLock<Result<similar::Profiles, SimilarError>>; 10],
}

fn edition_slot(edition: Edition) -> usize {
    match edition {
        Edition::Iod2019 => 0,
        Edition::Iod2025 => 1,
    }
}

impl AreaData {
    /// Wraps a built frame; nothing is computed until first asked for.
    pub fn new(frame: Arc<AreaFrame>) -> Self {
        AreaData {
            responses: crate::platform::response_cache::ResponseCache::default(),
            frame,
            lad_summaries: Default::default(),
            england: Default::default(),
            changes: Default::default(),
            value_counts: OnceLock::new(),
            // Every district, region and nation fits (about 1,100); wards and LSOAs are cheap
            // to recount when the map is cleared.
            children: Bounded::new(20_000),
            rankings: Bounded::new(64),
            correlations: Bounded::new(1024),
            neighbours: Bounded::new(4096),
            names: OnceLock::new(),
            // One entry per area profile viewed; a district's is 8 small arrays.
            change_counts: Bounded::new(4096),
            profiles: Default::default(),
        }
    }

    /// Computes the caches every first visitor would otherwise wait for (district summaries,
    /// England, change of every LSOA, the name index): about a second on one core, so the
    /// server runs this in the background right after it starts listening.
    pub fn warm(&self) {
        for edition in Edition::ALL {
            let _ = self.lad_summary(edition, "");
            let _ = self.england(edition);
        }
        for domain in IodDomain::ALL {
            let _ = self.changes(domain);
        }
        let _ = self.names();
        let _ = self.change_counts(ENGLAND);
    }

    /// The area data itself.
    pub fn frame(&self) -> &AreaFrame {
        &self.frame
    }

    /// District summary of the edition's own district vintage (IoD2019: LAD 2019 computed with
    /// the official method; IoD2025: File 10 v2), with ranks among districts.
    pub fn lad_summary(&self, edition: Edition, code: &str) -> Option<&LadSummary> {
        self.lad_summaries[edition_slot(edition)]
            .get_or_init(|| {
                summary::lad_summaries(&self.frame, edition)
                    .into_iter()
                    .map(|s| (s.code.clone(), s))
                    .collect()
            })
            .get(code)
    }

    /// Summary of all of England's LSOAs in the edition (the comparator for local need).
    pub fn england(&self, edition: Edition) -> Option<&Summary> {
        self.england[edition_slot(edition)]
            .get_or_init(|| {
                let lsoas = self.frame.lsoas_in(ENGLAND, edition);
                let codes: Vec<&str> = lsoas.iter().map(|a| a.code.as_str()).collect();
                summary::summarise(&self.frame, edition, &codes).ok()
            })
            .as_ref()
    }

    /// Relative change 2019 -> 2025 of every LSOA 2021 for a domain.
    pub fn changes(&self, domain: IodDomain) -> Result<&ChangeIndex, &ChangeError> {
        let slot = IodDomain::ALL
            .iter()
            .position(|d| *d == domain)
            .unwrap_or_default();
        self.changes[slot]
            .get_or_init(|| {
                ChangeTable::build(&self.frame, domain).map(|table| ChangeIndex {
                    table,
                    frame: Arc::clone(&self.frame),
                })
            })
            .as_ref()
    }

    /// Number of values held per dataset id.
    pub fn value_count(&self, dataset: &str) -> usize {
        self.value_counts
            .get_or_init(|| {
                let mut counts: HashMap<String, usize> = HashMap::new();
                for indicator in self.frame.indicators() {
                    let n: usize = self
                        .frame
                        .levels_of(&indicator.id)
                        .into_iter()
                        .filter_map(|t| self.frame.column(&indicator.id, t))
                        .map(|c| c.iter().filter(|v| v.is_finite()).count())
                        .sum();
                    *counts.entry(indicator.dataset.clone()).or_default() += n;
                }
                counts
            })
            .get(dataset)
            .copied()
            .unwrap_or(0)
    }

    /// Number of areas of each type inside an area (`"lsoa21": 164, "ward24": 20`, ...).
    pub fn children_counts(&self, at: AreaRef) -> Arc<BTreeMap<String, usize>> {
        if at.area_type.is_small_area() {
            return Arc::new(BTreeMap::new());
        }
        self.children.get_or_insert_with(at, || {
            AreaType::ALL
                .iter()
                .filter(|t| **t != at.area_type)
                .filter_map(|t| {
                    let n = self.frame.descendants(at, *t).len();
                    (n > 0).then(|| (t.as_str().to_owned(), n))
                })
                .collect()
        })
    }

    /// Every area of `level` with a value of `indicator`, ranked (rank 1 = highest value when
    /// `descending`), in rank order then code.
    pub fn national_ranking(
        &self,
        indicator: &str,
        level: AreaType,
        descending: bool,
    ) -> Arc<Result<Vec<RankRow>, FrameError>> {
        self.rankings
            .get_or_insert_with((indicator.to_owned(), level, descending), || {
                let ranked = self.frame.rank_areas(indicator, level, None, descending)?;
                // Keep positions, not names: a national LSOA ranking is 33,000 rows.
                Ok(ranked
                    .iter()
                    .filter_map(|r| {
                        self.frame.locate(&r.code, level).map(|at| RankRow {
                            index: at.index,
                            rank: r.rank,
                            value: r.value,
                        })
                    })
                    .collect())
            })
    }

    /// Correlation of two indicators over all areas of a level (complete pairs only); None when
    /// either has no values at the level.
    pub fn national_correlation(
        &self,
        x: &str,
        y: &str,
        level: AreaType,
    ) -> Arc<Option<PairCorrelation>> {
        self.correlations
            .get_or_insert_with((x.to_owned(), y.to_owned(), level), || {
                let xs = self.frame.column(x, level)?;
                let ys = self.frame.column(y, level)?;
                Some(correlate(xs, ys))
            })
    }

    /// The [`MAX_NEIGHBOURS`] areas most similar to `at` within its own area type.
    pub fn neighbours(&self, at: AreaRef) -> Arc<Result<Vec<Neighbour>, SimilarError>> {
        self.neighbours.get_or_insert_with(at, || {
            let code = self.frame.get(at).code.as_str();
            match at.area_type {
                AreaType::Lad19 => {
                    similar::nearest_lads(&self.frame, Edition::Iod2019, code, MAX_NEIGHBOURS)
                }
                level => {
                    // Standardised once per level: an uncached LSOA then costs one pass over a
                    // flat matrix instead of copying 33,000 profiles.
                    let profiles = self.profiles[level.index()].get_or_init(|| {
                        let ids = similar::default_indicators(level);
                        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                        similar::Profiles::build(&self.frame, level, &ids)
                    });
                    match profiles {
                        Ok(p) => p.nearest(&self.frame, code, MAX_NEIGHBOURS),
                        Err(e) => Err(e.clone()),
                    }
                }
            }
        })
    }

    /// Every area name, indexed once for search (about 100,000 names).
    pub fn names(&self) -> &crate::need::place_index::NameIndex {
        self.names
            .get_or_init(|| crate::need::place_index::NameIndex::build(&self.frame))
    }

    /// For each domain with change data, how many of the LSOAs 2021 covering the area are
    /// relatively more deprived, little changed, relatively less deprived and not comparable
    /// (2019 -> 2025). Cached: England alone covers 33,755 LSOAs.
    pub fn change_counts(&self, code: &str) -> Arc<Vec<(IodDomain, [usize; 4])>> {
        self.change_counts.get_or_insert_with(code.to_owned(), || {
            let cover = self.lsoa21_cover(code);
            IodDomain::ALL
                .iter()
                .filter_map(|d| {
                    let index = self.changes(*d).ok()?;
                    let mut counts = [0usize; 4];
                    for lsoa in &cover {
                        if let Some(label) = index.label(lsoa) {
                            counts[match label {
                                change::ChangeLabel::RelativelyMoreDeprived => 0,
                                change::ChangeLabel::LittleChange => 1,
                                change::ChangeLabel::RelativelyLessDeprived => 2,
                                change::ChangeLabel::NotComparable => 3,
                            }] += 1;
                        }
                    }
                    (counts.iter().sum::<usize>() > 0).then_some((*d, counts))
                })
                .collect()
        })
    }

    /// LSOA 2021 codes ranked in IoD2025 that cover an area: its own LSOAs 2021 when it has
    /// any, otherwise the 2021 successors of its LSOAs 2011 (for LSOAs, wards and districts that
    /// no longer exist).
    pub fn lsoa21_cover(&self, code: &str) -> Vec<String> {
        let own = self.frame.lsoas_in(code, Edition::Iod2025);
        if !own.is_empty() {
            return own.into_iter().map(|a| a.code.clone()).collect();
        }
        let old: HashSet<&str> = self
            .frame
            .lsoas_in(code, Edition::Iod2019)
            .into_iter()
            .map(|a| a.code.as_str())
            .collect();
        let mut out: Vec<String> = self
            .frame
            .lsoa_links()
            .iter()
            .filter(|l| old.contains(l.lsoa11.as_str()))
            .map(|l| l.lsoa21.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Number of positions where both aligned value lists have a value.
pub fn complete_pairs(xs: &[f64], ys: &[f64]) -> usize {
    xs.iter()
        .zip(ys)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .count()
}

/// Pearson and Spearman over the complete pairs of two aligned value lists.
pub fn correlate(xs: &[f64], ys: &[f64]) -> PairCorrelation {
    PairCorrelation {
        n: complete_pairs(xs, ys),
        pearson: stats::pearson(xs, ys),
        spearman: stats::spearman(xs, ys),
    }
}
