//! The comparison page's figures: 2 to 6 areas side by side on the IoD2025 measures.

use svatlas_areas::AreaFrame;
use svatlas_areas::Summary;
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::geography::{AreaType, Edition};

use super::sources_of;
use crate::need::area_data::AreaData;
use crate::need::lookup::{AreaLabel, area_summary};
use crate::platform::download::{Cell, DataTable, Source};
use crate::platform::error::{AppError, ErrorDetail};
use crate::platform::format::number;

/// Fewest areas compared.
pub const MIN_AREAS: usize = 2;
/// Most areas compared.
pub const MAX_AREAS: usize = 6;

/// One area's column.
pub struct Column {
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// One row of the page's table: a label and one formatted figure per area.
pub struct Row {
    pub label: String,
    pub values: Vec<String>,
}

/// One figure of the table, one value per area: numbers for downloads, formatted for the page.
pub struct Figure {
    pub label: String,
    pub values: Vec<Option<f64>>,
    pub dp: usize,
    pub percent: bool,
}

impl Figure {
    fn new(label: impl Into<String>, values: Vec<Option<f64>>, dp: usize) -> Figure {
        Figure {
            label: label.into(),
            values,
            dp,
            percent: false,
        }
    }

    /// The figure as the page shows it.
    pub fn row(&self) -> Row {
        Row {
            label: self.label.clone(),
            values: self
                .values
                .iter()
                .map(|v| {
                    if self.percent {
                        v.map_or_else(
                            || "–".to_owned(),
                            |v| format!("{}%", number(Some(v * 100.0), 1)),
                        )
                    } else {
                        number(*v, self.dp)
                    }
                })
                .collect(),
        }
    }
}

/// One IoD domain's figures and each area's average score (the bar chart's values).
pub struct DomainFigures {
    pub domain: IodDomain,
    pub figures: Vec<Figure>,
    pub average_scores: Vec<Option<f64>>,
}

/// The comparison: the areas, their facts and domain figures, notes and sources.
pub struct CompareFigures {
    pub codes: Vec<String>,
    pub columns: Vec<Column>,
    pub facts: Vec<Figure>,
    pub domains: Vec<DomainFigures>,
    pub notes: Vec<String>,
    pub sources: Vec<Source>,
}

impl CompareFigures {
    /// The comparison of `codes` (normalised, distinct): 422 for unknown codes, too few or too
    /// many areas, or areas outside IoD2025.
    pub fn build(data: &AreaData, codes: Vec<String>) -> Result<Self, AppError> {
        let frame = data.frame();
        check_codes(frame, &codes)?;
        let edition = Edition::Iod2025;
        let summaries: Vec<(AreaLabel, Summary)> = codes
            .iter()
            .map(|c| area_summary(data, c, edition))
            .collect::<Result<_, _>>()?;
        let columns: Vec<Column> = summaries.iter().map(|(label, _)| column(label)).collect();
        let facts = vec![
            Figure::new(
                "Population",
                summaries.iter().map(|(_, s)| s.population).collect(),
                0,
            ),
            Figure::new(
                "LSOAs (2021)",
                summaries
                    .iter()
                    .map(|(_, s)| Some(s.lsoa_count as f64))
                    .collect(),
                0,
            ),
        ];
        let domains = IodDomain::ALL
            .into_iter()
            .filter_map(|d| domain_figures(frame, d, &codes, &summaries))
            .collect();
        let mut notes = vec![
            "IoD2025 (English Indices of Deprivation 2025). Scores: higher = more deprived. Ranks: 1 = most deprived.".to_owned(),
        ];
        for ((label, summary), column) in summaries.iter().zip(&columns) {
            notes.push(format!(
                "{} ({}): {}",
                column.name,
                label.code.as_deref().unwrap_or(""),
                summary.population_source
            ));
        }
        let mut sources = sources_of(frame, ["iod2025"]);
        if summaries
            .iter()
            .any(|(_, s)| s.population_source.contains("sv-atlas estimate"))
        {
            sources.extend(sources_of(frame, ["pop2021", "census2021"]));
        }
        Ok(CompareFigures {
            codes,
            columns,
            facts,
            domains,
            notes,
            sources,
        })
    }

    /// The download: every figure of the page, one row each, by domain.
    pub fn table(&self) -> DataTable {
        let mut columns_out = vec!["domain", "measure"];
        let names: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{} {}", c.code, c.name))
            .collect();
        columns_out.extend(names.iter().map(String::as_str));
        let mut table = DataTable::new(
            format!("IoD2025 comparison: {}", self.codes.join(", ")),
            &format!("compare-{}", self.codes.join("-")),
            &columns_out,
        );
        let facts = self.facts.iter().map(|f| (String::new(), f));
        let domains = self.domains.iter().flat_map(|d| {
            d.figures
                .iter()
                .map(move |f| (d.domain.label().to_owned(), f))
        });
        table.rows = facts
            .chain(domains)
            .map(|(domain, f)| {
                let mut row: Vec<Cell> = vec![domain.into(), f.label.clone().into()];
                row.extend(f.values.iter().map(|v| Cell::from(*v)));
                row
            })
            .collect();
        table.sources = self.sources.clone();
        table.notes = self.notes.clone();
        table
    }
}

/// 422 for unknown codes (all named) or a number of areas out of range.
fn check_codes(frame: &AreaFrame, codes: &[String]) -> Result<(), AppError> {
    let unknown: Vec<String> = codes
        .iter()
        .filter(|c| frame.locate_all(c).is_empty())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::Unprocessable(vec![
            ErrorDetail::new(
                "unknown_area",
                Some("areas".to_owned()),
                format!(
                    "areas: no area with code {}; check the code{}",
                    unknown.join(", "),
                    if unknown.len() > 1 { "s" } else { "" }
                ),
            )
            .with_codes(unknown),
        ]));
    }
    if !(MIN_AREAS..=MAX_AREAS).contains(&codes.len()) {
        return Err(AppError::invalid(
            "out_of_range",
            "areas",
            format!(
                "areas: compare {MIN_AREAS} to {MAX_AREAS} areas; you gave {} ({})",
                codes.len(),
                codes.join(", ")
            ),
        ));
    }
    Ok(())
}

fn column(label: &AreaLabel) -> Column {
    Column {
        code: label.code.clone().unwrap_or_default(),
        name: label.name.clone(),
        kind: label
            .area_type
            .parse::<AreaType>()
            .map(|t| t.label().to_owned())
            .unwrap_or_else(|_| label.area_type.clone()),
    }
}

/// One domain's figures; None when no area has values of it.
fn domain_figures(
    frame: &AreaFrame,
    domain: IodDomain,
    codes: &[String],
    summaries: &[(AreaLabel, Summary)],
) -> Option<DomainFigures> {
    let edition = Edition::Iod2025;
    let per_area: Vec<_> = summaries
        .iter()
        .map(|(_, s)| s.domains.get(domain.id()).copied())
        .collect();
    if per_area.iter().all(Option::is_none) {
        return None;
    }
    let of_type = |t: AreaType| -> Vec<bool> {
        summaries
            .iter()
            .map(|(l, _)| l.area_type == t.as_str())
            .collect()
    };
    let (is_district, is_lsoa) = (of_type(edition.lad_type()), of_type(edition.lsoa_type()));
    let average_scores: Vec<Option<f64>> = per_area
        .iter()
        .map(|d| d.and_then(|d| d.average_score))
        .collect();
    let mut figures = vec![Figure::new(
        "Average score (population weighted)",
        average_scores.clone(),
        3,
    )];
    if is_district.iter().any(|d| *d) {
        let districts = edition.lad_count();
        figures.push(Figure::new(
            format!("District rank of average score (1 = most deprived of {districts})"),
            per_area
                .iter()
                .map(|d| d.and_then(|d| d.rank_of_average_score).map(f64::from))
                .collect(),
            0,
        ));
        figures.push(Figure::new(
            format!("District rank of average rank (1 = most deprived of {districts})"),
            per_area
                .iter()
                .map(|d| d.and_then(|d| d.rank_of_average_rank).map(f64::from))
                .collect(),
            0,
        ));
    }
    if is_lsoa.iter().any(|l| *l) {
        for (measure, label) in [
            ("rank", "LSOA rank in England (1 = most deprived)"),
            ("decile", "LSOA decile (1 = most deprived 10%)"),
        ] {
            let id = format!("iod2025.{}.{measure}", domain.id());
            let values = codes
                .iter()
                .zip(&is_lsoa)
                .map(|(c, lsoa)| if *lsoa { frame.value(&id, c) } else { None })
                .collect();
            figures.push(Figure::new(label, values, 0));
        }
    }
    figures.push(Figure {
        percent: true,
        ..Figure::new(
            "Share of LSOAs in the most deprived 10% in England",
            per_area
                .iter()
                .map(|d| d.and_then(|d| d.proportion_most_deprived_10pc))
                .collect(),
            0,
        )
    });
    Some(DomainFigures {
        domain,
        figures,
        average_scores,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_percentages_and_missing_values_dashes() {
        let share = Figure {
            percent: true,
            ..Figure::new("Share", vec![Some(0.125), None], 0)
        };
        assert_eq!(share.row().values, vec!["12.5%".to_owned(), "–".to_owned()]);
        let score = Figure::new("Score", vec![Some(21.5), None], 3);
        assert_eq!(score.row().values[0], number(Some(21.5), 3));
    }
}
