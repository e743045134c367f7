//! Colour-blind-safe palettes for maps and charts.
//!
//! Sequential: viridis (perceptually uniform, readable in the common colour-vision deficiencies
//! and in greyscale print) and ColorBrewer Blues (single hue). Diverging: ColorBrewer RdBu
//! (marked colour-blind safe by ColorBrewer), for values either side of zero such as correlations.

/// A sequential palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    /// matplotlib's viridis, dark purple to yellow.
    Viridis,
    /// ColorBrewer Blues, light to dark.
    Blues,
}

impl Palette {
    /// Every palette, as offered to users.
    pub const ALL: [Palette; 2] = [Palette::Viridis, Palette::Blues];

    /// Id used in URLs (`palette=viridis`).
    pub fn as_str(self) -> &'static str {
        match self {
            Palette::Viridis => "viridis",
            Palette::Blues => "blues",
        }
    }

    /// Parses a URL id.
    pub fn parse(id: &str) -> Option<Palette> {
        Palette::ALL.into_iter().find(|p| p.as_str() == id)
    }

    /// Colour stops from the "low" end to the "high" end.
    fn stops(self) -> &'static [[u8; 3]] {
        match self {
            // viridis sampled at 10 even steps (matplotlib _cm_listed), reversed so that the
            // dark end is "high": deprivation maps shade the most deprived darkest.
            Palette::Viridis => &[
                [0xfd, 0xe7, 0x25],
                [0xb5, 0xde, 0x2b],
                [0x6e, 0xce, 0x58],
                [0x35, 0xb7, 0x79],
                [0x1f, 0x9e, 0x89],
                [0x26, 0x82, 0x8e],
                [0x31, 0x68, 0x8e],
                [0x3e, 0x49, 0x89],
                [0x48, 0x28, 0x78],
                [0x44, 0x01, 0x54],
            ],
            // ColorBrewer Blues, 9 classes.
            Palette::Blues => &[
                [0xf7, 0xfb, 0xff],
                [0xde, 0xeb, 0xf7],
                [0xc6, 0xdb, 0xef],
                [0x9e, 0xca, 0xe1],
                [0x6b, 0xae, 0xd6],
                [0x42, 0x92, 0xc6],
                [0x21, 0x71, 0xb5],
                [0x08, 0x51, 0x9c],
                [0x08, 0x30, 0x6b],
            ],
        }
    }

    /// Colour at `t` in 0..=1 (0 = low end, 1 = high/dark end), interpolated between stops.
    pub fn at(self, t: f64) -> String {
        hex(interpolate(self.stops(), t))
    }

    /// `n` colours evenly spaced from low to high (for quintiles `n = 5`, deciles `n = 10`).
    pub fn classes(self, n: usize) -> Vec<String> {
        match n {
            0 => Vec::new(),
            1 => vec![self.at(1.0)],
            n => (0..n).map(|i| self.at(i as f64 / (n - 1) as f64)).collect(),
        }
    }
}

/// ColorBrewer RdBu, 11 classes: red (negative) through near-white to blue (positive).
const RDBU: [[u8; 3]; 11] = [
    [0x67, 0x00, 0x1f],
    [0xb2, 0x18, 0x2b],
    [0xd6, 0x60, 0x4d],
    [0xf4, 0xa5, 0x82],
    [0xfd, 0xdb, 0xc7],
    [0xf7, 0xf7, 0xf7],
    [0xd1, 0xe5, 0xf0],
    [0x92, 0xc5, 0xde],
    [0x43, 0x93, 0xc3],
    [0x21, 0x66, 0xac],
    [0x05, 0x30, 0x61],
];

/// Diverging colour for `v` in -1..=1 (e.g. a correlation coefficient).
pub fn diverging(v: f64) -> String {
    let t = (v.clamp(-1.0, 1.0) + 1.0) / 2.0;
    hex(interpolate(&RDBU, t))
}

/// Black or white, whichever has the higher contrast ratio on `background` (`#rrggbb`),
/// for labels drawn on coloured cells.
pub fn text_on(background: &str) -> &'static str {
    let Some(rgb) = parse_hex(background) else {
        return "#0b0c0c";
    };
    let l = relative_luminance(rgb);
    // Contrast with white (1.05 / (l + 0.05)) vs with near-black #0b0c0c (l ≈ 0.0037).
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.0537 {
        "#ffffff"
    } else {
        "#0b0c0c"
    }
}

/// WCAG 2.x contrast ratio between two `#rrggbb` colours (1.0 if either does not parse).
pub fn contrast_ratio(a: &str, b: &str) -> f64 {
    match (parse_hex(a), parse_hex(b)) {
        (Some(a), Some(b)) => {
            let (la, lb) = (relative_luminance(a), relative_luminance(b));
            (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
        }
        _ => 1.0,
    }
}

/// WCAG 2.x relative luminance of an sRGB colour.
pub fn relative_luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let s = s.strip_prefix('#')?;
    if s.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(s.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn interpolate(stops: &[[u8; 3]], t: f64) -> [u8; 3] {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * (stops.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(stops.len() - 2);
    let f = scaled - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (stops[i], stops[i + 1]);
    [mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2])]
}

fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_the_published_stops() {
        assert_eq!(Palette::Viridis.at(0.0), "#fde725");
        assert_eq!(Palette::Viridis.at(1.0), "#440154");
        assert_eq!(Palette::Blues.classes(9)[8], "#08306b");
        assert_eq!(diverging(-1.0), "#67001f");
        assert_eq!(diverging(0.0), "#f7f7f7");
        assert_eq!(diverging(1.0), "#053061");
    }

    #[test]
    fn classes_get_darker_step_by_step() {
        for palette in Palette::ALL {
            for n in [5, 10] {
                let colours = palette.classes(n);
                assert_eq!(colours.len(), n);
                let lum: Vec<f64> = colours
                    .iter()
                    .map(|c| relative_luminance(parse_hex(c).unwrap()))
                    .collect();
                assert!(
                    lum.windows(2).all(|w| w[1] < w[0]),
                    "{palette:?} {n}: {lum:?}"
                );
            }
        }
    }

    #[test]
    fn labels_on_cells_meet_aa_contrast() {
        for c in Palette::Viridis
            .classes(10)
            .iter()
            .chain(&Palette::Blues.classes(9))
        {
            assert!(contrast_ratio(text_on(c), c) >= 4.5, "{c}");
        }
        assert!((contrast_ratio("#ffffff", "#000000") - 21.0).abs() < 1e-9);
    }
}
