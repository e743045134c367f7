//! The maps page's figures: one indicator over the areas of a level, most deprived first.

use svatlas_areas::geography::AreaType;
use svatlas_areas::{AreaFrame, Indicator};

use crate::need::lookup::positions_within;
use crate::need::maps;
use crate::platform::download::{DataTable, Source};
use crate::platform::error::AppError;
use crate::platform::format::{indicator_value, thousands};

/// Most areas one map draws; beyond this the page asks for a smaller `within`.
pub const MAX_AREAS: usize = 2500;

/// One table row of the page, formatted.
pub struct Row {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Formatted value.
    pub value: String,
}

/// One mapped area and its value (None = no data).
pub struct MapRow {
    pub code: String,
    pub name: String,
    pub value: Option<f64>,
}

/// What a map shows: the areas drawn, their values in table order, heading and source.
pub struct MapFigures<'a> {
    pub indicator: &'a Indicator,
    pub level: AreaType,
    pub within: Option<String>,
    /// Positions of the drawn areas in the level.
    pub positions: Vec<u32>,
    /// "in Plymouth (E06000026)", "in England", ...
    pub place: String,
    pub heading: String,
    /// Dataset name, or empty.
    pub edition: String,
    pub direction: &'static str,
    /// Most deprived first (highest first when there is no direction), then by code.
    pub rows: Vec<MapRow>,
    pub sources: Vec<Source>,
}

impl<'a> MapFigures<'a> {
    /// The areas of `level` (inside `within`) and their values of `indicator`; 422 when a
    /// small-area level has no `within`, no areas are left, or more than [`MAX_AREAS`].
    pub fn build(
        frame: &'a AreaFrame,
        indicator: &'a Indicator,
        level: AreaType,
        within: Option<String>,
    ) -> Result<Self, AppError> {
        let positions = map_positions(frame, indicator, level, within.as_deref())?;
        let within_name = within.as_deref().and_then(|c| {
            frame
                .locate_all(c)
                .first()
                .map(|at| frame.get(*at).name.clone())
        });
        let place = match (&within, &within_name) {
            (Some(code), Some(name)) => format!("in {name} ({code})"),
            _ => nation_of(frame, level, &positions),
        };
        let dataset = frame.datasets().iter().find(|d| d.id == indicator.dataset);
        Ok(MapFigures {
            heading: format!(
                "{} by {} {place}",
                indicator.name,
                lower_first(level.label())
            ),
            edition: dataset.map_or_else(String::new, |d| d.name.clone()),
            direction: maps::direction_text(indicator),
            rows: map_rows(frame, indicator, level, &positions),
            sources: dataset.map(Source::of).into_iter().collect(),
            indicator,
            level,
            within,
            positions,
            place,
        })
    }

    /// The download: every mapped area in table order.
    pub fn table(&self) -> DataTable {
        let indicator = self.indicator;
        let value_column = format!("{} ({})", indicator.id, indicator.unit);
        let mut table = DataTable::new(
            self.heading.clone(),
            &format!("map-{}-{}", indicator.id, self.level.as_str()),
            &["area_code", "area_name", &value_column],
        );
        table.rows = self
            .rows
            .iter()
            .map(|r| vec![r.code.clone().into(), r.name.clone().into(), r.value.into()])
            .collect();
        table.sources = self.sources.clone();
        table.notes.push(self.direction.to_owned());
        table
    }

    /// The page's table rows.
    pub fn rows(&self) -> Vec<Row> {
        self.rows
            .iter()
            .map(|r| Row {
                code: r.code.clone(),
                name: r.name.clone(),
                value: indicator_value(r.value, &self.indicator.unit),
            })
            .collect()
    }
}

/// Positions of the areas to draw: inside `within`, or nationally the areas with a value (an
/// England-only indicator maps England).
fn map_positions(
    frame: &AreaFrame,
    indicator: &Indicator,
    level: AreaType,
    within: Option<&str>,
) -> Result<Vec<u32>, AppError> {
    let column = frame.column(&indicator.id, level).unwrap_or(&[]);
    let has_value = |p: &u32| column.get(*p as usize).is_some_and(|v| v.is_finite());
    let positions: Vec<u32> = match within {
        Some(code) => positions_within(frame, level, code)?,
        None if level.is_small_area() => {
            return Err(AppError::invalid(
                "within_required",
                "within",
                format!(
                    "within: a map of every {} would draw tens of thousands of areas; give an area \
                     code to map inside, e.g. within=E06000026 (Plymouth)",
                    level.label()
                ),
            ));
        }
        None => (0..frame.areas(level).len() as u32)
            .filter(has_value)
            .collect(),
    };
    if positions.is_empty() {
        return Err(AppError::invalid(
            "no_areas",
            "within",
            format!(
                "within: {} contains no {} areas",
                within.unwrap_or("the selection"),
                level.as_str()
            ),
        ));
    }
    if positions.len() > MAX_AREAS {
        return Err(AppError::invalid(
            "too_many_areas",
            "within",
            format!(
                "within: the map would draw {} areas, more than {}; choose a smaller area or a larger level",
                thousands(positions.len() as u64),
                thousands(MAX_AREAS as u64)
            ),
        ));
    }
    Ok(positions)
}

/// The mapped values, most deprived first (highest first when there is no direction).
fn map_rows(
    frame: &AreaFrame,
    indicator: &Indicator,
    level: AreaType,
    positions: &[u32],
) -> Vec<MapRow> {
    let areas = frame.areas(level);
    let column = frame.column(&indicator.id, level).unwrap_or(&[]);
    let mut rows: Vec<MapRow> = positions
        .iter()
        .filter_map(|&p| {
            let area = areas.get(p as usize)?;
            Some(MapRow {
                code: area.code.clone(),
                name: area.name.clone(),
                value: column.get(p as usize).copied().filter(|v| v.is_finite()),
            })
        })
        .collect();
    let higher_first = maps::darker_when_higher(indicator);
    rows.sort_by(|a, b| {
        let by_value = match (a.value, b.value) {
            (Some(x), Some(y)) if higher_first => y.total_cmp(&x),
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_value.then_with(|| a.code.cmp(&b.code))
    });
    rows
}

/// "in England" (or Wales, Scotland, Northern Ireland) when every area is in one nation.
fn nation_of(frame: &AreaFrame, level: AreaType, positions: &[u32]) -> String {
    let areas = frame.areas(level);
    let first = |p: &u32| areas.get(*p as usize).and_then(|a| a.code.chars().next());
    let nations: std::collections::BTreeSet<char> = positions.iter().filter_map(first).collect();
    let one = nations.iter().next().filter(|_| nations.len() == 1);
    match one {
        Some('E') => "in England",
        Some('W') => "in Wales",
        Some('S') => "in Scotland",
        Some('N' | '9') => "in Northern Ireland",
        _ => "in the UK",
    }
    .to_owned()
}

/// "Local authority district" -> "local authority district"; acronyms ("LSOA") stay.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if b.is_lowercase() => {
            a.to_lowercase().chain(s[a.len_utf8()..].chars()).collect()
        }
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::lower_first;

    #[test]
    fn level_names_are_lowered_but_acronyms_kept() {
        assert_eq!(
            lower_first("Local authority district"),
            "local authority district"
        );
        assert_eq!(lower_first("LSOA 2021"), "LSOA 2021");
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::platform::download::Cell;

    #[test]
    fn the_page_table_and_the_download_have_the_same_rows_in_the_same_order() {
        let indicator = Indicator::new(
            "iod2025",
            "imd",
            "score",
            "IMD score",
            "score",
            AreaType::Lsoa21,
            Some(true),
            "",
        );
        let row = |code: &str, value| MapRow {
            code: code.to_owned(),
            name: format!("Area {code}"),
            value,
        };
        let figures = MapFigures {
            indicator: &indicator,
            level: AreaType::Lsoa21,
            within: Some("E06000026".to_owned()),
            positions: vec![0, 1],
            place: "in Plymouth (E06000026)".to_owned(),
            heading: "IMD score by LSOA".to_owned(),
            edition: String::new(),
            direction: maps::direction_text(&indicator),
            rows: vec![row("E01", Some(12.5)), row("E02", None)],
            sources: Vec::new(),
        };
        let table = figures.table();
        let rows = figures.rows();
        assert_eq!(table.columns[2], "iod2025.imd.score (score)");
        assert_eq!(table.rows[0][0], Cell::Text("E01".to_owned()));
        assert_eq!(table.rows[1][2], Cell::Missing);
        assert_eq!(rows[0].code, "E01");
        assert_eq!(rows[1].value, indicator_value(None, "score"));
        assert_eq!(table.notes, vec![figures.direction.to_owned()]);
    }
}
