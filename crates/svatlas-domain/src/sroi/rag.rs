//! Red/amber/green colouring of the SROI ratio (METHOD.md §4).

use serde::{Deserialize, Serialize};

use super::display::round_ratio;

/// RAG band of a net social return. Red is a prompt to check assumptions (high ratios attract
/// scrutiny), not a failure state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    /// Below the amber threshold.
    Green,
    /// From the amber threshold up to and including the red threshold.
    Amber,
    /// Above the red threshold.
    Red,
}

impl Rag {
    /// Lower-case name, identical to the serde representation.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
        }
    }
}

/// Configurable RAG bands: green `< amber_from <=` amber `<= red_above <` red.
///
/// The defaults (£12.50 and £25.00 per £1) come from the product brief only (METHOD.md §12.3).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RagThresholds {
    /// Smallest ratio coloured amber.
    pub amber_from: f64,
    /// Largest ratio still coloured amber; anything above is red.
    pub red_above: f64,
}

impl Default for RagThresholds {
    fn default() -> Self {
        Self {
            amber_from: 12.5,
            red_above: 25.0,
        }
    }
}

/// Colours a ratio: green below `amber_from`, amber from `amber_from` to `red_above`
/// inclusive, red above.
///
/// The ratio is compared as displayed (rounded half away from zero to 2 dp), so the colour
/// always agrees with the figure the user sees: a ratio shown as "£12.50" is never green.
/// A NaN ratio is coloured red, the "check your assumptions" colour.
pub fn rag(ratio: f64, thresholds: &RagThresholds) -> Rag {
    let shown = round_ratio(ratio);
    if shown.is_nan() || shown > thresholds.red_above {
        Rag::Red
    } else if shown >= thresholds.amber_from {
        Rag::Amber
    } else {
        Rag::Green
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bands() {
        let t = RagThresholds::default();
        assert_eq!(rag(12.49, &t), Rag::Green);
        assert_eq!(rag(12.5, &t), Rag::Amber);
        assert_eq!(rag(25.0, &t), Rag::Amber);
        assert_eq!(rag(25.01, &t), Rag::Red);
        assert_eq!(rag(-3.0, &t), Rag::Green);
        assert_eq!(rag(f64::INFINITY, &t), Rag::Red);
        assert_eq!(rag(f64::NAN, &t), Rag::Red);
    }

    #[test]
    fn compares_the_displayed_ratio() {
        let t = RagThresholds::default();
        // Shown as £12.50, so amber; shown as £25.00, so still amber.
        assert_eq!(rag(12.499_999, &t), Rag::Amber);
        assert_eq!(rag(25.004, &t), Rag::Amber);
        assert_eq!(rag(12.494_9, &t), Rag::Green);
    }

    #[test]
    fn custom_bands_and_serde() {
        let t = RagThresholds {
            amber_from: 5.0,
            red_above: 10.0,
        };
        assert_eq!(rag(4.99, &t), Rag::Green);
        assert_eq!(rag(10.0, &t), Rag::Amber);
        assert_eq!(rag(10.01, &t), Rag::Red);
        assert_eq!(
            serde_json::to_string(&Rag::Amber).expect("serialize"),
            "\"amber\""
        );
        assert_eq!(Rag::Red.as_str(), "red");
    }
}
