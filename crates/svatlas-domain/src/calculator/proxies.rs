//! The financial proxy library: the shipped `data/proxies.csv` (open UK public sources, each row
//! with its source, price year and licence) plus an organisation's own proxies.
//!
//! Proprietary libraries (National TOMs, HACT) are never shipped (frameworks.md, licence table).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::csv_rows::{CsvProblem, csv_rows};
use crate::frameworks::BristolAccord;

use super::entries::ProxyValue;

/// The shipped library, built into the binary so the calculator needs no data folder.
const SHIPPED_CSV: &str = include_str!("../../../../data/proxies.csv");
/// File name used in error messages about the shipped library.
const SHIPPED_FILE: &str = "data/proxies.csv";

/// What a proxy values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "bristol_accord")]
pub enum ProxyUse {
    /// An outcome in this Bristol Accord component.
    Outcome(BristolAccord),
    /// A rate for valuing inputs such as volunteer or staff time (wage rates).
    InputRate,
}

/// How far the library's research confirmed a value (from the row's notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Read in a stored copy of the source.
    Verified,
    /// Widely cited but recalled, not re-read: confirm before relying on it.
    Recalled,
    /// Not confirmed against the source: confirm before relying on it.
    Unverified,
    /// An organisation's own proxy: its owner vouches for it.
    OwnProxy,
}

impl Verification {
    /// Label for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Verified => "Verified against the source",
            Self::Recalled => "Recalled, confirm before use",
            Self::Unverified => "Unverified, confirm before use",
            Self::OwnProxy => "Your organisation's proxy",
        }
    }

    fn from_notes(notes: &str) -> Self {
        let head = notes.trim_start().to_ascii_uppercase();
        if head.starts_with("VERIFIED") {
            Self::Verified
        } else if head.starts_with("RECALLED") {
            Self::Recalled
        } else {
            Self::Unverified
        }
    }
}

/// One financial proxy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proxy {
    /// Stable id (`GB-QALY`; an organisation's own proxies get ids from the store).
    pub id: String,
    /// What one unit is.
    pub name: String,
    /// The category as written in the source file.
    pub category: String,
    /// Outcome component, or an input rate.
    #[serde(rename = "use")]
    pub proxy_use: ProxyUse,
    /// Social Value Model themes it relates to, as written.
    pub svm_theme: String,
    /// Unit ("per QALY", "per hour").
    pub unit: String,
    /// £ per unit.
    pub value_gbp: f64,
    /// Price year as published ("2019", "2020-21").
    pub price_year: String,
    /// Source document.
    pub source_title: String,
    /// Link or reference to the source.
    pub source_url: String,
    /// Licence of the source.
    pub licence: String,
    /// Notes on use and verification.
    pub notes: String,
    /// How far the value was confirmed.
    pub verification: Verification,
}

impl Proxy {
    /// The Bristol Accord component when the proxy values an outcome.
    pub fn bristol_accord(&self) -> Option<BristolAccord> {
        match self.proxy_use {
            ProxyUse::Outcome(c) => Some(c),
            ProxyUse::InputRate => None,
        }
    }

    /// The value copied onto an outcome that uses this proxy.
    pub fn to_value(&self) -> ProxyValue {
        ProxyValue {
            proxy_id: Some(self.id.clone()),
            name: self.name.clone(),
            value_gbp: self.value_gbp,
            unit: self.unit.clone(),
            source: if self.source_url.is_empty() {
                self.source_title.clone()
            } else {
                format!("{} ({})", self.source_title, self.source_url)
            },
            price_year: self.price_year.clone(),
        }
    }

    /// Whether every word of `query` appears in the id, name, category, unit or source.
    fn matches(&self, words: &[String]) -> bool {
        let haystack = format!(
            "{} {} {} {} {} {}",
            self.id, self.name, self.category, self.unit, self.source_title, self.svm_theme
        )
        .to_lowercase();
        words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

/// A problem in a proxy file, located by line (1 = header) and column name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}, column {column}: {message}")]
pub struct ProxyFileError {
    /// File name.
    pub file: String,
    /// Line number (the header is line 1).
    pub line: u64,
    /// Column name.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// A set of proxies with search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProxyLibrary {
    proxies: Vec<Proxy>,
}

const COLUMNS: [&str; 11] = [
    "id",
    "name",
    "outcome_category",
    "svm_theme",
    "unit",
    "value_gbp",
    "price_year",
    "source_title",
    "source_url_or_ref",
    "licence",
    "notes",
];

impl ProxyLibrary {
    /// The library shipped with sv-atlas (parsed once).
    pub fn shipped() -> &'static ProxyLibrary {
        static SHIPPED: OnceLock<ProxyLibrary> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            // The file is ours and checked by a unit test, so a failure here is a build defect.
            Self::parse(SHIPPED_CSV, SHIPPED_FILE).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// Wraps proxies already read (an organisation's own, from the store).
    pub fn from_proxies(proxies: Vec<Proxy>) -> Self {
        Self { proxies }
    }

    /// Parses a file in the `proxies.csv` layout; rows whose category names neither a Bristol
    /// Accord component nor an input valuation are errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, ProxyFileError> {
        let error = |line: u64, column: &str, message: String| ProxyFileError {
            file: file.to_string(),
            line,
            column: column.to_string(),
            message,
        };
        let problem = |(line, column, message): CsvProblem| error(line, column, message);
        let mut proxies = Vec::new();
        for row in csv_rows(text, COLUMNS).map_err(problem)? {
            let (line, fields) = row.map_err(problem)?;
            let field = |i: usize| fields[i].clone();
            let id = field(0);
            if id.is_empty() {
                return Err(error(line, "id", "id is empty".into()));
            }
            let category = field(2);
            let proxy_use = if category
                .to_ascii_lowercase()
                .starts_with("n/a - input valuation")
            {
                ProxyUse::InputRate
            } else {
                ProxyUse::Outcome(BristolAccord::from_label(&category).ok_or_else(|| {
                    error(
                        line,
                        "outcome_category",
                        format!("{category:?} is not a Bristol Accord component"),
                    )
                })?)
            };
            let value_gbp: f64 = field(5)
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    error(line, "value_gbp", format!("{:?} is not a number", field(5)))
                })?;
            let notes = field(10);
            proxies.push(Proxy {
                verification: Verification::from_notes(&notes),
                id,
                name: field(1),
                category,
                proxy_use,
                svm_theme: field(3),
                unit: field(4),
                value_gbp,
                price_year: field(6),
                source_title: field(7),
                source_url: field(8),
                licence: field(9),
                notes,
            });
        }
        Ok(Self { proxies })
    }

    /// Every proxy in file order.
    pub fn all(&self) -> &[Proxy] {
        &self.proxies
    }

    /// The proxy with this id (ids compare ignoring case).
    pub fn get(&self, id: &str) -> Option<&Proxy> {
        self.proxies
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(id.trim()))
    }

    /// Proxies matching every word of `query` (case-insensitive; empty matches all) and, when
    /// given, valuing outcomes in `component`.
    pub fn search(&self, query: &str, component: Option<BristolAccord>) -> Vec<&Proxy> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.proxies
            .iter()
            .filter(|p| component.is_none_or(|c| p.bristol_accord() == Some(c)))
            .filter(|p| p.matches(&words))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_library_reads_every_row_with_source_and_licence() {
        let library = ProxyLibrary::shipped();
        let expected_rows = SHIPPED_CSV.lines().count() - 1;
        assert_eq!(library.all().len(), expected_rows);
        for p in library.all() {
            assert!(!p.source_title.is_empty(), "{}", p.id);
            assert!(!p.licence.is_empty(), "{}", p.id);
            assert!(!p.price_year.is_empty(), "{}", p.id);
            assert!(
                !p.licence.contains("HACT") && !p.id.contains("TOMS"),
                "{}",
                p.id
            );
        }
        // Figures as published (proxies.csv): the Green Book QALY and the 2025 NLW.
        let qaly = library.get("gb-qaly").expect("QALY row");
        assert_eq!(qaly.value_gbp, 70_000.0);
        assert_eq!(qaly.price_year, "2020-21");
        assert_eq!(qaly.proxy_use, ProxyUse::Outcome(BristolAccord::WellServed));
        assert_eq!(qaly.verification, Verification::Verified);
        let nlw = library.get("NLW-2025").expect("NLW row");
        assert_eq!((nlw.value_gbp, nlw.proxy_use), (12.21, ProxyUse::InputRate));
        assert_eq!(
            library.get("GB-WELLBY-C").expect("WELLBY").verification,
            Verification::Recalled
        );
    }

    #[test]
    fn search_filters_by_words_and_component() {
        let library = ProxyLibrary::shipped();
        let offences = library.search("offence robbery", None);
        assert_eq!(offences.len(), 1);
        assert_eq!(offences[0].id, "HO-ROBBERY");
        let env = library.search("", Some(BristolAccord::EnvironmentallySensitive));
        assert!(env.len() >= 5);
        assert!(env.iter().all(|p| p.id.starts_with("DESNZ-CO2")));
        assert!(library.search("zzzz", None).is_empty());
    }

    #[test]
    fn bad_rows_name_line_and_column() {
        let header = COLUMNS.join(",");
        let text = format!(
            "{header}\nA,n,Thriving,t,u,12,2020,s,url,OGL,VERIFIED\nB,n,Nowhere,t,u,1,2020,s,url,OGL,x\n"
        );
        let e = ProxyLibrary::parse(&text, "own.csv").expect_err("bad category");
        assert_eq!((e.line, e.column.as_str()), (3, "outcome_category"));
        let text = format!("{header}\nA,n,Thriving,t,u,twelve,2020,s,url,OGL,VERIFIED\n");
        let e = ProxyLibrary::parse(&text, "own.csv").expect_err("bad value");
        assert_eq!((e.line, e.column.as_str()), (2, "value_gbp"));
        assert!(
            e.to_string()
                .starts_with("own.csv, line 2, column value_gbp")
        );
    }

    #[test]
    fn chosen_proxy_is_copied_with_source() {
        let p = ProxyLibrary::shipped().get("GB-QALY").expect("row");
        let v = p.to_value();
        assert_eq!(v.proxy_id.as_deref(), Some("GB-QALY"));
        assert_eq!(v.value_gbp, 70_000.0);
        assert!(v.source.contains("Green Book"));
    }
}
