//! SVG maps and charts drawn by the server, so they print, work offline and need no script.
//!
//! Written by hand rather than with a plotting crate: the maps and charts must carry our own
//! accessible markup (a focusable link and a `<title>` per shape, `data-area` attributes that
//! the browser tests and the page script rely on), which general plotting crates do not emit.

pub mod bars;
pub mod charts;
pub mod map;
pub mod palette;
pub mod sroi_charts;

use std::fmt::Write as _;

/// Escapes text for SVG/XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes a coordinate with at most one decimal and no trailing `.0` (keeps paths small and
/// output deterministic for snapshots).
pub fn coord(out: &mut String, v: f64) {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        let _ = write!(out, "{}", rounded as i64);
    } else {
        let _ = write!(out, "{rounded:.1}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("A & B <c> \"d\" 'e'"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &#39;e&#39;"
        );
    }

    #[test]
    fn coordinates_are_short_and_rounded() {
        let mut s = String::new();
        for v in [1.0, 1.25, -3.04, 120.96] {
            coord(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "1 1.3 -3 121 ");
    }
}
