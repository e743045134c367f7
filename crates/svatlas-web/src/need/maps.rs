//! Maps of the area data: the boundary layers with their SVG path data (computed once per
//! layer), and the choropleths the pages draw from them (`/maps`, the home page, the small-area
//! map on area profiles).

use std::sync::{Arc, OnceLock};

use svatlas_areas::boundaries::Layer;
use svatlas_areas::frame::AreaRef;
use svatlas_areas::geography::{AreaType, Edition};
use svatlas_areas::{AreaFrame, Boundaries, Indicator};

use crate::platform::error::AppError;
use crate::platform::format::indicator_value;
use crate::platform::svg::map::{self, Choropleth, LayerPaths, Legend, MapArea, Scheme};
use crate::platform::svg::palette::Palette;
use crate::state::AppState;

/// The official IoD2025 district summary measure the home page map shades.
pub const HOME_INDICATOR: &str = "iod2025.imd.rank_of_average_score";

/// Most LSOAs the area-profile map draws; larger areas (regions, England) get no map there
/// rather than a page of several megabytes.
pub const MAX_SMALL_AREA_PATHS: usize = 1500;

/// The boundary layers and their path data.
pub struct MapData {
    boundaries: Arc<Boundaries>,
    paths: [OnceLock<LayerPaths>; AreaType::ALL.len()],
    /// The home page map, drawn once (it is the same for every request).
    pub(crate) home_map: OnceLock<Option<String>>,
}

impl MapData {
    /// Wraps loaded boundaries; path data is built per layer on first use.
    pub fn new(boundaries: Arc<Boundaries>) -> Self {
        MapData {
            boundaries,
            paths: Default::default(),
            home_map: OnceLock::new(),
        }
    }

    /// The boundaries.
    pub fn boundaries(&self) -> &Boundaries {
        &self.boundaries
    }

    /// A layer with its path data, if that layer is loaded.
    pub fn layer(&self, area_type: AreaType) -> Option<(&Layer, &LayerPaths)> {
        let layer = self.boundaries.layer(area_type)?;
        let paths = self.paths[area_type.index()]
            .get_or_init(|| LayerPaths::build(layer, map::unit_for(area_type)));
        Some((layer, paths))
    }

    /// True if shapes of this area type can be drawn.
    pub fn has(&self, area_type: AreaType) -> bool {
        self.boundaries.layer(area_type).is_some()
    }
}

/// One choropleth of an indicator over some areas of one level.
pub struct IndicatorMap<'a> {
    /// Element id prefix, unique in the page.
    pub id: &'a str,
    /// The indicator shaded.
    pub indicator: &'a Indicator,
    /// Level of the areas.
    pub level: AreaType,
    /// Positions in `frame.areas(level)` of the areas to draw.
    pub positions: &'a [u32],
    /// Classes.
    pub scheme: Scheme,
    /// Colours.
    pub palette: Palette,
    /// SVG title.
    pub title: String,
    /// SVG description (text alternative).
    pub description: String,
}

/// What drawing a map left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    /// The SVG.
    pub svg: String,
    /// Number of areas drawn.
    pub areas: usize,
    /// Codes of areas that have no shape in the layer (listed in the table only).
    pub without_shape: Vec<String>,
}

/// True when darker should mean a higher value: more deprived is darker, and indicators
/// without a direction are darker when higher.
pub fn darker_when_higher(indicator: &Indicator) -> bool {
    indicator.higher_is_more_deprived.unwrap_or(true)
}

/// Draws an indicator map, or `None` if the level has no boundary layer.
pub fn indicator_map(
    frame: &AreaFrame,
    maps: &MapData,
    request: &IndicatorMap<'_>,
) -> Option<Drawn> {
    let (layer, paths) = maps.layer(request.level)?;
    let areas = frame.areas(request.level);
    let column = frame.column(&request.indicator.id, request.level);
    let unit = request.indicator.unit.as_str();
    let mut drawn: Vec<(usize, &str, &str, Option<f64>)> =
        Vec::with_capacity(request.positions.len());
    let mut without_shape = Vec::new();
    for &p in request.positions {
        let Some(area) = areas.get(p as usize) else {
            continue;
        };
        let value = column
            .and_then(|c| c.get(p as usize))
            .copied()
            .filter(|v| v.is_finite());
        match layer.position(&area.code) {
            Some(shape) => drawn.push((shape, &area.code, &area.name, value)),
            None => without_shape.push(area.code.clone()),
        }
    }
    let values: Vec<Option<f64>> = drawn.iter().map(|d| d.3).collect();
    let format = |v: f64| indicator_value(Some(v), unit);
    let (fills, legend) = map::classify(
        &values,
        request.scheme,
        request.palette,
        darker_when_higher(request.indicator),
        &format,
    );
    let areas: Vec<MapArea<'_>> = drawn
        .iter()
        .zip(fills)
        .map(|(&(shape, code, name, value), fill)| MapArea {
            code,
            title: match value {
                None => format!("{name}: no data"),
                Some(v) if unit == "rank" => format!("{name}: rank {}", format(v)),
                Some(v) => format!("{name}: {}", format(v)),
            },
            path: &paths.paths[shape],
            bbox: paths.bboxes[shape],
            fill,
            selected: false,
        })
        .collect();
    let n = areas.len();
    let svg = map::render(&Choropleth {
        id: request.id,
        title: request.title.clone(),
        description: request.description.clone(),
        legend_title: match request.scheme {
            Scheme::Continuous => format!("{} (continuous)", request.indicator.name),
            scheme => format!(
                "{} ({} of the areas shown)",
                request.indicator.name,
                scheme.as_str()
            ),
        },
        legend,
        areas,
        outline: map::outline_for(request.palette),
    });
    Some(Drawn {
        svg,
        areas: n,
        without_shape,
    })
}

/// Every English district (2024) shaded by its IoD2025 rank of average IMD score.
pub fn england_district_map(frame: &AreaFrame, m: &MapData) -> Option<String> {
    let indicator = frame.indicator(HOME_INDICATOR)?;
    let level = AreaType::Lad24;
    let column = frame.column(HOME_INDICATOR, level)?;
    let positions: Vec<u32> = (0..column.len() as u32)
        .filter(|&p| column[p as usize].is_finite())
        .collect();
    let drawn = indicator_map(
        frame,
        m,
        &IndicatorMap {
            id: "home-map",
            indicator,
            level,
            positions: &positions,
            scheme: Scheme::Quintiles,
            palette: Palette::Viridis,
            title: "Deprivation by local authority district, England (IoD2025)".to_owned(),
            description: format!(
                "Map of the {} local authority districts (2024) of England, shaded in quintiles \
                 by their rank of average IMD score in the English Indices of Deprivation 2025 \
                 (MHCLG, official district summary; rank 1 = most deprived). Darker = more \
                 deprived. Each district links to its profile.",
                positions.len()
            ),
        },
    )?;
    Some(drawn.svg)
}

/// Sentence saying which way the colours run, for titles, descriptions and captions.
pub fn direction_text(indicator: &Indicator) -> &'static str {
    match indicator.higher_is_more_deprived {
        Some(true) => "Darker = more deprived (higher values).",
        Some(false) => "Darker = more deprived (lower values; rank 1 is the most deprived).",
        None => "Darker = higher values (this indicator has no deprivation direction).",
    }
}

/// The LSOAs of an edition inside area `code` (IoD2025: LSOA 2021, IoD2019: LSOA 2011),
/// shaded by their national IMD decile (1 = most deprived 10%, darkest), for the area profile.
///
/// `Ok(None)` when the server has no boundaries, the area holds no LSOAs ranked in the edition
/// (e.g. Welsh or Scottish areas), or more than [`MAX_SMALL_AREA_PATHS`]; 404 for an unknown code.
pub fn small_area_map(
    state: &AppState,
    code: &str,
    edition: Edition,
) -> Result<Option<String>, AppError> {
    let frame = state.areas()?;
    let refs = frame.locate_all(code);
    let Some(&at) = refs.first() else {
        return Err(AppError::NotFound(format!("no area with code {code:?}")));
    };
    let Some(maps) = state.maps() else {
        return Ok(None);
    };
    let level = edition.lsoa_type();
    let Some((layer, paths)) = maps.layer(level) else {
        return Ok(None);
    };
    let (within, selected) = map_within(frame, at, code, edition);
    let mut lsoas = frame.lsoas_in(within, edition);
    if lsoas.is_empty() || lsoas.len() > MAX_SMALL_AREA_PATHS {
        return Ok(None);
    }
    // Draw the selected area last so its outline is not covered by its neighbours.
    lsoas.sort_by_key(|a| Some(a.code.as_str()) == selected);
    let decile_id = format!("{}.imd.decile", edition.dataset_id());
    let year = &edition.dataset_id()[3..];
    // Decile 1 = most deprived = darkest class.
    let colours = Palette::Viridis.classes(10);
    let colour = |d: u8| colours[usize::from(10 - d.clamp(1, 10))].clone();
    let mut areas = Vec::with_capacity(lsoas.len());
    for lsoa in &lsoas {
        let Some(shape) = layer.position(&lsoa.code) else {
            continue;
        };
        let decile = frame
            .locate(&lsoa.code, level)
            .and_then(|a| frame.value_at(&decile_id, a))
            .filter(|d| (1.0..=10.0).contains(d))
            .map(|d| d.round() as u8);
        areas.push(MapArea {
            code: &lsoa.code,
            title: match decile {
                Some(d) => format!("{}: IMD {year} decile {d}", lsoa.name),
                None => format!("{}: IMD {year} decile not available", lsoa.name),
            },
            path: &paths.paths[shape],
            bbox: paths.bboxes[shape],
            fill: decile.map(colour),
            selected: Some(lsoa.code.as_str()) == selected,
        });
    }
    let name = &frame.get(at).name;
    let n = areas.len();
    let place = frame
        .area(within)
        .map_or(name.as_str(), |a| a.name.as_str());
    let (title, outlined) = area_map_title(year, place, name, selected.is_some());
    Ok(Some(map::render(&Choropleth {
        id: "area-map",
        title,
        description: format!(
            "Map of the {n} {} in {place}, each shaded by its Index of Multiple Deprivation {year} \
             decile among all LSOAs in England (English Indices of Deprivation {year}, MHCLG). \
             Darker = more deprived: decile 1 is the most deprived 10% of LSOAs in England, \
             decile 10 the least deprived. Each area links to its own profile.{outlined}",
            level.label().replace("LSOA", "LSOAs")
        ),
        legend_title: format!("IMD {year} decile (national)"),
        legend: decile_legend(&colour),
        areas,
        outline: map::outline_for(Palette::Viridis),
    })))
}

/// The area whose small areas are drawn and the one outlined: a small area is shown among the
/// other small areas of its district.
fn map_within<'a>(
    frame: &'a AreaFrame,
    at: AreaRef,
    code: &'a str,
    edition: Edition,
) -> (&'a str, Option<&'a str>) {
    if !at.area_type.is_small_area() {
        return (code, None);
    }
    let district = frame
        .parents(at)
        .into_iter()
        .find(|p| p.area_type == edition.lad_type())
        .map(|p| p.code.as_str());
    (district.unwrap_or(code), Some(code))
}

/// The ten national IMD deciles, most deprived first.
fn decile_legend(colour: &dyn Fn(u8) -> String) -> Legend {
    Legend::Classes(
        (1..=10u8)
            .rev()
            .map(|d| {
                let label = match d {
                    1 => "1: most deprived 10%".to_owned(),
                    10 => "10: least deprived 10%".to_owned(),
                    d => d.to_string(),
                };
                (colour(d), label)
            })
            .collect(),
    )
}

/// The area map's title, and the sentence about the outlined area when one is selected.
fn area_map_title(year: &str, place: &str, name: &str, outlined: bool) -> (String, String) {
    if outlined {
        (
            format!(
                "Index of Multiple Deprivation {year}: decile of each LSOA in {place}, \
                 {name} outlined"
            ),
            format!(" {name}, the area this page is about, has a heavy outline."),
        )
    } else {
        (
            format!("Index of Multiple Deprivation {year}: decile of each LSOA in {place}"),
            String::new(),
        )
    }
}
