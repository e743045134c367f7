//! Evidence files of delivery claims: the supplier uploads them while the claim awaits review
//! or is queried; members of the buyer and supplier download them.
//!
//! The same rules as project evidence: at most 5 MB, the extension must be one we accept and
//! the first bytes must match it (so a renamed program or web page is refused); downloads are
//! always attachments with `nosniff`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::claims::{ClaimRetry, claim_of, claim_page};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageMultipart;
use crate::platform::forms::show_again;
use crate::platform::upload::{Evidence, attachment, evidence_file};
use crate::platform::views::FormErrors;
use crate::procurement::access::contract_for;
use crate::state::AppState;

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
    PageMultipart(mut multipart): PageMultipart,
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
    let Evidence { name, media, bytes } = match evidence_file(&mut multipart).await? {
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
    Ok(attachment(bytes, &file.content_type, &file.file_name))
}
