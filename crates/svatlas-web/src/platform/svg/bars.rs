//! Small inline comparison bars for table rows: where an area sits nationally, from least
//! deprived (left) to most deprived (right). Decorative: the row's text carries the value, so
//! the SVG is `aria-hidden` and has no title.

use super::coord;
use super::palette::Palette;

/// Width of a bar in CSS pixels.
pub const WIDTH: f64 = 160.0;
/// Height of a bar in CSS pixels.
pub const HEIGHT: f64 = 14.0;

/// A bar filled to `share` (0 = least deprived in England, 1 = most deprived), with a tick at
/// the national middle. Values outside 0..1 are clamped; a missing value draws the track only.
pub fn comparison_bar(share: Option<f64>) -> String {
    let mut out = format!(
        "<svg class=\"bar\" aria-hidden=\"true\" focusable=\"false\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\"><rect class=\"bar-track\" x=\"0\" y=\"2\" width=\"{w}\" height=\"10\" \
         fill=\"#f3f2f1\" stroke=\"#b1b4b6\"/>",
        w = WIDTH,
        h = HEIGHT
    );
    if let Some(share) = share.filter(|s| s.is_finite()) {
        let share = share.clamp(0.0, 1.0);
        out.push_str("<rect class=\"bar-fill\" x=\"0\" y=\"2\" width=\"");
        coord(&mut out, share * WIDTH);
        out.push_str("\" height=\"10\" fill=\"");
        // One dark colour: length carries the meaning, and it keeps 3:1 against the track.
        out.push_str(&Palette::Blues.at(0.9));
        out.push_str("\"/>");
    }
    // England's middle: half of all areas are more deprived than this point.
    out.push_str("<line x1=\"80\" x2=\"80\" y1=\"0\" y2=\"14\" stroke=\"#0b0c0c\" stroke-width=\"2\"/></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_to_the_share_and_hides_from_assistive_technology() {
        let bar = comparison_bar(Some(0.25));
        assert!(bar.contains("aria-hidden=\"true\""));
        assert!(bar.contains("class=\"bar-fill\" x=\"0\" y=\"2\" width=\"40\""));
        assert!(comparison_bar(Some(7.0)).contains("width=\"160\" height=\"10\" fill=\"#"));
        assert!(!comparison_bar(None).contains("bar-fill"));
        assert!(!comparison_bar(Some(f64::NAN)).contains("bar-fill"));
    }
}
