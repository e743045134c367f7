//! `GET /compare?areas=A,B,C`: 2 to 6 areas side by side on the IoD2025 measures.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_areas::Summary;
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::geography::{AreaType, Edition};

use crate::need::figures::sources_of;
use crate::need::lookup::{AreaLabel, area_summary, normalise_code};
use crate::platform::download::{Cell, DataTable, DownloadLinks, Format, Source};
use crate::platform::error::{AppError, ErrorDetail, PageError};
use crate::platform::extract::PageQuery;
use crate::platform::format::number;
use crate::platform::svg::charts::{Bar, bar_chart};
use crate::platform::views::Layout;
use crate::state::AppState;

/// Fewest and most areas compared.
pub const MIN_AREAS: usize = 2;
/// Most areas compared.
pub const MAX_AREAS: usize = 6;

/// The page's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparePageQuery {
    /// 2 to 6 area codes, comma separated (districts, LSOAs, wards, regions), e.g.
    /// `E06000026,E06000009,E08000003`.
    pub areas: Option<String>,
    /// `csv`, `xlsx` or `json` downloads the comparison table.
    pub format: Option<String>,
}

/// One area's column.
pub struct Column {
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// One row of the comparison table: a label and one formatted figure per area.
pub struct Row {
    pub label: String,
    pub values: Vec<String>,
}

/// One domain: its rows and its bar chart.
pub struct DomainBlock {
    pub id: &'static str,
    pub label: &'static str,
    pub rows: Vec<Row>,
    pub chart: String,
}

/// The comparison page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/compare.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub areas_input: String,
    pub columns: Vec<Column>,
    pub facts: Vec<Row>,
    pub domains: Vec<DomainBlock>,
    pub notes: Vec<String>,
    pub sources: Vec<Source>,
    pub downloads: Option<DownloadLinks>,
}

/// One figure of the table, kept as a number for downloads and formatted for the page.
struct Figure {
    label: String,
    values: Vec<Option<f64>>,
    dp: usize,
    percent: bool,
}

impl Figure {
    fn row(&self) -> Row {
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

/// Splits the `areas` value into normalised codes (commas, spaces or new lines between).
pub fn parse_codes(value: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for code in value
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(normalise_code)
        .filter(|c| !c.is_empty())
    {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// Compares 2 to 6 areas on the IoD2025 measures: official district summaries for districts
/// (with ranks among the 296 districts), the LSOA's own score, rank and decile for LSOAs, a
/// bar chart per domain, population, and downloads.
#[utoipa::path(get, path = "/compare", tag = "pages",
    params(ComparePageQuery),
    responses(
        (status = 200, description = "Comparison page (a form when no areas are given), or the table as a file with `format`", content_type = "text/html"),
        (status = 422, description = "Fewer than 2 or more than 6 areas, unknown codes (named), or areas outside IoD2025", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_compare_page(
    State(state): State<AppState>,
    PageQuery(query): PageQuery<ComparePageQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let data = state.area_data()?;
    let frame = data.frame();
    let codes = parse_codes(query.areas.as_deref().unwrap_or(""));
    if codes.is_empty() && format == Format::Html {
        return Ok(ComparePage {
            layout: Layout::new("need"),
            areas_input: String::new(),
            columns: Vec::new(),
            facts: Vec::new(),
            domains: Vec::new(),
            notes: Vec::new(),
            sources: Vec::new(),
            downloads: None,
        }
        .into_response());
    }
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
        ])
        .into());
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
        )
        .into());
    }
    let edition = Edition::Iod2025;
    let summaries: Vec<(AreaLabel, Summary)> = codes
        .iter()
        .map(|c| area_summary(data, c, edition))
        .collect::<Result<_, _>>()?;
    let columns: Vec<Column> = summaries
        .iter()
        .map(|(label, _)| Column {
            code: label.code.clone().unwrap_or_default(),
            name: label.name.clone(),
            kind: label
                .area_type
                .parse::<AreaType>()
                .map(|t| t.label().to_owned())
                .unwrap_or_else(|_| label.area_type.clone()),
        })
        .collect();
    let is_district: Vec<bool> = summaries
        .iter()
        .map(|(l, _)| l.area_type == edition.lad_type().as_str())
        .collect();
    let is_lsoa: Vec<bool> = summaries
        .iter()
        .map(|(l, _)| l.area_type == edition.lsoa_type().as_str())
        .collect();
    let districts = edition.lad_count();

    let facts = [
        Figure {
            label: "Population".to_owned(),
            values: summaries.iter().map(|(_, s)| s.population).collect(),
            dp: 0,
            percent: false,
        },
        Figure {
            label: "LSOAs (2021)".to_owned(),
            values: summaries
                .iter()
                .map(|(_, s)| Some(s.lsoa_count as f64))
                .collect(),
            dp: 0,
            percent: false,
        },
    ];
    let mut all_figures: Vec<(String, Figure)> = facts
        .iter()
        .map(|f| {
            (
                String::new(),
                Figure {
                    label: f.label.clone(),
                    values: f.values.clone(),
                    dp: f.dp,
                    percent: f.percent,
                },
            )
        })
        .collect();
    let mut domains = Vec::new();
    for domain in IodDomain::ALL {
        let per_area: Vec<_> = summaries
            .iter()
            .map(|(_, s)| s.domains.get(domain.id()).copied())
            .collect();
        if per_area.iter().all(Option::is_none) {
            continue;
        }
        let mut figures = vec![Figure {
            label: "Average score (population weighted)".to_owned(),
            values: per_area
                .iter()
                .map(|d| d.and_then(|d| d.average_score))
                .collect(),
            dp: 3,
            percent: false,
        }];
        if is_district.iter().any(|d| *d) {
            figures.push(Figure {
                label: format!("District rank of average score (1 = most deprived of {districts})"),
                values: per_area
                    .iter()
                    .map(|d| d.and_then(|d| d.rank_of_average_score).map(f64::from))
                    .collect(),
                dp: 0,
                percent: false,
            });
            figures.push(Figure {
                label: format!("District rank of average rank (1 = most deprived of {districts})"),
                values: per_area
                    .iter()
                    .map(|d| d.and_then(|d| d.rank_of_average_rank).map(f64::from))
                    .collect(),
                dp: 0,
                percent: false,
            });
        }
        if is_lsoa.iter().any(|l| *l) {
            for (measure, label) in [
                ("rank", "LSOA rank in England (1 = most deprived)"),
                ("decile", "LSOA decile (1 = most deprived 10%)"),
            ] {
                let id = format!("iod2025.{}.{measure}", domain.id());
                figures.push(Figure {
                    label: label.to_owned(),
                    values: codes
                        .iter()
                        .zip(&is_lsoa)
                        .map(|(c, lsoa)| if *lsoa { frame.value(&id, c) } else { None })
                        .collect(),
                    dp: 0,
                    percent: false,
                });
            }
        }
        figures.push(Figure {
            label: "Share of LSOAs in the most deprived 10% in England".to_owned(),
            values: per_area
                .iter()
                .map(|d| d.and_then(|d| d.proportion_most_deprived_10pc))
                .collect(),
            dp: 0,
            percent: true,
        });
        let bars: Vec<Bar> = columns
            .iter()
            .zip(&per_area)
            .map(|(c, d)| {
                let v = d.and_then(|d| d.average_score);
                Bar {
                    label: c.name.clone(),
                    value: v.unwrap_or(f64::NAN),
                    text: number(v, 2),
                }
            })
            .collect();
        let chart = bar_chart(
            &format!("chart-{}", domain.id()),
            &format!("{}: average score by area", domain.label()),
            &format!(
                "Horizontal bars of the IoD2025 {} average score of each area (higher = more deprived); the figures are in the table beside the chart.",
                domain.label()
            ),
            &bars,
        );
        domains.push(DomainBlock {
            id: domain.id(),
            label: domain.label(),
            rows: figures.iter().map(Figure::row).collect(),
            chart,
        });
        all_figures.extend(figures.into_iter().map(|f| (domain.label().to_owned(), f)));
    }
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

    if format != Format::Html {
        let mut columns_out = vec!["domain", "measure"];
        let names: Vec<String> = columns
            .iter()
            .map(|c| format!("{} {}", c.code, c.name))
            .collect();
        columns_out.extend(names.iter().map(String::as_str));
        let mut table = DataTable::new(
            format!("IoD2025 comparison: {}", codes.join(", ")),
            &format!("compare-{}", codes.join("-")),
            &columns_out,
        );
        table.rows = all_figures
            .iter()
            .map(|(domain, f)| {
                let mut row: Vec<Cell> = vec![domain.clone().into(), f.label.clone().into()];
                row.extend(f.values.iter().map(|v| Cell::from(*v)));
                row
            })
            .collect();
        table.sources = sources;
        table.notes = notes;
        return Ok(table.download(format)?);
    }
    Ok(ComparePage {
        layout: Layout::new("need"),
        areas_input: codes.join(", "),
        columns,
        facts: facts.iter().map(Figure::row).collect(),
        domains,
        notes,
        sources,
        downloads: Some(DownloadLinks::new(
            "/compare",
            &[("areas", codes.join(","))],
        )),
    }
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_codes;

    #[test]
    fn codes_are_split_normalised_and_deduplicated() {
        assert_eq!(
            parse_codes(" e06000026, E06000009\nE06000026 ,,"),
            vec!["E06000026".to_owned(), "E06000009".to_owned()]
        );
        assert!(parse_codes(" , ").is_empty());
    }
}
