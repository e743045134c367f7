//! Parsers for every shipped data file, producing plain records grouped per dataset.
//!
//! [`load_all`] returns one [`DatasetBundle`] per dataset so the store can write one transaction
//! per dataset. Values are columnar ([`IndicatorColumn`]); missing values are simply absent.
//! Malformed data is an [`IngestError`] carrying file, line and column (1-based).

mod census;
mod geo;
mod iod;
mod nations;
mod postcodes;
mod table;
mod user;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::catalog::{self, Dataset, Indicator};
use crate::geography::{Area, AreaClass, LadLineage, LsoaLink};

pub use census::{census2021, healthindex, pop2020, pop2021, ukimd};
pub use geo::geography;
pub use iod::{iod2019, iod2019_official_files, iod2025};
pub use nations::{nimdm2017, simd2020v2, wimd2019};
pub use postcodes::{PostcodeIndex, PostcodeMatch, PostcodeSource, normalise_postcode, postcodes};
pub use user::{ImportProblems, IngestProblem, user_csv, user_csv_file};

/// Malformed or unreadable data, with its position (1-based; 0 when unknown, e.g. I/O errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct IngestError {
    /// File path relative to the data directory (or the name given for a reader).
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column (field index).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl IngestError {
    pub(crate) fn io(file: &str, e: &std::io::Error) -> IngestError {
        IngestError {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: e.to_string(),
        }
    }

    pub(crate) fn file(file: &str, message: impl Into<String>) -> IngestError {
        IngestError {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }
}

/// Values of one indicator: `values[i]` belongs to area `codes[i]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorColumn {
    /// Indicator id.
    pub indicator: String,
    /// Area codes (unique; of the indicator's geography, or of a sibling small-area type for
    /// mixed sources such as the UK composite IMD).
    pub codes: Vec<String>,
    /// Finite values, aligned with `codes`.
    pub values: Vec<f64>,
}

/// One value of one indicator for one area (row form of [`IndicatorColumn`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value {
    /// Indicator id.
    pub indicator: String,
    /// Area code.
    pub area: String,
    /// Value.
    pub value: f64,
}

impl IndicatorColumn {
    /// Row form, e.g. for a store that writes one row per value.
    pub fn to_values(&self) -> impl Iterator<Item = Value> + '_ {
        self.codes.iter().zip(&self.values).map(|(c, v)| Value {
            indicator: self.indicator.clone(),
            area: c.clone(),
            value: *v,
        })
    }
}

/// Everything one dataset contributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetBundle {
    /// Dataset metadata.
    pub dataset: Dataset,
    /// Indicator metadata (one per column).
    pub indicators: Vec<Indicator>,
    /// Areas (only the `geography` bundle carries areas).
    pub areas: Vec<Area>,
    /// Values, one column per indicator.
    pub columns: Vec<IndicatorColumn>,
    /// LSOA 2011 <-> 2021 links (`geography` bundle).
    pub lsoa_links: Vec<LsoaLink>,
    /// LAD code history 2016-2024 (`geography` bundle).
    pub lad_lineages: Vec<LadLineage>,
    /// Categorical classifications such as rural-urban class (`geography` bundle).
    pub area_classes: Vec<AreaClass>,
}

impl DatasetBundle {
    /// Empty bundle for a catalogued dataset id.
    pub(crate) fn new(id: &str) -> Result<DatasetBundle, IngestError> {
        let dataset =
            catalog::dataset(id).ok_or_else(|| IngestError::file(id, "dataset not in catalog"))?;
        Ok(DatasetBundle::with_dataset(dataset))
    }

    /// Empty bundle for the given metadata.
    pub fn with_dataset(dataset: Dataset) -> DatasetBundle {
        DatasetBundle {
            dataset,
            indicators: Vec::new(),
            areas: Vec::new(),
            columns: Vec::new(),
            lsoa_links: Vec::new(),
            lad_lineages: Vec::new(),
            area_classes: Vec::new(),
        }
    }

    /// Number of values across all columns.
    pub fn value_count(&self) -> usize {
        self.columns.iter().map(|c| c.values.len()).sum()
    }

    /// Column of an indicator, if present.
    pub fn column(&self, indicator: &str) -> Option<&IndicatorColumn> {
        self.columns.iter().find(|c| c.indicator == indicator)
    }

    fn absorb(&mut self, builder: ColumnBuilder) {
        let (indicators, columns) = builder.finish();
        self.indicators.extend(indicators);
        self.columns.extend(columns);
    }
}

/// Collects values for several indicators while a file is read.
pub(crate) struct ColumnBuilder {
    indicators: Vec<Indicator>,
    columns: Vec<IndicatorColumn>,
}

impl ColumnBuilder {
    pub(crate) fn new() -> ColumnBuilder {
        ColumnBuilder {
            indicators: Vec::new(),
            columns: Vec::new(),
        }
    }

    /// Register an indicator; returns its slot.
    pub(crate) fn add(&mut self, indicator: Indicator) -> usize {
        self.columns.push(IndicatorColumn {
            indicator: indicator.id.clone(),
            codes: Vec::new(),
            values: Vec::new(),
        });
        self.indicators.push(indicator);
        self.columns.len() - 1
    }

    /// Slot of an already registered indicator id.
    pub(crate) fn slot(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }

    /// Record a value; NaN (missing) is skipped.
    pub(crate) fn push(&mut self, slot: usize, code: &str, value: f64) {
        if value.is_finite()
            && let Some(col) = self.columns.get_mut(slot)
        {
            col.codes.push(code.to_owned());
            col.values.push(value);
        }
    }

    pub(crate) fn finish(self) -> (Vec<Indicator>, Vec<IndicatorColumn>) {
        (self.indicators, self.columns)
    }
}

/// Read a wide table (one row per area) into `builder`: `specs` pairs a 0-based column index
/// with a builder slot. Rejects duplicate area codes.
pub(crate) fn read_wide(
    table: &mut table::Table,
    code_col: usize,
    specs: &[(usize, usize)],
    builder: &mut ColumnBuilder,
) -> Result<usize, IngestError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut rows = 0;
    while table.next_record()? {
        let code = table.required_text(code_col)?;
        if !seen.insert(code.to_owned()) {
            return Err(table.error(code_col, format!("duplicate area code {code}")));
        }
        for &(col, slot) in specs {
            let v = table.number(col)?;
            builder.push(slot, code, v);
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(IngestError::file(table.file(), "no data rows"));
    }
    Ok(rows)
}

/// CSV reader for other modules of this crate (e.g. the needs mapping).
pub(crate) fn table_from_reader(
    name: &str,
    reader: Box<dyn std::io::Read>,
) -> Result<table::Table, IngestError> {
    table::Table::from_reader(name.to_owned(), reader)
}

/// Number of datasets [`load_all`] produces.
pub const DATASET_COUNT: usize = 11;

/// Load every shipped dataset (not the postcode lookup, see [`postcodes`]).
///
/// `progress(dataset, done, total)` is called after each dataset with the count finished so far.
/// Datasets are read on two threads (the machine this targets has two cores).
pub fn load_all(
    data_dir: &Path,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<Vec<DatasetBundle>, IngestError> {
    type Loader = fn(&Path) -> Result<DatasetBundle, IngestError>;
    // Roughly balanced halves by measured load time.
    let first: [Loader; 2] = [census2021, geography];
    let second: [Loader; 8] = [
        iod2019,
        iod2025,
        ukimd,
        pop2020,
        simd2020v2,
        wimd2019,
        nimdm2017,
        healthindex,
    ];
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<DatasetBundle, IngestError>)>();
    let mut slots: Vec<Option<DatasetBundle>> =
        (0..first.len() + second.len()).map(|_| None).collect();
    let mut done = 0;
    let mut failure = None;
    std::thread::scope(|scope| {
        let tx2 = tx.clone();
        scope.spawn(move || {
            for (i, load) in first.iter().enumerate() {
                let result = load(data_dir);
                let failed = result.is_err();
                if tx.send((i, result)).is_err() || failed {
                    return;
                }
            }
        });
        scope.spawn(move || {
            for (i, load) in second.iter().enumerate() {
                let result = load(data_dir);
                let failed = result.is_err();
                if tx2.send((first.len() + i, result)).is_err() || failed {
                    return;
                }
            }
        });
        for (slot, result) in rx.iter() {
            match result {
                Ok(bundle) => {
                    done += 1;
                    progress(&bundle.dataset.id, done, DATASET_COUNT);
                    slots[slot] = Some(bundle);
                }
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let mut bundles: Vec<DatasetBundle> = slots.into_iter().flatten().collect();
    // pop2021 is derived from three loaded datasets, so it comes last.
    let derived = {
        let find = |id: &str| bundles.iter().find(|b| b.dataset.id == id);
        match (find("geography"), find("census2021"), find("pop2020")) {
            (Some(g), Some(c), Some(p)) => pop2021(g, c, p)?,
            _ => return Err(IngestError::file("pop2021", "inputs missing")),
        }
    };
    bundles.push(derived);
    progress("pop2021", DATASET_COUNT, DATASET_COUNT);
    Ok(bundles)
}

#[cfg(test)]
mod tests;
