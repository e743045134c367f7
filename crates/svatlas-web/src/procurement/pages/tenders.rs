//! Procurement pages for people: the caller's tenders, a tender with its settings, weights,
//! questions, scale and the local need of the areas it serves; the supplier's bid form; the
//! evaluator's scoring page, the moderator's page and the results with the award.
//!
//! Handlers are thin: they check access through [`crate::procurement::access`] exactly as the JSON API
//! does (404 for a tender the caller may not see, 403 for the wrong side or role, 409 for the
//! wrong stage, 422 with the form shown again and a GOV.UK error summary for bad input) and
//! call the same store functions.

pub mod bid;
pub mod edit;
pub mod forms;
pub mod listing;
pub mod results;
pub mod scoring;
pub mod tender;

use svatlas_domain::procurement::model::{Catalogue, Certainty, Edition};
use svatlas_domain::procurement::scoring::Method;
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};

use crate::platform::format::pct;
use crate::platform::format::plain;

/// A coloured tag: its words and govuk-frontend class.
#[derive(Debug, Clone, Copy)]
pub struct Tag {
    pub label: &'static str,
    pub class: &'static str,
}

/// A tender's status as a tag.
pub fn status_tag(status: TenderStatus) -> Tag {
    Tag {
        label: status.label(),
        class: match status {
            TenderStatus::Draft => "govuk-tag--grey",
            TenderStatus::Open => "govuk-tag--blue",
            TenderStatus::Evaluation => "govuk-tag--yellow",
            TenderStatus::Awarded => "govuk-tag--green",
            TenderStatus::Cancelled => "govuk-tag--red",
        },
    }
}

/// How sure the wording is, as a tag; `None` when it was read in the official text.
pub fn certainty_tag(certainty: Certainty) -> Option<Tag> {
    let class = match certainty {
        Certainty::Verified => return None,
        Certainty::Corroborated => "govuk-tag--turquoise",
        Certainty::Recalled => "govuk-tag--yellow",
        Certainty::Unverified => "govuk-tag--orange",
        Certainty::IndicativeOurs => "govuk-tag--purple",
    };
    Some(Tag {
        label: certainty.label(),
        class,
    })
}

/// A model award criterion as pages show it.
#[derive(Debug, Clone)]
pub struct CriterionView {
    pub id: String,
    /// Edition and id for element ids: `2020-mac-2-2`.
    pub slug: String,
    pub title: String,
    /// The wording's certainty when it is not verified official wording.
    pub tag: Option<Tag>,
    /// What the tag means.
    pub tag_note: String,
}

/// The criterion `id` of an edition, with its title and certainty.
pub fn criterion_view(edition: Edition, id: &str) -> CriterionView {
    let slug = format!(
        "{}-{}",
        edition.id(),
        id.trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    );
    match Catalogue::shipped().edition(edition).criterion(id) {
        Some(c) => CriterionView {
            slug,
            id: c.id.clone(),
            title: c.title.clone(),
            tag: certainty_tag(c.certainty),
            tag_note: if c.certainty == Certainty::Verified {
                String::new()
            } else {
                c.certainty.description().to_owned()
            },
        },
        None => CriterionView {
            slug,
            id: id.to_owned(),
            title: format!("not in the {} edition's catalogue", edition.id()),
            tag: None,
            tag_note: String::new(),
        },
    }
}

/// One theme (2020) or mission (2025) with its criteria.
pub struct ThemeCriteria {
    pub name: String,
    pub criteria: Vec<CriterionView>,
}

/// One edition's criteria by theme, for checkboxes and selects.
pub struct EditionCriteria {
    pub title: &'static str,
    pub themes: Vec<ThemeCriteria>,
}

/// Both editions' criteria, oldest edition first.
pub fn catalogue_views() -> Vec<EditionCriteria> {
    Edition::ALL
        .into_iter()
        .map(|edition| EditionCriteria {
            title: edition.title(),
            themes: Catalogue::shipped()
                .edition(edition)
                .themes
                .iter()
                .map(|t| ThemeCriteria {
                    name: t.name.clone(),
                    criteria: t
                        .outcomes
                        .iter()
                        .flat_map(|o| o.macs.iter())
                        .map(|c| criterion_view(edition, &c.id))
                        .collect(),
                })
                .filter(|t| !t.criteria.is_empty())
                .collect(),
        })
        .collect()
}

/// One level of a scoring scale.
pub struct ScaleRow {
    /// The score as a form value and for reading (`50`).
    pub score: String,
    pub descriptor: String,
}

/// The tender's scale, lowest first.
pub fn scale_rows(details: &TenderDetails) -> Vec<ScaleRow> {
    details
        .scale
        .iter()
        .map(|l| ScaleRow {
            score: plain(l.score),
            descriptor: l.descriptor.clone(),
        })
        .collect()
}

/// A figure to 2 decimals with thousands separators.
pub fn figure(x: f64) -> String {
    crate::platform::format::number(Some(x), 2)
}

/// The method's id as forms send it.
pub const fn method_id(method: Method) -> &'static str {
    match method {
        Method::WeightedScore => "weighted_score",
        Method::PricePerQualityPoint => "price_per_quality_point",
    }
}

/// The method in words, with how it decides.
pub const fn method_label(method: Method) -> &'static str {
    match method {
        Method::WeightedScore => {
            "Weighted score: price, quality and social value scores are added; the highest total wins"
        }
        Method::PricePerQualityPoint => {
            "Price per quality point: the price is divided by the bid's quality points (social value included); the lowest wins"
        }
    }
}

/// What the social value weighting means and the rule it must meet.
pub fn social_value_rule(details: &TenderDetails) -> String {
    let of = match details.method {
        Method::WeightedScore => "the total score",
        Method::PricePerQualityPoint => "the quality score",
    };
    format!(
        "Social value questions together (W_sv) carry {} of {of}. PPN 06/20 and PPN 002 require \
         at least 10%; weightings above 30% are unusual and are flagged for a second look.",
        pct(details.social_value_weight())
    )
}
