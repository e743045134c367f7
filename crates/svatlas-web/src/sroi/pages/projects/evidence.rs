//! Evidence files for an outcome's actual quantity (evaluative projects): upload and download.
//!
//! Uploads are limited in size ([`MAX_EVIDENCE_BYTES`]) and type: the file name's extension
//! must be one we accept and the first bytes must match it, so a renamed executable or HTML
//! page is refused. Downloads are always attachments with `nosniff`.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::upload::MAX_EVIDENCE_BYTES;
use crate::platform::upload::check_file;
use crate::sroi::calculator::project_for;
use crate::state::AppState;

/// Uploads an evidence file for an outcome (editors and admins; multipart field `file`).
#[utoipa::path(post, path = "/projects/{id}/outcomes/{outcome_id}/evidence", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("outcome_id" = Uuid, Path, description = "Outcome id")),
    request_body(content_type = "multipart/form-data", description = "Field `file`: PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT, at most 5 MB"),
    responses(
        (status = 303, description = "Stored: back to the outcome"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project or outcome", content_type = "text/html"),
        (status = 413, description = "Larger than 5 MB", content_type = "text/html"),
        (status = 422, description = "No file, or a type that is not accepted", content_type = "text/html")))]
pub async fn upload_evidence(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, outcome_id)): Path<(Uuid, Uuid)>,
    mut multipart: Multipart,
) -> Result<Redirect, PageError> {
    project_for(&state, &caller, id, Role::Editor).await?;
    let mut upload = None;
    loop {
        let field = multipart.next_field().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge {
                    limit: MAX_EVIDENCE_BYTES,
                }
            } else {
                AppError::invalid(
                    "invalid",
                    "file",
                    format!("the upload could not be read: {}", e.body_text()),
                )
            }
        })?;
        let Some(field) = field else { break };
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge {
                        limit: MAX_EVIDENCE_BYTES,
                    }
                } else {
                    AppError::invalid(
                        "invalid",
                        "file",
                        format!("the upload could not be read: {}", e.body_text()),
                    )
                }
            })?;
            upload = Some((name, bytes));
        }
    }
    let Some((name, bytes)) = upload.filter(|(name, _)| !name.is_empty()) else {
        return Err(AppError::invalid("required", "file", "Choose a file to upload").into());
    };
    let media = check_file(&name, &bytes).map_err(|m| AppError::invalid("invalid", "file", m))?;
    state
        .store()
        .add_evidence(&caller.user.email, id, outcome_id, &name, media, &bytes)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound("this project has no such outcome".into()),
            other => AppError::from(other),
        })?;
    Ok(Redirect::to(&format!(
        "/projects/{id}/outcomes/{outcome_id}#evidence"
    )))
}

/// Downloads an evidence file (any member of the project's organisation).
#[utoipa::path(get, path = "/projects/{id}/evidence/{file_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("file_id" = Uuid, Path, description = "Evidence file id")),
    responses(
        (status = 200, description = "The file, as an attachment"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project or file", content_type = "text/html")))]
pub async fn download_evidence(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, file_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    project_for(&state, &caller, id, Role::Viewer).await?;
    let (file, bytes) = state
        .store()
        .evidence_file(id, file_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound("this project has no such file".into()),
            other => other.into(),
        })?;
    let response = crate::platform::upload::attachment(bytes, &file.content_type, &file.file_name);
    Ok(response)
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
