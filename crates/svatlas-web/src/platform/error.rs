//! The web layer's one error type and its mapping to HTTP, in one place.
//!
//! JSON API errors have the shape `{"error": {"code", "message", "field"?}}`; server faults are
//! logged with their cause and answered with a generic message so no internals leak.

use crate::platform::views::Layout;
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use svatlas_store::StoreError;

/// One problem with a request, naming the field when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code, e.g. `out_of_range`, `invalid_json`, `not_found`.
    pub code: String,
    /// Plain-English message for people.
    pub message: String,
    /// JSON path of the offending field, e.g. `outcomes[0].deadweight`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Further problems found in the same request (validation reports them all at once).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub others: Vec<ErrorDetail>,
    /// The offending values when there are several, e.g. every unknown area code in a list.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the body is not well-formed (e.g. malformed JSON).
    #[error("{message}")]
    BadRequest {
        /// Error code.
        code: &'static str,
        /// Message.
        message: String,
    },
    /// 401: who is calling is unknown: no valid API token (or, for a page, not signed in).
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the caller is known but may not do this (e.g. a viewer asking for an admin page).
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource (or the caller may not know it exists).
    #[error("{0}")]
    NotFound(String),
    /// 409: the request does not fit the record's current state (e.g. scoring a bid before
    /// the tender closes); the message says what state it is in.
    #[error("{0}")]
    Conflict(String),
    /// 413: the body is larger than the limit.
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: the body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: the body is well-formed but its values are not acceptable; first problem first.
    #[error("{}", .0.first().map(|d| d.message.as_str()).unwrap_or("invalid request"))]
    Unprocessable(Vec<ErrorDetail>),
    /// 429: too many attempts (sign-in); try again after `retry_after` seconds.
    #[error("too many attempts: wait {retry_after} seconds and try again")]
    TooManyRequests {
        /// Seconds until the next attempt is accepted (sent as `Retry-After`).
        retry_after: u64,
    },
    /// 503: the database is unreachable.
    #[error("the database is not available")]
    Unavailable(#[source] StoreError),
    /// 503: the server holds no area data (it was started without it).
    #[error("area data is not loaded on this server; run `svatlas data import` and restart")]
    AreasUnavailable,
    /// 500: a fault on our side; the cause is logged, not shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
    /// 501: this build leaves the feature out (e.g. PDF reports without the `pdf` feature);
    /// the message says what to use instead.
    #[error("{0}")]
    NotImplemented(String),
}

impl ErrorDetail {
    /// One problem, optionally naming a field.
    pub fn new(code: &str, field: Option<String>, message: impl Into<String>) -> Self {
        ErrorDetail {
            code: code.to_string(),
            message: message.into(),
            field,
            others: Vec::new(),
            codes: Vec::new(),
        }
    }

    /// Lists the offending values (e.g. unknown area codes) in `codes`.
    pub fn with_codes(mut self, codes: Vec<String>) -> Self {
        self.codes = codes;
        self
    }
}

impl AppError {
    /// A 422 for one field.
    pub fn invalid(code: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Unprocessable(vec![ErrorDetail::new(code, Some(field.into()), message)])
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::AreasUnavailable => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
        }
    }

    /// The JSON body for this error.
    pub fn body(&self) -> ErrorBody {
        let simple = |code: &str, message: String| ErrorDetail::new(code, None, message);
        let error = match self {
            AppError::BadRequest { code, message } => simple(code, message.clone()),
            AppError::Unauthorized(message) => simple("unauthorized", message.clone()),
            AppError::Forbidden(message) => simple("forbidden", message.clone()),
            AppError::NotFound(message) => simple("not_found", message.clone()),
            AppError::Conflict(message) => simple("conflict", message.clone()),
            AppError::PayloadTooLarge { .. } => simple("payload_too_large", self.to_string()),
            AppError::UnsupportedMediaType(m) => simple("unsupported_media_type", m.clone()),
            AppError::Unprocessable(details) => {
                let mut details = details.clone();
                if details.is_empty() {
                    simple("invalid", "invalid request".to_string())
                } else {
                    let mut first = details.remove(0);
                    first.others = details;
                    first
                }
            }
            AppError::TooManyRequests { .. } => simple("too_many_requests", self.to_string()),
            AppError::Unavailable(_) | AppError::AreasUnavailable => {
                simple("unavailable", self.to_string())
            }
            AppError::Internal(_) => simple(
                "internal",
                "something went wrong on our side; it has been logged".to_string(),
            ),
            AppError::NotImplemented(message) => simple("not_implemented", message.clone()),
        };
        ErrorBody { error }
    }

    /// Headers that belong to the status: `WWW-Authenticate` with 401, `Retry-After` with 429.
    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        match self {
            AppError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            AppError::TooManyRequests { retry_after } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            _ => {}
        }
        headers
    }
}

/// The one mapping of store errors to HTTP, for pages and API alike: refused input 422, a
/// duplicate or a write that does not fit the record's state 409, a missing row 404.
impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound("no such record".to_string()),
            StoreError::Invalid(message) => {
                AppError::Unprocessable(vec![ErrorDetail::new("invalid", None, message)])
            }
            StoreError::Duplicate(message) | StoreError::Refused(message) => {
                AppError::Conflict(message)
            }
            StoreError::Conflict { .. } => AppError::Conflict(
                "this conflicts with a record that exists already or was just changed; \
                 reload the page and try again"
                    .to_string(),
            ),
            StoreError::LastAdmin => {
                AppError::invalid("last_admin", "role", StoreError::LastAdmin.to_string())
            }
            unavailable if unavailable.is_unavailable() => AppError::Unavailable(unavailable),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<svatlas_domain::sroi::ValidationErrors> for AppError {
    fn from(errors: svatlas_domain::sroi::ValidationErrors) -> Self {
        AppError::Unprocessable(
            errors
                .0
                .into_iter()
                .map(|e| ErrorDetail::new(&e.code, Some(e.field), e.message))
                .collect(),
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        // A 501 is this build lacking a feature (PDF), not a fault to log.
        if status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED {
            tracing::error!(error = ?self, "request failed");
        }
        (status, self.headers(), Json(self.body())).into_response()
    }
}

/// An [`AppError`] met by an HTML page: the same status, shown as a page (error summary for
/// 422, "not found" for 404, "no permission" for 403) instead of the JSON body; 401 becomes a
/// redirect to the sign-in page. Pages return `Result<_, PageError>` and
/// `?` converts, so the status mapping above stays the only one.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError(error)
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        PageError(error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        if status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        // A 501 is this build lacking a feature (PDF), not a fault to log.
        if status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED {
            tracing::error!(error = ?self.0, "page failed");
        }
        let body = self.0.body().error;
        let mut problems = vec![(body.field.clone(), body.message.clone())];
        problems.extend(
            body.others
                .iter()
                .map(|d| (d.field.clone(), d.message.clone())),
        );
        let page = crate::platform::views::ErrorPage {
            layout: Layout::new("platform"),
            status: status.as_u16(),
            title: match status {
                StatusCode::NOT_FOUND => "Page not found",
                StatusCode::FORBIDDEN => "You do not have permission to do this",
                StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
                    "There is a problem with the request"
                }
                StatusCode::SERVICE_UNAVAILABLE => "Sorry, the service is unavailable",
                StatusCode::CONFLICT => "This cannot be done at this stage",
                StatusCode::NOT_IMPLEMENTED => "This is not available in this build",
                _ => "Sorry, there is a problem with the service",
            },
            problems,
        };
        (status, self.0.headers(), page).into_response()
    }
}
