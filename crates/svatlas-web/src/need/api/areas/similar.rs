//! `GET /api/v1/areas/{code}/similar`: areas of the same type with the most similar deprivation
//! profile.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use svatlas_areas::catalog::IodDomain;
use svatlas_areas::geography::AreaType;
use svatlas_areas::similar::{self, SimilarError};

use crate::need::area_data::MAX_NEIGHBOURS;
use crate::need::lookup::{
    AreaLabel, normalise_code, parse_number, parse_optional_area_type, resolve_area,
};
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::platform::extract::ApiQuery;
use crate::state::AppState;

/// How many neighbours, and which vintage of the code.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// Number of similar areas, 1 to 50; default 10.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    pub n: Option<String>,
    /// Area type when the code exists in several vintages (`lsoa11`, `lsoa21`, `lad19`,
    /// `lad24`); default the newest.
    #[serde(rename = "type")]
    #[param(schema_with = crate::need::lookup::area_type_schema)]
    pub area_type: Option<String>,
}

/// One similar area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarArea {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Euclidean distance between standardised profiles (0 = identical profile).
    pub distance: f64,
}

/// The nearest neighbours of an area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarResponse {
    /// The area compared.
    pub area: AreaLabel,
    /// Indicators compared on, each standardised (z-score) over all areas of the type.
    pub indicators: Vec<String>,
    /// How the profile is built.
    pub method: String,
    /// Most similar first; the area itself is never listed.
    pub items: Vec<SimilarArea>,
}

/// Finds the areas of the same type whose deprivation profile is closest: the seven IoD domains
/// standardised over all areas of the type, compared by Euclidean distance. LSOA 2021: IoD2025
/// domain scores; LAD 2024: IoD2025 File 10 average scores; LSOA 2011: IoD2019 domain ranks;
/// LAD 2019: average ranks of the computed IoD2019 district summaries.
#[utoipa::path(get, path = "/api/v1/areas/{code}/similar", tag = "areas",
    params(("code" = String, Path, description = "Area code, e.g. `E06000026`"), SimilarQuery),
    responses(
        (status = 200, description = "Similar areas", body = SimilarResponse),
        (status = 404, description = "No area with that code", body = ErrorBody),
        (status = 422, description = "Bad `n`, or no profile for this area or area type", body = ErrorBody),
        (status = 503, description = "Area data not loaded", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(code = %code))]
pub async fn get_similar(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ApiQuery(query): ApiQuery<SimilarQuery>,
) -> Result<Json<SimilarResponse>, AppError> {
    let data = state.area_data()?;
    let frame = data.frame();
    let n = parse_number("n", query.n.as_deref(), 10, 1, MAX_NEIGHBOURS as u64)? as usize;
    let wanted = parse_optional_area_type("type", query.area_type.as_deref())?;
    let at = resolve_area(frame, &normalise_code(&code), wanted)?;
    let (indicators, method) = match at.area_type {
        AreaType::Lad19 => (
            IodDomain::ALL[1..8]
                .iter()
                .map(|d| format!("iod2019.{}.average_rank", d.id()))
                .collect(),
            "IoD2019 district summaries computed with the official method: average rank of each \
             of the seven domains, standardised over the 317 districts of 2019",
        ),
        level => (
            similar::default_indicators(level),
            "the seven IoD domain indicators of this area type, each standardised (z-score) over \
             all areas of the type that have all seven",
        ),
    };
    if indicators.is_empty() {
        return Err(AppError::invalid(
            "unsupported_area_type",
            "type",
            format!(
                "similar areas are available for lsoa11, lsoa21, lad19 and lad24, not {}",
                at.area_type
            ),
        ));
    }
    let neighbours = data.neighbours(at);
    let neighbours = match neighbours.as_ref() {
        Ok(list) => list,
        Err(SimilarError::IncompleteArea(_) | SimilarError::NoValues(_)) => {
            return Err(AppError::invalid(
                "no_profile",
                "code",
                format!(
                    "{} has no complete deprivation profile among {} areas (England only)",
                    frame.get(at).code,
                    at.area_type
                ),
            ));
        }
        Err(e @ SimilarError::NoIndicators) => {
            return Err(AppError::Internal(anyhow::anyhow!("similar: {e}")));
        }
    };
    Ok(Json(SimilarResponse {
        area: AreaLabel::of(frame.get(at)),
        indicators,
        method: method.to_owned(),
        items: neighbours
            .iter()
            .take(n)
            .map(|x| SimilarArea {
                code: x.code.clone(),
                name: x.name.clone(),
                distance: x.distance,
            })
            .collect(),
    }))
}
