//! Reference frameworks that outcomes and proxies are classified against.
//!
//! Only the Bristol Accord is modelled here: it is the open classification the Social Value
//! Engine uses for its outcome "domains" and the one `proxies.csv` uses as `outcome_category`.
//! Proprietary frameworks (National TOMs, HACT) are deliberately not encoded (see
//! `frameworks.md`, licence table).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The eight characteristics of sustainable communities agreed in the Bristol Accord
/// (informal meeting of EU ministers, Bristol, 6–7 December 2005).
///
/// Serialized as snake_case ids (`"active_inclusive_and_safe"`, `"well_run"`, ...); the official
/// component names are available through [`BristolAccord::label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BristolAccord {
    /// 1. Active, inclusive and safe.
    ActiveInclusiveAndSafe,
    /// 2. Well run.
    WellRun,
    /// 3. Environmentally sensitive.
    EnvironmentallySensitive,
    /// 4. Well designed and built.
    WellDesignedAndBuilt,
    /// 5. Well connected.
    WellConnected,
    /// 6. Thriving.
    Thriving,
    /// 7. Well served.
    WellServed,
    /// 8. Fair for everyone.
    FairForEveryone,
}

impl BristolAccord {
    /// All eight components in the Accord's own order (1 to 8).
    pub const fn all() -> [Self; 8] {
        [
            Self::ActiveInclusiveAndSafe,
            Self::WellRun,
            Self::EnvironmentallySensitive,
            Self::WellDesignedAndBuilt,
            Self::WellConnected,
            Self::Thriving,
            Self::WellServed,
            Self::FairForEveryone,
        ]
    }

    /// Position of the component in the Accord (1 to 8).
    pub const fn number(self) -> u8 {
        match self {
            Self::ActiveInclusiveAndSafe => 1,
            Self::WellRun => 2,
            Self::EnvironmentallySensitive => 3,
            Self::WellDesignedAndBuilt => 4,
            Self::WellConnected => 5,
            Self::Thriving => 6,
            Self::WellServed => 7,
            Self::FairForEveryone => 8,
        }
    }

    /// Stable machine id, identical to the serde representation.
    pub const fn id(self) -> &'static str {
        match self {
            Self::ActiveInclusiveAndSafe => "active_inclusive_and_safe",
            Self::WellRun => "well_run",
            Self::EnvironmentallySensitive => "environmentally_sensitive",
            Self::WellDesignedAndBuilt => "well_designed_and_built",
            Self::WellConnected => "well_connected",
            Self::Thriving => "thriving",
            Self::WellServed => "well_served",
            Self::FairForEveryone => "fair_for_everyone",
        }
    }

    /// The component's name as written in the Accord (for display).
    pub const fn label(self) -> &'static str {
        match self {
            Self::ActiveInclusiveAndSafe => "Active, inclusive and safe",
            Self::WellRun => "Well run",
            Self::EnvironmentallySensitive => "Environmentally sensitive",
            Self::WellDesignedAndBuilt => "Well designed and built",
            Self::WellConnected => "Well connected",
            Self::Thriving => "Thriving",
            Self::WellServed => "Well served",
            Self::FairForEveryone => "Fair for everyone",
        }
    }

    /// One-line gloss in sv-atlas's own words (from `frameworks.md` §5).
    pub const fn description(self) -> &'static str {
        match self {
            Self::ActiveInclusiveAndSafe => {
                "Fair, tolerant and cohesive, with a strong local culture and shared community activities"
            }
            Self::WellRun => "Effective and inclusive participation, representation and leadership",
            Self::EnvironmentallySensitive => {
                "Places to live that are considerate of the environment"
            }
            Self::WellDesignedAndBuilt => "A quality built and natural environment",
            Self::WellConnected => {
                "Good transport and communications linking people to jobs, schools, health and other services"
            }
            Self::Thriving => "A flourishing and diverse local economy",
            Self::WellServed => {
                "Public, private, community and voluntary services that suit people's needs and are accessible to all"
            }
            Self::FairForEveryone => "Including people in other communities, now and in the future",
        }
    }

    /// Finds a component from its id or its label, ignoring case and surrounding spaces.
    ///
    /// A parenthesised note after the label is ignored, because `proxies.csv` writes categories
    /// such as `"Active, inclusive and safe (fiscal component)"`.
    pub fn from_label(text: &str) -> Option<Self> {
        let head = text.split('(').next().unwrap_or(text).trim();
        Self::all()
            .into_iter()
            .find(|c| c.label().eq_ignore_ascii_case(head) || c.id().eq_ignore_ascii_case(head))
    }
}

impl fmt::Display for BristolAccord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Error returned when text names none of the eight Bristol Accord components.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a Bristol Accord component")]
pub struct UnknownComponent(pub String);

impl FromStr for BristolAccord {
    type Err = UnknownComponent;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_label(s).ok_or_else(|| UnknownComponent(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_distinct_components_in_order() {
        let all = BristolAccord::all();
        for (i, c) in all.iter().enumerate() {
            assert_eq!(usize::from(c.number()), i + 1);
        }
        let mut ids: Vec<_> = all.iter().map(|c| c.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 8);
    }

    #[test]
    fn serde_uses_snake_case_ids() {
        for c in BristolAccord::all() {
            let json = serde_json::to_string(&c).expect("serialize");
            assert_eq!(json, format!("\"{}\"", c.id()));
            let back: BristolAccord = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, c);
        }
    }

    #[test]
    fn parses_labels_from_proxies_csv() {
        assert_eq!(
            "Active, inclusive and safe (fiscal component)".parse(),
            Ok(BristolAccord::ActiveInclusiveAndSafe)
        );
        assert_eq!(
            BristolAccord::from_label(" well served "),
            Some(BristolAccord::WellServed)
        );
        assert_eq!(
            BristolAccord::from_label("thriving"),
            Some(BristolAccord::Thriving)
        );
        assert_eq!(
            BristolAccord::from_label("fair_for_everyone"),
            Some(BristolAccord::FairForEveryone)
        );
        assert!("n/a - input valuation".parse::<BristolAccord>().is_err());
    }
}
