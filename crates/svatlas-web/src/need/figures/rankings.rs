//! The rankings page's figures: areas ranked by one indicator, a page of them or all.

use svatlas_areas::catalog::Indicator;
use svatlas_areas::geography::AreaType;

use super::{source_of, within_label};
use crate::need::area_data::AreaData;
use crate::need::lookup::find_indicator;
use crate::need::rankings::{RankingQuery, RankingResponse, ranking};
use crate::platform::download::{DataTable, Source};
use crate::platform::error::AppError;
use crate::platform::format::{indicator_value, thousands};

/// One row of the page's table, formatted.
pub struct Row {
    pub rank: String,
    pub code: String,
    pub name: String,
    pub value: String,
}

/// A ranking with the indicator it ranks by and where its figures come from.
pub struct RankingFigures<'a> {
    pub indicator: &'a Indicator,
    pub level: AreaType,
    pub result: RankingResponse,
    /// " in <name>" when limited to an area.
    pub place: String,
    pub sources: Vec<Source>,
}

impl<'a> RankingFigures<'a> {
    /// The ranking the query asks for: one page, or every ranked area when `whole`.
    pub fn build(data: &'a AreaData, query: &RankingQuery, whole: bool) -> Result<Self, AppError> {
        let frame = data.frame();
        let indicator = find_indicator(frame, "indicator", query.indicator.as_deref())?;
        let result = ranking(data, query, whole)?;
        let level: AreaType = result
            .level
            .parse()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("ranking level")))?;
        Ok(RankingFigures {
            indicator,
            level,
            place: within_label(frame, result.within.as_deref()),
            sources: source_of(frame, &indicator.dataset).into_iter().collect(),
            result,
        })
    }

    /// The download: every ranked area of the result.
    pub fn table(&self) -> DataTable {
        let (indicator, result) = (self.indicator, &self.result);
        let within = result
            .within
            .as_deref()
            .map(|w| format!("-{w}"))
            .unwrap_or_default();
        let mut table = DataTable::new(
            format!(
                "{} – {}{} ranked",
                indicator.name,
                self.level.label(),
                self.place
            ),
            &format!("rankings-{}-{}{within}", indicator.id, result.level),
            &["rank", "code", "name", "value"],
        );
        table.rows = result
            .items
            .iter()
            .map(|i| {
                vec![
                    i.rank.into(),
                    i.code.clone().into(),
                    i.name.clone().into(),
                    i.value.into(),
                ]
            })
            .collect();
        table.sources = self.sources.clone();
        table.notes.push(format!(
            "Indicator {} ({}), unit: {}. Order: {} (rank 1 = {}); areas without a value are left out.",
            indicator.id,
            indicator.name,
            indicator.unit,
            result.order,
            if result.order == "desc" { "highest value" } else { "lowest value" }
        ));
        table
    }

    /// The page's table rows.
    pub fn rows(&self) -> Vec<Row> {
        self.result
            .items
            .iter()
            .map(|i| Row {
                rank: thousands(u64::from(i.rank)),
                code: i.code.clone(),
                name: i.name.clone(),
                value: indicator_value(Some(i.value), &self.indicator.unit),
            })
            .collect()
    }

    /// "Showing 51 to 100 of 296".
    pub fn showing(&self) -> String {
        let result = &self.result;
        if result.items.is_empty() {
            return "No areas on this page".to_owned();
        }
        let first_shown = (result.page - 1) * result.per_page + 1;
        format!(
            "Showing {} to {} of {}",
            thousands(first_shown),
            thousands(first_shown + result.items.len() as u64 - 1),
            thousands(result.total as u64)
        )
    }

    /// What the indicator's direction means, in words.
    pub fn direction(&self) -> &'static str {
        match self.indicator.higher_is_more_deprived {
            Some(true) => "A higher value means more deprived.",
            Some(false) => {
                "A higher value means less deprived (for ranks, 1 is the most deprived)."
            }
            None => "This indicator has no deprivation direction.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::need::rankings::RankedItem;
    use crate::platform::download::Cell;

    fn item(rank: u32, code: &str, value: f64) -> RankedItem {
        RankedItem {
            rank,
            code: code.to_owned(),
            name: format!("Area {code}"),
            value,
        }
    }

    #[test]
    fn the_page_and_the_download_list_the_same_ranked_areas() {
        let indicator = Indicator::new(
            "iod2025",
            "imd",
            "average_score",
            "IMD average score",
            "score",
            AreaType::Lad24,
            Some(true),
            "",
        );
        let figures = RankingFigures {
            indicator: &indicator,
            level: AreaType::Lad24,
            result: RankingResponse {
                indicator: indicator.id.clone(),
                level: "lad24".to_owned(),
                within: None,
                order: "desc",
                higher_is_more_deprived: Some(true),
                total: 1200,
                page: 2,
                per_page: 50,
                items: vec![
                    item(51, "E1", 40.5),
                    item(51, "E2", 40.5),
                    item(53, "E3", 39.0),
                ],
            },
            place: String::new(),
            sources: Vec::new(),
        };
        let table = figures.table();
        let rows = figures.rows();
        assert_eq!(table.rows.len(), rows.len());
        for (cells, row) in table.rows.iter().zip(&rows) {
            assert_eq!(cells[1], Cell::Text(row.code.clone()));
            assert_eq!(cells[0], Cell::Number(row.rank.parse().unwrap()));
        }
        assert_eq!(figures.showing(), "Showing 51 to 53 of 1,200");
    }
}
