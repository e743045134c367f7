//! The UK Government Social Value Model as a catalogue: both editions (2020, PPN 06/20; 2025,
//! PPN 002), each as themes (2020) or missions (2025) → policy outcomes → model award criteria
//! (MACs) → reporting metrics, read from the shipped `data/social-value-model.csv`.
//!
//! The research behind the file could not read every official wording, so every level carries
//! a [`Certainty`] parsed from the file's `status` column, and metrics written by us so the model
//! can be used are labelled [`Certainty::IndicativeOurs`]. Users must see these labels.
//!
//! The file's `status` column holds `;`-separated parts: `subject:certainty` with an optional
//! `(note)`, e.g. `mac:corroborated; metric:indicative-ours (official metric wording not yet
//! transcribed)`, or a free note such as `SRMs not transcribed`. A subject names the levels it
//! covers by its first word (`mission+outcome`, `mac title`, `outcome name and mission mapping`).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::csv_rows::{CsvProblem, csv_rows};

/// The shipped catalogue, built into the binary so the pages need no data folder.
const SHIPPED_CSV: &str = include_str!("../../../../data/social-value-model.csv");
/// File name used in error messages about the shipped catalogue.
const SHIPPED_FILE: &str = "data/social-value-model.csv";

/// An edition of the Social Value Model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Edition {
    /// PPN 06/20 (Public Contracts Regulations 2015): themes, policy outcomes, MACs 1.1–8.2 and
    /// reporting metrics.
    #[serde(rename = "2020")]
    Svm2020,
    /// PPN 002 (Procurement Act 2023): missions, outcomes, lettered MACs and standard reporting
    /// metrics.
    #[serde(rename = "2025")]
    Svm2025,
}

impl Edition {
    /// Both editions, oldest first.
    pub const ALL: [Edition; 2] = [Edition::Svm2020, Edition::Svm2025];

    /// The id used in files and URLs: `"2020"` or `"2025"`.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Svm2020 => "2020",
            Self::Svm2025 => "2025",
        }
    }

    /// Parses `"2020"` or `"2025"` (surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "2020" => Some(Self::Svm2020),
            "2025" => Some(Self::Svm2025),
            _ => None,
        }
    }

    /// Title for people.
    pub const fn title(self) -> &'static str {
        match self {
            Self::Svm2020 => "Social Value Model 2020 (PPN 06/20)",
            Self::Svm2025 => "Social Value Model 2025 (PPN 002)",
        }
    }

    /// The official documents (Crown copyright, Open Government Licence v3.0).
    pub const fn documents(self) -> &'static str {
        match self {
            Self::Svm2020 => {
                "PPN 06/20 Taking account of social value in the award of central government \
                 contracts (24 September 2020); The Social Value Model, Edition 1.1 \
                 (3 December 2020); Guide to using the Social Value Model, Edition 1.1 \
                 (3 December 2020)"
            }
            Self::Svm2025 => {
                "PPN 002 Taking account of social value in the award of central government \
                 contracts (13 February 2025); Procurement Policy Note 002: The Social Value \
                 Model; PPN 002 Guide to using the social value model"
            }
        }
    }

    /// When the edition applies (SOCIAL_VALUE_MODEL.md, verified).
    pub const fn applies(self) -> &'static str {
        match self {
            Self::Svm2020 => {
                "Public Contracts Regulations 2015: new above-threshold procurements from \
                 1 January 2021"
            }
            Self::Svm2025 => {
                "Procurement Act 2023: optional from 24 February 2025, mandatory from \
                 1 October 2025 (frameworks let under PPN 06/20 continue)"
            }
        }
    }

    /// What the top level is called: `"theme"` (2020) or `"mission"` (2025).
    pub const fn top_level(self) -> &'static str {
        match self {
            Self::Svm2020 => "theme",
            Self::Svm2025 => "mission",
        }
    }

    /// What a metric is called.
    pub const fn metric_name(self) -> &'static str {
        match self {
            Self::Svm2020 => "reporting metric",
            Self::Svm2025 => "standard reporting metric",
        }
    }

    /// Attribution for the official wording this edition's catalogue is based on.
    pub const fn attribution(self) -> &'static str {
        match self {
            Self::Svm2020 => {
                "Based on PPN 06/20 and The Social Value Model (Edition 1.1), Crown copyright, \
                 licensed under the Open Government Licence v3.0. Criterion wording is \
                 paraphrased by sv-atlas; metrics marked as indicative are our own wording."
            }
            Self::Svm2025 => {
                "Based on PPN 002 and Procurement Policy Note 002: The Social Value Model, Crown \
                 copyright, licensed under the Open Government Licence v3.0. Wording is \
                 paraphrased by sv-atlas; standard reporting metrics are not yet transcribed."
            }
        }
    }
}

/// How sure we are of a piece of wording (SOCIAL_VALUE_MODEL.md, "Certainty labels").
///
/// Ordered from most to least certain, so the weakest of several is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Read in a stored copy of an official or reliable page.
    Verified,
    /// Seen in two or more independent secondary sources.
    Corroborated,
    /// From the researcher's knowledge of the official document, not re-read.
    Recalled,
    /// Best available reading; to be checked against GOV.UK before it is treated as official.
    Unverified,
    /// Not official wording: written by sv-atlas so the model can be used until the official
    /// text is transcribed.
    IndicativeOurs,
}

impl Certainty {
    /// Every certainty, most certain first.
    pub const ALL: [Certainty; 5] = [
        Certainty::Verified,
        Certainty::Corroborated,
        Certainty::Recalled,
        Certainty::Unverified,
        Certainty::IndicativeOurs,
    ];

    /// The id used in the JSON API (`indicative_ours`).
    pub const fn id(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Corroborated => "corroborated",
            Self::Recalled => "recalled",
            Self::Unverified => "unverified",
            Self::IndicativeOurs => "indicative_ours",
        }
    }

    /// Short label for a tag next to the wording.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Verified => "Verified",
            Self::Corroborated => "Corroborated",
            Self::Recalled => "Recalled, not re-read",
            Self::Unverified => "Unverified",
            Self::IndicativeOurs => "Indicative wording (ours)",
        }
    }

    /// What the label means.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Verified => {
                "Read in a stored copy of an official or reliable page during research."
            }
            Self::Corroborated => {
                "Seen in two or more independent secondary sources, not in the official text \
                 itself."
            }
            Self::Recalled => {
                "From the researcher's knowledge of the official document, not re-read: check \
                 it before relying on it."
            }
            Self::Unverified => {
                "Best available reading: check it against GOV.UK before treating it as \
                 official wording."
            }
            Self::IndicativeOurs => {
                "Not official wording: written by sv-atlas so the model can be used until the \
                 official text is transcribed."
            }
        }
    }

    /// Parses a certainty word as the file writes it (`indicative-ours`).
    fn from_file(word: &str) -> Option<Self> {
        match word.trim().to_ascii_lowercase().as_str() {
            "verified" => Some(Self::Verified),
            "corroborated" => Some(Self::Corroborated),
            "recalled" => Some(Self::Recalled),
            "unverified" => Some(Self::Unverified),
            "indicative-ours" | "indicative_ours" => Some(Self::IndicativeOurs),
            _ => None,
        }
    }
}

/// One reporting metric (2020) or standard reporting metric (2025).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metric {
    /// Id as in the file, e.g. `SVM20-2.2-a` (ours: the official metrics have no ids).
    pub id: String,
    /// What is counted.
    pub text: String,
    /// Unit, e.g. `FTE`, `%`, `GBP`, `tCO2e`.
    pub unit: String,
    /// How sure the wording is.
    pub certainty: Certainty,
    /// A remark on the certainty, e.g. "official metric wording not yet transcribed".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty_note: Option<String>,
}

/// A model award criterion (MAC).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    /// Id exactly as in the model: `MAC 2.2` (2020) or `MAC 1a` (2025).
    pub id: String,
    /// Title (paraphrased).
    pub title: String,
    /// How sure the title is.
    pub certainty: Certainty,
    /// A remark on the certainty, e.g. "partial".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty_note: Option<String>,
    /// Other remarks from the file, e.g. "SRMs not transcribed".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The file's `status` text for this criterion, as written.
    pub status: String,
    /// Its metrics (none where they are not transcribed).
    pub metrics: Vec<Metric>,
}

/// A policy outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Named apart from the calculator's `Outcome` in the API description, where names are global.
#[cfg_attr(feature = "openapi", schema(as = PolicyOutcome))]
pub struct Outcome {
    /// Its number (1–8 in both editions).
    pub number: u8,
    /// Its name without the number.
    pub name: String,
    /// How sure the name (and, in 2025, its place under the mission) is.
    pub certainty: Certainty,
    /// A remark on the certainty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty_note: Option<String>,
    /// Other remarks from the file, e.g. "MACs/SRMs not transcribed".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Its criteria (none where they are not transcribed).
    pub macs: Vec<Criterion>,
}

/// A theme (2020) or government mission (2025).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Theme {
    /// Name.
    pub name: String,
    /// How sure the name is.
    pub certainty: Certainty,
    /// A remark on the certainty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty_note: Option<String>,
    /// Its policy outcomes.
    pub outcomes: Vec<Outcome>,
}

/// The 2025 edition's top level, a government mission, has the same shape as a 2020 theme.
pub type Mission = Theme;

/// One edition's catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionCatalogue {
    /// Which edition.
    pub edition: Edition,
    /// Themes (2020) or missions (2025) in file order.
    pub themes: Vec<Theme>,
}

impl EditionCatalogue {
    /// Every policy outcome, in order.
    pub fn outcomes(&self) -> impl Iterator<Item = &Outcome> {
        self.themes.iter().flat_map(|t| t.outcomes.iter())
    }

    /// Every criterion, in order.
    pub fn criteria(&self) -> impl Iterator<Item = &Criterion> {
        self.outcomes().flat_map(|o| o.macs.iter())
    }

    /// A reporting metric by id (`SVM20-2.2-a`), with the theme (or mission) and criterion it
    /// sits under.
    pub fn metric(&self, id: &str) -> Option<(&Theme, &Criterion, &Metric)> {
        let id = id.trim();
        self.themes.iter().find_map(|t| {
            t.outcomes.iter().flat_map(|o| o.macs.iter()).find_map(|c| {
                c.metrics
                    .iter()
                    .find(|m| m.id.eq_ignore_ascii_case(id))
                    .map(|m| (t, c, m))
            })
        })
    }

    /// The criterion with this id (`"MAC 2.2"`; case and spaces around it ignored).
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        let id = id.trim();
        self.criteria().find(|c| c.id.eq_ignore_ascii_case(id))
    }
}

/// A problem in a model file, located by line (1 = header) and column name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}, column {column}: {message}")]
pub struct ModelFileError {
    /// File name.
    pub file: String,
    /// Line number (the header is line 1).
    pub line: u64,
    /// Column name.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// Both editions of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    svm2020: EditionCatalogue,
    svm2025: EditionCatalogue,
}

const COLUMNS: [&str; 9] = [
    "edition",
    "theme",
    "policy_outcome",
    "mac_id",
    "mac_title",
    "metric_id",
    "metric_text",
    "unit",
    "status",
];

/// Which level of the model a status part speaks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Outcome,
    Mac,
    Metric,
}

/// A certainty with its optional remark.
type Rated = (Certainty, Option<String>);

/// A row's `status` text, read.
#[derive(Debug, Default)]
struct Status {
    rated: Vec<(Level, Rated)>,
    notes: Vec<String>,
}

impl Status {
    fn parse(text: &str) -> Result<Self, String> {
        let mut status = Status::default();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((subject, rest)) = part.split_once(':') else {
                status.notes.push(part.to_string());
                continue;
            };
            let rest = rest.trim();
            let (word, note) = match rest.split_once('(') {
                Some((word, note)) => (
                    word.trim(),
                    Some(note.trim().trim_end_matches(')').trim().to_string()),
                ),
                None => (rest, None),
            };
            let certainty = Certainty::from_file(word).ok_or_else(|| {
                format!(
                    "{word:?} is not a certainty (verified, corroborated, recalled, unverified \
                     or indicative-ours)"
                )
            })?;
            for piece in subject.split('+') {
                let first = piece.split_whitespace().next().unwrap_or("");
                let level = match first.to_ascii_lowercase().as_str() {
                    "theme" | "mission" => Level::Top,
                    "outcome" => Level::Outcome,
                    "mac" => Level::Mac,
                    "metric" | "srm" => Level::Metric,
                    _ => {
                        return Err(format!(
                            "{piece:?} does not name a level (theme, mission, outcome, mac or \
                             metric)"
                        ));
                    }
                };
                status.rated.push((level, (certainty, note.clone())));
            }
        }
        Ok(status)
    }

    fn of(&self, level: Level) -> Option<Rated> {
        self.rated
            .iter()
            .find(|(l, _)| *l == level)
            .map(|(_, r)| r.clone())
    }
}

/// The certainty of a level the row's status does not rate. SOCIAL_VALUE_MODEL.md §1.1: the
/// five 2020 themes and eight policy outcomes were verified; anything else unrated is treated
/// as unverified.
fn unrated(edition: Edition, level: Level) -> Rated {
    match (edition, level) {
        (Edition::Svm2020, Level::Top | Level::Outcome) => (Certainty::Verified, None),
        _ => (Certainty::Unverified, None),
    }
}

/// Keeps the weaker of two ratings (rows repeating a level must not raise its certainty).
fn weaker(current: &mut Certainty, note: &mut Option<String>, new: Rated) {
    if new.0 > *current {
        *current = new.0;
        *note = new.1;
    } else if note.is_none() && new.0 == *current {
        *note = new.1;
    }
}

fn push_notes(notes: &mut Vec<String>, new: &[String]) {
    for n in new {
        if !notes.contains(n) {
            notes.push(n.clone());
        }
    }
}

/// `"2 Create new businesses"` → `(2, "Create new businesses")`.
fn split_outcome(text: &str) -> Option<(u8, String)> {
    let (number, name) = text.split_once(' ')?;
    let number: u8 = number.parse().ok()?;
    let name = name.trim();
    (number > 0 && !name.is_empty()).then(|| (number, name.to_string()))
}

/// Checks a MAC id's shape for its edition and that it sits under its own outcome.
fn check_mac_id(edition: Edition, id: &str, outcome: u8) -> Result<(), String> {
    let rest = id
        .strip_prefix("MAC ")
        .ok_or_else(|| format!("{id:?} must start with \"MAC \""))?;
    let (digit, tail) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(0));
    let shape_ok = match edition {
        Edition::Svm2020 => tail
            .strip_prefix('.')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
        Edition::Svm2025 => tail.len() == 1 && tail.chars().all(|c| c.is_ascii_lowercase()),
    };
    if digit.is_empty() || !shape_ok {
        let example = match edition {
            Edition::Svm2020 => "MAC 2.2",
            Edition::Svm2025 => "MAC 1a",
        };
        return Err(format!(
            "{id:?} is not a {} MAC id (like {example:?})",
            edition.id()
        ));
    }
    if digit.parse::<u8>().ok() != Some(outcome) {
        return Err(format!("{id:?} is listed under policy outcome {outcome}"));
    }
    Ok(())
}

impl Catalogue {
    /// The catalogue shipped with sv-atlas (parsed once).
    pub fn shipped() -> &'static Catalogue {
        static SHIPPED: OnceLock<Catalogue> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            // The file is ours and checked by a unit test, so a failure here is a build defect.
            Self::parse(SHIPPED_CSV, SHIPPED_FILE).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// The shipped file's text, exactly as distributed (for downloads).
    pub fn shipped_csv() -> &'static str {
        SHIPPED_CSV
    }

    /// One edition.
    pub fn edition(&self, edition: Edition) -> &EditionCatalogue {
        match edition {
            Edition::Svm2020 => &self.svm2020,
            Edition::Svm2025 => &self.svm2025,
        }
    }

    /// Parses a file in the `social-value-model.csv` layout (nine columns, one row per metric,
    /// or per criterion or outcome where nothing below it is transcribed).
    pub fn parse(text: &str, file: &str) -> Result<Self, ModelFileError> {
        let error = |line: u64, column: &str, message: String| ModelFileError {
            file: file.to_string(),
            line,
            column: column.to_string(),
            message,
        };
        let problem = |(line, column, message): CsvProblem| error(line, column, message);
        let rows = csv_rows(text, COLUMNS).map_err(problem)?;
        let mut catalogue = Catalogue {
            svm2020: EditionCatalogue {
                edition: Edition::Svm2020,
                themes: Vec::new(),
            },
            svm2025: EditionCatalogue {
                edition: Edition::Svm2025,
                themes: Vec::new(),
            },
        };
        let mut metric_ids = HashSet::new();
        for row in rows {
            let (line, fields) = row.map_err(problem)?;
            let [
                edition,
                theme,
                outcome,
                mac_id,
                mac_title,
                metric_id,
                metric_text,
                unit,
                status,
            ] = fields;
            let edition = Edition::parse(&edition).ok_or_else(|| {
                error(
                    line,
                    "edition",
                    format!("{edition:?} is not an edition (2020 or 2025)"),
                )
            })?;
            if theme.is_empty() {
                return Err(error(line, "theme", "theme is empty".into()));
            }
            let (number, outcome_name) = split_outcome(&outcome).ok_or_else(|| {
                error(
                    line,
                    "policy_outcome",
                    format!("{outcome:?} must start with its number, e.g. \"2 Create …\""),
                )
            })?;
            let parsed = Status::parse(&status).map_err(|m| error(line, "status", m))?;
            if mac_id.is_empty() && !(mac_title.is_empty() && metric_id.is_empty()) {
                return Err(error(
                    line,
                    "mac_id",
                    "mac_id is empty but the row has a criterion title or metric".into(),
                ));
            }
            if !mac_id.is_empty() {
                check_mac_id(edition, &mac_id, number).map_err(|m| error(line, "mac_id", m))?;
                if mac_title.is_empty() {
                    return Err(error(line, "mac_title", "mac_title is empty".into()));
                }
            }
            if !metric_id.is_empty() {
                if metric_text.is_empty() {
                    return Err(error(line, "metric_text", "metric_text is empty".into()));
                }
                if unit.is_empty() {
                    return Err(error(line, "unit", "unit is empty".into()));
                }
                if !metric_ids.insert(metric_id.clone()) {
                    return Err(error(
                        line,
                        "metric_id",
                        format!("metric {metric_id:?} is listed twice"),
                    ));
                }
            } else if !metric_text.is_empty() || !unit.is_empty() {
                return Err(error(
                    line,
                    "metric_id",
                    "metric_id is empty but the row has a metric".into(),
                ));
            }
            let rate = |level| parsed.of(level).unwrap_or_else(|| unrated(edition, level));

            let target = match edition {
                Edition::Svm2020 => &mut catalogue.svm2020,
                Edition::Svm2025 => &mut catalogue.svm2025,
            };
            // An outcome number belongs to one theme and one name.
            for t in &target.themes {
                if let Some(o) = t.outcomes.iter().find(|o| o.number == number)
                    && (t.name != theme || o.name != outcome_name)
                {
                    return Err(error(
                        line,
                        "policy_outcome",
                        format!(
                            "outcome {number} is already listed as {:?} under {:?}",
                            o.name, t.name
                        ),
                    ));
                }
            }
            let t = match target.themes.iter().position(|t| t.name == theme) {
                Some(i) => &mut target.themes[i],
                None => {
                    let (certainty, certainty_note) = rate(Level::Top);
                    target.themes.push(Theme {
                        name: theme,
                        certainty,
                        certainty_note,
                        outcomes: Vec::new(),
                    });
                    target.themes.last_mut().expect("just pushed")
                }
            };
            weaker(&mut t.certainty, &mut t.certainty_note, rate(Level::Top));
            let o = match t.outcomes.iter().position(|o| o.number == number) {
                Some(i) => &mut t.outcomes[i],
                None => {
                    let (certainty, certainty_note) = rate(Level::Outcome);
                    t.outcomes.push(Outcome {
                        number,
                        name: outcome_name,
                        certainty,
                        certainty_note,
                        notes: Vec::new(),
                        macs: Vec::new(),
                    });
                    t.outcomes.last_mut().expect("just pushed")
                }
            };
            weaker(
                &mut o.certainty,
                &mut o.certainty_note,
                rate(Level::Outcome),
            );
            if mac_id.is_empty() {
                push_notes(&mut o.notes, &parsed.notes);
                continue;
            }
            let c = match o.macs.iter().position(|c| c.id == mac_id) {
                Some(i) => {
                    let c = &mut o.macs[i];
                    if c.title != mac_title {
                        return Err(error(
                            line,
                            "mac_title",
                            format!("{mac_id} is already titled {:?}", c.title),
                        ));
                    }
                    c
                }
                // A MAC id carries its outcome number (checked above), so it cannot also sit
                // under another outcome.
                None => {
                    let (certainty, certainty_note) = rate(Level::Mac);
                    o.macs.push(Criterion {
                        id: mac_id,
                        title: mac_title,
                        certainty,
                        certainty_note,
                        notes: Vec::new(),
                        status: status.clone(),
                        metrics: Vec::new(),
                    });
                    o.macs.last_mut().expect("just pushed")
                }
            };
            weaker(&mut c.certainty, &mut c.certainty_note, rate(Level::Mac));
            push_notes(&mut c.notes, &parsed.notes);
            if !metric_id.is_empty() {
                let (certainty, certainty_note) = rate(Level::Metric);
                c.metrics.push(Metric {
                    id: metric_id,
                    text: metric_text,
                    unit,
                    certainty,
                    certainty_note,
                });
            }
        }
        Ok(catalogue)
    }
}

/// How the 2020 → 2025 mapping must be labelled wherever it is shown.
pub const MAPPING_STATUS: &str = "suggested, not official";

/// Where the mapping comes from.
pub const MAPPING_NOTE: &str = "Our judgement for moving commitments from the 2020 edition to \
    the 2025 edition (SOCIAL_VALUE_MODEL.md §3); government has not published a mapping.";

/// One row of the suggested 2020 → 2025 mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MappingRow {
    /// The 2020 policy outcome numbers this row covers.
    pub from_outcomes: Vec<u8>,
    /// The 2020 side in words.
    pub from: String,
    /// The 2025 missions named, exactly as in the catalogue (empty when retired).
    pub to_missions: Vec<String>,
    /// The 2025 outcome numbers, where the mapping names them.
    pub to_outcomes: Vec<u8>,
    /// The 2025 side in words.
    pub to: String,
    /// Whether the 2020 outcome has no 2025 home.
    pub retired: bool,
}

/// The suggested 2020 → 2025 mapping (SOCIAL_VALUE_MODEL.md §3). Show it as
/// [`MAPPING_STATUS`]: it is our judgement, not official.
pub fn suggested_mapping() -> &'static [MappingRow] {
    static ROWS: OnceLock<Vec<MappingRow>> = OnceLock::new();
    ROWS.get_or_init(|| {
        const GROWTH: &str = "Kickstart economic growth";
        const ENERGY: &str = "Make Britain a clean energy superpower";
        const STREETS: &str = "Take back our streets";
        const BARRIERS: &str = "Break down barriers to opportunity";
        const NHS: &str = "Build an NHS fit for the future";
        let row = |from_outcomes: &[u8],
                   from: &str,
                   to_missions: &[&str],
                   to_outcomes: &[u8],
                   to: &str| MappingRow {
            from_outcomes: from_outcomes.to_vec(),
            from: from.to_string(),
            to_missions: to_missions.iter().map(|m| (*m).to_string()).collect(),
            to_outcomes: to_outcomes.to_vec(),
            to: to.to_string(),
            retired: to_missions.is_empty(),
        };
        vec![
            row(
                &[1],
                "1 COVID-19 recovery",
                &[],
                &[],
                "None (retired); employment parts → Fair work / skills",
            ),
            row(
                &[2],
                "2 New businesses, jobs, skills",
                &[GROWTH],
                &[1, 3],
                "Kickstart economic growth (outcomes 1 and 3)",
            ),
            row(
                &[3],
                "3 Supply chain resilience",
                &[GROWTH],
                &[2],
                "Kickstart economic growth (outcome 2)",
            ),
            row(
                &[4],
                "4 Stewardship of the environment",
                &[ENERGY],
                &[],
                "Make Britain a clean energy superpower",
            ),
            row(
                &[5, 6],
                "5 Disability employment gap; 6 Workforce inequality",
                &[BARRIERS],
                &[],
                "Break down barriers to opportunity (modern slavery → Fair work 1e)",
            ),
            row(
                &[7],
                "7 Health and wellbeing",
                &[NHS],
                &[],
                "Build an NHS fit for the future",
            ),
            row(
                &[8],
                "8 Community cohesion",
                &[STREETS, BARRIERS],
                &[],
                "Take back our streets / barriers to opportunity",
            ),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> &'static Catalogue {
        Catalogue::shipped()
    }

    #[test]
    fn shipped_file_is_the_research_file() {
        // data/social-value-model.csv is a copy of the research companion file; a row count
        // and the header guard against a truncated or reordered copy.
        assert_eq!(SHIPPED_CSV.lines().next(), Some(COLUMNS.join(",").as_str()));
        assert_eq!(SHIPPED_CSV.lines().count(), 47);
    }

    #[test]
    fn edition_2020_has_five_themes_eight_outcomes_and_macs_1_1_to_8_2() {
        let e = shipped().edition(Edition::Svm2020);
        assert_eq!(e.themes.len(), 5);
        assert_eq!(e.themes[0].name, "COVID-19 recovery");
        assert_eq!(e.themes[4].name, "Wellbeing");
        let numbers: Vec<u8> = e.outcomes().map(|o| o.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
        let ids: Vec<&str> = e.criteria().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), 24);
        assert_eq!(ids.first(), Some(&"MAC 1.1"));
        assert_eq!(ids.last(), Some(&"MAC 8.2"));
        for expected in ["MAC 1.5", "MAC 2.2", "MAC 3.5", "MAC 6.3"] {
            assert!(ids.contains(&expected), "{expected}");
        }
        // Every metric row of the file is under its MAC; MAC 2.2 has four.
        let metrics: usize = e.criteria().map(|c| c.metrics.len()).sum();
        assert_eq!(metrics, 34);
        let mac22 = e.criterion("mac 2.2").expect("MAC 2.2");
        assert_eq!(mac22.metrics.len(), 4);
        assert_eq!(mac22.metrics[0].id, "SVM20-2.2-a");
        assert_eq!(mac22.metrics[0].unit, "FTE");
    }

    #[test]
    fn every_2020_row_carries_its_certainty() {
        let e = shipped().edition(Edition::Svm2020);
        assert!(e.themes.iter().all(|t| t.certainty == Certainty::Verified));
        assert!(e.outcomes().all(|o| o.certainty == Certainty::Verified));
        let c = |id: &str| e.criterion(id).expect(id).certainty;
        assert_eq!(c("MAC 2.1"), Certainty::Verified);
        assert_eq!(c("MAC 2.2"), Certainty::Corroborated);
        assert_eq!(c("MAC 1.4"), Certainty::Recalled);
        assert_eq!(c("MAC 8.2"), Certainty::Recalled);
        // Metric wording is ours until the official text is transcribed, and says so.
        for m in e.criteria().flat_map(|c| c.metrics.iter()) {
            assert_eq!(m.certainty, Certainty::IndicativeOurs, "{}", m.id);
            assert_eq!(
                m.certainty_note.as_deref(),
                Some("official metric wording not yet transcribed")
            );
        }
        assert!(
            e.criteria()
                .all(|c| c.status.starts_with("mac:") && !c.metrics.is_empty())
        );
    }

    #[test]
    fn edition_2025_has_five_missions_and_macs_1a_to_1e() {
        let e = shipped().edition(Edition::Svm2025);
        let missions: Vec<&str> = e.themes.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            missions,
            [
                "Kickstart economic growth",
                "Make Britain a clean energy superpower",
                "Take back our streets",
                "Break down barriers to opportunity",
                "Build an NHS fit for the future"
            ]
        );
        assert!(e.themes.iter().all(|t| t.certainty == Certainty::Verified));
        assert_eq!(e.outcomes().count(), 8);
        let ids: Vec<&str> = e.criteria().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["MAC 1a", "MAC 1b", "MAC 1c", "MAC 1d", "MAC 1e"]);
        let fair_work = e.outcomes().next().expect("outcome 1");
        assert!(fair_work.name.starts_with("Fair work"));
        assert_eq!(fair_work.certainty, Certainty::Verified);
        let e1 = e.criterion("MAC 1e").expect("1e");
        assert_eq!(e1.certainty_note.as_deref(), Some("partial"));
        assert_eq!(e1.notes, ["SRMs not transcribed"]);
        assert!(e.criteria().all(|c| c.metrics.is_empty()));
        // Outcomes 2-8: names and their place under a mission are unverified.
        for o in e.outcomes().skip(1) {
            assert_eq!(o.certainty, Certainty::Unverified, "outcome {}", o.number);
            assert_eq!(o.notes, ["MACs/SRMs not transcribed"]);
            assert!(o.macs.is_empty());
        }
    }

    #[test]
    fn mac_ids_match_the_local_need_mapping() {
        // need-to-svm.csv names MACs "as written in the model": each must be in the catalogue.
        let mapping = include_str!("../../../../data/need-to-svm.csv");
        let catalogue = shipped();
        let mut checked = 0;
        for line in mapping.lines().skip(1) {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            let record = reader.records().next().expect("row").expect("csv");
            let (edition, mac) = (&record[1], &record[4]);
            if mac.is_empty() {
                continue;
            }
            let edition = Edition::parse(edition).expect("edition");
            assert!(
                catalogue.edition(edition).criterion(mac).is_some(),
                "{mac} ({})",
                edition.id()
            );
            checked += 1;
        }
        assert!(checked >= 20, "{checked}");
    }

    #[test]
    fn suggested_mapping_names_real_outcomes_and_missions() {
        let c = shipped();
        let rows = suggested_mapping();
        let mut covered: Vec<u8> = rows.iter().flat_map(|r| r.from_outcomes.clone()).collect();
        covered.sort_unstable();
        assert_eq!(covered, [1, 2, 3, 4, 5, 6, 7, 8]);
        let missions: Vec<&str> = c
            .edition(Edition::Svm2025)
            .themes
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        for r in rows {
            for m in &r.to_missions {
                assert!(missions.contains(&m.as_str()), "{m}");
            }
            for n in &r.to_outcomes {
                assert!(
                    c.edition(Edition::Svm2025)
                        .outcomes()
                        .any(|o| o.number == *n)
                );
            }
        }
        assert!(rows[0].retired && !rows[1].retired);
        assert_eq!(MAPPING_STATUS, "suggested, not official");
    }

    const HEADER: &str =
        "edition,theme,policy_outcome,mac_id,mac_title,metric_id,metric_text,unit,status";

    fn parse_error(rows: &str) -> ModelFileError {
        Catalogue::parse(&format!("{HEADER}\n{rows}"), "own.csv").expect_err("bad file")
    }

    #[test]
    fn bad_rows_name_file_line_and_column() {
        let ok = "2020,T,1 One,MAC 1.1,Title,M-1,Text,FTE,mac:verified";
        let e = parse_error(&format!("{ok}\n2021,T,1 One,,,,,,mac:verified"));
        assert_eq!((e.line, e.column.as_str()), (3, "edition"));
        assert!(e.to_string().starts_with("own.csv, line 3, column edition"));
        let e = parse_error("2020,T,One,MAC 1.1,Title,M-1,Text,FTE,mac:verified");
        assert_eq!((e.line, e.column.as_str()), (2, "policy_outcome"));
        let e = parse_error("2020,T,2 Two,MAC 1.1,Title,M-1,Text,FTE,mac:verified");
        assert_eq!((e.line, e.column.as_str()), (2, "mac_id"));
        let e = parse_error("2025,T,1 One,MAC 1.1,Title,,,,mac:verified");
        assert_eq!((e.line, e.column.as_str()), (2, "mac_id"));
        let e = parse_error("2020,T,1 One,MAC 1.1,Title,M-1,Text,FTE,mac:sure");
        assert_eq!((e.line, e.column.as_str()), (2, "status"));
        let e = parse_error("2020,T,1 One,MAC 1.1,Title,M-1,Text,FTE,price:verified");
        assert_eq!((e.line, e.column.as_str()), (2, "status"));
        let e = parse_error(&format!("{ok}\n{ok}"));
        assert_eq!((e.line, e.column.as_str()), (3, "metric_id"));
        let e = parse_error(&format!(
            "{ok}\n2020,T,1 One,MAC 1.1,Other title,M-2,Text,FTE,mac:verified"
        ));
        assert_eq!((e.line, e.column.as_str()), (3, "mac_title"));
        let e = parse_error(&format!("{ok}\n2020,U,1 One,MAC 1.2,T2,M-2,Text,FTE,"));
        assert_eq!((e.line, e.column.as_str()), (3, "policy_outcome"));
        let e = parse_error("2020,T,1 One,MAC 1.1,Title,M-1,Text,,mac:verified");
        assert_eq!((e.line, e.column.as_str()), (2, "unit"));
        let e = Catalogue::parse("edition,theme\n", "own.csv").expect_err("columns");
        assert_eq!((e.line, e.column.as_str()), (1, "policy_outcome"));
    }

    #[test]
    fn repeated_rows_keep_the_weakest_certainty() {
        let text = format!(
            "{HEADER}\n2020,T,1 One,MAC 1.1,Title,M-1,Text,FTE,mac:verified\n\
             2020,T,1 One,MAC 1.1,Title,M-2,Text,FTE,mac:recalled; metric:unverified (check)\n"
        );
        let c = Catalogue::parse(&text, "own.csv").expect("valid");
        let mac = c
            .edition(Edition::Svm2020)
            .criterion("MAC 1.1")
            .expect("MAC");
        assert_eq!(mac.certainty, Certainty::Recalled);
        // No metric rating on the first row: unrated metrics count as unverified.
        assert_eq!(mac.metrics[0].certainty, Certainty::Unverified);
        assert_eq!(mac.metrics[1].certainty_note.as_deref(), Some("check"));
        assert!(c.edition(Edition::Svm2025).themes.is_empty());
    }

    #[test]
    fn certainty_labels_say_when_wording_is_ours() {
        assert_eq!(
            Certainty::IndicativeOurs.label(),
            "Indicative wording (ours)"
        );
        let json = serde_json::to_value(Certainty::IndicativeOurs).expect("json");
        assert_eq!(json, "indicative_ours");
        assert_eq!(Certainty::IndicativeOurs.id(), "indicative_ours");
        for c in Certainty::ALL {
            assert_eq!(serde_json::to_value(c).expect("json"), c.id());
            assert!(!c.description().is_empty());
        }
        assert_eq!(
            serde_json::to_value(Edition::Svm2025).expect("json"),
            "2025"
        );
    }
}
