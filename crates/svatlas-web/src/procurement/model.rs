//! One edition of the Social Value Model with the certainty of every row and the suggested
//! 2020 → 2025 mapping: what the model API and page share.

use serde::{Deserialize, Serialize};
use svatlas_domain::procurement::model::{
    Catalogue, Certainty, Edition, MAPPING_NOTE, MAPPING_STATUS, MappingRow, Mission, Theme,
    suggested_mapping,
};

use crate::platform::error::AppError;

/// The query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelQuery {
    /// `2020` (PPN 06/20) or `2025` (PPN 002).
    // Optional in Rust so a missing value gets our 422 naming `edition`; required in the API.
    #[param(required = true, value_type = EditionId, inline)]
    pub edition: Option<String>,
}

/// The two editions, as the API description lists them (utoipa drops `required` from a
/// parameter described by `schema_with`, so this is a type).
#[derive(Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // only described, never built
enum EditionId {
    #[serde(rename = "2020")]
    Ppn0620,
    #[serde(rename = "2025")]
    Ppn002,
}

/// What a certainty label means.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CertaintyLabel {
    /// The id used on every row (`verified`, …, `indicative_ours`).
    pub certainty: Certainty,
    /// Short label to show next to the wording.
    pub label: &'static str,
    /// What it means.
    pub description: &'static str,
}

/// The suggested mapping between the editions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MappingResponse {
    /// Always "suggested, not official": show it with the mapping.
    pub status: &'static str,
    /// Where it comes from.
    pub note: &'static str,
    /// One row per 2020 policy outcome (or pair of outcomes).
    pub rows: Vec<MappingRow>,
}

/// One edition of the model.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ModelResponse {
    /// `"2020"` or `"2025"`.
    pub edition: Edition,
    /// Title.
    pub title: &'static str,
    /// The official documents.
    pub documents: &'static str,
    /// When and under which law it applies.
    pub applies: &'static str,
    /// Licence of the official wording.
    pub licence: &'static str,
    /// Attribution to show with the wording.
    pub attribution: &'static str,
    /// `"theme"` (2020: the answer has `themes`) or `"mission"` (2025: `missions`).
    pub top_level: &'static str,
    /// 2020 only: themes → policy outcomes → MACs → reporting metrics.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Theme>,
    /// 2025 only: missions → outcomes → MACs → standard reporting metrics.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missions: Vec<Mission>,
    /// What each certainty means.
    pub certainties: Vec<CertaintyLabel>,
    /// The suggested 2020 → 2025 mapping.
    pub mapping: MappingResponse,
}

/// Licence of PPN 06/20 and PPN 002.
pub const LICENCE: &str = "Open Government Licence v3.0";

/// Parses the `edition` parameter: required, `2020` or `2025`.
pub fn parse_edition(value: Option<&str>) -> Result<Edition, AppError> {
    match value.map(str::trim) {
        None | Some("") => Err(AppError::invalid(
            "required",
            "edition",
            "edition is required: 2020 (PPN 06/20) or 2025 (PPN 002)",
        )),
        Some(text) => Edition::parse(text).ok_or_else(|| {
            AppError::invalid(
                "invalid",
                "edition",
                format!(
                    "edition must be 2020 or 2025, not {:?}",
                    text.chars().take(20).collect::<String>()
                ),
            )
        }),
    }
}

/// The answer for one edition.
pub fn model_response(edition: Edition) -> ModelResponse {
    let themes = Catalogue::shipped().edition(edition).themes.clone();
    let (themes, missions) = match edition {
        Edition::Svm2020 => (themes, Vec::new()),
        Edition::Svm2025 => (Vec::new(), themes),
    };
    ModelResponse {
        edition,
        title: edition.title(),
        documents: edition.documents(),
        applies: edition.applies(),
        licence: LICENCE,
        attribution: edition.attribution(),
        top_level: edition.top_level(),
        themes,
        missions,
        certainties: Certainty::ALL
            .into_iter()
            .map(|c| CertaintyLabel {
                certainty: c,
                label: c.label(),
                description: c.description(),
            })
            .collect(),
        mapping: MappingResponse {
            status: MAPPING_STATUS,
            note: MAPPING_NOTE,
            rows: suggested_mapping().to_vec(),
        },
    }
}
