//! Dataset and indicator metadata.
//!
//! Indicator ids follow `<dataset>.<domain>.<measure>`, e.g. `iod2019.imd.score`,
//! `iod2025.income.rank`, `wimd2019.wimd.rank`, `census2021.ts038.disabled_under_the_equality_act`.

use serde::{Deserialize, Serialize};

use crate::geography::AreaType;

/// A published dataset (one edition of one source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// Short id, e.g. `"iod2019"`.
    pub id: String,
    /// Title.
    pub name: String,
    /// Edition label, e.g. `"2019"` or `"2020 v2"`.
    pub edition: String,
    /// Publisher.
    pub publisher: String,
    /// Licence, e.g. `"OGL-UK-3.0"`.
    pub licence: String,
    /// Landing page of the source.
    pub source_url: Option<String>,
    /// Main geography of its indicators.
    pub geography: AreaType,
    /// What it contains and its caveats (one paragraph).
    pub description: String,
    /// Attribution text to show next to the data.
    pub attribution: String,
}

/// Metadata of one indicator (one column of values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// `<dataset>.<domain>.<measure>`.
    pub id: String,
    /// Dataset id.
    pub dataset: String,
    /// Human-readable name.
    pub name: String,
    /// Unit: `"rank"`, `"decile"`, `"score"`, `"proportion"`, `"%"`, `"count"`, `"persons"`, ...
    pub unit: String,
    /// Geography of the values (the main one when a source mixes geographies; see description).
    pub geography: AreaType,
    /// Definition and caveats.
    pub description: String,
    /// `Some(true)` if a higher value means more deprived, `Some(false)` if less deprived
    /// (e.g. ranks, where 1 = most deprived, or the Health Index, where higher = healthier),
    /// `None` if the indicator has no deprivation direction (population counts, tenure shares).
    pub higher_is_more_deprived: Option<bool>,
}

impl Indicator {
    /// Build an indicator; `domain` and `measure` form the id with the dataset.
    #[expect(
        clippy::too_many_arguments,
        reason = "plain metadata constructor; every field is required"
    )]
    pub fn new(
        dataset: &str,
        domain: &str,
        measure: &str,
        name: impl Into<String>,
        unit: &str,
        geography: AreaType,
        higher_is_more_deprived: Option<bool>,
        description: impl Into<String>,
    ) -> Indicator {
        Indicator {
            id: format!("{dataset}.{domain}.{measure}"),
            dataset: dataset.to_owned(),
            name: name.into(),
            unit: unit.to_owned(),
            geography,
            description: description.into(),
            higher_is_more_deprived,
        }
    }

    /// Domain part of the id.
    pub fn domain(&self) -> &str {
        self.id.split('.').nth(1).unwrap_or("")
    }

    /// Measure part of the id.
    pub fn measure(&self) -> &str {
        self.id.splitn(3, '.').nth(2).unwrap_or("")
    }
}

/// Domains (and supplementary indices) of the English Indices of Deprivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IodDomain {
    /// Index of Multiple Deprivation.
    Imd,
    /// Income Deprivation Domain.
    Income,
    /// Employment Deprivation Domain.
    Employment,
    /// Education, Skills and Training Deprivation Domain.
    Education,
    /// Health Deprivation and Disability Domain.
    Health,
    /// Crime Domain.
    Crime,
    /// Barriers to Housing and Services Domain.
    Barriers,
    /// Living Environment Deprivation Domain.
    LivingEnvironment,
    /// Income Deprivation Affecting Children Index.
    Idaci,
    /// Income Deprivation Affecting Older People Index.
    Idaopi,
}

impl IodDomain {
    /// All domains in File 10 order.
    pub const ALL: [IodDomain; 10] = [
        IodDomain::Imd,
        IodDomain::Income,
        IodDomain::Employment,
        IodDomain::Education,
        IodDomain::Health,
        IodDomain::Crime,
        IodDomain::Barriers,
        IodDomain::LivingEnvironment,
        IodDomain::Idaci,
        IodDomain::Idaopi,
    ];

    /// Id used in indicator ids and summaries (`"imd"`, `"living_environment"`, ...).
    pub fn id(self) -> &'static str {
        match self {
            IodDomain::Imd => "imd",
            IodDomain::Income => "income",
            IodDomain::Employment => "employment",
            IodDomain::Education => "education",
            IodDomain::Health => "health",
            IodDomain::Crime => "crime",
            IodDomain::Barriers => "barriers",
            IodDomain::LivingEnvironment => "living_environment",
            IodDomain::Idaci => "idaci",
            IodDomain::Idaopi => "idaopi",
        }
    }

    /// Official name.
    pub fn label(self) -> &'static str {
        match self {
            IodDomain::Imd => "Index of Multiple Deprivation (IMD)",
            IodDomain::Income => "Income",
            IodDomain::Employment => "Employment",
            IodDomain::Education => "Education, Skills and Training",
            IodDomain::Health => "Health Deprivation and Disability",
            IodDomain::Crime => "Crime",
            IodDomain::Barriers => "Barriers to Housing and Services",
            IodDomain::LivingEnvironment => "Living Environment",
            IodDomain::Idaci => "Income Deprivation Affecting Children Index (IDACI)",
            IodDomain::Idaopi => "Income Deprivation Affecting Older People (IDAOPI)",
        }
    }

    /// Parse a domain id.
    pub fn parse(id: &str) -> Option<IodDomain> {
        IodDomain::ALL.into_iter().find(|d| d.id() == id)
    }
}

/// Build the licence/attribution fields shared by OGL sources.
fn ogl(publisher: &str, source: &str) -> (String, String) {
    (
        "OGL-UK-3.0".to_owned(),
        format!(
            "Contains public sector information licensed under the Open Government Licence v3.0. Source: {publisher}, {source}."
        ),
    )
}

/// Metadata of every dataset `ingest::load_all` produces (and of `geography`).
pub fn datasets() -> Vec<Dataset> {
    let mut out = Vec::new();
    let mut push = |id: &str,
                    name: &str,
                    edition: &str,
                    publisher: &str,
                    url: Option<&str>,
                    geography: AreaType,
                    description: &str,
                    licence_attr: (String, String)| {
        out.push(Dataset {
            id: id.to_owned(),
            name: name.to_owned(),
            edition: edition.to_owned(),
            publisher: publisher.to_owned(),
            licence: licence_attr.0,
            source_url: url.map(str::to_owned),
            geography,
            description: description.to_owned(),
            attribution: licence_attr.1,
        });
    };
    push(
        "geography",
        "Geography lookups (LSOA, ward, LAD, region, nation; both vintages)",
        "2011/2019 and 2021/2024",
        "Office for National Statistics",
        Some("https://geoportal.statistics.gov.uk/"),
        AreaType::Lsoa21,
        "Areas and hierarchy: LSOA 2011 -> ward 2019 -> LAD 2019 -> region; LSOA 2021 -> ward 2024 -> LAD 2024 -> region; \
         Scottish data zones -> council areas; NI SOAs -> districts; LSOA 2011 <-> 2021 lookup (change codes U/S/M/X); \
         LAD code history 2016-2024; rural-urban classifications; ICB and police force areas. Ward lookups are best fit.",
        ogl(
            "Office for National Statistics",
            "Open Geography Portal lookups",
        ),
    );
    push(
        "iod2019",
        "English Indices of Deprivation 2019",
        "2019",
        "Ministry of Housing, Communities and Local Government",
        Some("https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019"),
        AreaType::Lsoa11,
        "IMD and domain ranks and deciles (Files 1-3), sub-domain ranks (File 4), IMD/Income/Employment scores (File 5), \
         population denominators (File 6, mid-2015 excluding prisoners) and transformed scores (File 9) for the 32,844 LSOAs (2011) \
         in England. Rank 1 = most deprived. Other domain scores, IDACI/IDAOPI scores and sub-domain scores are not available here.",
        ogl("MHCLG", "English Indices of Deprivation 2019"),
    );
    push(
        "iod2025",
        "English Indices of Deprivation 2025",
        "2025",
        "Ministry of Housing, Communities and Local Government",
        Some("https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025"),
        AreaType::Lsoa21,
        "IMD, 7 domains and 6 sub-domains (score, rank, decile; File 7) and a subset of the underlying indicators (File 8) for the \
         33,755 LSOAs (2021) in England, plus the official local authority district summaries (File 10 v2, 296 LADs 2024). \
         Rank 1 = most deprived. IDACI/IDAOPI and the mid-2022 population denominators are not available here.",
        ogl("MHCLG", "English Indices of Deprivation 2025"),
    );
    push(
        "wimd2019",
        "Welsh Index of Multiple Deprivation 2019",
        "2019",
        "Welsh Government",
        Some("https://www.gov.wales/welsh-index-multiple-deprivation-full-index-update-ranks-2019"),
        AreaType::Lsoa11,
        "WIMD 2019 index and 8 domain ranks and scores, overall decile/quintile/quartile for the 1,909 LSOAs (2011) in Wales. \
         Rank 1 = most deprived. Not comparable with English ranks.",
        ogl(
            "Welsh Government",
            "Welsh Index of Multiple Deprivation 2019",
        ),
    );
    push(
        "simd2020v2",
        "Scottish Index of Multiple Deprivation 2020 (version 2)",
        "2020 v2",
        "Scottish Government",
        Some("https://www.gov.scot/collections/scottish-index-of-multiple-deprivation-2020/"),
        AreaType::Dz11,
        "SIMD 2020v2 rank, vigintile, decile, quintile, 7 domain ranks, populations and underlying indicators for the 6,976 data \
         zones (2011). Rank 1 = most deprived. Suppressed cells are missing; percentages are stored as percent (0-100).",
        ogl(
            "Scottish Government",
            "Scottish Index of Multiple Deprivation 2020v2",
        ),
    );
    push(
        "nimdm2017",
        "Northern Ireland Multiple Deprivation Measure 2017",
        "2017",
        "Northern Ireland Statistics and Research Agency",
        Some(
            "https://www.nisra.gov.uk/statistics/deprivation/northern-ireland-multiple-deprivation-measure-2017-nimdm2017",
        ),
        AreaType::Soa01,
        "NIMDM 2017 MDM and domain ranks plus every domain sheet's indicator ranks and values for the 890 Super Output Areas. \
         Rank 1 = most deprived. NISRA publishes no overall MDM score.",
        ogl(
            "NISRA",
            "Northern Ireland Multiple Deprivation Measure 2017",
        ),
    );
    push(
        "ukimd",
        "Composite UK Index of Multiple Deprivation (mySociety)",
        "3.4.0",
        "mySociety",
        Some("https://github.com/mysociety/composite_uk_imd"),
        AreaType::Lsoa11,
        "Modelled UK-wide deprivation score and rank for every small area (LSOA 2011 in England and Wales, data zones in Scotland, \
         SOAs in Northern Ireland), anchored to each nation's index in turn (E recommended). Modelled, not an official statistic.",
        (
            "CC-BY-4.0".to_owned(),
            "Composite UK IMD © mySociety, CC BY 4.0 (derived from MHCLG, Welsh Government, Scottish Government and NISRA data, OGL v3.0)."
                .to_owned(),
        ),
    );
    push(
        "census2021",
        "Census 2021 selected topic summaries (LSOA 2021)",
        "2021",
        "Office for National Statistics",
        Some("https://www.nomisweb.co.uk/sources/census_2021_bulk"),
        AreaType::Lsoa21,
        "TS038 disability, TS011 household deprivation dimensions, TS054 tenure and TS052 occupancy rating (bedrooms) for the \
         35,672 LSOAs (2021) in England and Wales: share of the table total per category, category counts and totals. \
         Counts are perturbed by ONS disclosure control.",
        ogl("Office for National Statistics", "Census 2021"),
    );
    push(
        "healthindex",
        "ONS Health Index for England 2015-2021",
        "2015-2021",
        "Office for National Statistics",
        Some(
            "https://www.ons.gov.uk/peoplepopulationandcommunity/healthandsocialcare/healthandwellbeing/datasets/healthindexscoresengland",
        ),
        AreaType::Lad24,
        "Health Index overall, domain and sub-domain scores (England 2015 = 100; higher = healthier) for 307 local authority \
         districts on 2021 codes; districts abolished in 2023 resolve to LAD 2019 areas.",
        ogl("Office for National Statistics", "Health Index for England"),
    );
    push(
        "pop2020",
        "ONS mid-2020 population estimates (LSOA 2011)",
        "mid-2020",
        "Office for National Statistics",
        Some(
            "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/lowersuperoutputareamidyearpopulationestimates",
        ),
        AreaType::Lsoa11,
        "Mid-2020 usual resident population by broad age band for the 34,753 LSOAs (2011) in England and Wales (SAPE23DT2).",
        ogl(
            "Office for National Statistics",
            "mid-2020 LSOA population estimates",
        ),
    );
    push(
        "pop2021",
        "Population weights for LSOA 2021 (sv-atlas estimate)",
        "2021",
        "sv-atlas (derived from ONS Census 2021 and ONS mid-2020 estimates)",
        None,
        AreaType::Lsoa21,
        "Census 2021 usual residents per LSOA 2021 (TS038 total, exact) and age-band estimates: Census 2021 residents x the \
         age-band share from ONS mid-2020 LSOA 2011 estimates mapped through the LSOA 2011 -> 2021 lookup (split LSOAs apportioned \
         by Census 2021 residents). Used to weight custom IoD2025 summaries because the official mid-2022 denominators are not available.",
        ogl(
            "Office for National Statistics",
            "Census 2021 and mid-2020 population estimates (derived by sv-atlas)",
        ),
    );
    out
}

/// Metadata of one dataset by id (see [`datasets`]).
pub fn dataset(id: &str) -> Option<Dataset> {
    datasets().into_iter().find(|d| d.id == id)
}

/// Turn a free-text header into a snake_case id fragment (`"Access to Services"` -> `"access_to_services"`).
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_sep = false;
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_sep && !out.is_empty() {
                out.push('_');
            }
            pending_sep = false;
            out.push(ch.to_ascii_lowercase());
        } else if ch == '+' {
            if !out.is_empty() {
                out.push('_');
            }
            out.push_str("plus");
            pending_sep = true;
        } else if ch == '-' && out.is_empty() {
            out.push_str("minus");
            pending_sep = true;
        } else {
            pending_sep = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_snake_case() {
        assert_eq!(slug("Access to Services"), "access_to_services");
        assert_eq!(
            slug("+2 or more (under-occupied)"),
            "plus_2_or_more_under_occupied"
        );
        assert_eq!(slug("-1 (overcrowded)"), "minus_1_overcrowded");
        assert_eq!(slug("Owned: Owns outright"), "owned_owns_outright");
    }

    #[test]
    fn every_dataset_has_metadata() {
        let all = datasets();
        assert_eq!(all.len(), 11);
        assert!(
            all.iter()
                .all(|d| !d.attribution.is_empty() && !d.licence.is_empty())
        );
        assert_eq!(
            dataset("iod2025").map(|d| d.geography),
            Some(AreaType::Lsoa21)
        );
    }

    #[test]
    fn indicator_id_parts() {
        let i = Indicator::new(
            "iod2019",
            "imd",
            "score",
            "IMD score",
            "score",
            AreaType::Lsoa11,
            Some(true),
            "",
        );
        assert_eq!(i.id, "iod2019.imd.score");
        assert_eq!(i.domain(), "imd");
        assert_eq!(i.measure(), "score");
    }
}
