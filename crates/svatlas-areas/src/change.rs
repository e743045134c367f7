//! Relative change between IoD2019 and IoD2025, joined through the ONS LSOA 2011 -> 2021 lookup.
//!
//! Ranks are relative within each edition, so a change says an area moved relative to the rest
//! of England, not that it became more or less deprived in absolute terms (MHCLG's advice).
//! Each LSOA 2021 is compared with its 2011 predecessor(s): unchanged (U) and split (S) LSOAs
//! inherit the single 2011 rank; merged (M) LSOAs use the File 6 population-weighted mean 2011
//! percentile; complex changes (X) are reported but labelled not comparable.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::catalog::IodDomain;
use crate::frame::AreaFrame;
use crate::geography::{AreaType, ChangeCode, Edition};

/// Percentile-point movement below which a change is reported as little change.
pub const LITTLE_CHANGE_POINTS: f64 = 5.0;

/// Plain-language direction of a relative change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeLabel {
    /// Moved towards the most deprived end (relative to England).
    RelativelyMoreDeprived,
    /// Moved less than [`LITTLE_CHANGE_POINTS`] percentile points.
    LittleChange,
    /// Moved towards the least deprived end.
    RelativelyLessDeprived,
    /// Boundary change too complex (X) or inputs missing.
    NotComparable,
}

impl ChangeLabel {
    /// Label text for display.
    pub fn text(self) -> &'static str {
        match self {
            ChangeLabel::RelativelyMoreDeprived => "relatively more deprived than in 2019",
            ChangeLabel::LittleChange => "little relative change since 2019",
            ChangeLabel::RelativelyLessDeprived => "relatively less deprived than in 2019",
            ChangeLabel::NotComparable => "not comparable (boundary change)",
        }
    }
}

/// Change for one LSOA 2021.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LsoaChange {
    /// LSOA 2021 code.
    pub lsoa21: String,
    /// LSOA 2021 name.
    pub name: String,
    /// 2011 predecessor(s).
    pub lsoa11: Vec<String>,
    /// ONS change code (the least comparable one if predecessors differ).
    pub change: ChangeCode,
    /// Domain compared.
    pub domain: IodDomain,
    /// Percentile in 2019 (100 x rank / N; small = more deprived).
    pub percentile_2019: Option<f64>,
    /// Percentile in 2025.
    pub percentile_2025: Option<f64>,
    /// National decile in 2019 (from the percentile).
    pub decile_2019: Option<u8>,
    /// National decile in 2025.
    pub decile_2025: Option<u8>,
    /// `percentile_2025 - percentile_2019`; negative = relatively more deprived.
    pub percentile_change: Option<f64>,
    /// Plain-language label.
    pub label: ChangeLabel,
}

/// Counts of labels over a set of LSOAs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSummary {
    /// LSOAs relatively more deprived.
    pub relatively_more_deprived: usize,
    /// LSOAs with little change.
    pub little_change: usize,
    /// LSOAs relatively less deprived.
    pub relatively_less_deprived: usize,
    /// LSOAs not comparable.
    pub not_comparable: usize,
}

/// Errors computing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    /// The domain is not ranked in both editions here (IDACI/IDAOPI 2025 are not shipped).
    #[error("domain {0:?} is not available in both editions")]
    DomainUnavailable(IodDomain),
    /// Unknown area.
    #[error("unknown area {0}")]
    UnknownArea(String),
}

fn decile(percentile: f64) -> u8 {
    (percentile / 10.0).ceil().clamp(1.0, 10.0) as u8
}

/// One LSOA 2021's comparison, without its codes and names.
#[derive(Debug, Clone, Copy)]
struct ChangeRow {
    /// Position in the frame's LSOA 2021 areas.
    area: u32,
    /// Predecessors: `preds[first..first + count]` are indices into the frame's LSOA links.
    first: u32,
    count: u32,
    change: ChangeCode,
    percentile_2019: Option<f64>,
    percentile_2025: f64,
    label: ChangeLabel,
}

/// The relative change of every LSOA 2021 ranked in IoD2025, for one domain.
///
/// Rows hold positions into the frame instead of codes and names, so keeping all ten domains
/// costs about 1 MB each; full [`LsoaChange`] records (with their strings) are built only for
/// the LSOAs a request asks for. Keeping the records themselves cost about 10 MB per domain.
#[derive(Debug, Clone)]
pub struct ChangeTable {
    domain: IodDomain,
    rows: Vec<ChangeRow>,
    /// Row of each LSOA 2021 position (`u32::MAX`: not ranked in IoD2025).
    row_of: Vec<u32>,
    preds: Vec<u32>,
}

impl ChangeTable {
    /// Compares every LSOA 2021 ranked in IoD2025 with its 2011 predecessor(s).
    pub fn build(frame: &AreaFrame, domain: IodDomain) -> Result<Self, ChangeError> {
        let rank19 = frame.column(&format!("iod2019.{}.rank", domain.id()), AreaType::Lsoa11);
        let rank25 = frame.column(&format!("iod2025.{}.rank", domain.id()), AreaType::Lsoa21);
        let (Some(rank19), Some(rank25)) = (rank19, rank25) else {
            return Err(ChangeError::DomainUnavailable(domain));
        };
        let pop19 = frame.column("iod2019.population.total", AreaType::Lsoa11);
        let n19 = Edition::Iod2019.lsoa_count() as f64;
        let n25 = Edition::Iod2025.lsoa_count() as f64;
        let links = frame.lsoa_links();
        // Link indices per LSOA 2021, in lookup order.
        let mut by_lsoa21: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, link) in links.iter().enumerate() {
            by_lsoa21
                .entry(link.lsoa21.as_str())
                .or_default()
                .push(i as u32);
        }
        let areas = frame.areas(AreaType::Lsoa21);
        let mut rows = Vec::with_capacity(rank25.iter().filter(|r| r.is_finite()).count());
        let mut row_of = vec![u32::MAX; areas.len()];
        let mut preds = Vec::new();
        for (i, area) in areas.iter().enumerate() {
            let r25 = rank25[i];
            if !r25.is_finite() {
                continue;
            }
            let own: &[u32] = by_lsoa21.get(area.code.as_str()).map_or(&[], Vec::as_slice);
            let change = own
                .iter()
                .map(|&l| links[l as usize].change)
                .max_by_key(|c| match c {
                    ChangeCode::U => 0,
                    ChangeCode::S => 1,
                    ChangeCode::M => 2,
                    ChangeCode::X => 3,
                })
                .unwrap_or(ChangeCode::X);
            // Population-weighted mean of the predecessors' percentiles (one predecessor: its own).
            let mut weighted = 0.0;
            let mut weight = 0.0;
            let mut complete = !own.is_empty();
            for &l in own {
                let Some(at) = frame.locate(&links[l as usize].lsoa11, AreaType::Lsoa11) else {
                    complete = false;
                    continue;
                };
                let r = rank19[at.index as usize];
                let w = pop19.map_or(1.0, |p| p[at.index as usize]);
                if !r.is_finite() || !w.is_finite() {
                    complete = false;
                    continue;
                }
                weighted += w * 100.0 * r / n19;
                weight += w;
            }
            let p19 = (complete && weight > 0.0).then(|| weighted / weight);
            let p25 = 100.0 * r25 / n25;
            let label = match (change, p19.map(|p| p25 - p)) {
                (ChangeCode::X, _) | (_, None) => ChangeLabel::NotComparable,
                (_, Some(d)) if d <= -LITTLE_CHANGE_POINTS => ChangeLabel::RelativelyMoreDeprived,
                (_, Some(d)) if d >= LITTLE_CHANGE_POINTS => ChangeLabel::RelativelyLessDeprived,
                _ => ChangeLabel::LittleChange,
            };
            row_of[i] = rows.len() as u32;
            rows.push(ChangeRow {
                area: i as u32,
                first: preds.len() as u32,
                count: own.len() as u32,
                change,
                percentile_2019: p19,
                percentile_2025: p25,
                label,
            });
            preds.extend_from_slice(own);
        }
        preds.shrink_to_fit();
        Ok(ChangeTable {
            domain,
            rows,
            row_of,
            preds,
        })
    }

    /// The domain compared.
    pub fn domain(&self) -> IodDomain {
        self.domain
    }

    /// Number of LSOAs 2021 with a comparison.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no LSOA has a comparison.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn row(&self, frame: &AreaFrame, lsoa21: &str) -> Option<&ChangeRow> {
        let at = frame.locate(lsoa21, AreaType::Lsoa21)?;
        let row = *self.row_of.get(at.index as usize)?;
        self.rows.get(row as usize)
    }

    /// The label of one LSOA 2021, without building its record.
    pub fn label(&self, frame: &AreaFrame, lsoa21: &str) -> Option<ChangeLabel> {
        self.row(frame, lsoa21).map(|r| r.label)
    }

    /// The full record of one LSOA 2021 (`frame` must be the one the table was built from).
    pub fn get(&self, frame: &AreaFrame, lsoa21: &str) -> Option<LsoaChange> {
        self.row(frame, lsoa21).map(|r| self.record(frame, r))
    }

    /// Every record, in area order.
    pub fn records<'a>(&'a self, frame: &'a AreaFrame) -> impl Iterator<Item = LsoaChange> + 'a {
        self.rows.iter().map(move |r| self.record(frame, r))
    }

    fn record(&self, frame: &AreaFrame, r: &ChangeRow) -> LsoaChange {
        let area = &frame.areas(AreaType::Lsoa21)[r.area as usize];
        let links = frame.lsoa_links();
        let own = &self.preds[r.first as usize..(r.first + r.count) as usize];
        LsoaChange {
            lsoa21: area.code.clone(),
            name: area.name.clone(),
            lsoa11: own
                .iter()
                .map(|&l| links[l as usize].lsoa11.clone())
                .collect(),
            change: r.change,
            domain: self.domain,
            percentile_2019: r.percentile_2019,
            percentile_2025: Some(r.percentile_2025),
            decile_2019: r.percentile_2019.map(decile),
            decile_2025: Some(decile(r.percentile_2025)),
            percentile_change: r.percentile_2019.map(|p| r.percentile_2025 - p),
            label: r.label,
        }
    }
}

/// Changes for every LSOA 2021 ranked in IoD2025, in area order.
pub fn lsoa_changes(frame: &AreaFrame, domain: IodDomain) -> Result<Vec<LsoaChange>, ChangeError> {
    let table = ChangeTable::build(frame, domain)?;
    Ok(table.records(frame).collect())
}

/// Changes for the LSOAs 2021 inside an area (an LSOA 2021 or 2011 code, a ward, district,
/// region or nation), plus label counts.
pub fn for_area(
    frame: &AreaFrame,
    code: &str,
    domain: IodDomain,
) -> Result<(Vec<LsoaChange>, ChangeSummary), ChangeError> {
    let mut wanted: Vec<String> = frame
        .lsoas_in(code, Edition::Iod2025)
        .into_iter()
        .map(|a| a.code.clone())
        .collect();
    if wanted.is_empty() {
        // A 2011 LSOA that no longer exists: follow the lookup to its 2021 successors.
        wanted = frame
            .lsoa_links()
            .iter()
            .filter(|l| l.lsoa11 == code)
            .map(|l| l.lsoa21.clone())
            .collect();
    }
    if wanted.is_empty() {
        return Err(ChangeError::UnknownArea(code.to_owned()));
    }
    let table = ChangeTable::build(frame, domain)?;
    let changes: Vec<LsoaChange> = wanted
        .iter()
        .filter_map(|code| table.get(frame, code))
        .collect();
    let mut summary = ChangeSummary::default();
    for c in &changes {
        match c.label {
            ChangeLabel::RelativelyMoreDeprived => summary.relatively_more_deprived += 1,
            ChangeLabel::LittleChange => summary.little_change += 1,
            ChangeLabel::RelativelyLessDeprived => summary.relatively_less_deprived += 1,
            ChangeLabel::NotComparable => summary.not_comparable += 1,
        }
    }
    Ok((changes, summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::frame;

    #[test]
    fn every_iod2025_lsoa_gets_a_change_record() {
        let all = lsoa_changes(frame(), IodDomain::Imd).expect("imd");
        assert_eq!(all.len(), 33_755);
        let jaywick = all
            .iter()
            .find(|c| c.lsoa21 == "E01021988")
            .expect("Jaywick");
        assert_eq!(jaywick.change, ChangeCode::U);
        assert_eq!(jaywick.decile_2019, Some(1));
        assert_eq!(jaywick.decile_2025, Some(1));
        assert_eq!(jaywick.label, ChangeLabel::LittleChange);
        assert!(all.iter().any(|c| c.change == ChangeCode::M
            && c.lsoa11.len() > 1
            && c.percentile_2019.is_some()));
        assert!(
            all.iter()
                .filter(|c| c.change == ChangeCode::X)
                .all(|c| c.label == ChangeLabel::NotComparable)
        );
        assert_eq!(
            lsoa_changes(frame(), IodDomain::Idaci),
            Err(ChangeError::DomainUnavailable(IodDomain::Idaci))
        );
    }

    #[test]
    fn summarises_a_district_and_follows_split_lsoas() {
        let (changes, summary) = for_area(frame(), "E06000026", IodDomain::Imd).expect("Plymouth");
        assert_eq!(changes.len(), 164);
        assert_eq!(
            summary.relatively_more_deprived
                + summary.little_change
                + summary.relatively_less_deprived
                + summary.not_comparable,
            164
        );
        // E01033659 (Manchester, 2011) was split; its successors are reported.
        let (split, _) = for_area(frame(), "E01033659", IodDomain::Imd).expect("split");
        assert!(split.len() >= 2);
        assert!(
            split
                .iter()
                .all(|c| c.lsoa11 == vec!["E01033659".to_owned()])
        );
    }

    #[test]
    fn the_compact_table_answers_as_the_full_records() {
        let f = frame();
        let table = ChangeTable::build(f, IodDomain::Income).expect("income");
        assert_eq!(table.domain(), IodDomain::Income);
        assert_eq!(table.len(), 33_755);
        let all: Vec<LsoaChange> = table.records(f).collect();
        for c in all.iter().step_by(97) {
            assert_eq!(table.get(f, &c.lsoa21).as_ref(), Some(c));
            assert_eq!(table.label(f, &c.lsoa21), Some(c.label));
        }
        // A district is not an LSOA 2021.
        assert_eq!(table.get(f, "E06000026"), None);
        assert_eq!(table.label(f, "E06000026"), None);
    }
}
