//! Area types, areas and the cross-vintage links between them.
//!
//! Codes are only unique within one [`AreaType`]: an unchanged LSOA keeps its code in 2011 and
//! 2021, and most districts keep theirs between 2019 and 2024, so an area is identified by
//! `(area_type, code)`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Kind (and vintage) of a geographic area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaType {
    /// Lower-layer Super Output Area, 2011 boundaries (England and Wales).
    Lsoa11,
    /// Lower-layer Super Output Area, 2021 boundaries (England and Wales).
    Lsoa21,
    /// Scottish data zone, 2011.
    Dz11,
    /// Northern Ireland Super Output Area (2001 based, used by NIMDM 2017).
    Soa01,
    /// Electoral ward, 2019 (best-fit parent of LSOA 2011).
    Ward19,
    /// Electoral ward, 2024 (best-fit parent of LSOA 2021).
    Ward24,
    /// Local authority district, 2019 codes (IoD2019).
    Lad19,
    /// Local authority district, 2024 codes (IoD2025); also Scottish council areas and NI districts.
    Lad24,
    /// English region.
    Region,
    /// UK nation.
    Nation,
}

impl AreaType {
    /// Every area type, in hierarchy order (smallest first).
    pub const ALL: [AreaType; 10] = [
        AreaType::Lsoa11,
        AreaType::Lsoa21,
        AreaType::Dz11,
        AreaType::Soa01,
        AreaType::Ward19,
        AreaType::Ward24,
        AreaType::Lad19,
        AreaType::Lad24,
        AreaType::Region,
        AreaType::Nation,
    ];

    /// Stable snake_case id, as serialised (`"lsoa11"`, `"lad24"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            AreaType::Lsoa11 => "lsoa11",
            AreaType::Lsoa21 => "lsoa21",
            AreaType::Dz11 => "dz11",
            AreaType::Soa01 => "soa01",
            AreaType::Ward19 => "ward19",
            AreaType::Ward24 => "ward24",
            AreaType::Lad19 => "lad19",
            AreaType::Lad24 => "lad24",
            AreaType::Region => "region",
            AreaType::Nation => "nation",
        }
    }

    /// Human-readable label.
    pub fn label(self) -> &'static str {
        match self {
            AreaType::Lsoa11 => "LSOA (2011)",
            AreaType::Lsoa21 => "LSOA (2021)",
            AreaType::Dz11 => "Data zone (2011)",
            AreaType::Soa01 => "Super Output Area (NI, 2001)",
            AreaType::Ward19 => "Ward (2019)",
            AreaType::Ward24 => "Ward (2024)",
            AreaType::Lad19 => "Local authority district (2019)",
            AreaType::Lad24 => "Local authority district (2024)",
            AreaType::Region => "Region",
            AreaType::Nation => "Nation",
        }
    }

    /// Dense index (position in [`AreaType::ALL`]).
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for the small-area units that indices are published on.
    pub fn is_small_area(self) -> bool {
        matches!(
            self,
            AreaType::Lsoa11 | AreaType::Lsoa21 | AreaType::Dz11 | AreaType::Soa01
        )
    }

    /// Area types a GSS-style code could belong to, judged from its prefix only.
    /// Used to tell "unknown code" from "code of another geography" in user imports.
    pub fn candidates_for_code(code: &str) -> &'static [AreaType] {
        let prefix = code.get(..3).unwrap_or("");
        match prefix {
            "E01" | "W01" => &[AreaType::Lsoa11, AreaType::Lsoa21],
            "S01" => &[AreaType::Dz11],
            "E05" | "W05" => &[AreaType::Ward19, AreaType::Ward24],
            "E06" | "E07" | "E08" | "E09" | "W06" | "S12" | "N09" => {
                &[AreaType::Lad19, AreaType::Lad24]
            }
            "E12" => &[AreaType::Region],
            "E92" | "W92" | "S92" | "N92" => &[AreaType::Nation],
            _ if code.len() == 8 && code.starts_with("95") => &[AreaType::Soa01],
            _ => &[],
        }
    }
}

impl fmt::Display for AreaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an unrecognised area type id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown area type {0:?}")]
pub struct UnknownAreaType(pub String);

impl FromStr for AreaType {
    type Err = UnknownAreaType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AreaType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownAreaType(s.to_owned()))
    }
}

/// One geographic area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    /// GSS code (or NI SOA code such as `95AA01S1`).
    pub code: String,
    /// Official name.
    pub name: String,
    /// Type and vintage.
    pub area_type: AreaType,
    /// Codes of direct parents (e.g. LSOA 2021 -> ward 2024, LAD 2024; LAD -> region or nation).
    pub parent_codes: Vec<String>,
}

/// Edition of the English Indices of Deprivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edition {
    /// IoD2019: LSOA 2011 (32,844), LAD 2019 (317).
    Iod2019,
    /// IoD2025: LSOA 2021 (33,755), LAD 2024 (296).
    Iod2025,
}

impl Edition {
    /// Both editions, oldest first.
    pub const ALL: [Edition; 2] = [Edition::Iod2019, Edition::Iod2025];

    /// Dataset id (`"iod2019"` / `"iod2025"`).
    pub fn dataset_id(self) -> &'static str {
        match self {
            Edition::Iod2019 => "iod2019",
            Edition::Iod2025 => "iod2025",
        }
    }

    /// Small-area geography of the edition.
    pub fn lsoa_type(self) -> AreaType {
        match self {
            Edition::Iod2019 => AreaType::Lsoa11,
            Edition::Iod2025 => AreaType::Lsoa21,
        }
    }

    /// District geography of the edition.
    pub fn lad_type(self) -> AreaType {
        match self {
            Edition::Iod2019 => AreaType::Lad19,
            Edition::Iod2025 => AreaType::Lad24,
        }
    }

    /// Number of LSOAs in England ranked by the edition (N in `N + 1 - rank`).
    pub fn lsoa_count(self) -> usize {
        match self {
            Edition::Iod2019 => 32_844,
            Edition::Iod2025 => 33_755,
        }
    }

    /// Number of districts in the edition's LAD summaries.
    pub fn lad_count(self) -> usize {
        match self {
            Edition::Iod2019 => 317,
            Edition::Iod2025 => 296,
        }
    }

    /// The other edition.
    pub fn other(self) -> Edition {
        match self {
            Edition::Iod2019 => Edition::Iod2025,
            Edition::Iod2025 => Edition::Iod2019,
        }
    }
}

impl FromStr for Edition {
    type Err = UnknownAreaType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "iod2019" | "2019" => Ok(Edition::Iod2019),
            "iod2025" | "2025" => Ok(Edition::Iod2025),
            _ => Err(UnknownAreaType(s.to_owned())),
        }
    }
}

/// ONS change code between LSOA 2011 and LSOA 2021.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeCode {
    /// Unchanged.
    U,
    /// The 2011 LSOA was split into several 2021 LSOAs.
    S,
    /// Several 2011 LSOAs were merged into one 2021 LSOA.
    M,
    /// Complex (redrawn) change.
    X,
}

impl ChangeCode {
    /// Parse the single-letter ONS code.
    pub fn parse(s: &str) -> Option<ChangeCode> {
        match s.trim() {
            "U" => Some(ChangeCode::U),
            "S" => Some(ChangeCode::S),
            "M" => Some(ChangeCode::M),
            "X" => Some(ChangeCode::X),
            _ => None,
        }
    }
}

/// One row of the ONS LSOA 2011 -> LSOA 2021 lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LsoaLink {
    /// LSOA 2011 code.
    pub lsoa11: String,
    /// LSOA 2021 code.
    pub lsoa21: String,
    /// Change code of the pair.
    pub change: ChangeCode,
}

/// A district's code and name in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadYearCode {
    /// Year of the vintage (2016..=2024).
    pub year: u16,
    /// District code in that year.
    pub code: String,
    /// District name in that year.
    pub name: String,
}

/// Code history of one 2016 district up to 2024 (ONS LAD-to-LAD lookups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadLineage {
    /// One entry per year, oldest first.
    pub years: Vec<LadYearCode>,
}

impl LadLineage {
    /// Code in the given year, if recorded.
    pub fn code_in(&self, year: u16) -> Option<&str> {
        self.years
            .iter()
            .find(|y| y.year == year)
            .map(|y| y.code.as_str())
    }
}

/// A categorical classification of an area (rural-urban class, ICB, police force area, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaClass {
    /// Area code.
    pub area: String,
    /// Area type of `area`.
    pub area_type: AreaType,
    /// Classification scheme, e.g. `"ruc21"`, `"ruc11"`, `"icb24"`, `"pfa24"`.
    pub scheme: String,
    /// Class code, e.g. `"UN1"` or an ICB code.
    pub code: String,
    /// Class label.
    pub label: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_type_round_trips_through_serde_and_from_str() {
        for t in AreaType::ALL {
            let json = serde_json::to_string(&t).expect("serialise");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(t.as_str().parse::<AreaType>().expect("parse"), t);
            assert_eq!(AreaType::ALL[t.index()], t);
        }
        assert_eq!(
            serde_json::to_string(&Edition::Iod2025).expect("ser"),
            "\"iod2025\""
        );
    }

    #[test]
    fn code_prefixes_suggest_area_types() {
        assert_eq!(
            AreaType::candidates_for_code("E06000026"),
            &[AreaType::Lad19, AreaType::Lad24]
        );
        assert_eq!(
            AreaType::candidates_for_code("95AA01S1"),
            &[AreaType::Soa01]
        );
        assert!(AreaType::candidates_for_code("XYZ").is_empty());
    }
}
