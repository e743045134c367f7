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

/// An evidence file as uploaded and checked.
pub(crate) struct Evidence {
    pub name: String,
    pub media: &'static str,
    pub bytes: Vec<u8>,
}

/// The evidence file in the multipart field `file`, checked by [`check_file`]. The outer error
/// is an upload that cannot be read (413 over [`MAX_EVIDENCE_BYTES`]); the inner one a problem
/// with the file to show beside the field (none chosen, a type we do not accept).
pub(crate) async fn evidence_file(
    multipart: &mut Multipart,
) -> Result<Result<Evidence, String>, AppError> {
    let (name, bytes) = match one_file(multipart, "file", MAX_EVIDENCE_BYTES).await {
        Ok(file) => file,
        Err(AppError::Unprocessable(_)) => return Ok(Err("Choose a file to upload".into())),
        Err(other) => return Err(other),
    };
    Ok(check_file(&name, &bytes).map(|media| Evidence { name, media, bytes }))
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
    // Evidence is private to the organisations concerned: no cache may keep a copy.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// Request body limit for the upload route (the file plus form overhead).
pub const UPLOAD_BODY_LIMIT: usize = MAX_EVIDENCE_BYTES + 64 * 1024;

/// Largest evidence file accepted: 5 MiB.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// The media type for an accepted file, or why it is refused.
pub fn check_file(file_name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let accepted = "PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT";
    let Some((_, media, matches)) = KINDS.iter().find(|(e, _, _)| *e == ext) else {
        return Err(format!("The file must be a {accepted} file"));
    };
    if bytes.is_empty() {
        return Err("The file is empty".into());
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err("The file must be smaller than 5 MB".into());
    }
    if !matches(bytes) {
        return Err(format!("The file’s contents are not a real .{ext} file"));
    }
    Ok(media)
}

/// Checks that a file's bytes are of the kind its extension says.
pub(crate) type Sniff = fn(&[u8]) -> bool;

/// Accepted kinds: extension, media type, and a check of the first bytes.
pub(crate) const KINDS: &[(&str, &str, Sniff)] = &[
    ("pdf", "application/pdf", |b| b.starts_with(b"%PDF-")),
    ("png", "image/png", |b| b.starts_with(b"\x89PNG\r\n\x1a\n")),
    ("jpg", "image/jpeg", |b| b.starts_with(&[0xFF, 0xD8, 0xFF])),
    ("jpeg", "image/jpeg", |b| b.starts_with(&[0xFF, 0xD8, 0xFF])),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        |b| b.starts_with(b"PK\x03\x04"),
    ),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        |b| b.starts_with(b"PK\x03\x04"),
    ),
    ("csv", "text/csv", is_text),
    ("txt", "text/plain", is_text),
];

pub(crate) fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_checked_by_extension_and_content() {
        assert_eq!(
            check_file("register.PDF", b"%PDF-1.7 ..."),
            Ok("application/pdf")
        );
        assert_eq!(check_file("survey.csv", b"id,score\n1,7\n"), Ok("text/csv"));
        assert!(check_file("page.html", b"<html>").is_err());
        assert!(
            check_file("fake.pdf", b"MZ\x90\x00")
                .unwrap_err()
                .contains("not a real .pdf")
        );
        assert!(check_file("empty.txt", b"").is_err());
        assert!(check_file("binary.txt", b"a\0b").is_err());
        let big = vec![b'a'; MAX_EVIDENCE_BYTES + 1];
        assert!(check_file("big.txt", &big).unwrap_err().contains("5 MB"));
    }
}
