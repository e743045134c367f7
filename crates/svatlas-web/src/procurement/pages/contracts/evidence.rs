//! Evidence files of delivery claims: the supplier uploads them while the claim awaits review
//! or is queried; members of the buyer and supplier download them.
//!
//! The same rules as project evidence: at most 5 MB, the extension must be one we accept and
//! the first bytes must match it (so a renamed program or web page is refused); downloads are
//! always attachments with `nosniff`.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::claims::{ClaimRetry, claim_of, claim_page};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::forms::show_again;
use crate::platform::upload::MAX_EVIDENCE_BYTES;
use crate::platform::upload::check_file;
use crate::platform::views::FormErrors;
use crate::procurement::access::contract_for;
use crate::state::AppState;

fn read_error(e: &axum::extract::multipart::MultipartError) -> AppError {
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
}

/// Uploads an evidence file for a claim (supplier editors and admins, while the claim awaits
/// review or is queried; multipart field `file`).
#[utoipa::path(post, path = "/contracts/{id}/claims/{claim_id}/evidence", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ("claim_id" = Uuid, Path, description = "Claim id")),
    request_body(content_type = "multipart/form-data", description = "Field `file`: PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT, at most 5 MB"),
    responses(
        (status = 303, description = "Stored: back to the claim's evidence"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract or claim, or not the caller's", content_type = "text/html"),
        (status = 409, description = "The claim is verified or rejected: its evidence is closed", content_type = "text/html"),
        (status = 413, description = "Larger than 5 MB", content_type = "text/html"),
        (status = 422, description = "No file, or a type that is not accepted; shown beside the field", content_type = "text/html")))]
pub async fn upload_claim_evidence(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, claim_id)): Path<(Uuid, Uuid)>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let claim = claim_of(&state, id, claim_id).await?;
    if !claim.status.amendable() {
        return Err(AppError::Conflict(format!(
            "evidence cannot be added to a {} claim",
            claim.status.label().to_lowercase()
        ))
        .into());
    }
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| read_error(&e))? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| read_error(&e))?;
            upload = Some((name, bytes));
        }
    }
    let checked = match upload.filter(|(name, _)| !name.is_empty()) {
        None => Err("Choose a file to upload".to_owned()),
        Some((name, bytes)) => check_file(&name, &bytes).map(|media| (name, media, bytes)),
    };
    let (name, media, bytes) = match checked {
        Ok(file) => file,
        Err(message) => {
            let retry = ClaimRetry {
                errors: FormErrors::one("file", message),
                ..ClaimRetry::default()
            };
            let page = claim_page(&state, &contract, side, claim, retry).await?;
            return Ok(show_again(page));
        }
    };
    match state
        .store()
        .add_claim_evidence(&caller.user.email, id, claim_id, &name, media, &bytes)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::NotFound(format!(
                "this contract has no claim with id {claim_id}"
            ))
            .into());
        }
        other => other?,
    };
    Ok(Redirect::to(&format!("/contracts/{id}/claims/{claim_id}#evidence")).into_response())
}

/// Downloads a claim's evidence file (members of the buyer and supplier).
#[utoipa::path(get, path = "/contracts/{id}/evidence/{file_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ("file_id" = Uuid, Path, description = "Evidence file id")),
    responses(
        (status = 200, description = "The file, as an attachment"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such contract or file, or not the caller's", content_type = "text/html")))]
pub async fn download_claim_evidence(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, file_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    contract_for(&state, &caller, id).await?;
    let (file, bytes) = state
        .store()
        .claim_evidence_file(id, file_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound("this contract has no such file".into()),
            other => other.into(),
        })?;
    let mut response =
        crate::platform::upload::attachment(bytes, &file.content_type, &file.file_name);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
