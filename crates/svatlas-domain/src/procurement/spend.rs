//! Local spend: what a supplier spends with its supply chain under a contract, and the shares
//! spent in the contract's area, in deprived areas (IMD deciles 1–3) and with SMEs and VCSEs.
//!
//! Where each line was spent is worked out by the caller (postcode → LSOA → district and IMD
//! decile, from the shipped open data) and passed in as a [`SpendPlace`]; a line with no place
//! counts towards the total and is reported as "not located", never guessed.

use serde::{Deserialize, Serialize};

use crate::calculator::entries::{check_optional, check_required, finish, is_iso_date};
use crate::sroi::{FieldError, ValidationErrors};

/// Highest IMD decile counted as deprived (1 = most deprived 10% of LSOAs in England).
pub const DEPRIVED_DECILE_MAX: u8 = 3;
/// Most spend lines per contract.
pub const MAX_SPEND_LINES: usize = 10_000;

/// One payment (or a period's payments) to one supply-chain supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SpendLine {
    /// Who was paid.
    pub supplier: String,
    /// Amount, £ (excluding VAT).
    pub amount_gbp: f64,
    /// When (or the end of the period), `YYYY-MM-DD`.
    pub date: String,
    /// Where the supplier works from: a UK postcode…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// …or an area code (LSOA or local authority).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// A small or medium-sized enterprise.
    #[serde(default)]
    pub sme: bool,
    /// A voluntary, community or social enterprise.
    #[serde(default)]
    pub vcse: bool,
    /// What for.
    #[serde(default)]
    pub description: String,
}

impl SpendLine {
    /// Checks a line; all problems at once.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        check_required(&mut errors, "supplier", &self.supplier, 300);
        check_optional(&mut errors, "description", &self.description, 2000);
        if !(self.amount_gbp.is_finite() && self.amount_gbp > 0.0 && self.amount_gbp <= 1e12) {
            errors.push(FieldError::new(
                "out_of_range",
                "amount_gbp",
                "the amount must be more than £0",
            ));
        }
        if !is_iso_date(&self.date) {
            errors.push(FieldError::new(
                "invalid",
                "date",
                "the date must be a real date written as YYYY-MM-DD",
            ));
        }
        if let Some(p) = &self.postcode {
            let compact: String = p.chars().filter(|c| !c.is_whitespace()).collect();
            if !(5..=7).contains(&compact.len())
                || !compact.chars().all(|c| c.is_ascii_alphanumeric())
            {
                errors.push(FieldError::new(
                    "invalid",
                    "postcode",
                    format!("{p:?} is not a UK postcode (e.g. PL1 2AA)"),
                ));
            }
        }
        if let Some(a) = &self.area {
            super::tender::check_areas(&mut errors, std::slice::from_ref(a));
            if let Some(e) = errors.last_mut()
                && e.field == "areas[0]"
            {
                e.field = "area".into();
            }
        }
        finish(errors)
    }
}

/// Where a line was spent, as worked out from the open data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpendPlace {
    /// Small area (LSOA 2021 where known).
    pub lsoa: Option<String>,
    /// Local authority district.
    pub lad: Option<String>,
    /// IMD decile of the small area (1 = most deprived 10% in England).
    pub imd_decile: Option<u8>,
    /// Which edition the decile comes from (`IoD2025`, `IoD2019`).
    pub imd_edition: Option<String>,
    /// Whether the small area is an estimate (the postcode lookup's derived LSOA 2021).
    pub estimate: bool,
}

/// An amount and its share of the total spend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    /// £.
    pub amount_gbp: f64,
    /// Of the total (0–1).
    pub share: f64,
}

/// A contract's local spend in figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpendSummary {
    /// Spend lines.
    pub lines: usize,
    /// Total spend, £.
    pub total_gbp: f64,
    /// Spent in the contract's areas (a line's LSOA or district is one of them); `None` when
    /// the contract names no area.
    pub in_contract_area: Option<Share>,
    /// Spent in LSOAs of IMD deciles 1–3.
    pub in_deprived_areas: Share,
    /// Spent with SMEs.
    pub with_smes: Share,
    /// Spent with VCSEs.
    pub with_vcses: Share,
    /// Spent where no place could be worked out (no postcode or area, or not found).
    pub not_located: Share,
    /// Spent where the small area is an estimate (derived LSOA 2021).
    pub located_by_estimate: Share,
}

fn share(amount: f64, total: f64) -> Share {
    Share {
        amount_gbp: amount,
        share: if total > 0.0 { amount / total } else { 0.0 },
    }
}

/// Sums a contract's spend. `contract_areas` are the tender's area codes (districts or LSOAs).
pub fn summarise_spend(
    lines: &[(SpendLine, Option<SpendPlace>)],
    contract_areas: &[String],
) -> SpendSummary {
    // An empty f64 sum is -0.0; adding 0.0 keeps every figure from printing as "-0".
    let total: f64 = lines.iter().map(|(l, _)| l.amount_gbp).sum::<f64>() + 0.0;
    let sum = |f: &dyn Fn(&SpendLine, Option<&SpendPlace>) -> bool| -> f64 {
        lines
            .iter()
            .filter(|(l, p)| f(l, p.as_ref()))
            .map(|(l, _)| l.amount_gbp)
            .sum::<f64>()
            + 0.0
    };
    let in_area = |p: Option<&SpendPlace>| {
        p.is_some_and(|p| {
            contract_areas.iter().any(|a| {
                p.lsoa.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(a))
                    || p.lad.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(a))
            })
        })
    };
    let located = |p: Option<&SpendPlace>| p.is_some_and(|p| p.lsoa.is_some() || p.lad.is_some());
    SpendSummary {
        lines: lines.len(),
        total_gbp: total,
        in_contract_area: (!contract_areas.is_empty())
            .then(|| share(sum(&|_, p| in_area(p)), total)),
        in_deprived_areas: share(
            sum(&|_, p| {
                p.and_then(|p| p.imd_decile)
                    .is_some_and(|d| (1..=DEPRIVED_DECILE_MAX).contains(&d))
            }),
            total,
        ),
        with_smes: share(sum(&|l, _| l.sme), total),
        with_vcses: share(sum(&|l, _| l.vcse), total),
        not_located: share(sum(&|_, p| !located(p)), total),
        located_by_estimate: share(sum(&|_, p| p.is_some_and(|p| p.estimate)), total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(amount: f64, sme: bool, vcse: bool) -> SpendLine {
        SpendLine {
            supplier: "Tamar Bakery".into(),
            amount_gbp: amount,
            date: "2027-06-30".into(),
            postcode: Some("PL1 2AA".into()),
            area: None,
            sme,
            vcse,
            description: String::new(),
        }
    }

    fn place(lsoa: &str, lad: &str, decile: u8, estimate: bool) -> Option<SpendPlace> {
        Some(SpendPlace {
            lsoa: Some(lsoa.into()),
            lad: Some(lad.into()),
            imd_decile: Some(decile),
            imd_edition: Some("IoD2025".into()),
            estimate,
        })
    }

    #[test]
    fn shares_of_local_deprived_sme_and_vcse_spend() {
        let lines = vec![
            (
                line(6_000.0, true, false),
                place("E01015023", "E06000026", 1, false),
            ),
            (
                line(3_000.0, false, true),
                place("E01015100", "E06000026", 7, true),
            ),
            (
                line(1_000.0, true, true),
                place("E01000001", "E09000001", 3, false),
            ),
            (line(10_000.0, false, false), None),
        ];
        let s = summarise_spend(&lines, &["E06000026".to_owned()]);
        assert_eq!(s.lines, 4);
        assert_eq!(s.total_gbp, 20_000.0);
        let area = s.in_contract_area.expect("contract names an area");
        assert_eq!((area.amount_gbp, area.share), (9_000.0, 0.45));
        assert_eq!(s.in_deprived_areas.amount_gbp, 7_000.0);
        assert_eq!(s.with_smes.amount_gbp, 7_000.0);
        assert_eq!(s.with_vcses.amount_gbp, 4_000.0);
        assert_eq!(
            (s.not_located.amount_gbp, s.not_located.share),
            (10_000.0, 0.5)
        );
        assert_eq!(s.located_by_estimate.amount_gbp, 3_000.0);
        // An LSOA named as the contract's area counts too; no areas, no in-area share.
        let s = summarise_spend(&lines, &["E01015100".to_owned()]);
        assert_eq!(s.in_contract_area.map(|a| a.amount_gbp), Some(3_000.0));
        assert!(summarise_spend(&lines, &[]).in_contract_area.is_none());
        let empty = summarise_spend(&[], &[]);
        assert_eq!(empty.with_smes.share, 0.0);
        assert!(
            empty.not_located.amount_gbp.is_sign_positive(),
            "no -0 to print"
        );
        assert!(empty.total_gbp.is_sign_positive());
    }

    #[test]
    fn spend_lines_are_checked() {
        line(1.0, false, false).validate().expect("valid");
        let bad = SpendLine {
            supplier: " ".into(),
            amount_gbp: 0.0,
            date: "2027-02-30".into(),
            postcode: Some("NOT A POSTCODE".into()),
            area: Some("E0-1".into()),
            ..line(1.0, false, false)
        };
        let e = bad.validate().unwrap_err();
        for f in ["supplier", "amount_gbp", "date", "postcode", "area"] {
            assert!(e.for_field(f).is_some(), "{f}: {e:?}");
        }
    }
}
