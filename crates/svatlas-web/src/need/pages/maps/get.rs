//! `GET /maps`: a choropleth of any indicator at any level with boundaries, with the same
//! figures as a table and downloads.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_areas::geography::AreaType;
use svatlas_areas::{AreaFrame, Indicator};

use crate::need::lookup::{
    find_indicator, level_of, optional_code, parse_optional_area_type, positions_within,
};
use crate::need::maps::{self, IndicatorMap};
use crate::platform::download::{Cell, DataTable, DownloadLinks, Format, Source};
use crate::platform::error::{AppError, PageError};
use crate::platform::format::{indicator_value, thousands};
use crate::platform::svg::map::Scheme;
use crate::platform::svg::palette::Palette;
use crate::platform::views::Layout;
use crate::state::AppState;

/// Indicators shaded when none is chosen, first one with values at the level: the official
/// IoD2025 district summary measure, the IoD2025 and IoD2019 LSOA scores, then the UK
/// composite IMD (Wales, Scotland, Northern Ireland small areas).
pub const DEFAULT_INDICATORS: [&str; 4] = [
    "iod2025.imd.average_score",
    "iod2025.imd.score",
    "iod2019.imd.score",
    "ukimd.composite.score",
];

/// Most areas one map draws; beyond this the page asks for a smaller `within`.
pub const MAX_AREAS: usize = 2500;

/// What to map.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapsQuery {
    /// Indicator id (default: `iod2025.imd.average_score` for districts, `iod2025.imd.score`
    /// for LSOAs 2021, `iod2019.imd.score` for LSOAs 2011, else the UK composite IMD score).
    pub indicator: Option<String>,
    /// Area type: `lad24`, `lad19`, `region`, `ward24`, `lsoa21`, `lsoa11`, `dz11`, `soa01`
    /// (default: the indicator's own geography). Small-area levels need `within`.
    pub level: Option<String>,
    /// Only areas inside this area (e.g. `E06000026`).
    pub within: Option<String>,
    /// `quintiles` (default), `deciles` or `continuous`.
    pub classes: Option<String>,
    /// `viridis` (default) or `blues`.
    pub palette: Option<String>,
    /// `csv`, `xlsx` or `json` to download the figures instead of the page.
    pub format: Option<String>,
}

/// One option of a select.
pub struct Choice {
    /// Value sent.
    pub value: String,
    /// Text shown.
    pub label: String,
    /// Currently chosen.
    pub selected: bool,
}

/// Indicators of one dataset, for an `<optgroup>`.
pub struct ChoiceGroup {
    /// Dataset name.
    pub label: String,
    /// Its indicators.
    pub choices: Vec<Choice>,
}

/// One table row.
pub struct Row {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Formatted value.
    pub value: String,
}

/// The maps page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/maps.html")]
pub struct MapsPage {
    pub layout: Layout,
    pub heading: String,
    pub indicators: Vec<ChoiceGroup>,
    pub levels: Vec<Choice>,
    pub schemes: Vec<Choice>,
    pub palettes: Vec<Choice>,
    pub within: String,
    pub svg: Option<String>,
    pub caption: String,
    pub direction: &'static str,
    pub note: Option<String>,
    pub value_heading: String,
    pub rows: Vec<Row>,
    pub sources: Vec<Source>,
    pub downloads: DownloadLinks,
}

/// Map of an indicator.
#[utoipa::path(get, path = "/maps", tag = "pages",
    params(MapsQuery),
    responses((status = 200, description = "Map page, or the figures as CSV/XLSX/JSON with `format`", content_type = "text/html"),
              (status = 422, description = "Unknown indicator, level, within, classes, palette or format; small-area level without `within`; too many areas", content_type = "text/html"),
              (status = 503, description = "Area data not loaded", content_type = "text/html")))]
pub async fn get_maps(
    State(state): State<AppState>,
    Query(query): Query<MapsQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let frame = state.areas()?;
    let asked = parse_optional_area_type("level", query.level.as_deref())?;
    let chosen = query
        .indicator
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| default_indicator(frame, asked));
    let indicator = find_indicator(frame, "indicator", Some(chosen))?;
    let level = level_of(frame, "level", indicator, asked)?;
    let scheme = parse_choice(
        "classes",
        query.classes.as_deref(),
        Scheme::Quintiles,
        Scheme::parse,
        "quintiles, deciles or continuous",
    )?;
    let palette = parse_choice(
        "palette",
        query.palette.as_deref(),
        Palette::Viridis,
        Palette::parse,
        "viridis or blues",
    )?;
    let within = optional_code(query.within.as_deref());
    let column = frame.column(&indicator.id, level).unwrap_or(&[]);
    let has_value = |p: &u32| column.get(*p as usize).is_some_and(|v| v.is_finite());
    let positions: Vec<u32> = match &within {
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
            )
            .into());
        }
        // Nationally, only areas with a value: an England-only indicator maps England.
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
                within.as_deref().unwrap_or("the selection"),
                level.as_str()
            ),
        )
        .into());
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
        )
        .into());
    }

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
    let edition = dataset.map_or_else(String::new, |d| d.name.clone());
    let heading = format!(
        "{} by {} {place}",
        indicator.name,
        lower_first(level.label())
    );
    let direction = maps::direction_text(indicator);

    let mut table = table_of(frame, indicator, level, &positions, &heading);
    if let Some(d) = dataset {
        table.sources.push(Source::of(d));
    }
    table.notes.push(direction.to_owned());
    if format != Format::Html {
        return Ok(table.download(format)?);
    }

    let drawn = state.maps().and_then(|m| {
        maps::indicator_map(
            frame,
            m,
            &IndicatorMap {
                id: "map",
                indicator,
                level,
                positions: &positions,
                scheme,
                palette,
                title: heading.clone(),
                description: format!(
                    "Map of {} {} areas {place}, shaded by {} ({edition}) in {} classes. {direction} \
                     Each area links to its profile; the table below the map lists every value.",
                    thousands(positions.len() as u64),
                    level.label(),
                    indicator.name,
                    scheme.as_str()
                ),
            },
        )
    });
    let note = match &drawn {
        None => Some(format!(
            "No map: this server has no {} boundaries loaded. The figures are in the table.",
            level.label()
        )),
        Some(d) if !d.without_shape.is_empty() => Some(format!(
            "{} area(s) have no boundary in the map layer and appear only in the table: {}.",
            d.without_shape.len(),
            crate::need::lookup::preview(&d.without_shape)
        )),
        Some(_) => None,
    };
    let n = thousands(positions.len() as u64);
    let caption = match scheme {
        Scheme::Continuous => format!(
            "{n} areas; colours run continuously from the lowest to the highest value shown. \
             Source: {edition}."
        ),
        _ => format!(
            "{n} areas in {} with equal numbers of the areas shown (not the official national \
             deciles). Source: {edition}.",
            scheme.as_str()
        ),
    };
    let rows = table
        .rows
        .iter()
        .map(|r| Row {
            code: text(&r[0]),
            name: text(&r[1]),
            value: match r[2] {
                Cell::Number(v) => indicator_value(Some(v), &indicator.unit),
                _ => indicator_value(None, &indicator.unit),
            },
        })
        .collect();
    let pairs = [
        ("indicator", indicator.id.clone()),
        ("level", level.as_str().to_owned()),
        ("within", within.clone().unwrap_or_default()),
        ("classes", scheme.as_str().to_owned()),
        ("palette", palette.as_str().to_owned()),
    ];
    let has_maps = |t: AreaType| state.maps().is_some_and(|m| m.has(t));
    Ok(MapsPage {
        layout: Layout::new("need"),
        indicators: indicator_choices(frame, indicator),
        levels: frame
            .levels_of(&indicator.id)
            .into_iter()
            .filter(|t| has_maps(*t) || *t == level)
            .map(|t| Choice {
                value: t.as_str().to_owned(),
                label: t.label().to_owned(),
                selected: t == level,
            })
            .collect(),
        schemes: Scheme::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().to_owned(),
                label: capitalise(s.as_str()),
                selected: *s == scheme,
            })
            .collect(),
        palettes: Palette::ALL
            .iter()
            .map(|p| Choice {
                value: p.as_str().to_owned(),
                label: capitalise(p.as_str()),
                selected: *p == palette,
            })
            .collect(),
        within: within.unwrap_or_default(),
        svg: drawn.map(|d| d.svg),
        caption,
        direction,
        note,
        value_heading: format!("{} ({})", indicator.name, indicator.unit),
        rows,
        sources: table.sources.clone(),
        downloads: DownloadLinks::new("/maps", &pairs),
        heading,
    }
    .into_response())
}

/// The indicator to map when none was asked for: the first of [`DEFAULT_INDICATORS`] with
/// values at `level`, else the first indicator with any (no level: the district measure).
fn default_indicator(frame: &AreaFrame, level: Option<AreaType>) -> &str {
    let Some(level) = level else {
        return DEFAULT_INDICATORS[0];
    };
    DEFAULT_INDICATORS
        .into_iter()
        .chain(frame.indicators().iter().map(|i| i.id.as_str()))
        .find(|id| frame.levels_of(id).contains(&level))
        .unwrap_or(DEFAULT_INDICATORS[0])
}

/// A choice from a fixed list, `default` when absent, 422 naming `field` otherwise.
fn parse_choice<T>(
    field: &str,
    value: Option<&str>,
    default: T,
    parse: fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<T, AppError> {
    match value
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
    {
        None => Ok(default),
        Some(v) => parse(&v).ok_or_else(|| {
            AppError::invalid(
                "invalid_choice",
                field,
                format!("{field} must be {allowed}, not {v:?}"),
            )
        }),
    }
}

/// The mapped figures, most deprived first (highest first when there is no direction).
fn table_of(
    frame: &AreaFrame,
    indicator: &Indicator,
    level: AreaType,
    positions: &[u32],
    title: &str,
) -> DataTable {
    let areas = frame.areas(level);
    let column = frame.column(&indicator.id, level).unwrap_or(&[]);
    let mut rows: Vec<(&str, &str, Option<f64>)> = positions
        .iter()
        .filter_map(|&p| {
            let area = areas.get(p as usize)?;
            let v = column.get(p as usize).copied().filter(|v| v.is_finite());
            Some((area.code.as_str(), area.name.as_str(), v))
        })
        .collect();
    let higher_first = maps::darker_when_higher(indicator);
    rows.sort_by(|a, b| {
        let by_value = match (a.2, b.2) {
            (Some(x), Some(y)) if higher_first => y.total_cmp(&x),
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_value.then_with(|| a.0.cmp(b.0))
    });
    let value_column = format!("{} ({})", indicator.id, indicator.unit);
    let mut table = DataTable::new(
        title,
        &format!("map-{}-{}", indicator.id, level.as_str()),
        &["area_code", "area_name", &value_column],
    );
    table.rows = rows
        .into_iter()
        .map(|(code, name, v)| vec![code.into(), name.into(), v.into()])
        .collect();
    table
}

/// Indicators that have values at a level with boundaries, grouped by dataset.
fn indicator_choices(frame: &AreaFrame, current: &Indicator) -> Vec<ChoiceGroup> {
    frame
        .datasets()
        .iter()
        .filter_map(|d| {
            let choices: Vec<Choice> = frame
                .indicators()
                .iter()
                .filter(|i| i.dataset == d.id)
                .map(|i| Choice {
                    value: i.id.clone(),
                    label: format!("{} ({})", i.name, i.geography.as_str()),
                    selected: i.id == current.id,
                })
                .collect();
            (!choices.is_empty()).then(|| ChoiceGroup {
                label: format!("{} ({})", d.name, d.edition),
                choices,
            })
        })
        .collect()
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

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Number(v) => v.to_string(),
        Cell::Missing => String::new(),
    }
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
