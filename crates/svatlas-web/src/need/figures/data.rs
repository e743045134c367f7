//! The data directory's figures: every dataset and every indicator with the levels it has
//! values at.

use svatlas_areas::catalog::{Dataset, Indicator};
use svatlas_areas::geography::AreaType;

use crate::need::area_data::AreaData;
use crate::need::indicators::direction;
use crate::platform::download::{DataTable, Source, encode};
use crate::platform::format::thousands;

/// One indicator row of the page, formatted.
pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub geography: String,
    pub direction: &'static str,
    /// CSV of its values at its main geography.
    pub download: String,
}

/// One dataset of the page with its indicators, formatted.
pub struct DatasetEntry {
    pub id: String,
    pub name: String,
    pub publisher: String,
    pub edition: String,
    pub geography: String,
    pub licence: String,
    pub attribution: String,
    pub description: String,
    pub source_url: Option<String>,
    pub indicator_count: String,
    pub value_count: String,
    pub indicators: Vec<IndicatorRow>,
}

/// An indicator and the levels it has values at, its own geography first.
pub struct IndicatorLevels<'a> {
    pub indicator: &'a Indicator,
    pub levels: Vec<AreaType>,
}

/// Every dataset (with its number of values) and every indicator, in catalogue order.
pub struct DataFigures<'a> {
    pub datasets: Vec<(&'a Dataset, usize)>,
    pub indicators: Vec<IndicatorLevels<'a>>,
}

impl<'a> DataFigures<'a> {
    /// The whole catalogue of the loaded data.
    pub fn build(data: &'a AreaData) -> Self {
        let frame = data.frame();
        let indicators = frame
            .indicators()
            .iter()
            .map(|i| {
                let mut levels = frame.levels_of(&i.id);
                levels.sort_by_key(|t| *t != i.geography);
                IndicatorLevels {
                    indicator: i,
                    levels,
                }
            })
            .collect();
        DataFigures {
            datasets: frame
                .datasets()
                .iter()
                .map(|d| (d, data.value_count(&d.id)))
                .collect(),
            indicators,
        }
    }

    /// The download: the indicator list, with every dataset as a source.
    pub fn table(&self) -> DataTable {
        let mut table = DataTable::new(
            "sv-atlas indicators",
            "sv-atlas-indicators",
            &[
                "id",
                "name",
                "dataset",
                "unit",
                "geography",
                "direction",
                "description",
            ],
        );
        table.rows = self
            .indicators
            .iter()
            .map(
                |IndicatorLevels {
                     indicator: i,
                     levels,
                 }| {
                    let geo: Vec<&str> = levels.iter().map(|t| t.as_str()).collect();
                    vec![
                        i.id.clone().into(),
                        i.name.clone().into(),
                        i.dataset.clone().into(),
                        i.unit.clone().into(),
                        geo.join(" ").into(),
                        direction(i.higher_is_more_deprived).unwrap_or("").into(),
                        i.description.clone().into(),
                    ]
                },
            )
            .collect();
        table.sources = self.datasets.iter().map(|(d, _)| Source::of(d)).collect();
        table
    }

    /// The page: each dataset with its indicators.
    pub fn entries(&self) -> Vec<DatasetEntry> {
        self.datasets
            .iter()
            .map(|&(d, values)| {
                let indicators: Vec<IndicatorRow> = self
                    .indicators
                    .iter()
                    .filter(|i| i.indicator.dataset == d.id)
                    .map(indicator_row)
                    .collect();
                DatasetEntry {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    publisher: d.publisher.clone(),
                    edition: d.edition.clone(),
                    geography: d.geography.label().to_owned(),
                    licence: d.licence.clone(),
                    attribution: d.attribution.clone(),
                    description: d.description.clone(),
                    source_url: d.source_url.clone(),
                    indicator_count: thousands(indicators.len() as u64),
                    value_count: thousands(values as u64),
                    indicators,
                }
            })
            .collect()
    }
}

fn indicator_row(
    IndicatorLevels {
        indicator: i,
        levels,
    }: &IndicatorLevels<'_>,
) -> IndicatorRow {
    IndicatorRow {
        id: i.id.clone(),
        name: i.name.clone(),
        unit: i.unit.clone(),
        geography: levels
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        direction: direction_words(i.higher_is_more_deprived),
        download: format!(
            "/rankings?indicator={}&level={}&format=csv",
            encode(&i.id),
            levels.first().copied().unwrap_or(i.geography).as_str()
        ),
    }
}

fn direction_words(higher_is_more_deprived: Option<bool>) -> &'static str {
    match higher_is_more_deprived {
        Some(true) => "Higher is more deprived",
        Some(false) => "Higher is less deprived",
        None => "No direction",
    }
}
