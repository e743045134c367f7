//! Postcode -> LSOA lookup (1.77 M postcodes), kept compact: codes are interned and postcodes are
//! stored as fixed 8-byte keys, so the index needs roughly 60 MB instead of several hundred.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::IngestError;
use super::table::Table;

const MAIN: &str = "postcode_lookup/postcode_oa11_lsoa11_lsoa21_gb_may22.csv.gz";
const NEWER: &str = "postcode_lookup/postcode_lsoa21_new_since_may22_ew_derived.csv.gz";
const NONE: u32 = u32::MAX;

/// Where a postcode's LSOA 2021 came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostcodeSource {
    /// ONS May 2022 lookup (LSOA 2011 official; LSOA 2021 exact or estimated, see the flag).
    OnsMay2022,
    /// Newer postcode (ONSPD 2025) placed by point-in-polygon: approximate (~89% accurate).
    DerivedSinceMay2022,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    lsoa11: u32,
    lsoa21: u32,
    lad: u32,
    flags: u8,
}

const FLAG_ESTIMATE: u8 = 1;
const FLAG_DERIVED: u8 = 2;

/// Result of a postcode lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostcodeMatch {
    /// Postcode in standard form (`PL1 2AA`).
    pub postcode: String,
    /// LSOA 2011 (data zone 2011 in Scotland); `None` for postcodes newer than May 2022.
    pub lsoa11: Option<String>,
    /// LSOA 2021 (England and Wales only).
    pub lsoa21: Option<String>,
    /// True if `lsoa21` is an estimate (split LSOA or newer postcode), not an ONS assignment.
    pub lsoa21_is_estimate: bool,
    /// District: LAD 2022 code (May 2022 file) or LAD 2025 code (newer postcodes).
    pub lad: String,
    /// Which file the row came from.
    pub source: PostcodeSource,
}

/// In-memory postcode index; build with [`postcodes`].
#[derive(Debug, Default)]
pub struct PostcodeIndex {
    map: HashMap<[u8; 8], Entry>,
    codes: Vec<String>,
}

impl PostcodeIndex {
    /// Number of postcodes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Look up a postcode in any common spelling (`pl12aa`, `PL1 2AA`, ` pl1  2aa `).
    pub fn lookup(&self, postcode: &str) -> Option<PostcodeMatch> {
        let normalised = normalise_postcode(postcode)?;
        let entry = self.map.get(&key(&normalised)?)?;
        let code = |i: u32| {
            (i != NONE)
                .then(|| self.codes.get(i as usize).cloned())
                .flatten()
        };
        Some(PostcodeMatch {
            postcode: normalised,
            lsoa11: code(entry.lsoa11),
            lsoa21: code(entry.lsoa21),
            lsoa21_is_estimate: entry.flags & FLAG_ESTIMATE != 0,
            lad: code(entry.lad).unwrap_or_default(),
            source: if entry.flags & FLAG_DERIVED != 0 {
                PostcodeSource::DerivedSinceMay2022
            } else {
                PostcodeSource::OnsMay2022
            },
        })
    }
}

/// Normalise a UK postcode: upper-case, drop spaces, one space before the last three characters.
/// `None` if it cannot be a postcode (wrong length or characters).
pub fn normalise_postcode(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    Some(format!("{outward} {inward}"))
}

fn key(normalised: &str) -> Option<[u8; 8]> {
    let bytes = normalised.as_bytes();
    if bytes.len() > 8 {
        return None;
    }
    let mut k = [b' '; 8];
    k[..bytes.len()].copy_from_slice(bytes);
    Some(k)
}

struct Interner {
    ids: HashMap<String, u32>,
    codes: Vec<String>,
}

impl Interner {
    fn id(&mut self, code: &str) -> u32 {
        if code.is_empty() {
            return NONE;
        }
        if let Some(&i) = self.ids.get(code) {
            return i;
        }
        let i = self.codes.len() as u32;
        self.codes.push(code.to_owned());
        self.ids.insert(code.to_owned(), i);
        i
    }
}

/// The index key of the current row's postcode in column `pc`; a malformed one is an error.
fn postcode_key(t: &Table, pc: usize) -> Result<[u8; 8], IngestError> {
    t.text(pc)
        .ok()
        .and_then(normalise_postcode)
        .and_then(|n| key(&n))
        .ok_or_else(|| t.error(pc, "malformed postcode"))
}

/// Load the postcode lookup (both files; the May 2022 ONS file wins where both list a postcode).
/// Not part of `load_all`: it is large (1.77 M rows), so load it lazily when first needed.
pub fn postcodes(data_dir: &Path) -> Result<PostcodeIndex, IngestError> {
    let mut interner = Interner {
        ids: HashMap::new(),
        codes: Vec::new(),
    };
    let mut map: HashMap<[u8; 8], Entry> = HashMap::with_capacity(1_800_000);
    let mut t = Table::open(data_dir, MAIN)?;
    let (pc, l11, lad, l21, method) = (
        t.col("pcds")?,
        t.col("lsoa11cd")?,
        t.col("lad22cd")?,
        t.col("lsoa21cd")?,
        t.col("lsoa21_method")?,
    );
    while t.next_record()? {
        let k = postcode_key(&t, pc)?;
        let m = t.text(method)?;
        let estimate = !m.is_empty() && !m.starts_with("exact");
        let entry = Entry {
            lsoa11: interner.id(t.text(l11)?),
            lsoa21: interner.id(t.text(l21)?),
            lad: interner.id(t.text(lad)?),
            flags: if estimate { FLAG_ESTIMATE } else { 0 },
        };
        map.insert(k, entry);
    }
    let mut t = Table::open(data_dir, NEWER)?;
    let (pc, lad, l21) = (t.col("pcds")?, t.col("lad25cd")?, t.col("lsoa21cd")?);
    while t.next_record()? {
        let k = postcode_key(&t, pc)?;
        if map.contains_key(&k) {
            continue;
        }
        let entry = Entry {
            lsoa11: NONE,
            lsoa21: interner.id(t.text(l21)?),
            lad: interner.id(t.text(lad)?),
            flags: FLAG_ESTIMATE | FLAG_DERIVED,
        };
        map.insert(k, entry);
    }
    Ok(PostcodeIndex {
        map,
        codes: interner.codes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_spellings() {
        assert_eq!(normalise_postcode("pl12aa").as_deref(), Some("PL1 2AA"));
        assert_eq!(
            normalise_postcode("  SW1A   1AA ").as_deref(),
            Some("SW1A 1AA")
        );
        assert_eq!(normalise_postcode("M11AE").as_deref(), Some("M1 1AE"));
        assert_eq!(normalise_postcode("not a postcode"), None);
        assert_eq!(normalise_postcode("AB1"), None);
    }
}
