//! In-memory column store: an area index per area type, the hierarchy, and one `Vec<f64>`
//! (NaN = missing) per indicator aligned to the area index of its geography.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::{Dataset, Indicator};
use crate::geography::{Area, AreaClass, AreaType, Edition, LadLineage, LsoaLink};
use crate::ingest::DatasetBundle;
use crate::stats;

/// Position of an area inside the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaRef {
    /// Area type (selects the index).
    pub area_type: AreaType,
    /// Position in [`AreaFrame::areas`] for that type.
    pub index: u32,
}

/// Errors building or querying a frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Two bundles define the same indicator id.
    #[error("indicator {0} is defined twice")]
    DuplicateIndicator(String),
    /// A column refers to an indicator without metadata.
    #[error("column for unknown indicator {0}")]
    ColumnWithoutIndicator(String),
    /// `codes` and `values` differ in length.
    #[error("column {0}: codes and values differ in length")]
    LengthMismatch(String),
    /// Unknown indicator id in a query.
    #[error("unknown indicator {0}")]
    UnknownIndicator(String),
    /// Unknown area code in a query.
    #[error("unknown area {0}")]
    UnknownArea(String),
    /// The indicator has no values at the requested level.
    #[error("indicator {indicator} has no values for {level}")]
    NoValuesAtLevel {
        /// Indicator id.
        indicator: String,
        /// Requested area type.
        level: AreaType,
    },
}

#[derive(Debug, Default)]
struct Level {
    areas: Vec<Area>,
    by_code: HashMap<String, u32>,
    parents: Vec<Vec<AreaRef>>,
    children: Vec<Vec<AreaRef>>,
}

#[derive(Debug)]
struct ColumnPart {
    area_type: AreaType,
    values: Vec<f64>,
}

/// Per-edition positions used by summaries, computed once on first use.
#[derive(Debug)]
pub(crate) struct EditionIndex {
    /// Whether each LSOA of the edition's type has an IMD rank in the edition.
    pub(crate) in_edition: Vec<bool>,
    /// Districts of the edition's LAD type with their LSOA positions (sorted), in area order.
    pub(crate) lads: Vec<(u32, Vec<u32>)>,
    /// District summary inputs in district order, built on first use by `summary`.
    pub(crate) layout: OnceLock<crate::summary::DistrictLayout>,
}

/// One area in a ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedArea {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Indicator value.
    pub value: f64,
    /// Competition rank (ties share the lowest rank: 1, 2, 2, 4).
    pub rank: u32,
}

/// Diagnostics from building a frame.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameDiagnostics {
    /// Values whose area code was not found in any area index, per indicator.
    pub unresolved_values: Vec<(String, usize)>,
    /// Areas whose parent code was not found.
    pub unresolved_parents: usize,
}

/// In-memory area data; see the module docs.
#[derive(Debug)]
pub struct AreaFrame {
    datasets: Vec<Dataset>,
    indicators: Vec<Indicator>,
    indicator_index: HashMap<String, usize>,
    levels: Vec<Level>,
    columns: Vec<Vec<ColumnPart>>,
    lsoa_links: Vec<LsoaLink>,
    lad_lineages: Vec<LadLineage>,
    area_classes: Vec<AreaClass>,
    diagnostics: FrameDiagnostics,
    editions: [OnceLock<EditionIndex>; 2],
}

/// Types a parent code of an area of type `t` may have, in lookup order.
fn parent_types(t: AreaType) -> &'static [AreaType] {
    match t {
        AreaType::Lsoa11 => &[AreaType::Ward19, AreaType::Lad19],
        AreaType::Lsoa21 => &[AreaType::Ward24, AreaType::Lad24],
        AreaType::Dz11 | AreaType::Soa01 | AreaType::Ward24 => &[AreaType::Lad24],
        AreaType::Ward19 => &[AreaType::Lad19],
        AreaType::Lad19 | AreaType::Lad24 => &[AreaType::Region, AreaType::Nation],
        AreaType::Region => &[AreaType::Nation],
        AreaType::Nation => &[],
    }
}

impl AreaFrame {
    /// Build from bundles (as returned by `ingest::load_all`, or rebuilt from store rows).
    /// Areas are merged (first occurrence of `(type, code)` wins); values whose code is not in the
    /// indicator's geography are placed at another area type holding that code (mixed sources
    /// such as the UK composite IMD or LAD 2021 codes), otherwise counted in [`Self::diagnostics`].
    pub fn from_bundles(bundles: &[DatasetBundle]) -> Result<AreaFrame, FrameError> {
        let mut frame = AreaFrame {
            datasets: Vec::new(),
            indicators: Vec::new(),
            indicator_index: HashMap::new(),
            levels: AreaType::ALL.iter().map(|_| Level::default()).collect(),
            columns: Vec::new(),
            lsoa_links: Vec::new(),
            lad_lineages: Vec::new(),
            area_classes: Vec::new(),
            diagnostics: FrameDiagnostics::default(),
            editions: [OnceLock::new(), OnceLock::new()],
        };
        for b in bundles {
            for area in &b.areas {
                frame.insert_area(area);
            }
        }
        frame.link_hierarchy();
        for b in bundles {
            frame.add_values(b)?;
        }
        Ok(frame)
    }

    /// Add one more bundle (e.g. a user upload) to a built frame.
    pub fn add_bundle(&mut self, bundle: &DatasetBundle) -> Result<(), FrameError> {
        if !bundle.areas.is_empty() {
            for area in &bundle.areas {
                self.insert_area(area);
            }
            self.link_hierarchy();
        }
        self.add_values(bundle)?;
        self.editions = [OnceLock::new(), OnceLock::new()];
        Ok(())
    }

    fn insert_area(&mut self, area: &Area) {
        let level = &mut self.levels[area.area_type.index()];
        if level.by_code.contains_key(&area.code) {
            return;
        }
        level
            .by_code
            .insert(area.code.clone(), level.areas.len() as u32);
        level.areas.push(area.clone());
    }

    fn link_hierarchy(&mut self) {
        let mut unresolved = 0;
        let mut links: Vec<(AreaRef, AreaRef)> = Vec::new();
        for t in AreaType::ALL {
            let level = &self.levels[t.index()];
            for (i, area) in level.areas.iter().enumerate() {
                let child = AreaRef {
                    area_type: t,
                    index: i as u32,
                };
                for code in &area.parent_codes {
                    match parent_types(t).iter().find_map(|pt| self.locate(code, *pt)) {
                        Some(parent) => links.push((child, parent)),
                        None => unresolved += 1,
                    }
                }
            }
        }
        for level in &mut self.levels {
            level.parents = vec![Vec::new(); level.areas.len()];
            level.children = vec![Vec::new(); level.areas.len()];
        }
        for (child, parent) in links {
            self.levels[child.area_type.index()].parents[child.index as usize].push(parent);
            self.levels[parent.area_type.index()].children[parent.index as usize].push(child);
        }
        self.diagnostics.unresolved_parents = unresolved;
    }

    fn add_values(&mut self, bundle: &DatasetBundle) -> Result<(), FrameError> {
        if !self.datasets.iter().any(|d| d.id == bundle.dataset.id) {
            self.datasets.push(bundle.dataset.clone());
        }
        for ind in &bundle.indicators {
            if self.indicator_index.contains_key(&ind.id) {
                return Err(FrameError::DuplicateIndicator(ind.id.clone()));
            }
            self.indicator_index
                .insert(ind.id.clone(), self.indicators.len());
            self.indicators.push(ind.clone());
            self.columns.push(Vec::new());
        }
        // Columns of one file mostly list the same codes in the same order: reuse the previous
        // column's resolution (cheap string compares) before falling back to hash lookups.
        let mut prev_codes: &[String] = &[];
        let mut prev_refs: Vec<Option<AreaRef>> = Vec::new();
        for col in &bundle.columns {
            let Some(&slot) = self.indicator_index.get(&col.indicator) else {
                return Err(FrameError::ColumnWithoutIndicator(col.indicator.clone()));
            };
            if col.codes.len() != col.values.len() {
                return Err(FrameError::LengthMismatch(col.indicator.clone()));
            }
            let home = self.indicators[slot].geography;
            let mut refs: Vec<Option<AreaRef>> = Vec::with_capacity(col.codes.len());
            let mut j = 0;
            for code in &col.codes {
                // Skip ahead a little: a column with missing values is a subsequence of its neighbour.
                let mut k = j;
                while k < prev_codes.len() && k < j + 4 && prev_codes[k] != *code {
                    k += 1;
                }
                let found = if k < prev_codes.len() && prev_codes[k] == *code {
                    j = k + 1;
                    prev_refs[k]
                } else {
                    self.locate(code, home).or_else(|| {
                        AreaType::ALL
                            .iter()
                            .filter(|t| **t != home)
                            .find_map(|t| self.locate(code, *t))
                    })
                };
                refs.push(found);
            }
            let mut missing = 0;
            for (at, &value) in refs.iter().zip(&col.values) {
                let Some(at) = at else {
                    missing += 1;
                    continue;
                };
                let len = self.levels[at.area_type.index()].areas.len();
                let parts = &mut self.columns[slot];
                let part = match parts.iter().position(|p| p.area_type == at.area_type) {
                    Some(p) => &mut parts[p],
                    None => {
                        parts.push(ColumnPart {
                            area_type: at.area_type,
                            values: vec![f64::NAN; len],
                        });
                        let last = parts.len() - 1;
                        &mut parts[last]
                    }
                };
                part.values[at.index as usize] = value;
            }
            if missing > 0 {
                self.diagnostics
                    .unresolved_values
                    .push((col.indicator.clone(), missing));
            }
            prev_codes = &col.codes;
            prev_refs = refs;
        }
        self.lsoa_links.extend(bundle.lsoa_links.iter().cloned());
        self.lad_lineages
            .extend(bundle.lad_lineages.iter().cloned());
        self.area_classes
            .extend(bundle.area_classes.iter().cloned());
        Ok(())
    }

    /// Position of `code` in the index of `area_type`.
    pub fn locate(&self, code: &str, area_type: AreaType) -> Option<AreaRef> {
        self.levels[area_type.index()]
            .by_code
            .get(code)
            .map(|&index| AreaRef { area_type, index })
    }

    /// Every position holding `code`, newest vintage first (LSOA 2021 before 2011, LAD 2024 before 2019).
    pub fn locate_all(&self, code: &str) -> Vec<AreaRef> {
        const ORDER: [AreaType; 10] = [
            AreaType::Lsoa21,
            AreaType::Lsoa11,
            AreaType::Dz11,
            AreaType::Soa01,
            AreaType::Ward24,
            AreaType::Ward19,
            AreaType::Lad24,
            AreaType::Lad19,
            AreaType::Region,
            AreaType::Nation,
        ];
        ORDER.iter().filter_map(|t| self.locate(code, *t)).collect()
    }

    /// Area by position.
    pub fn get(&self, at: AreaRef) -> &Area {
        &self.levels[at.area_type.index()].areas[at.index as usize]
    }

    /// Area by code; when a code exists in several vintages the newest is returned
    /// (use [`Self::area_of`] to choose).
    pub fn area(&self, code: &str) -> Option<&Area> {
        self.locate_all(code).first().map(|at| self.get(*at))
    }

    /// Area by code and type.
    pub fn area_of(&self, code: &str, area_type: AreaType) -> Option<&Area> {
        self.locate(code, area_type).map(|at| self.get(at))
    }

    /// All areas of a type, in index order (the order of [`Self::column`] values).
    pub fn areas(&self, area_type: AreaType) -> &[Area] {
        &self.levels[area_type.index()].areas
    }

    /// Set of codes of one type (e.g. `known_codes` for `ingest::user_csv`).
    pub fn known_codes(&self, area_type: AreaType) -> HashSet<String> {
        self.levels[area_type.index()]
            .by_code
            .keys()
            .cloned()
            .collect()
    }

    /// Direct parents of an area.
    pub fn parents(&self, at: AreaRef) -> Vec<&Area> {
        self.levels[at.area_type.index()].parents[at.index as usize]
            .iter()
            .map(|p| self.get(*p))
            .collect()
    }

    /// Positions of all descendants of type `of_type` below `at` (sorted, unique).
    pub fn descendants(&self, at: AreaRef, of_type: AreaType) -> Vec<AreaRef> {
        let mut out = Vec::new();
        let mut seen: HashSet<AreaRef> = HashSet::new();
        let mut queue = VecDeque::from([at]);
        while let Some(cur) = queue.pop_front() {
            for &child in &self.levels[cur.area_type.index()].children[cur.index as usize] {
                if seen.insert(child) {
                    if child.area_type == of_type {
                        out.push(child);
                    } else {
                        queue.push_back(child);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Areas of type `of_type` inside the area `code` (any vintage holding that code; the first
    /// with such descendants wins, so `children("E06000026", Lsoa21)` uses the LAD 2024).
    pub fn children(&self, code: &str, of_type: AreaType) -> Vec<&Area> {
        for at in self.locate_all(code) {
            let found = self.descendants(at, of_type);
            if !found.is_empty() {
                return found.into_iter().map(|c| self.get(c)).collect();
            }
        }
        Vec::new()
    }

    /// LSOAs of an edition inside the area `code` that are ranked in that edition
    /// (e.g. the 161 LSOA 2011 of Plymouth for IoD2019, 164 LSOA 2021 for IoD2025).
    pub fn lsoas_in(&self, code: &str, edition: Edition) -> Vec<&Area> {
        let idx = self.edition_index(edition);
        let t = edition.lsoa_type();
        if let Some(at) = self.locate(code, t) {
            return if idx
                .in_edition
                .get(at.index as usize)
                .copied()
                .unwrap_or(false)
            {
                vec![self.get(at)]
            } else {
                Vec::new()
            };
        }
        let lad_type = edition.lad_type();
        let mut refs = self.locate_all(code);
        // Prefer the edition's own district vintage for codes shared by LAD 2019 and 2024.
        refs.sort_by_key(|r| r.area_type != lad_type);
        for at in refs {
            let found: Vec<&Area> = self
                .descendants(at, t)
                .into_iter()
                .filter(|c| {
                    idx.in_edition
                        .get(c.index as usize)
                        .copied()
                        .unwrap_or(false)
                })
                .map(|c| self.get(c))
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// All datasets.
    pub fn datasets(&self) -> &[Dataset] {
        &self.datasets
    }

    /// All indicators.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Indicator metadata by id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicator_index.get(id).map(|&i| &self.indicators[i])
    }

    /// Values of an indicator aligned to [`Self::areas`] of `area_type` (NaN = missing).
    pub fn column(&self, indicator: &str, area_type: AreaType) -> Option<&[f64]> {
        let slot = *self.indicator_index.get(indicator)?;
        self.columns[slot]
            .iter()
            .find(|p| p.area_type == area_type)
            .map(|p| p.values.as_slice())
    }

    /// Area types at which an indicator has values.
    pub fn levels_of(&self, indicator: &str) -> Vec<AreaType> {
        self.indicator_index
            .get(indicator)
            .map(|&s| self.columns[s].iter().map(|p| p.area_type).collect())
            .unwrap_or_default()
    }

    /// One value (None if missing or unknown).
    pub fn value(&self, indicator: &str, area: &str) -> Option<f64> {
        let slot = *self.indicator_index.get(indicator)?;
        self.columns[slot].iter().find_map(|p| {
            let at = self.locate(area, p.area_type)?;
            let v = p.values[at.index as usize];
            v.is_finite().then_some(v)
        })
    }

    /// Value at a position.
    pub fn value_at(&self, indicator: &str, at: AreaRef) -> Option<f64> {
        let v = *self
            .column(indicator, at.area_type)?
            .get(at.index as usize)?;
        v.is_finite().then_some(v)
    }

    /// Every indicator value recorded for the code (all vintages holding it), in indicator order.
    pub fn values_for_area(&self, code: &str) -> Vec<(&str, f64)> {
        let refs = self.locate_all(code);
        let mut out = Vec::new();
        for (ind, parts) in self.indicators.iter().zip(&self.columns) {
            for part in parts {
                if let Some(at) = refs.iter().find(|r| r.area_type == part.area_type) {
                    let v = part.values[at.index as usize];
                    if v.is_finite() {
                        out.push((ind.id.as_str(), v));
                        break;
                    }
                }
            }
        }
        out
    }

    /// Rank the areas of `level` (optionally only those inside `within`) by an indicator.
    /// `descending = true` gives rank 1 to the highest value. Missing values are left out;
    /// ties share the lowest rank (1, 2, 2, 4). Sorted by rank, then code.
    pub fn rank_areas(
        &self,
        indicator: &str,
        level: AreaType,
        within: Option<&str>,
        descending: bool,
    ) -> Result<Vec<RankedArea>, FrameError> {
        if !self.indicator_index.contains_key(indicator) {
            return Err(FrameError::UnknownIndicator(indicator.to_owned()));
        }
        let values = self
            .column(indicator, level)
            .ok_or_else(|| FrameError::NoValuesAtLevel {
                indicator: indicator.to_owned(),
                level,
            })?;
        let positions: Vec<u32> = match within {
            None => (0..values.len() as u32).collect(),
            Some(code) => {
                let refs = self.locate_all(code);
                if refs.is_empty() {
                    return Err(FrameError::UnknownArea(code.to_owned()));
                }
                let mut set: Vec<u32> = refs
                    .iter()
                    .flat_map(|r| self.descendants(*r, level))
                    .map(|r| r.index)
                    .collect();
                set.sort_unstable();
                set.dedup();
                set
            }
        };
        let picked: Vec<(u32, f64)> = positions
            .into_iter()
            .filter_map(|i| {
                values
                    .get(i as usize)
                    .copied()
                    .filter(|v| v.is_finite())
                    .map(|v| (i, v))
            })
            .collect();
        let vals: Vec<f64> = picked.iter().map(|p| p.1).collect();
        let ranks = stats::competition_ranks(&vals, descending);
        let areas = &self.levels[level.index()].areas;
        let mut out: Vec<RankedArea> = picked
            .iter()
            .zip(ranks)
            .map(|(&(i, v), rank)| RankedArea {
                code: areas[i as usize].code.clone(),
                name: areas[i as usize].name.clone(),
                value: v,
                rank,
            })
            .collect();
        out.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.code.cmp(&b.code)));
        Ok(out)
    }

    /// LSOA 2011 <-> 2021 links.
    pub fn lsoa_links(&self) -> &[LsoaLink] {
        &self.lsoa_links
    }

    /// LAD code histories.
    pub fn lad_lineages(&self) -> &[LadLineage] {
        &self.lad_lineages
    }

    /// Classifications of one area.
    pub fn classes_of(&self, code: &str, area_type: AreaType) -> Vec<&AreaClass> {
        self.area_classes
            .iter()
            .filter(|c| c.area_type == area_type && c.area == code)
            .collect()
    }

    /// Build diagnostics (unresolved codes).
    pub fn diagnostics(&self) -> &FrameDiagnostics {
        &self.diagnostics
    }

    /// Cached per-edition index (LSOA membership, LSOAs per district).
    pub(crate) fn edition_index(&self, edition: Edition) -> &EditionIndex {
        let slot = match edition {
            Edition::Iod2019 => &self.editions[0],
            Edition::Iod2025 => &self.editions[1],
        };
        slot.get_or_init(|| {
            let t = edition.lsoa_type();
            let rank = self.column(&format!("{}.imd.rank", edition.dataset_id()), t);
            let n = self.levels[t.index()].areas.len();
            let in_edition: Vec<bool> = (0..n)
                .map(|i| rank.is_some_and(|r| r[i].is_finite()))
                .collect();
            let lad_type = edition.lad_type();
            let lads = (0..self.levels[lad_type.index()].areas.len() as u32)
                .filter_map(|i| {
                    let members: Vec<u32> = self
                        .descendants(
                            AreaRef {
                                area_type: lad_type,
                                index: i,
                            },
                            t,
                        )
                        .into_iter()
                        .map(|r| r.index)
                        .filter(|&p| in_edition[p as usize])
                        .collect();
                    (!members.is_empty()).then_some((i, members))
                })
                .collect();
            EditionIndex {
                in_edition,
                lads,
                layout: OnceLock::new(),
            }
        })
    }
}

#[cfg(test)]
mod tests;
