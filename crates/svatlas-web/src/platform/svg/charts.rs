//! Charts as pure functions: data in, SVG text out (deterministic, so snapshots are stable).
//!
//! Every chart is `<svg role="img">` labelled by its own `<title>` and `<desc>`; pages always
//! show the same figures in a table as well, which is the text alternative.

use std::fmt::Write as _;

use super::palette::{self, Palette};
use super::{coord, escape};

/// Most points drawn one by one in a scatter plot; above this the plot is binned into a grid
/// shaded by the number of areas per cell, which keeps national LSOA plots (about 33,000
/// points) to a few tens of kilobytes.
pub const MAX_POINTS: usize = 3000;

/// Grid of the binned scatter plot (columns x rows).
pub const BINS: (usize, usize) = (60, 40);

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Value (sets the length).
    pub value: f64,
    /// The value as shown at the end of the bar.
    pub text: String,
}

/// The opening tag, title and description every chart starts with.
pub(super) fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let id = escape(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 "
    );
    coord(out, width);
    out.push(' ');
    coord(out, height);
    let _ = write!(
        out,
        "\" width=\"{}\" height=\"{}\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        width.round(),
        height.round(),
        escape(title),
        escape(desc)
    );
}

pub(super) fn attr(out: &mut String, name: &str, v: f64) {
    let _ = write!(out, " {name}=\"");
    coord(out, v);
    out.push('"');
}

/// The layout every horizontal bar chart shares: labels right-aligned in a column `label_w`
/// wide, the plot `plot_w` wide mapping `lo..lo + span`, the value text after the bar, one
/// 26 px row a bar.
pub(super) struct BarRows {
    pub label_w: f64,
    pub plot_w: f64,
    label_chars: usize,
    lo: f64,
    span: f64,
}

impl BarRows {
    /// Height of one row.
    pub const ROW: f64 = 26.0;
    /// Height of a bar in its row.
    pub const BAR: f64 = 18.0;

    /// A plot spanning the finite `values`, and zero when `from_zero` (bars that start at
    /// zero); 0 to 1 when there is nothing to span.
    pub fn new(
        label_w: f64,
        plot_w: f64,
        label_chars: usize,
        values: impl Iterator<Item = f64> + Clone,
        from_zero: bool,
    ) -> Self {
        let start = if from_zero { 0.0 } else { f64::INFINITY };
        let finite = values.filter(|v| v.is_finite());
        let lo = finite.clone().fold(start, f64::min);
        let hi = finite.fold(-start, f64::max);
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
        BarRows {
            label_w,
            plot_w,
            label_chars,
            lo,
            span,
        }
    }

    /// Where `v` falls across the plot.
    pub fn x(&self, v: f64) -> f64 {
        self.label_w + (v - self.lo) / self.span * self.plot_w
    }

    /// The top of row `i`.
    pub fn top(i: usize) -> f64 {
        4.0 + Self::ROW * i as f64
    }

    /// The row's label, shortened to fit its column.
    pub fn label(&self, out: &mut String, y: f64, text: &str) {
        out.push_str("<text class=\"bar-label\" text-anchor=\"end\"");
        attr(out, "x", self.label_w - 8.0);
        attr(out, "y", y + Self::BAR * 0.75);
        let _ = write!(out, ">{}</text>", escape(&truncate(text, self.label_chars)));
    }

    /// The row's value text, starting at `x`.
    pub fn value(out: &mut String, x: f64, y: f64, text: &str) {
        out.push_str("<text class=\"bar-value\"");
        attr(out, "x", x);
        attr(out, "y", y + Self::BAR * 0.75);
        let _ = write!(out, ">{}</text>", escape(text));
    }
}

/// Horizontal bars from a zero baseline (negative values extend left of it), one row per bar,
/// label on the left and the formatted value at the end of each bar.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    const VALUE_W: f64 = 90.0;
    let rows = BarRows::new(190.0, 300.0, 30, bars.iter().map(|b| b.value), true);
    let width = rows.label_w + rows.plot_w + VALUE_W;
    let height = BarRows::ROW * bars.len().max(1) as f64 + 8.0;
    let zero = rows.x(0.0);
    let mut out = String::new();
    open(&mut out, id, width, height, title, desc);
    for (i, bar) in bars.iter().enumerate() {
        let y = BarRows::top(i);
        rows.label(&mut out, y, &bar.label);
        if bar.value.is_finite() {
            let end = rows.x(bar.value);
            out.push_str("<rect class=\"bar\" fill=\"#1d70b8\"");
            attr(&mut out, "x", zero.min(end));
            attr(&mut out, "y", y);
            attr(&mut out, "width", (end - zero).abs().max(1.0));
            attr(&mut out, "height", BarRows::BAR);
            out.push_str("/>");
        }
        BarRows::value(
            &mut out,
            rows.x(bar.value.max(0.0)).max(zero) + 6.0,
            y,
            &bar.text,
        );
    }
    out.push_str("<line class=\"axis\" stroke=\"#0b0c0c\"");
    attr(&mut out, "x1", zero);
    attr(&mut out, "x2", zero);
    attr(&mut out, "y1", 0.0);
    attr(&mut out, "y2", height);
    out.push_str("/></svg>");
    out
}

/// Shortens a label to `max` characters with an ellipsis (the full text is in the table).
pub(super) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// "Nice" axis ticks (steps of 1, 2 or 5 times a power of ten) covering `min..=max` with about
/// `target` intervals; the first tick is at or below `min` and the last at or above `max`.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return Vec::new();
    }
    let (min, max) = if max > min {
        (min, max)
    } else {
        (min - 0.5, min + 0.5)
    };
    let raw = (max - min) / target.max(1) as f64;
    let exponent = raw.log10().floor() as i32;
    let magnitude = 10f64.powi(exponent);
    let multiple = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| m * magnitude >= raw)
        .unwrap_or(10.0);
    let step = multiple * magnitude;
    let first = (min / step).floor() as i64;
    let last = (max / step).ceil() as i64;
    // From integers, dividing by a power of ten for small steps, so ticks are the nearest
    // doubles to their decimals (0.3, not 0.1 * 3 = 0.30000000000000004).
    (first..=last)
        .map(|i| {
            let units = i as f64 * multiple;
            if exponent < 0 {
                units / 10f64.powi(-exponent)
            } else {
                units * magnitude
            }
        })
        .collect()
}

/// Tick label: as few decimals as the step needs, thousands separated.
pub fn tick_label(v: f64, step: f64) -> String {
    let dp = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    crate::platform::format::number(Some(v), dp)
}

/// What a scatter plot shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter<'a> {
    /// Id prefix for the title and description elements.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Description (what is plotted and what the line is).
    pub desc: &'a str,
    /// x axis label.
    pub x_label: &'a str,
    /// y axis label.
    pub y_label: &'a str,
    /// The (x, y) pairs; non-finite ones are left out.
    pub points: &'a [(f64, f64)],
}

/// Whether a scatter of `n` points is binned (see [`MAX_POINTS`]).
pub fn is_binned(n: usize) -> bool {
    n > MAX_POINTS
}

/// Scatter plot with axes, ticks, grid lines and the least-squares line over the data range.
/// Up to [`MAX_POINTS`] points are drawn as small grey circles; more are binned into a
/// [`BINS`] grid shaded (ColorBrewer Blues) by the number of areas in each cell.
pub fn scatter(spec: &Scatter<'_>) -> String {
    let pts: Vec<(f64, f64)> = spec
        .points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let mut out = String::new();
    open(&mut out, spec.id, Plot::W, Plot::H, spec.title, spec.desc);
    if pts.is_empty() {
        out.push_str("</svg>");
        return out;
    }
    let plot = Plot::new(&pts);
    plot.grid_and_ticks(&mut out);
    if is_binned(pts.len()) {
        plot.bins(&mut out, &pts);
    } else {
        out.push_str("<g class=\"points\" fill=\"#505a5f\" fill-opacity=\"0.6\">");
        for &(x, y) in &pts {
            out.push_str("<circle");
            attr(&mut out, "cx", plot.sx(x));
            attr(&mut out, "cy", plot.sy(y));
            out.push_str(" r=\"2.5\"/>");
        }
        out.push_str("</g>");
    }
    // Fitted line over the range of the data.
    if let Some(line) = svatlas_areas::stats::fit_line(&pts) {
        let (xmin, xmax) = plot.data_x;
        out.push_str("<line class=\"fit\" stroke=\"#d4351c\" stroke-width=\"2.5\"");
        attr(&mut out, "x1", plot.sx(xmin));
        attr(&mut out, "y1", plot.sy(line.slope * xmin + line.intercept));
        attr(&mut out, "x2", plot.sx(xmax));
        attr(&mut out, "y2", plot.sy(line.slope * xmax + line.intercept));
        out.push_str("/>");
    }
    plot.axes(&mut out, spec.x_label, spec.y_label);
    out.push_str("</svg>");
    out
}

/// The scatter plot's frame: ticks covering the data and the scales from data to SVG units.
struct Plot {
    xt: Vec<f64>,
    yt: Vec<f64>,
    /// Smallest and largest x of the data (the fitted line spans these).
    data_x: (f64, f64),
}

impl Plot {
    const W: f64 = 640.0;
    const H: f64 = 440.0;
    const LEFT: f64 = 70.0;
    const RIGHT: f64 = 20.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 60.0;
    const PW: f64 = Self::W - Self::LEFT - Self::RIGHT;
    const PH: f64 = Self::H - Self::TOP - Self::BOTTOM;

    /// `pts` must be finite and not empty.
    fn new(pts: &[(f64, f64)]) -> Plot {
        let data_x = min_max(pts.iter().map(|p| p.0));
        let (ymin, ymax) = min_max(pts.iter().map(|p| p.1));
        Plot {
            xt: nice_ticks(data_x.0, data_x.1, 6),
            yt: nice_ticks(ymin, ymax, 6),
            data_x,
        }
    }

    fn x_range(&self) -> (f64, f64) {
        (self.xt[0], self.xt[self.xt.len() - 1])
    }

    fn y_range(&self) -> (f64, f64) {
        (self.yt[0], self.yt[self.yt.len() - 1])
    }

    fn sx(&self, x: f64) -> f64 {
        let (x0, x1) = self.x_range();
        Self::LEFT + (x - x0) / (x1 - x0) * Self::PW
    }

    fn sy(&self, y: f64) -> f64 {
        let (y0, y1) = self.y_range();
        Self::TOP + Self::PH - (y - y0) / (y1 - y0) * Self::PH
    }

    fn grid_and_ticks(&self, out: &mut String) {
        let (left, top, pw, ph) = (Self::LEFT, Self::TOP, Self::PW, Self::PH);
        out.push_str("<g class=\"grid\" stroke=\"#dddddd\">");
        for &t in &self.xt {
            out.push_str("<line");
            attr(out, "x1", self.sx(t));
            attr(out, "x2", self.sx(t));
            attr(out, "y1", top);
            attr(out, "y2", top + ph);
            out.push_str("/>");
        }
        for &t in &self.yt {
            out.push_str("<line");
            attr(out, "x1", left);
            attr(out, "x2", left + pw);
            attr(out, "y1", self.sy(t));
            attr(out, "y2", self.sy(t));
            out.push_str("/>");
        }
        out.push_str("</g><g class=\"ticks\">");
        let xstep = self.xt.get(1).map_or(1.0, |b| b - self.xt[0]);
        let ystep = self.yt.get(1).map_or(1.0, |b| b - self.yt[0]);
        for &t in &self.xt {
            out.push_str("<text text-anchor=\"middle\"");
            attr(out, "x", self.sx(t));
            attr(out, "y", top + ph + 18.0);
            let _ = write!(out, ">{}</text>", tick_label(t, xstep));
        }
        for &t in &self.yt {
            out.push_str("<text text-anchor=\"end\"");
            attr(out, "x", left - 6.0);
            attr(out, "y", self.sy(t) + 4.0);
            let _ = write!(out, ">{}</text>", tick_label(t, ystep));
        }
        out.push_str("</g>");
    }

    /// The points counted into the [`BINS`] grid, each cell shaded by its count.
    fn bins(&self, out: &mut String, pts: &[(f64, f64)]) {
        let ((x0, x1), (y0, y1)) = (self.x_range(), self.y_range());
        let (cols, rows) = BINS;
        let mut counts = vec![0usize; cols * rows];
        for &(x, y) in pts {
            let c = (((x - x0) / (x1 - x0)) * cols as f64)
                .floor()
                .clamp(0.0, (cols - 1) as f64);
            let r = (((y - y0) / (y1 - y0)) * rows as f64)
                .floor()
                .clamp(0.0, (rows - 1) as f64);
            counts[r as usize * cols + c as usize] += 1;
        }
        let most = counts.iter().copied().max().unwrap_or(1).max(2) as f64;
        let (cw, ch) = (Self::PW / cols as f64, Self::PH / rows as f64);
        out.push_str("<g class=\"bins\">");
        for (i, &n) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let (c, r) = ((i % cols) as f64, (i / cols) as f64);
            // Log scale: a few dense cells would otherwise wash out the rest.
            let t = 0.25 + 0.75 * (n as f64).ln() / most.ln();
            let _ = write!(out, "<rect fill=\"{}\"", Palette::Blues.at(t));
            attr(out, "x", Self::LEFT + c * cw);
            attr(out, "y", Self::TOP + Self::PH - (r + 1.0) * ch);
            attr(out, "width", cw + 0.2);
            attr(out, "height", ch + 0.2);
            out.push_str("/>");
        }
        out.push_str("</g>");
    }

    fn axes(&self, out: &mut String, x_label: &str, y_label: &str) {
        let (left, top, pw, ph) = (Self::LEFT, Self::TOP, Self::PW, Self::PH);
        out.push_str("<g class=\"axis\" stroke=\"#0b0c0c\">");
        out.push_str("<line");
        attr(out, "x1", left);
        attr(out, "x2", left + pw);
        attr(out, "y1", top + ph);
        attr(out, "y2", top + ph);
        out.push_str("/><line");
        attr(out, "x1", left);
        attr(out, "x2", left);
        attr(out, "y1", top);
        attr(out, "y2", top + ph);
        out.push_str("/></g>");
        out.push_str("<text class=\"axis-label\" text-anchor=\"middle\"");
        attr(out, "x", left + pw / 2.0);
        attr(out, "y", Self::H - 14.0);
        let _ = write!(out, ">{}</text>", escape(&truncate(x_label, 80)));
        let _ = write!(
            out,
            "<text class=\"axis-label\" text-anchor=\"middle\" transform=\"translate(16 {}) rotate(-90)\">{}</text>",
            (top + ph / 2.0).round(),
            escape(&truncate(y_label, 48))
        );
    }
}

fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// Correlation-matrix heatmap: one cell per pair, coloured on the diverging red-blue palette
/// (red negative, blue positive), the value printed in each cell in black or white, whichever
/// contrasts more with the cell. `labels[i]` names row and column i; `cells[i][j]` may be None
/// (not computable), drawn pale grey with a dash.
pub fn heatmap(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    cells: &[Vec<Option<f64>>],
) -> String {
    const LABEL_W: f64 = 290.0;
    const TOP: f64 = 24.0;
    let k = labels.len();
    let cell = if k <= 6 { 64.0 } else { 40.0 };
    let width = LABEL_W + cell * k as f64 + 10.0;
    let height = TOP + cell * k as f64 + 10.0;
    let mut out = String::new();
    open(&mut out, id, width, height, title, desc);
    // Columns are numbered; row labels carry the number and the name.
    for (j, _) in labels.iter().enumerate() {
        out.push_str("<text text-anchor=\"middle\" class=\"col-label\"");
        attr(&mut out, "x", LABEL_W + cell * (j as f64 + 0.5));
        attr(&mut out, "y", TOP - 8.0);
        let _ = write!(out, ">{}</text>", j + 1);
    }
    for (i, label) in labels.iter().enumerate() {
        let y = TOP + cell * i as f64;
        out.push_str("<text text-anchor=\"end\" class=\"row-label\"");
        attr(&mut out, "x", LABEL_W - 8.0);
        attr(&mut out, "y", y + cell / 2.0 + 4.0);
        let _ = write!(out, ">{}. {}</text>", i + 1, escape(&truncate(label, 32)));
        for j in 0..k {
            let value = cells.get(i).and_then(|row| row.get(j)).copied().flatten();
            let fill = value.map_or_else(|| "#f3f2f1".to_owned(), palette::diverging);
            let ink = palette::text_on(&fill);
            let x = LABEL_W + cell * j as f64;
            let _ = write!(out, "<rect fill=\"{fill}\" stroke=\"#ffffff\"");
            attr(&mut out, "x", x);
            attr(&mut out, "y", y);
            attr(&mut out, "width", cell);
            attr(&mut out, "height", cell);
            out.push_str("/>");
            let class = if ink == "#ffffff" {
                "on-dark"
            } else {
                "on-light"
            };
            let _ = write!(
                out,
                "<text text-anchor=\"middle\" class=\"{class}\" fill=\"{ink}\""
            );
            attr(&mut out, "x", x + cell / 2.0);
            attr(&mut out, "y", y + cell / 2.0 + 4.0);
            let text = value.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"));
            let _ = write!(out, ">{text}</text>");
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_line_endpoints_are_drawn_at_the_data_range() {
        // x in 0..=10 and y = x on axes 0..10: the line runs corner to corner of the plot.
        let pts: Vec<(f64, f64)> = (0..=10).map(|i| (f64::from(i), f64::from(i))).collect();
        let svg = scatter(&Scatter {
            id: "t",
            title: "T",
            desc: "D",
            x_label: "x",
            y_label: "y",
            points: &pts,
        });
        // Plot area: x 70..620, y 20..380 (640 x 440 less margins).
        assert!(
            svg.contains("<line class=\"fit\" stroke=\"#d4351c\" stroke-width=\"2.5\" x1=\"70\" y1=\"380\" x2=\"620\" y2=\"20\"/>"),
            "{svg}"
        );
        assert_eq!(svg.matches("<circle").count(), 11);
        assert!(svg.contains("role=\"img\" aria-labelledby=\"t-title t-desc\""));
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(
            nice_ticks(3.2, 47.9, 5),
            vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
        );
        assert_eq!(
            nice_ticks(0.03, 0.41, 4),
            vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
        );
        assert_eq!(
            nice_ticks(-1.3, 2.2, 6),
            vec![-2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
        );
        assert_eq!(
            nice_ticks(-0.13, 0.22, 6),
            vec![-0.2, -0.1, 0.0, 0.1, 0.2, 0.3]
        );
        // A single value still gets an axis around it.
        assert_eq!(nice_ticks(5.0, 5.0, 4), vec![4.5, 5.0, 5.5]);
        assert_eq!(tick_label(0.30000000000000004, 0.1), "0.3");
        assert_eq!(tick_label(30000.0, 10000.0), "30,000");
    }

    #[test]
    fn large_scatters_are_binned_and_stay_small() {
        let pts: Vec<(f64, f64)> = (0..40_000)
            .map(|i| {
                let x = f64::from(i % 200);
                (x, x + f64::from(i % 7))
            })
            .collect();
        let svg = scatter(&Scatter {
            id: "big",
            title: "T",
            desc: "D",
            x_label: "x",
            y_label: "y",
            points: &pts,
        });
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
        assert_eq!(svg.matches("<circle").count(), 0);
        assert!(svg.contains("class=\"bins\""));
        // Deterministic.
        assert_eq!(
            svg,
            scatter(&Scatter {
                id: "big",
                title: "T",
                desc: "D",
                x_label: "x",
                y_label: "y",
                points: &pts,
            })
        );
    }

    #[test]
    fn bars_start_at_zero_and_scale_to_the_largest() {
        let bars = vec![
            Bar {
                label: "A".into(),
                value: 10.0,
                text: "10".into(),
            },
            Bar {
                label: "B <b>".into(),
                value: 5.0,
                text: "5".into(),
            },
        ];
        let svg = bar_chart("b", "Title", "Desc", &bars);
        // Label column 190 wide, plot 300: A fills it, B half of it.
        assert!(
            svg.contains("x=\"190\" y=\"4\" width=\"300\" height=\"18\""),
            "{svg}"
        );
        assert!(
            svg.contains("x=\"190\" y=\"30\" width=\"150\" height=\"18\""),
            "{svg}"
        );
        assert!(svg.contains("B &lt;b&gt;"));
        assert!(svg.contains("<title id=\"b-title\">Title</title><desc id=\"b-desc\">Desc</desc>"));
    }

    #[test]
    fn heatmap_cells_use_the_diverging_palette_with_readable_text() {
        let labels = vec!["x".to_owned(), "y".to_owned()];
        let cells = vec![vec![Some(1.0), Some(-0.2)], vec![Some(-0.2), None]];
        let svg = heatmap("h", "T", "D", &labels, &cells);
        let dark = palette::diverging(1.0);
        assert!(svg.contains(&format!("fill=\"{dark}\"")));
        assert!(svg.contains("class=\"on-dark\" fill=\"#ffffff\""));
        assert!(svg.contains(">1.00</text>") && svg.contains(">-0.20</text>"));
        assert!(svg.contains(">–</text>"));
        for (bg, ink) in [
            (palette::diverging(1.0), "#ffffff"),
            (palette::diverging(0.0), "#0b0c0c"),
        ] {
            assert_eq!(palette::text_on(&bg), ink);
            assert!(palette::contrast_ratio(&bg, ink) >= 4.5);
        }
    }
}
