//! Nearest neighbours: areas with the most similar deprivation profile.
//!
//! Each indicator is standardised (z-score over all areas of the level that have every
//! indicator), then areas are compared by Euclidean distance. Standardising stops domains with
//! large numeric ranges (ranks, counts) from dominating.

use serde::{Deserialize, Serialize};

use crate::catalog::IodDomain;
use crate::frame::AreaFrame;
use crate::geography::{AreaType, Edition};
use crate::summary;

/// One similar area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Euclidean distance in standard deviations (0 = identical profile).
    pub distance: f64,
}

/// Errors finding neighbours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimilarError {
    /// No indicators to compare on.
    #[error("no indicators given")]
    NoIndicators,
    /// An indicator has no values at the level.
    #[error("indicator {0} has no values at this level")]
    NoValues(String),
    /// The area is unknown at the level or lacks a value.
    #[error("area {0} has no complete profile at this level")]
    IncompleteArea(String),
}

/// Default profile for a level: IoD2025 domain scores (LSOA 2021), File 10 average scores
/// (LAD 2024), IoD2019 domain ranks (LSOA 2011; most IoD2019 domain scores are not shipped).
/// Empty for other levels (for LAD 2019 use [`nearest_lads`]).
pub fn default_indicators(level: AreaType) -> Vec<String> {
    let domains = &IodDomain::ALL[1..8];
    match level {
        AreaType::Lsoa21 => domains
            .iter()
            .map(|d| format!("iod2025.{}.score", d.id()))
            .collect(),
        AreaType::Lad24 => domains
            .iter()
            .map(|d| format!("iod2025.{}.average_score", d.id()))
            .collect(),
        AreaType::Lsoa11 => domains
            .iter()
            .map(|d| format!("iod2019.{}.rank", d.id()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The values of each indicator at `level`: at least one indicator, each with values there.
fn indicator_columns<'a>(
    frame: &'a AreaFrame,
    level: AreaType,
    indicators: &[&str],
) -> Result<Vec<&'a [f64]>, SimilarError> {
    if indicators.is_empty() {
        return Err(SimilarError::NoIndicators);
    }
    indicators
        .iter()
        .map(|id| {
            frame
                .column(id, level)
                .ok_or_else(|| SimilarError::NoValues((*id).to_owned()))
        })
        .collect()
}

/// The `k` areas of `level` most similar to `code` on `indicators` (closest first; ties by code).
pub fn nearest(
    frame: &AreaFrame,
    code: &str,
    level: AreaType,
    indicators: &[&str],
    k: usize,
) -> Result<Vec<Neighbour>, SimilarError> {
    let columns = indicator_columns(frame, level, indicators)?;
    let target = frame
        .locate(code, level)
        .ok_or_else(|| SimilarError::IncompleteArea(code.to_owned()))?;
    let areas = frame.areas(level);
    let rows: Vec<(usize, Vec<f64>)> = (0..areas.len())
        .filter_map(|i| {
            let row: Vec<f64> = columns.iter().map(|c| c[i]).collect();
            row.iter().all(|v| v.is_finite()).then_some((i, row))
        })
        .collect();
    let profiles: Vec<(&str, &str, Vec<f64>)> = rows
        .into_iter()
        .map(|(i, r)| (areas[i].code.as_str(), areas[i].name.as_str(), r))
        .collect();
    rank_by_distance(&profiles, &areas[target.index as usize].code, k)
}

/// Standardised profiles of every complete area of a level, built once so that each
/// [`Profiles::nearest`] is one pass over a flat matrix (what [`nearest`] does per call costs a
/// copy and two strings per area).
#[derive(Debug, Clone)]
pub struct Profiles {
    level: AreaType,
    dims: usize,
    /// Area positions of the complete rows, in area order.
    positions: Vec<u32>,
    /// z-scores, `dims` per row, aligned with `positions`.
    z: Vec<f64>,
}

impl Profiles {
    /// Standardises `indicators` over the areas of `level` that have all of them (population
    /// standard deviation; a constant indicator is zeroed), as [`nearest`] does.
    pub fn build(
        frame: &AreaFrame,
        level: AreaType,
        indicators: &[&str],
    ) -> Result<Profiles, SimilarError> {
        let columns = indicator_columns(frame, level, indicators)?;
        let dims = columns.len();
        let positions: Vec<u32> = (0..frame.areas(level).len())
            .filter(|&i| columns.iter().all(|c| c[i].is_finite()))
            .map(|i| i as u32)
            .collect();
        let n = positions.len() as f64;
        let mut z = vec![0.0; positions.len() * dims];
        for (d, column) in columns.iter().enumerate() {
            let values = || positions.iter().map(|&i| column[i as usize]);
            let mean = values().sum::<f64>() / n;
            let sd = (values().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            for (r, v) in values().enumerate() {
                z[r * dims + d] = if sd > 0.0 { (v - mean) / sd } else { 0.0 };
            }
        }
        Ok(Profiles {
            level,
            dims,
            positions,
            z,
        })
    }

    /// The `k` areas closest to `code` (closest first; ties by code): the same answer as
    /// [`nearest`] with the same indicators.
    pub fn nearest(
        &self,
        frame: &AreaFrame,
        code: &str,
        k: usize,
    ) -> Result<Vec<Neighbour>, SimilarError> {
        let areas = frame.areas(self.level);
        let target = frame
            .locate(code, self.level)
            .and_then(|at| self.positions.binary_search(&at.index).ok())
            .ok_or_else(|| SimilarError::IncompleteArea(code.to_owned()))?;
        let dims = self.dims;
        let t = &self.z[target * dims..(target + 1) * dims];
        let mut scored: Vec<(f64, u32)> = self
            .z
            .chunks_exact(dims)
            .zip(&self.positions)
            .enumerate()
            .filter(|(r, _)| *r != target)
            .map(|(_, (row, &i))| {
                let d = row
                    .iter()
                    .zip(t)
                    .map(|(a, b)| (a - b).powi(2))
                    .sum::<f64>()
                    .sqrt();
                (d, i)
            })
            .collect();
        let order = |a: &(f64, u32), b: &(f64, u32)| {
            a.0.total_cmp(&b.0)
                .then_with(|| areas[a.1 as usize].code.cmp(&areas[b.1 as usize].code))
        };
        if k < scored.len() {
            if k == 0 {
                return Ok(Vec::new());
            }
            scored.select_nth_unstable_by(k - 1, order);
            scored.truncate(k);
        }
        scored.sort_by(order);
        Ok(scored
            .into_iter()
            .map(|(distance, i)| Neighbour {
                code: areas[i as usize].code.clone(),
                name: areas[i as usize].name.clone(),
                distance,
            })
            .collect())
    }
}

/// Similar districts for an edition using the computed district summaries (average rank per
/// domain), which also covers IoD2019 (LAD 2019) where no district-level indicators are stored.
pub fn nearest_lads(
    frame: &AreaFrame,
    edition: Edition,
    code: &str,
    k: usize,
) -> Result<Vec<Neighbour>, SimilarError> {
    let lads = summary::computed_lad_summaries(frame, edition);
    let profiles: Vec<(&str, &str, Vec<f64>)> = lads
        .iter()
        .filter_map(|l| {
            let row: Option<Vec<f64>> = IodDomain::ALL[1..8]
                .iter()
                .map(|d| l.summary.domains.get(d.id()).and_then(|s| s.average_rank))
                .collect();
            row.map(|r| (l.code.as_str(), l.name.as_str(), r))
        })
        .collect();
    rank_by_distance(&profiles, code, k)
}

fn rank_by_distance(
    profiles: &[(&str, &str, Vec<f64>)],
    code: &str,
    k: usize,
) -> Result<Vec<Neighbour>, SimilarError> {
    let Some(target) = profiles.iter().position(|p| p.0 == code) else {
        return Err(SimilarError::IncompleteArea(code.to_owned()));
    };
    let dims = profiles[target].2.len();
    let n = profiles.len() as f64;
    let mut z: Vec<Vec<f64>> = profiles.iter().map(|p| p.2.clone()).collect();
    for d in 0..dims {
        let mean = profiles.iter().map(|p| p.2[d]).sum::<f64>() / n;
        let var = profiles
            .iter()
            .map(|p| (p.2[d] - mean).powi(2))
            .sum::<f64>()
            / n;
        let sd = var.sqrt();
        for row in &mut z {
            // A constant indicator carries no information: zero it rather than divide by 0.
            row[d] = if sd > 0.0 { (row[d] - mean) / sd } else { 0.0 };
        }
    }
    let t = &z[target];
    let mut out: Vec<Neighbour> = profiles
        .iter()
        .zip(&z)
        .enumerate()
        .filter(|(i, _)| *i != target)
        .map(|(_, (p, row))| Neighbour {
            code: p.0.to_owned(),
            name: p.1.to_owned(),
            distance: row
                .iter()
                .zip(t)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>()
                .sqrt(),
        })
        .collect();
    out.sort_by(|a, b| {
        a.distance
            .total_cmp(&b.distance)
            .then_with(|| a.code.cmp(&b.code))
    });
    out.truncate(k);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::frame;

    #[test]
    fn prebuilt_profiles_answer_like_nearest() {
        let ids = default_indicators(AreaType::Lsoa21);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let profiles = Profiles::build(frame(), AreaType::Lsoa21, &ids).expect("profiles");
        for code in ["E01015156", "E01021988", "E01000001"] {
            let slow = nearest(frame(), code, AreaType::Lsoa21, &ids, 20).expect("slow");
            let fast = profiles.nearest(frame(), code, 20).expect("fast");
            assert_eq!(slow.len(), fast.len());
            for (a, b) in slow.iter().zip(&fast) {
                assert_eq!(a.code, b.code, "{code}");
                assert!((a.distance - b.distance).abs() < 1e-9, "{code}");
            }
        }
        assert!(profiles.nearest(frame(), "E99999999", 5).is_err());
    }

    #[test]
    fn neighbours_are_sorted_and_exclude_the_area() {
        let f = frame();
        let ids = default_indicators(AreaType::Lad24);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let n = nearest(f, "E06000009", AreaType::Lad24, &ids, 5).expect("neighbours");
        assert_eq!(n.len(), 5);
        assert!(n.iter().all(|x| x.code != "E06000009"));
        assert!(n.windows(2).all(|w| w[0].distance <= w[1].distance));
        // Blackpool's nearest neighbours are other highly deprived districts.
        let blackpool_rank = |code: &str| {
            f.value("iod2025.imd.rank_of_average_score", code)
                .expect("rank")
        };
        assert!(blackpool_rank(&n[0].code) <= 40.0, "{:?}", n[0]);
    }

    #[test]
    fn works_for_lsoas_and_iod2019_districts() {
        let f = frame();
        let ids = default_indicators(AreaType::Lsoa21);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let n = nearest(f, "E01021988", AreaType::Lsoa21, &ids, 3).expect("neighbours");
        assert_eq!(n.len(), 3);
        let lads = nearest_lads(f, Edition::Iod2019, "E06000026", 3).expect("lads");
        assert_eq!(lads.len(), 3);
        assert!(matches!(
            nearest(f, "nope", AreaType::Lad24, &ids, 3),
            Err(SimilarError::NoValues(_))
        ));
        assert_eq!(
            nearest(f, "E06000026", AreaType::Lad24, &[], 3),
            Err(SimilarError::NoIndicators)
        );
    }
}
