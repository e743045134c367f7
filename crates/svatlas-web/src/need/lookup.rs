//! Pieces shared by the local-need API handlers: parsing query values with errors that name the
//! parameter, finding areas and indicators, and the small response types several routes use.

use serde::Serialize;
use svatlas_areas::frame::AreaRef;
use svatlas_areas::geography::{Area, AreaType, Edition};
use svatlas_areas::summary::{self, Summary, SummaryError};
use svatlas_areas::{AreaFrame, Indicator};

use crate::need::area_data::{AreaData, ENGLAND};
use crate::platform::error::{AppError, ErrorDetail};
use crate::platform::openapi::{null_or_one_of, one_of};

/// How many codes an error message lists before saying "and N more" (`codes` has them all).
const MESSAGE_CODES: usize = 10;

/// An area as named in answers: code, name and type with vintage (`"lsoa21"`, `"lad24"`).
/// A custom area (a list of LSOAs) has no code and the type `"custom"`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaLabel {
    /// GSS code; null for a custom area.
    pub code: Option<String>,
    /// Official name (`"Custom area"` for a list of LSOAs).
    pub name: String,
    /// Area type and vintage, e.g. `lsoa11`, `lsoa21`, `ward24`, `lad19`, `lad24`, `region`,
    /// `nation`, or `custom`.
    #[serde(rename = "type")]
    pub area_type: String,
}

impl AreaLabel {
    /// The label of a known area.
    pub fn of(area: &Area) -> Self {
        AreaLabel {
            code: Some(area.code.clone()),
            name: area.name.clone(),
            area_type: area.area_type.as_str().to_owned(),
        }
    }

    /// The label of a custom area.
    pub fn custom() -> Self {
        AreaLabel {
            code: None,
            name: "Custom area".to_owned(),
            area_type: "custom".to_owned(),
        }
    }
}

/// Area codes are upper case; accept them as typed with stray spaces or lower case.
pub fn normalise_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// Every area type id, for error messages.
fn type_list() -> String {
    AreaType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The area type ids [`parse_area_type`] accepts, for the API description.
pub fn area_type_schema() -> utoipa::openapi::Object {
    one_of(AreaType::ALL.iter().map(|t| t.as_str()))
}

/// The edition spellings [`parse_edition`] accepts, for the API description.
pub fn edition_schema() -> utoipa::openapi::Object {
    one_of(["iod2019", "iod2025", "2019", "2025"])
}

/// [`area_type_schema`] for an optional body field.
pub fn area_type_or_null_schema() -> utoipa::openapi::Object {
    null_or_one_of(AreaType::ALL.iter().map(|t| t.as_str()))
}

/// [`edition_schema`] for an optional body field.
pub fn edition_or_null_schema() -> utoipa::openapi::Object {
    null_or_one_of(["iod2019", "iod2025", "2019", "2025"])
}

/// Parses an area type id (`lsoa11`, `lad24`, ...), naming `field` when it is not one.
pub fn parse_area_type(field: &str, value: &str) -> Result<AreaType, AppError> {
    value.trim().to_ascii_lowercase().parse().map_err(|_| {
        AppError::invalid(
            "invalid_area_type",
            field,
            format!("{field} must be one of {}, not {value:?}", type_list()),
        )
    })
}

/// Parses an optional area type.
pub fn parse_optional_area_type(
    field: &str,
    value: Option<&str>,
) -> Result<Option<AreaType>, AppError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| parse_area_type(field, v))
        .transpose()
}

/// Parses an IoD edition (`iod2019`/`2019`, `iod2025`/`2025`), `default` when absent.
pub fn parse_edition(
    field: &str,
    value: Option<&str>,
    default: Edition,
) -> Result<Edition, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v.to_ascii_lowercase().parse().map_err(|_| {
            AppError::invalid(
                "invalid_edition",
                field,
                format!("{field} must be iod2019 or iod2025, not {v:?}"),
            )
        }),
    }
}

/// Parses a whole number in `min..=max`, `default` when absent.
pub fn parse_number(
    field: &str,
    value: Option<&str>,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, AppError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    match v.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AppError::invalid(
            "out_of_range",
            field,
            format!("{field} must be a whole number from {min} to {max}, not {v:?}"),
        )),
    }
}

/// Parses an optional area code, treating an empty value as absent.
pub fn optional_code(value: Option<&str>) -> Option<String> {
    value.map(normalise_code).filter(|code| !code.is_empty())
}

/// Finds an area by code: of the given type, or the newest vintage holding the code.
/// Unknown codes are 404, naming the types that do hold the code when a type was asked for.
pub fn resolve_area(
    frame: &AreaFrame,
    code: &str,
    area_type: Option<AreaType>,
) -> Result<AreaRef, AppError> {
    let all = frame.locate_all(code);
    match area_type {
        None => all
            .first()
            .copied()
            .ok_or_else(|| AppError::NotFound(format!("no area with code {code:?}"))),
        Some(t) => all
            .iter()
            .copied()
            .find(|at| at.area_type == t)
            .ok_or_else(|| {
                if all.is_empty() {
                    AppError::NotFound(format!("no area with code {code:?}"))
                } else {
                    let types: Vec<&str> = all.iter().map(|at| at.area_type.as_str()).collect();
                    AppError::NotFound(format!(
                        "no {t} area with code {code:?}; the code exists as {}",
                        types.join(", ")
                    ))
                }
            }),
    }
}

/// An indicator by id, or 422 naming `field`.
pub fn find_indicator<'a>(
    frame: &'a AreaFrame,
    field: &str,
    id: Option<&str>,
) -> Result<&'a Indicator, AppError> {
    let id = id.map(str::trim).unwrap_or("");
    if id.is_empty() {
        return Err(AppError::invalid(
            "missing",
            field,
            format!("{field} is required: an indicator id from /api/v1/indicators"),
        ));
    }
    frame.indicator(id).ok_or_else(|| {
        AppError::invalid(
            "unknown_indicator",
            field,
            format!("{field}: no indicator {id:?}; /api/v1/indicators lists them"),
        )
    })
}

/// The level to use for an indicator: the one asked for (which must hold values of it) or,
/// when none was asked for, the indicator's own geography.
pub fn level_of(
    frame: &AreaFrame,
    field: &str,
    indicator: &Indicator,
    level: Option<AreaType>,
) -> Result<AreaType, AppError> {
    let levels = frame.levels_of(&indicator.id);
    let level = level.unwrap_or(if levels.contains(&indicator.geography) {
        indicator.geography
    } else {
        levels.first().copied().unwrap_or(indicator.geography)
    });
    if levels.contains(&level) {
        Ok(level)
    } else {
        let have: Vec<&str> = levels.iter().map(|t| t.as_str()).collect();
        Err(AppError::invalid(
            "not_at_level",
            field,
            format!(
                "{field}: indicator {} has no values for {level}; it has values for {}",
                indicator.id,
                if have.is_empty() {
                    "no area type".to_owned()
                } else {
                    have.join(", ")
                }
            ),
        ))
    }
}

/// Positions (in `frame.areas(level)`) of the areas of `level` inside `within`, sorted.
/// An unknown `within` is 422 naming the parameter.
pub fn positions_within(
    frame: &AreaFrame,
    level: AreaType,
    within: &str,
) -> Result<Vec<u32>, AppError> {
    let refs = frame.locate_all(within);
    if refs.is_empty() {
        return Err(AppError::invalid(
            "unknown_area",
            "within",
            format!("within: no area with code {within:?}"),
        ));
    }
    let mut positions: Vec<u32> = refs
        .iter()
        .flat_map(|r| {
            if r.area_type == level {
                vec![*r]
            } else {
                frame.descendants(*r, level)
            }
        })
        .map(|r| r.index)
        .collect();
    positions.sort_unstable();
    positions.dedup();
    Ok(positions)
}

/// `codes` for a message: the first few, then how many more.
pub fn preview(codes: &[String]) -> String {
    let shown = codes
        .iter()
        .take(MESSAGE_CODES)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if codes.len() > MESSAGE_CODES {
        format!("{shown} and {} more", codes.len() - MESSAGE_CODES)
    } else {
        shown
    }
}

/// A summary error as HTTP: 422 listing unknown and wrong-edition codes under `field`.
pub fn summary_error(error: SummaryError, edition: Edition, field: &str) -> AppError {
    match error {
        SummaryError::Empty => AppError::invalid(
            "empty",
            field,
            format!("{field} must list at least one LSOA code"),
        ),
        SummaryError::NotLoaded(_) => AppError::AreasUnavailable,
        SummaryError::InvalidCodes {
            unknown,
            other_edition,
        } => {
            let mut details = Vec::new();
            if !unknown.is_empty() {
                details.push(
                    ErrorDetail::new(
                        "unknown_codes",
                        Some(field.to_owned()),
                        format!(
                            "{} code(s) are not LSOAs ranked in {} or {}: {}",
                            unknown.len(),
                            edition.dataset_id(),
                            edition.other().dataset_id(),
                            preview(&unknown)
                        ),
                    )
                    .with_codes(unknown),
                );
            }
            if !other_edition.is_empty() {
                let other = edition.other();
                details.push(
                    ErrorDetail::new(
                        "wrong_edition",
                        Some(field.to_owned()),
                        format!(
                            "{} code(s) are {} codes of {}, not LSOAs of {} ({}): {}; send \
                             \"edition\": \"{}\" or convert them through the LSOA 2011 -> 2021 lookup",
                            other_edition.len(),
                            other.lsoa_type().label(),
                            other.dataset_id(),
                            edition.dataset_id(),
                            edition.lsoa_type().label(),
                            preview(&other_edition),
                            other.dataset_id()
                        ),
                    )
                    .with_codes(other_edition),
                );
            }
            AppError::Unprocessable(details)
        }
    }
}

/// The vintages an edition's summaries use, most specific first, to label the area summarised.
fn edition_types(edition: Edition) -> [AreaType; 5] {
    match edition {
        Edition::Iod2019 => [
            AreaType::Lsoa11,
            AreaType::Ward19,
            AreaType::Lad19,
            AreaType::Region,
            AreaType::Nation,
        ],
        Edition::Iod2025 => [
            AreaType::Lsoa21,
            AreaType::Ward24,
            AreaType::Lad24,
            AreaType::Region,
            AreaType::Nation,
        ],
    }
}

/// Summary of a named area in an edition: a district of the edition's own vintage gets the
/// official/computed district summary with ranks among districts; any other area (an LSOA, a
/// ward, a region, England) is summarised from its LSOAs of the edition, without ranks.
pub fn area_summary(
    data: &AreaData,
    code: &str,
    edition: Edition,
) -> Result<(AreaLabel, Summary), AppError> {
    let frame = data.frame();
    let refs = frame.locate_all(code);
    if refs.is_empty() {
        return Err(AppError::NotFound(format!("no area with code {code:?}")));
    }
    if let Some(lad) = data.lad_summary(edition, code) {
        let label = AreaLabel {
            code: Some(lad.code.clone()),
            name: lad.name.clone(),
            area_type: edition.lad_type().as_str().to_owned(),
        };
        return Ok((label, lad.summary.clone()));
    }
    if code == ENGLAND
        && let (Some(england), Some(at)) = (data.england(edition), refs.first())
    {
        // The largest area: summarised once and kept.
        return Ok((AreaLabel::of(frame.get(*at)), england.clone()));
    }
    let lsoas = frame.lsoas_in(code, edition);
    if lsoas.is_empty() {
        let types: Vec<&str> = refs.iter().map(|r| r.area_type.as_str()).collect();
        return Err(AppError::invalid(
            "not_in_edition",
            "edition",
            format!(
                "{code} ({}) contains no LSOAs ranked in {}: IoD2019 covers England's LSOAs 2011 \
                 and LADs 2019, IoD2025 England's LSOAs 2021 and LADs 2024",
                types.join(", "),
                edition.dataset_id()
            ),
        ));
    }
    let preferred = edition_types(edition);
    let at = preferred
        .iter()
        .find_map(|t| refs.iter().find(|r| r.area_type == *t))
        .or(refs.first())
        .copied()
        .ok_or_else(|| AppError::NotFound(format!("no area with code {code:?}")))?;
    let codes: Vec<&str> = lsoas.iter().map(|a| a.code.as_str()).collect();
    let summary = summary::summarise(frame, edition, &codes)
        .map_err(|e| summary_error(e, edition, "code"))?;
    Ok((AreaLabel::of(frame.get(at)), summary))
}
