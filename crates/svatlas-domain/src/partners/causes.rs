//! What a VCSE works on: a Social Value Model criterion of either edition (`MAC 2.2`,
//! `MAC 1a`), a 2025 government mission (`mission:kickstart-economic-growth`) or a Bristol
//! Accord component (`thriving`).
//!
//! Causes are written as those ids in the API and stored as them; [`Cause::parse`] also takes
//! a component's or mission's name. Across editions, causes relate through the 2025 mission
//! they fall under ([`Cause::missions`]): a 2025 criterion's own mission, a 2020 criterion's
//! through the *suggested* 2020 → 2025 mapping (our judgement, not official).

use std::collections::BTreeSet;

use crate::frameworks::BristolAccord;
use crate::procurement::model::{Catalogue, Edition, suggested_mapping};

/// Prefix of a mission's id.
const MISSION_PREFIX: &str = "mission:";

/// One cause a VCSE works on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// A model award criterion, id exactly as in the catalogue.
    Criterion {
        /// Its edition.
        edition: Edition,
        /// `MAC 2.2` or `MAC 1a`.
        id: String,
    },
    /// A 2025 government mission, named as in the catalogue.
    Mission(String),
    /// A Bristol Accord component.
    Accord(BristolAccord),
}

/// A name as an id: lower case, words joined by `-` (`Kickstart economic growth` →
/// `kickstart-economic-growth`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn missions_2025() -> impl Iterator<Item = &'static str> {
    Catalogue::shipped()
        .edition(Edition::Svm2025)
        .themes
        .iter()
        .map(|t| t.name.as_str())
}

impl Cause {
    /// Reads a cause from its id (`MAC 2.2`, `MAC 1a`, `mission:take-back-our-streets`,
    /// `well_served`) or a component's or mission's name; case and outer spaces are ignored.
    pub fn parse(text: &str) -> Option<Cause> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let wanted = t.strip_prefix(MISSION_PREFIX).unwrap_or(t);
        if let Some(m) = missions_2025().find(|m| slug(m) == slug(wanted)) {
            return Some(Cause::Mission(m.to_owned()));
        }
        if t.starts_with(MISSION_PREFIX) {
            return None;
        }
        if let Some(c) = BristolAccord::from_label(t) {
            return Some(Cause::Accord(c));
        }
        Edition::ALL.into_iter().find_map(|edition| {
            Catalogue::shipped()
                .edition(edition)
                .criterion(t)
                .map(|c| Cause::Criterion {
                    edition,
                    id: c.id.clone(),
                })
        })
    }

    /// The id as written in the API and stored.
    pub fn id(&self) -> String {
        match self {
            Cause::Criterion { id, .. } => id.clone(),
            Cause::Mission(name) => format!("{MISSION_PREFIX}{}", slug(name)),
            Cause::Accord(c) => c.id().to_owned(),
        }
    }

    /// `criterion`, `mission` or `bristol_accord`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Cause::Criterion { .. } => "criterion",
            Cause::Mission(_) => "mission",
            Cause::Accord(_) => "bristol_accord",
        }
    }

    /// Words for people: `MAC 2.2 (Social Value Model 2020): Create employment ...`.
    pub fn label(&self) -> String {
        match self {
            Cause::Criterion { edition, id } => {
                let title = Catalogue::shipped()
                    .edition(*edition)
                    .criterion(id)
                    .map(|c| c.title.clone())
                    .unwrap_or_default();
                format!("{id} (Social Value Model {}): {title}", edition.id())
            }
            Cause::Mission(name) => format!("Mission (Social Value Model 2025): {name}"),
            Cause::Accord(c) => format!("Bristol Accord: {}", c.label()),
        }
    }

    /// The policy outcome number of a criterion (`MAC 2.2` → 2, `MAC 1a` → 1).
    fn outcome_number(&self) -> Option<u8> {
        let Cause::Criterion { edition, id } = self else {
            return None;
        };
        Catalogue::shipped()
            .edition(*edition)
            .outcomes()
            .find(|o| o.macs.iter().any(|m| &m.id == id))
            .map(|o| o.number)
    }

    /// The 2025 missions this cause falls under: a mission itself; a 2025 criterion's mission;
    /// a 2020 criterion's through the suggested mapping of its policy outcome (none when the
    /// outcome was retired); none for a Bristol Accord component.
    pub fn missions(&self) -> BTreeSet<String> {
        match self {
            Cause::Mission(name) => BTreeSet::from([name.clone()]),
            Cause::Accord(_) => BTreeSet::new(),
            Cause::Criterion {
                edition: Edition::Svm2025,
                id,
            } => Catalogue::shipped()
                .edition(Edition::Svm2025)
                .themes
                .iter()
                .filter(|t| t.outcomes.iter().flat_map(|o| &o.macs).any(|m| &m.id == id))
                .map(|t| t.name.clone())
                .collect(),
            Cause::Criterion {
                edition: Edition::Svm2020,
                ..
            } => {
                let Some(n) = self.outcome_number() else {
                    return BTreeSet::new();
                };
                suggested_mapping()
                    .iter()
                    .filter(|row| row.from_outcomes.contains(&n))
                    .flat_map(|row| row.to_missions.iter().cloned())
                    .collect()
            }
        }
    }
}

/// Every cause a profile can choose, in catalogue order: 2020 criteria, 2025 criteria, 2025
/// missions, then the eight Bristol Accord components.
pub fn all_causes() -> Vec<Cause> {
    let mut out = Vec::new();
    for edition in Edition::ALL {
        out.extend(
            Catalogue::shipped()
                .edition(edition)
                .criteria()
                .map(|c| Cause::Criterion {
                    edition,
                    id: c.id.clone(),
                }),
        );
    }
    out.extend(missions_2025().map(|m| Cause::Mission(m.to_owned())));
    out.extend(BristolAccord::all().into_iter().map(Cause::Accord));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_and_names_of_every_kind() {
        assert_eq!(
            Cause::parse(" mac 2.2 "),
            Some(Cause::Criterion {
                edition: Edition::Svm2020,
                id: "MAC 2.2".into()
            })
        );
        assert_eq!(
            Cause::parse("MAC 1a"),
            Some(Cause::Criterion {
                edition: Edition::Svm2025,
                id: "MAC 1a".into()
            })
        );
        assert_eq!(
            Cause::parse("mission:take-back-our-streets"),
            Some(Cause::Mission("Take back our streets".into()))
        );
        assert_eq!(
            Cause::parse("Build an NHS fit for the future"),
            Some(Cause::Mission("Build an NHS fit for the future".into()))
        );
        assert_eq!(
            Cause::parse("Well served"),
            Some(Cause::Accord(BristolAccord::WellServed))
        );
        assert_eq!(
            Cause::parse("thriving").map(|c| c.id()),
            Some("thriving".into())
        );
        for bad in ["", "MAC 9.9", "mission:nowhere", "kindness"] {
            assert_eq!(Cause::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_choosable_cause_round_trips_through_its_id() {
        let all = all_causes();
        // 24 criteria of 2020, 5 of 2025, 5 missions, 8 components.
        assert_eq!(all.len(), 24 + 5 + 5 + 8);
        for c in &all {
            assert_eq!(Cause::parse(&c.id()).as_ref(), Some(c), "{}", c.id());
            assert!(!c.label().is_empty());
        }
        assert_eq!(
            Cause::Mission("Kickstart economic growth".into()).id(),
            "mission:kickstart-economic-growth"
        );
    }

    #[test]
    fn causes_relate_across_editions_through_missions() {
        let growth = BTreeSet::from(["Kickstart economic growth".to_owned()]);
        assert_eq!(Cause::parse("MAC 1a").unwrap().missions(), growth);
        // 2020 outcome 2 (jobs and skills) maps to Kickstart economic growth.
        assert_eq!(Cause::parse("MAC 2.2").unwrap().missions(), growth);
        // 2020 outcome 1 (COVID-19 recovery) was retired.
        assert!(Cause::parse("MAC 1.1").unwrap().missions().is_empty());
        // 2020 outcome 8 maps to two missions.
        assert_eq!(Cause::parse("MAC 8.1").unwrap().missions().len(), 2);
        assert!(Cause::parse("thriving").unwrap().missions().is_empty());
    }
}
