//! Choropleth maps as SVG strings.
//!
//! Contract (page tests and `assets/app.js` rely on it): every shaded area is a
//! `<path data-area="CODE">` with a `<title>` child (name and formatted value), inside an
//! `<a href="/areas/CODE">` so each area is a focusable link; the SVG has a `<title>` and a
//! `<desc>` and draws its legend, including a "No data" class. Output depends only on the input.
//!
//! Outlines are turned into path data once per layer ([`LayerPaths`]): British National Grid
//! metres divided by a per-layer unit, y negated (SVG y grows downwards, northings upwards),
//! first point absolute and the rest relative. Drawing a map is then string concatenation,
//! which keeps the England district map well under a millisecond of work per request.

use std::fmt::Write as _;

use svatlas_areas::boundaries::{Layer, Point};
use svatlas_areas::geography::AreaType;
use svatlas_areas::stats::Quantiles;

use super::escape;
use super::palette::Palette;

/// Width of the whole drawing in SVG user units (CSS scales it to its container).
pub const WIDTH: f64 = 640.0;

/// Fill of areas without a value (a hatch over light grey, so it reads in greyscale print too).
const NO_DATA_FILL: &str = "#f3f2f1";

/// Metres per SVG unit for a layer: districts and larger are drawn whole-country, so 100 m is
/// below a pixel; small areas are drawn a district at a time and need 10 m.
pub fn unit_for(area_type: AreaType) -> i32 {
    match area_type {
        AreaType::Lad19 | AreaType::Lad24 | AreaType::Region | AreaType::Nation => 100,
        _ => 10,
    }
}

/// The SVG path data of every shape of one layer, computed once.
#[derive(Debug, Clone, Default)]
pub struct LayerPaths {
    /// Path data per shape, in [`Layer::shapes`] order.
    pub paths: Vec<String>,
    /// Bounding box per shape in SVG units: `[min_x, min_y, max_x, max_y]` (y already flipped).
    pub bboxes: Vec<[i32; 4]>,
}

impl LayerPaths {
    /// Path data for every shape of `layer`, at `unit` metres per SVG unit.
    pub fn build(layer: &Layer, unit: i32) -> Self {
        let unit = unit.max(1);
        let mut paths = Vec::with_capacity(layer.len());
        let mut bboxes = Vec::with_capacity(layer.len());
        for shape in layer.shapes() {
            let mut d = String::new();
            for ring in shape.polygons.iter().flatten() {
                ring_path(&mut d, ring, unit);
            }
            if d.is_empty() {
                // Every ring collapsed at this unit (a speck of an area): keep it visible and
                // clickable as a one-unit square at its corner rather than dropping it.
                let [x, y] = grid(&[shape.bbox[0], shape.bbox[3]], unit);
                let _ = write!(d, "M{x} {y}h1v1h-1z");
            }
            let [x0, y0, x1, y1] = shape.bbox;
            let [a, b] = grid(&[x0, y1], unit);
            let [c, e] = grid(&[x1, y0], unit);
            bboxes.push([a, b, c.max(a + 1), e.max(b + 1)]);
            paths.push(d);
        }
        LayerPaths { paths, bboxes }
    }
}

/// A grid point in SVG units (rounded to the nearest unit, y negated).
fn grid(p: &Point, unit: i32) -> [i32; 2] {
    let q = |v: i32| (f64::from(v) / f64::from(unit)).round() as i32;
    [q(p[0]), -q(p[1])]
}

/// Appends one closed ring as `M x y l dx dy ... z`, skipping repeated points; rings that
/// collapse to fewer than three points at this unit are left out.
fn ring_path(out: &mut String, ring: &[Point], unit: i32) {
    let mut points: Vec<[i32; 2]> = Vec::with_capacity(ring.len());
    for p in ring {
        let g = grid(p, unit);
        if points.last() != Some(&g) {
            points.push(g);
        }
    }
    while points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    if points.len() < 3 {
        return;
    }
    let [x, y] = points[0];
    let _ = write!(out, "M{x}");
    number(out, y, false);
    out.push('l');
    let mut first = true;
    for w in points.windows(2) {
        number(out, w[1][0] - w[0][0], first);
        number(out, w[1][1] - w[0][1], false);
        first = false;
    }
    out.push('z');
}

/// Writes a number after the previous one: a minus sign separates by itself, so a space is
/// only needed before non-negative numbers (and never right after a command letter).
fn number(out: &mut String, v: i32, after_command: bool) {
    if v >= 0 && !after_command {
        out.push(' ');
    }
    let _ = write!(out, "{v}");
}

/// One area to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct MapArea<'a> {
    /// Area code (`data-area` and the link target).
    pub code: &'a str,
    /// Tooltip and accessible name, e.g. `"Plymouth: 26.619"`.
    pub title: String,
    /// Path data from [`LayerPaths`].
    pub path: &'a str,
    /// Bounding box in SVG units (from [`LayerPaths`]).
    pub bbox: [i32; 4],
    /// Fill colour, `None` for no data.
    pub fill: Option<String>,
    /// Drawn with a heavy outline (the area a profile is about); put it last so no neighbour
    /// covers its outline.
    pub selected: bool,
}

/// The legend of a map.
#[derive(Debug, Clone, PartialEq)]
pub enum Legend {
    /// Discrete classes, lightest first: `(colour, label)`.
    Classes(Vec<(String, String)>),
    /// A continuous ramp from `low` (lightest) to `high` (darkest) with the palette's colours.
    Continuous {
        /// Palette of the ramp.
        palette: Palette,
        /// Label at the light end.
        low: String,
        /// Label at the dark end.
        high: String,
    },
}

/// Everything a choropleth needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Choropleth<'a> {
    /// Prefix for element ids, unique within the page (e.g. `"map"`, `"home-map"`).
    pub id: &'a str,
    /// What is shaded (becomes the SVG `<title>`).
    pub title: String,
    /// Text alternative: what, where, edition, direction, where the figures are listed.
    pub description: String,
    /// Legend heading, e.g. `"IMD average score (quintiles)"`.
    pub legend_title: String,
    /// Legend classes or ramp.
    pub legend: Legend,
    /// The areas, drawn in this order.
    pub areas: Vec<MapArea<'a>>,
    /// Colour of the outlines between areas ([`outline_for`] the palette).
    pub outline: &'static str,
}

/// Outline colour that separates areas on a palette: white on viridis (no class is near
/// white), mid grey on Blues (whose lightest class is near white).
pub fn outline_for(palette: Palette) -> &'static str {
    match palette {
        Palette::Viridis => "#ffffff",
        Palette::Blues => "#8f9599",
    }
}

/// How values become colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Five classes with equal numbers of drawn areas.
    Quintiles,
    /// Ten classes with equal numbers of drawn areas.
    Deciles,
    /// Colour proportional to the value between the drawn minimum and maximum.
    Continuous,
}

impl Scheme {
    /// Every scheme, as offered to users.
    pub const ALL: [Scheme; 3] = [Scheme::Quintiles, Scheme::Deciles, Scheme::Continuous];

    /// Id used in URLs (`classes=quintiles`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Quintiles => "quintiles",
            Scheme::Deciles => "deciles",
            Scheme::Continuous => "continuous",
        }
    }

    /// Parses a URL id.
    pub fn parse(id: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|s| s.as_str() == id)
    }
}

/// Fills and legend for `values` (one per drawn area; `None` = no data).
///
/// `darker_when_higher` false flips the colours so that, e.g. for ranks where 1 = most
/// deprived, the lowest values are darkest. Quantile classes are formed over the drawn areas;
/// tied values always share a class, so a class can hold more or fewer than its share.
pub fn classify(
    values: &[Option<f64>],
    scheme: Scheme,
    palette: Palette,
    darker_when_higher: bool,
    format: &dyn Fn(f64) -> String,
) -> (Vec<Option<String>>, Legend) {
    let quantiles = Quantiles::new(values.iter().flatten().copied());
    let Some((min, max)) = quantiles.range() else {
        return (vec![None; values.len()], Legend::Classes(Vec::new()));
    };
    let n = match scheme {
        Scheme::Quintiles => 5,
        Scheme::Deciles => 10,
        Scheme::Continuous => {
            return continuous(values, (min, max), palette, darker_when_higher, format);
        }
    };
    let colours = palette.classes(n);
    let colour = |class: usize| {
        let shade = if darker_when_higher {
            class
        } else {
            n - 1 - class
        };
        colours[shade].clone()
    };
    let fills = values
        .iter()
        .map(|v| {
            v.filter(|v| v.is_finite())
                .map(|v| colour(quantiles.class_of(v, n)))
        })
        .collect();
    let mut classes: Vec<(String, String)> = quantiles
        .class_ranges(n)
        .iter()
        .enumerate()
        .map(|(class, range)| {
            let label = match range {
                Some((lo, hi)) if lo == hi => format(*lo),
                Some((lo, hi)) => format!("{} to {}", format(*lo), format(*hi)),
                None => "no areas".to_owned(),
            };
            (colour(class), label)
        })
        .collect();
    if !darker_when_higher {
        classes.reverse();
    }
    (fills, Legend::Classes(classes))
}

/// Fills proportional to the value between `min` and `max`, and the ramp legend.
fn continuous(
    values: &[Option<f64>],
    (min, max): (f64, f64),
    palette: Palette,
    darker_when_higher: bool,
    format: &dyn Fn(f64) -> String,
) -> (Vec<Option<String>>, Legend) {
    let t = |v: f64| {
        let t = if max > min {
            (v - min) / (max - min)
        } else {
            0.5
        };
        if darker_when_higher { t } else { 1.0 - t }
    };
    let fills = values
        .iter()
        .map(|v| v.filter(|v| v.is_finite()).map(|v| palette.at(t(v))))
        .collect();
    let (low, high) = if darker_when_higher {
        (min, max)
    } else {
        (max, min)
    };
    (
        fills,
        Legend::Continuous {
            palette,
            low: format(low),
            high: format(high),
        },
    )
}

/// The areas' bounding box with a 2% margin, so edge outlines are not clipped: (x, y, width,
/// height) in map units.
fn view_box(areas: &[MapArea<'_>]) -> (f64, f64, f64, f64) {
    let bbox = areas.iter().fold(None, |acc: Option<[i32; 4]>, a| {
        Some(match acc {
            None => a.bbox,
            Some(b) => [
                b[0].min(a.bbox[0]),
                b[1].min(a.bbox[1]),
                b[2].max(a.bbox[2]),
                b[3].max(a.bbox[3]),
            ],
        })
    });
    let [x0, y0, x1, y1] = bbox.unwrap_or([0, 0, 1, 1]);
    let (w, h) = (f64::from(x1 - x0).max(1.0), f64::from(y1 - y0).max(1.0));
    let margin = (w.max(h) * 0.02).ceil();
    (
        f64::from(x0) - margin,
        f64::from(y0) - margin,
        w + 2.0 * margin,
        h + 2.0 * margin,
    )
}

/// Draws the map: outer SVG with title, description, the areas and the legend below them.
pub fn render(map: &Choropleth<'_>) -> String {
    let id = escape(map.id);
    let (vx, vy, vw, vh) = view_box(&map.areas);
    let map_height = (WIDTH * vh / vw).clamp(240.0, 820.0).round();
    // Outline width: half a drawn pixel, in map units.
    let stroke = (vw / WIDTH).max(vh / map_height) * 0.5;
    let (legend_svg, legend_height) = legend(&id, &map.legend_title, &map.legend, map_height);
    let total_height = map_height + legend_height;

    let mut out =
        String::with_capacity(map.areas.iter().map(|a| a.path.len() + 160).sum::<usize>() + 4096);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"choropleth\" viewBox=\"0 0 {WIDTH} {total_height}\" \
         width=\"{WIDTH}\" height=\"{total_height}\" role=\"group\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"Arial, Helvetica, sans-serif\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&map.title),
        escape(&map.description)
    );
    let _ = write!(
        out,
        "<defs><pattern id=\"{id}-nodata\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{NO_DATA_FILL}\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b1b4b6\" stroke-width=\"2\"/></pattern>\
         <pattern id=\"{id}-nodata-map\" width=\"{p}\" height=\"{p}\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"{p}\" height=\"{p}\" fill=\"{NO_DATA_FILL}\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"{p}\" stroke=\"#b1b4b6\" stroke-width=\"{pw}\"/></pattern></defs>",
        p = fmt_num(stroke * 12.0),
        pw = fmt_num(stroke * 4.0),
    );
    let _ = write!(
        out,
        "<svg class=\"choropleth__map\" x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{map_height}\" \
         viewBox=\"{} {} {} {}\" preserveAspectRatio=\"xMidYMid meet\">\
         <g stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\">",
        fmt_num(vx),
        fmt_num(vy),
        fmt_num(vw),
        fmt_num(vh),
        map.outline,
        fmt_num(stroke)
    );
    let no_data = format!("url(#{id}-nodata-map)");
    for area in &map.areas {
        let code = escape(area.code);
        let title = escape(&area.title);
        let fill = area.fill.as_deref().unwrap_or(&no_data);
        let class = if area.selected {
            " class=\"selected\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<a href=\"/areas/{code}\" aria-label=\"{title}\"><path data-area=\"{code}\"{class} fill=\"{fill}\" d=\"{}\"><title>{title}</title></path></a>",
            area.path
        );
    }
    out.push_str("</g></svg>");
    out.push_str(&legend_svg);
    out.push_str("</svg>");
    out
}

/// The legend drawn under the map, and its height.
fn legend(id: &str, title: &str, legend: &Legend, top: f64) -> (String, f64) {
    let mut out = String::new();
    let _ = write!(
        out,
        "<g class=\"choropleth__legend\" transform=\"translate(0 {})\" font-size=\"14\" fill=\"#0b0c0c\">\
         <text x=\"0\" y=\"18\" font-weight=\"bold\">{}</text>",
        fmt_num(top + 8.0),
        escape(title)
    );
    let swatch = |out: &mut String, x: f64, y: f64, fill: &str, label: &str| {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"18\" height=\"18\" fill=\"{fill}\" stroke=\"#505a5f\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            fmt_num(x),
            fmt_num(y),
            fmt_num(x + 24.0),
            fmt_num(y + 14.0),
            escape(label)
        );
    };
    let no_data = format!("url(#{id}-nodata)");
    let rows = match legend {
        Legend::Classes(classes) => {
            // One column up to quintiles; deciles in two columns of five.
            let per_column = if classes.len() > 6 {
                classes.len().div_ceil(2)
            } else {
                classes.len().max(1)
            };
            for (i, (colour, label)) in classes.iter().enumerate() {
                let (col, row) = (i / per_column, i % per_column);
                swatch(
                    &mut out,
                    col as f64 * 320.0,
                    32.0 + row as f64 * 24.0,
                    colour,
                    label,
                );
            }
            let y = 32.0 + per_column as f64 * 24.0;
            swatch(&mut out, 0.0, y, &no_data, "No data");
            per_column + 1
        }
        Legend::Continuous { palette, low, high } => {
            let _ = write!(out, "<defs><linearGradient id=\"{id}-ramp\">");
            for i in 0..=10 {
                let t = f64::from(i) / 10.0;
                let _ = write!(
                    out,
                    "<stop offset=\"{}\" stop-color=\"{}\"/>",
                    fmt_num(t),
                    palette.at(t)
                );
            }
            let _ = write!(
                out,
                "</linearGradient></defs>\
                 <rect x=\"0\" y=\"32\" width=\"300\" height=\"18\" fill=\"url(#{id}-ramp)\" stroke=\"#505a5f\" stroke-width=\"1\"/>\
                 <text x=\"0\" y=\"68\">{}</text><text x=\"300\" y=\"68\" text-anchor=\"end\">{}</text>",
                escape(low),
                escape(high)
            );
            swatch(&mut out, 340.0, 32.0, &no_data, "No data");
            2
        }
    };
    out.push_str("</g>");
    (out, 8.0 + 32.0 + rows as f64 * 24.0 + 8.0)
}

/// A number for an attribute: at most two decimals, no trailing zeros.
fn fmt_num(v: f64) -> String {
    let s = format!("{:.2}", (v * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: f64) -> String {
        format!("{v}")
    }

    #[test]
    fn rings_become_compact_relative_paths() {
        let mut d = String::new();
        ring_path(
            &mut d,
            &[
                [1000, 2000],
                [1500, 2000],
                [1500, 2600],
                [1010, 2010],
                [1000, 2000],
            ],
            100,
        );
        assert_eq!(d, "M10-20l5 0 0-6z");
        // A ring that collapses at this unit is left out.
        let mut d = String::new();
        ring_path(&mut d, &[[0, 0], [10, 0], [10, 10], [0, 0]], 100);
        assert_eq!(d, "");
    }

    #[test]
    fn quintiles_share_ties_and_flip_for_ranks() {
        let values: Vec<Option<f64>> = (1..=10).map(|v| Some(f64::from(v))).chain([None]).collect();
        let (fills, legend) = classify(&values, Scheme::Quintiles, Palette::Blues, true, &fmt);
        let colours = Palette::Blues.classes(5);
        assert_eq!(fills[0].as_deref(), Some(colours[0].as_str()));
        assert_eq!(fills[9].as_deref(), Some(colours[4].as_str()));
        assert_eq!(fills[10], None);
        let Legend::Classes(classes) = legend else {
            panic!()
        };
        assert_eq!(classes[0].1, "1 to 2");
        // Ranks: 1 is most deprived, so darkest; the legend still runs light to dark.
        let (fills, legend) = classify(&values, Scheme::Quintiles, Palette::Blues, false, &fmt);
        assert_eq!(fills[0].as_deref(), Some(colours[4].as_str()));
        let Legend::Classes(classes) = legend else {
            panic!()
        };
        assert_eq!(classes[0], (colours[0].clone(), "9 to 10".to_owned()));
        let tied = vec![Some(1.0); 4];
        let (fills, _) = classify(&tied, Scheme::Deciles, Palette::Viridis, true, &fmt);
        assert!(fills.iter().all(|f| f == &fills[0]));
    }

    #[test]
    fn render_is_accessible_and_deterministic() {
        let map = Choropleth {
            id: "m",
            title: "Test <map>".into(),
            description: "Two areas".into(),
            legend_title: "Score".into(),
            legend: Legend::Classes(vec![("#fde725".into(), "low".into())]),
            areas: vec![
                MapArea {
                    code: "E1",
                    title: "A & B: 1".into(),
                    path: "M0 0l1 0 0 1z",
                    bbox: [0, -1, 1, 0],
                    fill: Some("#fde725".into()),
                    selected: false,
                },
                MapArea {
                    code: "E2",
                    title: "C: –".into(),
                    path: "M2 0l1 0 0 1z",
                    bbox: [2, -1, 3, 0],
                    fill: None,
                    selected: false,
                },
            ],
            outline: "#ffffff",
        };
        let svg = render(&map);
        assert_eq!(svg, render(&map));
        assert!(svg.contains("<title id=\"m-title\">Test &lt;map&gt;</title>"));
        assert!(svg.contains(
            "<a href=\"/areas/E1\" aria-label=\"A &amp; B: 1\"><path data-area=\"E1\" fill=\"#fde725\""
        ));
        assert!(svg.contains("data-area=\"E2\" fill=\"url(#m-nodata-map)\""));
        assert!(svg.contains(">No data</text>"));
        assert_eq!(svg.matches("<title>").count(), 2);
    }
}
