use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_areas::geography::AreaType;
use svatlas_areas::{AreaFrame, Indicator};

use crate::need::figures::maps::{MapFigures, Row};
use crate::need::lookup::{find_indicator, level_of, optional_code, parse_optional_area_type};
use crate::need::maps::{self, IndicatorMap};
use crate::platform::download::{DownloadLinks, Format, Source};
use crate::platform::error::{AppError, PageError};
use crate::platform::format::thousands;
use crate::platform::svg::map::Scheme;
use crate::platform::svg::palette::Palette;
use crate::platform::views::Layout;
use crate::state::AppState;

// `GET /maps`: a choropleth of any indicator at any level with boundaries, with the same
// figures as a table and downloads.

/// Indicators shaded when none is chosen, first one with values at the level: the official
/// IoD2025 district summary measure, the IoD2025 and IoD2019 LSOA scores, then the UK
/// composite IMD (Wales, Scotland, Northern Ireland small areas).
pub const DEFAULT_INDICATORS: [&str; 4] = [
    "iod2025.imd.average_score",
    "iod2025.imd.score",
    "iod2019.imd.score",
    "ukimd.composite.score",
];

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
    let figures = MapFigures::build(frame, indicator, level, within)?;
    if format != Format::Html {
        return Ok(figures.table().download(format)?);
    }
    Ok(maps_page(&state, frame, &figures, scheme, palette).into_response())
}

/// The page: the drawn map (when boundaries are loaded), its caption and the form's choices.
fn maps_page(
    state: &AppState,
    frame: &AreaFrame,
    figures: &MapFigures<'_>,
    scheme: Scheme,
    palette: Palette,
) -> MapsPage {
    let (indicator, level) = (figures.indicator, figures.level);
    let (svg, note) = draw(state, frame, figures, scheme, palette);
    let n = thousands(figures.positions.len() as u64);
    let edition = &figures.edition;
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
    let within = figures.within.clone().unwrap_or_default();
    let pairs = [
        ("indicator", indicator.id.clone()),
        ("level", level.as_str().to_owned()),
        ("within", within.clone()),
        ("classes", scheme.as_str().to_owned()),
        ("palette", palette.as_str().to_owned()),
    ];
    let has_maps = |t: AreaType| state.maps().is_some_and(|m| m.has(t));
    let choice = |value: &str, label: String, selected: bool| Choice {
        value: value.to_owned(),
        label,
        selected,
    };
    MapsPage {
        layout: Layout::new("need"),
        indicators: indicator_choices(frame, indicator),
        levels: frame
            .levels_of(&indicator.id)
            .into_iter()
            .filter(|t| has_maps(*t) || *t == level)
            .map(|t| choice(t.as_str(), t.label().to_owned(), t == level))
            .collect(),
        schemes: Scheme::ALL
            .iter()
            .map(|s| choice(s.as_str(), capitalise(s.as_str()), *s == scheme))
            .collect(),
        palettes: Palette::ALL
            .iter()
            .map(|p| choice(p.as_str(), capitalise(p.as_str()), *p == palette))
            .collect(),
        within,
        svg,
        caption,
        direction: figures.direction,
        note,
        value_heading: format!("{} ({})", indicator.name, indicator.unit),
        rows: figures.rows(),
        sources: figures.sources.clone(),
        downloads: DownloadLinks::new("/maps", &pairs),
        heading: figures.heading.clone(),
    }
}

/// The map's SVG, and a note when there are no boundaries or some areas have no shape.
fn draw(
    state: &AppState,
    frame: &AreaFrame,
    figures: &MapFigures<'_>,
    scheme: Scheme,
    palette: Palette,
) -> (Option<String>, Option<String>) {
    let (indicator, level, place) = (figures.indicator, figures.level, &figures.place);
    let drawn = state.maps().and_then(|m| {
        maps::indicator_map(
            frame,
            m,
            &IndicatorMap {
                id: "map",
                indicator,
                level,
                positions: &figures.positions,
                scheme,
                palette,
                title: figures.heading.clone(),
                description: format!(
                    "Map of {} {} areas {place}, shaded by {} ({}) in {} classes. {} \
                     Each area links to its profile; the table below the map lists every value.",
                    thousands(figures.positions.len() as u64),
                    level.label(),
                    indicator.name,
                    figures.edition,
                    scheme.as_str(),
                    figures.direction
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
    (drawn.map(|d| d.svg), note)
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
