//! Report charts: outcome values coloured by Bristol Accord component, and the sensitivity
//! tornado. Same conventions as [`super::charts`]: `<svg role="img">` with title and
//! description, deterministic output, and the same figures in a table beside every chart.

use std::fmt::Write as _;

use super::charts::{BarRows, attr, open};
use super::escape;

/// One bar coloured by its category.
#[derive(Debug, Clone, PartialEq)]
pub struct ColouredBar {
    /// Label left of the bar.
    pub label: String,
    /// Value (sets the length; negative values extend left of zero).
    pub value: f64,
    /// The value as shown at the end of the bar.
    pub text: String,
    /// Fill colour (`#rrggbb`).
    pub fill: String,
    /// Category name, for the bar's tooltip.
    pub category: String,
}

/// Room left of the bars for a label of `chars` characters in the 13 px chart text
/// (app.css), sized for wide fonts such as DejaVu Sans (about 7.3 px a character) so a
/// truncated label is never cut off at the chart's edge.
const fn label_width(chars: usize) -> f64 {
    8.0 + 7.5 * chars as f64
}

/// Horizontal bars coloured by category, with a legend of the categories used (colour is
/// never the only cue: each bar's tooltip and the table name the category).
pub fn coloured_bars(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[ColouredBar],
    legend: &[(String, String)],
) -> String {
    const LABEL_CHARS: usize = 34;
    const VALUE_W: f64 = 110.0;
    const LEGEND_ROW: f64 = 20.0;
    let rows = BarRows::new(
        label_width(LABEL_CHARS),
        300.0,
        LABEL_CHARS,
        bars.iter().map(|b| b.value),
        true,
    );
    let width = rows.label_w + rows.plot_w + VALUE_W;
    let bars_height = BarRows::ROW * bars.len().max(1) as f64 + 8.0;
    let height = bars_height + LEGEND_ROW * legend.len() as f64 + 8.0;
    let zero = rows.x(0.0);
    let mut out = String::new();
    open(&mut out, id, width, height, title, desc);
    for (i, bar) in bars.iter().enumerate() {
        let y = BarRows::top(i);
        rows.label(&mut out, y, &bar.label);
        if bar.value.is_finite() {
            let end = rows.x(bar.value);
            let _ = write!(
                out,
                "<rect class=\"bar\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"0.5\"",
                escape(&bar.fill)
            );
            attr(&mut out, "x", zero.min(end));
            attr(&mut out, "y", y);
            attr(&mut out, "width", (end - zero).abs().max(1.0));
            attr(&mut out, "height", BarRows::BAR);
            let _ = write!(
                out,
                "><title>{}: {} ({})</title></rect>",
                escape(&bar.label),
                escape(&bar.text),
                escape(&bar.category)
            );
        }
        let x = rows.x(bar.value.max(0.0)).max(zero) + 6.0;
        BarRows::value(&mut out, x, y, &bar.text);
    }
    out.push_str("<line class=\"axis\" stroke=\"#0b0c0c\"");
    attr(&mut out, "x1", zero);
    attr(&mut out, "x2", zero);
    attr(&mut out, "y1", 0.0);
    attr(&mut out, "y2", bars_height);
    out.push_str("/>");
    legend_rows(
        &mut out,
        legend,
        rows.label_w,
        bars_height + 8.0,
        LEGEND_ROW,
    );
    out.push_str("</svg>");
    out
}

/// The legend under the bars: a swatch and a name per row, from `top`.
fn legend_rows(out: &mut String, legend: &[(String, String)], x: f64, top: f64, row: f64) {
    for (i, (name, fill)) in legend.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = write!(
            out,
            "<rect fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"0.5\"",
            escape(fill)
        );
        attr(out, "x", x);
        attr(out, "y", y);
        attr(out, "width", 14.0);
        attr(out, "height", 14.0);
        out.push_str("/><text class=\"legend-label\"");
        attr(out, "x", x + 20.0);
        attr(out, "y", y + 11.0);
        let _ = write!(out, ">{}</text>", escape(name));
    }
}

/// One tornado row: the ratio when the parameter is moved down and up.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    /// Parameter name.
    pub label: String,
    /// Result in the low case.
    pub low: f64,
    /// Result in the high case.
    pub high: f64,
    /// "£1.90 – £2.95" or similar, shown at the right.
    pub text: String,
}

/// A tornado chart: one bar per parameter from its low-case to its high-case result, around
/// a vertical line at the base result; widest first as given. Blue is the low case (assumption
/// moved down), orange the high case.
pub fn tornado(id: &str, title: &str, desc: &str, base: f64, rows: &[TornadoRow]) -> String {
    const LABEL_CHARS: usize = 40;
    const VALUE_W: f64 = 130.0;
    let values = rows.iter().flat_map(|r| [r.low, r.high]).chain([base]);
    let layout = BarRows::new(label_width(LABEL_CHARS), 280.0, LABEL_CHARS, values, false);
    let width = layout.label_w + layout.plot_w + VALUE_W;
    let height = BarRows::ROW * rows.len().max(1) as f64 + 8.0;
    let x_of = |v: f64| layout.x(v);
    let mut out = String::new();
    open(&mut out, id, width, height, title, desc);
    for (i, row) in rows.iter().enumerate() {
        let y = BarRows::top(i);
        layout.label(&mut out, y, &row.label);
        if row.low.is_finite() && row.high.is_finite() {
            // The same colours as the PDF: blue from the base to the result with the
            // assumption moved down, orange to the result with it moved up (Okabe-Ito).
            for (end, fill) in [(row.low, "#0072b2"), (row.high, "#e69f00")] {
                let (from, to) = (end.min(base), end.max(base));
                if to > from {
                    out.push_str("<rect class=\"bar\"");
                    let _ = write!(out, " fill=\"{fill}\"");
                    attr(&mut out, "x", x_of(from));
                    attr(&mut out, "y", y);
                    attr(&mut out, "width", (x_of(to) - x_of(from)).max(1.0));
                    attr(&mut out, "height", BarRows::BAR);
                    out.push_str("/>");
                }
            }
        }
        let x = layout.label_w + layout.plot_w + 6.0;
        BarRows::value(&mut out, x, y, &row.text);
    }
    out.push_str("<line class=\"axis\" stroke=\"#0b0c0c\" stroke-dasharray=\"4 2\"");
    attr(&mut out, "x1", x_of(base));
    attr(&mut out, "x2", x_of(base));
    attr(&mut out, "y1", 0.0);
    attr(&mut out, "y2", height);
    out.push_str("/></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coloured_bars_carry_fill_legend_and_escaped_labels() {
        let svg = coloured_bars(
            "o",
            "Outcomes",
            "PV net by outcome",
            &[
                ColouredBar {
                    label: "Jobs <&> skills".into(),
                    value: 100.0,
                    text: "£100".into(),
                    fill: "#0072b2".into(),
                    category: "Thriving".into(),
                },
                ColouredBar {
                    label: "Noise".into(),
                    value: -50.0,
                    text: "−£50".into(),
                    fill: "#e69f00".into(),
                    category: "Well run".into(),
                },
            ],
            &[("Thriving".into(), "#0072b2".into())],
        );
        assert!(svg.contains("Jobs &lt;&amp;&gt; skills"));
        assert!(svg.contains("fill=\"#0072b2\""));
        assert!(svg.contains(">Thriving</text>"));
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 2);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn tornado_draws_both_sides_of_the_base() {
        let svg = tornado(
            "t",
            "Sensitivity",
            "Ratio",
            2.0,
            &[TornadoRow {
                label: "Deadweight".into(),
                low: 2.5,
                high: 1.5,
                text: "£1.50 – £2.50".into(),
            }],
        );
        assert!(svg.contains("#e69f00") && svg.contains("#0072b2"));
        assert!(svg.contains("stroke-dasharray"));
    }

    #[test]
    fn longest_labels_have_room_left_of_the_bars() {
        let row = TornadoRow {
            label: "Quantities (how many experience each outcome)".into(),
            low: 1.9,
            high: 2.9,
            text: "£1.93 to £2.90".into(),
        };
        let svg = tornado("t", "Sensitivity", "Ratio", 2.4, &[row]);
        let label = "Quantities (how many experience each ou…";
        assert!(svg.contains(&format!(">{label}</text>")), "{svg}");
        // The label ends 8 units left of the bars and needs at most 7.5 units a character.
        let end: f64 = svg
            .split("<text class=\"bar-label\" text-anchor=\"end\" x=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            end >= 7.5 * label.chars().count() as f64,
            "label ends at {end}"
        );
    }
}
