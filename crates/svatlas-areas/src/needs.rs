//! Which Social Value Model award criteria an area needs most, with the evidence.
//!
//! `data/need-to-svm.csv` maps each deprivation domain to Social Value Model 2020 MACs and 2025
//! missions/outcomes, with a strength (strong/moderate/weak) and a one-line rationale. An area's
//! need in a domain is its population-weighted average reversed rank as a percentile of England
//! (100 = as deprived as the most deprived LSOA); a criterion scores the highest
//! `need x strength weight` among the domains mapped to it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ingest::IngestError;
use crate::summary::Summary;

/// Mapping file, relative to the data directory.
pub const MAPPING_FILE: &str = "need-to-svm.csv";

/// How directly a criterion acts on a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Acts directly on what the domain measures.
    Strong,
    /// Acts on part of it.
    Moderate,
    /// Indirect.
    Weak,
}

impl Strength {
    /// Weight applied to the domain need.
    pub fn weight(self) -> f64 {
        match self {
            Strength::Strong => 1.0,
            Strength::Moderate => 0.75,
            Strength::Weak => 0.5,
        }
    }
}

/// One row of the mapping file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedMapping {
    /// IoD domain id (`imd`, `income`, ...).
    pub domain: String,
    /// Social Value Model edition (`"2020"` or `"2025"`).
    pub svm_edition: String,
    /// Theme (2020) or mission (2025).
    pub theme: String,
    /// Policy outcome.
    pub policy_outcome: String,
    /// MAC id exactly as in the model (e.g. `"MAC 2.2"`, `"MAC 1a"`); None where the 2025 MACs
    /// are not transcribed and the mapping is to the outcome.
    pub mac_id: Option<String>,
    /// MAC title.
    pub mac_title: Option<String>,
    /// Strength of the link.
    pub strength: Strength,
    /// One-line rationale.
    pub rationale: String,
}

/// Read the mapping from `data_dir/need-to-svm.csv`.
pub fn load_mapping(data_dir: &Path) -> Result<Vec<NeedMapping>, IngestError> {
    let file = std::fs::File::open(data_dir.join(MAPPING_FILE))
        .map_err(|e| IngestError::io(MAPPING_FILE, &e))?;
    mapping_from_reader(std::io::BufReader::new(file), MAPPING_FILE)
}

/// Parse a mapping CSV (columns `domain, svm_edition, theme, policy_outcome, mac_id, mac_title,
/// strength, rationale`).
pub fn mapping_from_reader<R: std::io::Read + 'static>(
    reader: R,
    name: &str,
) -> Result<Vec<NeedMapping>, IngestError> {
    let mut t = crate::ingest::table_from_reader(name, Box::new(reader))?;
    let cols = [
        "domain",
        "svm_edition",
        "theme",
        "policy_outcome",
        "mac_id",
        "mac_title",
        "strength",
        "rationale",
    ]
    .map(|c| t.col(c))
    .into_iter()
    .collect::<Result<Vec<usize>, _>>()?;
    let mut out = Vec::new();
    while t.next_record()? {
        let text = |i: usize| t.text(cols[i]).map(str::to_owned);
        let optional = |i: usize| {
            t.text(cols[i])
                .map(|s| (!s.is_empty()).then(|| s.to_owned()))
        };
        let strength = match t.text(cols[6])? {
            "strong" => Strength::Strong,
            "moderate" => Strength::Moderate,
            "weak" => Strength::Weak,
            other => {
                return Err(t.error(
                    cols[6],
                    format!("strength must be strong, moderate or weak, not {other:?}"),
                ));
            }
        };
        let domain = t.required_text(cols[0])?.to_owned();
        if crate::catalog::IodDomain::parse(&domain).is_none() {
            return Err(t.error(cols[0], format!("unknown domain {domain:?}")));
        }
        out.push(NeedMapping {
            domain,
            svm_edition: t.required_text(cols[1])?.to_owned(),
            theme: text(2)?,
            policy_outcome: t.required_text(cols[3])?.to_owned(),
            mac_id: optional(4)?,
            mac_title: optional(5)?,
            strength,
            rationale: t.required_text(cols[7])?.to_owned(),
        });
    }
    Ok(out)
}

/// Evidence for one domain behind a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedEvidence {
    /// Domain id.
    pub domain: String,
    /// Need in the domain: 100 x average reversed rank / N (100 = most deprived).
    pub need: f64,
    /// Share of LSOAs in the most deprived 10% nationally.
    pub proportion_most_deprived_10pc: Option<f64>,
    /// Average score, where available.
    pub average_score: Option<f64>,
    /// Strength of the domain-criterion link.
    pub strength: Strength,
    /// Why the domain relates to the criterion.
    pub rationale: String,
}

/// A criterion (2020 MAC or 2025 outcome/MAC) ranked by need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MacNeed {
    /// `"2020"` or `"2025"`.
    pub svm_edition: String,
    /// MAC id as written in the model, if mapped at MAC level.
    pub mac_id: Option<String>,
    /// MAC title, or the policy outcome when mapped at outcome level.
    pub title: String,
    /// Theme or mission.
    pub theme: String,
    /// Policy outcome.
    pub policy_outcome: String,
    /// Highest `need x strength weight` over the evidence (0-100).
    pub score: f64,
    /// Supporting domains, strongest first.
    pub evidence: Vec<NeedEvidence>,
}

/// Rank criteria for an area summary (custom area or district). `svm_edition` filters to one
/// edition of the model. Domains missing from the summary contribute no evidence.
pub fn rank_needs(
    summary: &Summary,
    mapping: &[NeedMapping],
    svm_edition: Option<&str>,
) -> Vec<MacNeed> {
    let n = summary.edition.lsoa_count() as f64;
    let mut out: Vec<MacNeed> = Vec::new();
    for m in mapping
        .iter()
        .filter(|m| svm_edition.is_none_or(|e| e == m.svm_edition))
    {
        let Some(d) = summary.domains.get(&m.domain) else {
            continue;
        };
        let Some(avg) = d.average_rank else {
            continue;
        };
        let evidence = NeedEvidence {
            domain: m.domain.clone(),
            need: 100.0 * avg / n,
            proportion_most_deprived_10pc: d.proportion_most_deprived_10pc,
            average_score: d.average_score,
            strength: m.strength,
            rationale: m.rationale.clone(),
        };
        let key_matches = |x: &MacNeed| {
            x.svm_edition == m.svm_edition
                && x.mac_id == m.mac_id
                && x.policy_outcome == m.policy_outcome
        };
        let entry = match out.iter().position(key_matches) {
            Some(i) => &mut out[i],
            None => {
                out.push(MacNeed {
                    svm_edition: m.svm_edition.clone(),
                    mac_id: m.mac_id.clone(),
                    title: m
                        .mac_title
                        .clone()
                        .unwrap_or_else(|| m.policy_outcome.clone()),
                    theme: m.theme.clone(),
                    policy_outcome: m.policy_outcome.clone(),
                    score: 0.0,
                    evidence: Vec::new(),
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        entry.score = entry.score.max(evidence.need * m.strength.weight());
        entry.evidence.push(evidence);
    }
    for m in &mut out {
        m.evidence.sort_by(|a, b| {
            (b.need * b.strength.weight()).total_cmp(&(a.need * a.strength.weight()))
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.svm_edition.cmp(&b.svm_edition))
            .then_with(|| a.mac_id.cmp(&b.mac_id))
            .then_with(|| a.policy_outcome.cmp(&b.policy_outcome))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::Edition;
    use crate::summary::lad_summaries;
    use crate::testdata::{data_dir, frame};

    #[test]
    fn mapping_uses_mac_ids_from_the_model() {
        // MAC ids of /work/shared/domain/social-value-model.csv, one per line.
        let mapping = load_mapping(&data_dir()).expect("mapping");
        assert!(mapping.len() >= 30);
        let model = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/social-value-model-mac-ids.txt"
        ))
        .expect("fixture");
        for m in &mapping {
            if let Some(id) = &m.mac_id {
                assert!(model.lines().any(|l| l == id), "{id} not in the model");
            }
        }
        for d in crate::catalog::IodDomain::ALL {
            assert!(mapping.iter().any(|m| m.domain == d.id()), "{d:?} unmapped");
        }
    }

    #[test]
    fn blackpool_needs_employment_and_health_criteria_first() {
        let mapping = load_mapping(&data_dir()).expect("mapping");
        let blackpool = lad_summaries(frame(), Edition::Iod2025)
            .into_iter()
            .find(|l| l.code == "E06000009")
            .expect("Blackpool");
        let needs = rank_needs(&blackpool.summary, &mapping, Some("2020"));
        assert!(needs.iter().all(|n| n.svm_edition == "2020"));
        assert!(needs.windows(2).all(|w| w[0].score >= w[1].score));
        let top: Vec<&str> = needs
            .iter()
            .take(3)
            .filter_map(|n| n.mac_id.as_deref())
            .collect();
        assert!(
            top.contains(&"MAC 7.2") || top.contains(&"MAC 2.2"),
            "{top:?}"
        );
        assert!(
            needs[0]
                .evidence
                .iter()
                .all(|e| e.need > 0.0 && e.need <= 100.0)
        );
        let hart = lad_summaries(frame(), Edition::Iod2025)
            .into_iter()
            .find(|l| l.code == "E07000089")
            .expect("Hart");
        let hart_needs = rank_needs(&hart.summary, &mapping, Some("2020"));
        assert!(hart_needs[0].score < needs[0].score);
    }

    #[test]
    fn rejects_bad_mapping_rows() {
        let text = "domain,svm_edition,theme,policy_outcome,mac_id,mac_title,strength,rationale\nimd,2020,t,o,MAC 2.2,x,huge,r\n";
        let err = mapping_from_reader(std::io::Cursor::new(text.as_bytes().to_vec()), "m.csv")
            .expect_err("bad strength");
        assert_eq!((err.line, err.column), (2, 7));
    }
}
