//! Extractors that turn request problems into our JSON error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::platform::error::{AppError, ErrorDetail, PageError};
use crate::state::AppState;

/// A JSON body, kept both as the raw value (to store it exactly as sent) and as `T`.
///
/// Unlike `axum::Json` this reports the JSON path of a bad field (`outcomes[0].deadweight`), which
/// axum only offers inside a text message, and uses our error shape for 400/413/415/422.
pub struct ApiJson<T> {
    /// The parsed body.
    pub value: T,
    /// The body as generic JSON.
    pub raw: serde_json::Value,
}

impl<T> FromRequest<AppState> for ApiJson<T>
where
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let mime = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(AppError::UnsupportedMediaType(
                "send the body as JSON with the header Content-Type: application/json".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge {
                    limit: state.config().body_limit,
                }
            } else {
                AppError::BadRequest {
                    code: "unreadable_body",
                    message: rejection.body_text(),
                }
            }
        })?;
        parse_json(&bytes)
    }
}

/// JSON has one kind of number, so `3.0` is the integer 3 (as JSON Schema's `integer` says), but
/// serde refuses a float for an integer field: whole numbers are handed to it as integers.
fn whole_numbers_as_integers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            // Within ±2^53 every whole f64 is exact as an i64.
            Some(f) if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => {
                Value::from(f as i64)
            }
            _ => Value::Number(n),
        },
        Value::Array(items) => items.into_iter().map(whole_numbers_as_integers).collect(),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, whole_numbers_as_integers(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Parses JSON text into `T`: syntax errors are 400, wrong types or missing fields 422.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<ApiJson<T>, AppError> {
    let raw: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| AppError::BadRequest {
            code: "invalid_json",
            message: format!("the body is not valid JSON: {e}"),
        })?;
    let value =
        serde_path_to_error::deserialize(&whole_numbers_as_integers(raw.clone())).map_err(|e| {
            let path = e.path().to_string();
            let field = (path != ".").then_some(path);
            let message = match &field {
                Some(f) => format!("{f}: {}", e.inner()),
                None => e.inner().to_string(),
            };
            AppError::Unprocessable(vec![ErrorDetail::new("invalid_field", field, message)])
        })?;
    Ok(ApiJson { value, raw })
}

/// A multipart upload for the API: a request that is not `multipart/form-data` with a boundary
/// is 415 in our error shape, as the API description declares (axum's own answers plain text).
pub struct ApiMultipart(pub Multipart);

impl FromRequest<AppState> for ApiMultipart {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        Multipart::from_request(req, state)
            .await
            .map(ApiMultipart)
            .map_err(|rejection| {
                AppError::UnsupportedMediaType(format!(
                    "send the file as multipart/form-data: {}",
                    rejection.body_text()
                ))
            })
    }
}

/// A multipart upload from a page's form: a request that is not `multipart/form-data` is 415,
/// answered as a page.
pub struct PageMultipart(pub Multipart);

impl FromRequest<AppState> for PageMultipart {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let ApiMultipart(multipart) = ApiMultipart::from_request(req, state).await?;
        Ok(PageMultipart(multipart))
    }
}

/// Path parameters parsed into `T`: one that does not parse (an id that is not a UUID) is 400
/// in our error shape, which the API description declares (axum's own `Path` answers plain text).
pub struct ApiPath<T>(pub T);

impl<T> FromRequestParts<AppState> for ApiPath<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|rejection| AppError::BadRequest {
                code: "invalid_path",
                message: rejection.body_text(),
            })
    }
}

/// A query string parsed into `T`, with problems answered as 422 in our error shape (axum's own
/// `Query` answers 400 with plain text).
///
/// Query structs keep numbers as `Option<String>` and parse them in the handler so the error can
/// name the parameter; this extractor only fails on query strings that cannot be decoded at all
/// (e.g. a parameter given twice).
pub struct ApiQuery<T>(pub T);

impl<T> FromRequestParts<AppState> for ApiQuery<T>
where
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, AppError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection| {
                AppError::Unprocessable(vec![ErrorDetail::new(
                    "invalid_query",
                    None,
                    rejection.body_text(),
                )])
            })
    }
}

/// A submitted HTML form (`application/x-www-form-urlencoded`) parsed into `T`, with problems
/// shown as an error page. Form structs take every field as a defaulted `String`, so a missing
/// field reaches the handler's validation and gets a message beside its field.
pub struct PageForm<T>(pub T);

impl<T> FromRequest<AppState> for PageForm<T>
where
    T: DeserializeOwned,
{
    type Rejection = crate::platform::error::PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|axum::Form(value)| PageForm(value))
            .map_err(|rejection| {
                let status = rejection.status();
                let error = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    AppError::UnsupportedMediaType(
                        "send the form as application/x-www-form-urlencoded".into(),
                    )
                } else if status == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge {
                        limit: state.config().body_limit,
                    }
                } else {
                    AppError::Unprocessable(vec![ErrorDetail::new(
                        "invalid_form",
                        None,
                        rejection.body_text(),
                    )])
                };
                crate::platform::error::PageError(error)
            })
    }
}

/// A query string for a page: an undecodable one (a parameter given twice) is a 422 page.
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let ApiQuery(value) = ApiQuery::<T>::from_request_parts(parts, state).await?;
        Ok(PageQuery(value))
    }
}

/// The largest number [`positive`] accepts.
const MAX_POSITIVE: usize = i32::MAX as usize;

/// A whole number from 1 to 2,147,483,647 (a 32-bit integer, as the API description says) from
/// a query parameter.
pub(crate) fn positive(
    field: &str,
    value: Option<&str>,
    default: usize,
) -> Result<usize, ErrorDetail> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_POSITIVE).contains(n))
            .ok_or_else(|| {
                ErrorDetail::new(
                    "invalid",
                    Some(field.into()),
                    format!("{field} must be a whole number from 1 to 2,147,483,647, not {v:?}"),
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Years {
        years: i64,
        share: f64,
    }

    #[test]
    fn a_whole_number_written_as_a_float_is_an_integer() {
        let ok = parse_json::<Years>(br#"{"years": 3.0, "share": 2.0}"#).expect("accepted");
        assert_eq!((ok.value.years, ok.value.share), (3, 2.0));
        assert_eq!(ok.raw["years"], serde_json::json!(3.0), "raw kept as sent");
        let Err(AppError::Unprocessable(problems)) =
            parse_json::<Years>(br#"{"years": 3.5, "share": 0}"#)
        else {
            panic!("3.5 years is refused");
        };
        assert_eq!(problems[0].field.as_deref(), Some("years"));
    }
}
