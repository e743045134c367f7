//! Finding places by name or code: an index of every area name, built once per server, and the
//! matching and grouping the search page shows.

use std::collections::HashSet;

use svatlas_areas::AreaFrame;
use svatlas_areas::frame::AreaRef;
use svatlas_areas::geography::AreaType;

/// How areas are grouped on the search page, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// Local authority districts (2024 and 2019).
    District,
    /// Electoral wards (2024 and 2019).
    Ward,
    /// LSOAs (2021 and 2011).
    Lsoa,
    /// English regions.
    Region,
    /// UK nations.
    Nation,
    /// Scottish data zones.
    DataZone,
    /// Northern Ireland Super Output Areas.
    Soa,
}

impl Group {
    /// Every group, in display order.
    pub const ALL: [Group; 7] = [
        Group::District,
        Group::Ward,
        Group::Lsoa,
        Group::Region,
        Group::Nation,
        Group::DataZone,
        Group::Soa,
    ];

    /// Heading on the page.
    pub fn label(self) -> &'static str {
        match self {
            Group::District => "Local authority districts",
            Group::Ward => "Wards",
            Group::Lsoa => "Small areas (LSOAs)",
            Group::Region => "Regions",
            Group::Nation => "Nations",
            Group::DataZone => "Scottish data zones",
            Group::Soa => "Northern Ireland Super Output Areas",
        }
    }

    /// Area types of the group, newest vintage first (a code held by both shows once, newest).
    fn types(self) -> &'static [AreaType] {
        match self {
            Group::District => &[AreaType::Lad24, AreaType::Lad19],
            Group::Ward => &[AreaType::Ward24, AreaType::Ward19],
            Group::Lsoa => &[AreaType::Lsoa21, AreaType::Lsoa11],
            Group::Region => &[AreaType::Region],
            Group::Nation => &[AreaType::Nation],
            Group::DataZone => &[AreaType::Dz11],
            Group::Soa => &[AreaType::Soa01],
        }
    }
}

struct Entry {
    /// Lower-case name.
    name: String,
    /// Upper-case code.
    code: String,
    group: Group,
    at: AreaRef,
}

/// Every area name, lower-cased once, grouped; a code held by several vintages of one group
/// appears once (the newest).
pub struct NameIndex {
    entries: Vec<Entry>,
}

/// How well a name matches: lower is better.
fn score(name: &str, code: &str, query: &str, code_query: &str) -> Option<u8> {
    if name == query || code == code_query {
        return Some(0);
    }
    if name.starts_with(query) || code.starts_with(code_query) {
        return Some(1);
    }
    let pos = name.find(query)?;
    // A match at a word start ("devon" in "North Devon") beats one inside a word.
    let word_start = name[..pos]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    Some(if word_start { 2 } else { 3 })
}

/// One area found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Position in the frame.
    pub at: AreaRef,
    /// Match quality (0 = exact name or code).
    pub score: u8,
}

/// The hits of one group, best first, with the total before the limit.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupHits {
    /// The group.
    pub group: Group,
    /// Every match in the group.
    pub total: usize,
    /// The best `limit` matches.
    pub hits: Vec<Hit>,
}

impl NameIndex {
    /// Indexes every area of the frame.
    pub fn build(frame: &AreaFrame) -> Self {
        let mut entries = Vec::new();
        for group in Group::ALL {
            let mut seen: HashSet<&str> = HashSet::new();
            for &t in group.types() {
                for (i, area) in frame.areas(t).iter().enumerate() {
                    if !seen.insert(area.code.as_str()) {
                        continue;
                    }
                    entries.push(Entry {
                        name: area.name.to_lowercase(),
                        code: area.code.to_ascii_uppercase(),
                        group,
                        at: AreaRef {
                            area_type: t,
                            index: i as u32,
                        },
                    });
                }
            }
        }
        NameIndex { entries }
    }

    /// Areas whose name contains the query (case-insensitive) or whose code starts with it,
    /// grouped, best matches first (exact, prefix, word start, anywhere; then shorter names).
    pub fn search(&self, query: &str, limit: usize) -> Vec<GroupHits> {
        let query = normalise_query(query);
        if query.is_empty() {
            return Vec::new();
        }
        let code_query = query.to_ascii_uppercase().replace(' ', "");
        let mut by_group: Vec<Vec<(u8, usize, &Entry)>> = vec![Vec::new(); Group::ALL.len()];
        for e in &self.entries {
            if let Some(s) = score(&e.name, &e.code, &query, &code_query) {
                let g = Group::ALL.iter().position(|g| *g == e.group).unwrap_or(0);
                by_group[g].push((s, e.name.len(), e));
            }
        }
        let order = |a: &(u8, usize, &Entry), b: &(u8, usize, &Entry)| {
            (a.0, a.1, &a.2.name, &a.2.code).cmp(&(b.0, b.1, &b.2.name, &b.2.code))
        };
        Group::ALL
            .iter()
            .zip(by_group)
            .filter(|(_, found)| !found.is_empty())
            .map(|(&group, mut found)| {
                let total = found.len();
                // Only the shown few need sorting: "a" matches most of 100,000 names.
                if limit > 0 && limit < found.len() {
                    found.select_nth_unstable_by(limit - 1, order);
                }
                found.truncate(limit);
                found.sort_by(order);
                GroupHits {
                    group,
                    total,
                    hits: found
                        .iter()
                        .map(|f| Hit {
                            at: f.2.at,
                            score: f.0,
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Codes of the areas whose full name is exactly the query (case-insensitive), distinct.
    pub fn exact_name(&self, query: &str) -> Vec<&str> {
        let query = normalise_query(query);
        let mut codes: Vec<&str> = self
            .entries
            .iter()
            .filter(|e| e.name == query)
            .map(|e| e.code.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }
}

/// Lower case, single spaces, trimmed.
pub fn normalise_query(query: &str) -> String {
    query
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_beats_prefix_beats_word_beats_inside() {
        assert_eq!(
            score("plymouth", "E06000026", "plymouth", "PLYMOUTH"),
            Some(0)
        );
        assert_eq!(
            score("plymouth 001a", "E01", "plymouth", "PLYMOUTH"),
            Some(1)
        );
        assert_eq!(score("north devon", "E07", "devon", "DEVON"), Some(2));
        assert_eq!(score("mid devonshire", "E07", "evon", "EVON"), Some(3));
        assert_eq!(score("leeds", "E08000035", "e0800", "E0800"), Some(1));
        assert_eq!(score("leeds", "E08000035", "york", "YORK"), None);
        assert_eq!(normalise_query("  North   DEVON "), "north devon");
    }
}
