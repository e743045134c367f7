//! The contract dashboard's chart: one horizontal bar per KPI, each drawn against its own
//! target (units differ between KPIs, so lengths are shares of the target). Verified delivery
//! is solid, reported but not yet verified is hatched and lighter, the target is a black
//! outline; the figures are written beside every bar and in the table, so nothing depends on
//! colour or on seeing the chart.

use std::fmt::Write as _;

use crate::platform::svg::{coord, escape};

/// One KPI's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiBar {
    /// `K1`.
    pub label: String,
    /// The target.
    pub committed: f64,
    /// Reported and not rejected (includes verified).
    pub reported: f64,
    /// Verified.
    pub verified: f64,
    /// The figures in words, written under the bar.
    pub text: String,
}

const LABEL_W: f64 = 56.0;
const PLOT_W: f64 = 440.0;
const RIGHT: f64 = 24.0;
const LEGEND_H: f64 = 30.0;
const ROW: f64 = 50.0;
const BAR: f64 = 20.0;
/// Verified: GOV.UK blue, 5.2:1 on white.
const SOLID: &str = "#1d70b8";
/// Reported, not verified: light blue under blue hatching, outlined in the solid colour.
const LIGHT: &str = "#c6dbef";
/// The target outline.
const INK: &str = "#0b0c0c";

fn attr(out: &mut String, name: &str, v: f64) {
    let _ = write!(out, " {name}=\"");
    coord(out, v);
    out.push('"');
}

fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, rest: &str) {
    out.push_str("<rect");
    attr(out, "x", x);
    attr(out, "y", y);
    attr(out, "width", w.max(0.0));
    attr(out, "height", h);
    let _ = write!(out, " {rest}/>");
}

/// The chart as SVG text (`role="img"`, with `<title>` and `<desc>`); `desc` repeats every
/// bar's figures.
pub fn kpi_chart(id: &str, bars: &[KpiBar]) -> String {
    // The scale runs to 100% or the largest share.
    let top = bars
        .iter()
        .map(|b| share(b.reported.max(b.verified), b.committed))
        .filter(|s| s.is_finite())
        .fold(1.0_f64, f64::max)
        .min(3.0);
    let width = LABEL_W + PLOT_W + RIGHT;
    let height = LEGEND_H + ROW * bars.len().max(1) as f64 + 4.0;
    let id = escape(id);
    let desc: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.text))
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 "
    );
    coord(&mut out, width);
    out.push(' ');
    coord(&mut out, height);
    let _ = write!(
        out,
        "\" width=\"{}\" height=\"{}\"><title id=\"{id}-title\">Delivery against each KPI's \
         target</title><desc id=\"{id}-desc\">Each bar is a share of its own KPI's target. Solid: \
         verified. Hatched: reported, not yet verified. Outline: the target. {}</desc>",
        width.round(),
        height.round(),
        escape(&desc.join(" "))
    );
    let _ = write!(
        out,
        "<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{LIGHT}\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{SOLID}\" stroke-width=\"2\"/>\
         </pattern></defs>"
    );
    let hatch = format!("fill=\"url(#{id}-hatch)\" stroke=\"{SOLID}\"");
    legend(&mut out, &hatch);
    for (i, b) in bars.iter().enumerate() {
        bar(&mut out, LEGEND_H + ROW * i as f64 + 4.0, b, top, &hatch);
    }
    out.push_str("</svg>");
    out
}

/// A bar's value as a share of its own target.
fn share(v: f64, target: f64) -> f64 {
    if target > 0.0 { v / target } else { 0.0 }
}

/// The key to the bars' fills.
fn legend(out: &mut String, hatch: &str) {
    let mut x = LABEL_W;
    for (label, style) in [
        ("Verified", format!("fill=\"{SOLID}\"")),
        ("Reported, not yet verified", hatch.to_owned()),
        (
            "Target",
            format!("fill=\"none\" stroke=\"{INK}\" stroke-width=\"2\""),
        ),
    ] {
        rect(out, x, 6.0, 14.0, 14.0, &style);
        out.push_str("<text");
        attr(out, "x", x + 20.0);
        attr(out, "y", 18.0);
        let _ = write!(out, ">{}</text>", escape(label));
        x += 20.0 + 8.0 * label.len() as f64 + 18.0;
    }
}

/// One KPI's row at `y`: label, track, reported, verified, target and the figures in words;
/// shares are drawn on a scale running to `top`.
fn bar(out: &mut String, y: f64, b: &KpiBar, top: f64, hatch: &str) {
    let x_of = |s: f64| LABEL_W + (s.clamp(0.0, top) / top) * PLOT_W;
    out.push_str("<text text-anchor=\"end\" font-weight=\"700\"");
    attr(out, "x", LABEL_W - 8.0);
    attr(out, "y", y + BAR * 0.75);
    let _ = write!(out, ">{}</text>", escape(&b.label));
    let reported = share(b.reported, b.committed);
    let verified = share(b.verified, b.committed);
    // Track, so an empty bar still shows where it would be.
    rect(
        out,
        LABEL_W,
        y,
        PLOT_W,
        BAR,
        "fill=\"#f3f2f1\" stroke=\"#b1b4b6\"",
    );
    if reported > verified {
        rect(
            out,
            LABEL_W,
            y,
            x_of(reported) - LABEL_W,
            BAR,
            &format!("class=\"kpi-reported\" {hatch}"),
        );
    }
    if verified > 0.0 {
        rect(
            out,
            LABEL_W,
            y,
            x_of(verified) - LABEL_W,
            BAR,
            &format!("class=\"kpi-verified\" fill=\"{SOLID}\""),
        );
    }
    if b.committed > 0.0 {
        rect(
            out,
            LABEL_W,
            y - 2.0,
            x_of(1.0) - LABEL_W,
            BAR + 4.0,
            &format!("class=\"kpi-target\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"2\""),
        );
    }
    out.push_str("<text font-size=\"13\"");
    attr(out, "x", LABEL_W);
    attr(out, "y", y + BAR + 18.0);
    let _ = write!(out, ">{}</text>", escape(&b.text));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(committed: f64, reported: f64, verified: f64) -> KpiBar {
        KpiBar {
            label: "K1".into(),
            committed,
            reported,
            verified,
            text: format!("{verified} of {committed} verified"),
        }
    }

    #[test]
    fn bars_are_shares_of_their_own_target_with_text() {
        let svg = kpi_chart("kpis", &[bar(6.0, 3.0, 2.0), bar(0.0, 0.0, 0.0)]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"kpis-title\">"));
        assert!(svg.contains("K1: 2 of 6 verified"));
        // Target at 100% of the plot; verified 2/6 of it; reported 3/6.
        assert!(svg.contains("class=\"kpi-target\" fill=\"none\"",));
        assert!(
            svg.contains("x=\"56\" y=\"34\" width=\"146.7\" height=\"20\" class=\"kpi-verified\"")
        );
        assert!(
            svg.contains("x=\"56\" y=\"34\" width=\"220\" height=\"20\" class=\"kpi-reported\"")
        );
        assert!(svg.contains("x=\"56\" y=\"32\" width=\"440\" height=\"24\" class=\"kpi-target\""));
    }

    #[test]
    fn over_delivery_stretches_the_scale_and_text_is_escaped() {
        let mut b = bar(2.0, 4.0, 4.0);
        b.label = "<K>".into();
        let svg = kpi_chart("k", &[b]);
        assert!(svg.contains("&lt;K&gt;"));
        // Scale runs to 200%: the target outline is half the plot.
        assert!(svg.contains("width=\"220\" height=\"24\" class=\"kpi-target\""));
    }
}
