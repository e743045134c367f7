//! Files in and out: reading one uploaded file from a multipart form within a size limit, and
//! answering a stored file as a download.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::platform::error::AppError;

fn read_error(e: &MultipartError, limit: usize) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge { limit }
    } else {
        AppError::invalid(
            "invalid",
            "file",
            format!("the upload could not be read: {}", e.body_text()),
        )
    }
}

/// The file in the multipart field `field` (name as uploaded, bytes); other fields are
/// skipped. 422 when there is none or it is empty, 413 over `limit`.
pub(crate) async fn one_file(
    multipart: &mut Multipart,
    field_name: &str,
    limit: usize,
) -> Result<(String, Vec<u8>), AppError> {
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| read_error(&e, limit))?
    {
        if field.name() == Some(field_name) {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| read_error(&e, limit))?;
            if bytes.len() > limit {
                return Err(AppError::PayloadTooLarge { limit });
            }
            if bytes.is_empty() {
                return Err(AppError::invalid(
                    "required",
                    field_name,
                    "choose a file to upload",
                ));
            }
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(AppError::invalid(
        "required",
        field_name,
        "choose a file to upload",
    ))
}

/// A stored file as an attachment: its media type, a header-safe file name (ASCII letters,
/// digits, dots, hyphens and underscores; anything else becomes `_`) and `nosniff`.
pub(crate) fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
