//! A contract's delivery claims and their evidence files.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use svatlas_store::procurement::{ClaimRecord, ContractRecord};
use uuid::Uuid;

use super::dashboard::{contract_page, kpi_options};
use super::forms::{ClaimFields, ClaimForm, ReviewForm};
use super::{StatusTag, quantity, role_sentence, side_words, status_tag};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::{PageForm, PageMultipart};
use crate::platform::forms::show_again;
use crate::platform::upload::{Evidence, attachment, evidence_file};
use crate::platform::views::{FormErrors, Layout, when};
use crate::procurement::access::{ContractSide, contract_for};
use crate::state::AppState;

// Delivery claims on the pages: the supplier reports one (`POST /contracts/{id}/claims`) and
// amends it while it awaits review or is queried; the claim's page shows its details, review
// and evidence files; the buyer's editors verify, query or reject it.
/// One evidence file as listed.
pub struct FileRow {
    pub id: Uuid,
    pub file_name: String,
    pub size: String,
    pub uploaded: String,
}

/// The claim page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/contracts/claim.html")]
pub struct ClaimPage {
    pub layout: Layout,
    pub contract_id: Uuid,
    pub contract_title: String,
    pub claim_id: Uuid,
    pub side: &'static str,
    pub role_sentence: String,
    pub kpi_id: String,
    pub kpi_description: String,
    pub kpi_target: String,
    pub evidence_required: String,
    pub status: StatusTag,
    pub counts: bool,
    pub period: String,
    pub quantity: String,
    pub note: String,
    pub links: Vec<String>,
    pub beneficiary_ref: String,
    pub reported_by: String,
    pub reported_at: String,
    pub changed_at: String,
    pub review_note: String,
    pub reviewed: String,
    pub files: Vec<FileRow>,
    pub can_amend: bool,
    pub can_review: bool,
    pub kpi_options: Vec<(String, String)>,
    pub fields: ClaimFields,
    pub review: ReviewForm,
    pub review_decision_error: Option<String>,
    pub review_note_error: Option<String>,
    pub file_error: Option<String>,
    pub errors: FormErrors,
}

fn no_claim(claim_id: Uuid) -> AppError {
    AppError::NotFound(format!("this contract has no claim with id {claim_id}"))
}

/// The claim of this contract, or 404.
pub async fn claim_of(
    state: &AppState,
    contract: Uuid,
    claim_id: Uuid,
) -> Result<ClaimRecord, AppError> {
    match state.store().claim(contract, claim_id).await {
        Err(StoreError::NotFound) => Err(no_claim(claim_id)),
        other => Ok(other?),
    }
}

/// What a failed form on the claim page keeps.
#[derive(Default)]
pub struct ClaimRetry {
    pub form: Option<ClaimForm>,
    pub review: Option<ReviewForm>,
    pub errors: FormErrors,
}

/// Builds the claim page for a caller already checked to be a member.
pub async fn claim_page(
    state: &AppState,
    caller: &Caller,
    contract: &ContractRecord,
    side: ContractSide,
    claim: ClaimRecord,
    retry: ClaimRetry,
) -> Result<ClaimPage, AppError> {
    let kpi = contract.kpis.iter().find(|k| k.id == claim.details.kpi_id);
    let unit = kpi.map(|k| k.unit.as_str()).unwrap_or("");
    let files = state
        .store()
        .claim_evidence_of(contract.id)
        .await?
        .into_iter()
        .filter(|f| f.claim_id == claim.id)
        .map(|f| FileRow {
            id: f.id,
            size: if f.size_bytes >= 1024 * 1024 {
                format!("{:.1} MB", f.size_bytes as f64 / (1024.0 * 1024.0))
            } else {
                format!("{} KB", (f.size_bytes + 1023) / 1024)
            },
            uploaded: format!(
                "{}{}",
                when(&f.created_at),
                f.uploaded_by
                    .map(|u| format!(" by {u}"))
                    .unwrap_or_default()
            ),
            file_name: f.file_name,
        })
        .collect();
    let d = &claim.details;
    Ok(ClaimPage {
        layout: Layout::signed_in("procurement", caller),
        contract_id: contract.id,
        contract_title: contract.title.clone(),
        claim_id: claim.id,
        side: side_words(side),
        role_sentence: role_sentence(side),
        kpi_id: d.kpi_id.clone(),
        kpi_description: kpi.map(|k| k.description.clone()).unwrap_or_default(),
        kpi_target: kpi
            .map(|k| format!("{} {}", quantity(k.target), k.unit))
            .unwrap_or_default(),
        evidence_required: kpi.map(|k| k.evidence_required.clone()).unwrap_or_default(),
        status: status_tag(claim.status),
        counts: claim.status == svatlas_domain::procurement::delivery::ClaimStatus::Verified,
        period: format!("{} to {}", d.period_start, d.period_end),
        quantity: format!("{} {unit}", quantity(d.quantity)).trim().to_owned(),
        note: d.note.clone(),
        links: d.links.clone(),
        beneficiary_ref: d.beneficiary_ref.clone().unwrap_or_default(),
        reported_by: claim.created_by.clone().unwrap_or_default(),
        reported_at: when(&claim.created_at),
        changed_at: when(&claim.updated_at),
        review_note: claim.review_note.clone().unwrap_or_default(),
        reviewed: match (&claim.reviewed_by, &claim.reviewed_at) {
            (Some(by), Some(at)) => format!("{} by {by}", when(at)),
            (None, Some(at)) => when(at),
            _ => String::new(),
        },
        files,
        can_amend: claim.status.amendable() && side.require_supplier(Role::Editor).is_ok(),
        can_review: claim.status.reviewable() && side.require_buyer(Role::Editor).is_ok(),
        kpi_options: kpi_options(contract),
        fields: ClaimFields::new(
            "a-",
            retry.form.unwrap_or_else(|| ClaimForm::from_details(d)),
            &retry.errors,
        ),
        review_decision_error: retry.errors.get("r-decision").map(str::to_owned),
        review_note_error: retry.errors.get("r-note").map(str::to_owned),
        file_error: retry.errors.get("file").map(str::to_owned),
        review: retry.review.unwrap_or_default(),
        errors: retry.errors,
    })
}

/// Reports delivery from the contract page's form (supplier editors and admins).
#[utoipa::path(post, path = "/contracts/{id}/claims", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body(content = ClaimForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Reported: to the claim's page, to add evidence"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn add_claim_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<ClaimForm>,
) -> Result<Response, PageError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    match form.parse(&contract.kpis, "c-") {
        Ok(details) => {
            let claim = state
                .store()
                .add_claim(&caller.user.email, id, &details)
                .await?;
            Ok(Redirect::to(&format!("/contracts/{id}/claims/{}", claim.id)).into_response())
        }
        Err(errors) => {
            let page = contract_page(&state, &caller, contract, side, Some(form), errors).await?;
            Ok(show_again(page))
        }
    }
}

/// A claim with its review and evidence (members of the buyer and supplier).
#[utoipa::path(get, path = "/contracts/{id}/claims/{claim_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ("claim_id" = Uuid, Path, description = "Claim id")),
    responses(
        (status = 200, description = "The claim", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such contract or claim, or not the caller's", content_type = "text/html")))]
pub async fn get_claim_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, claim_id)): Path<(Uuid, Uuid)>,
) -> Result<ClaimPage, PageError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    let claim = claim_of(&state, id, claim_id).await?;
    Ok(claim_page(
        &state,
        &caller,
        &contract,
        side,
        claim,
        ClaimRetry::default(),
    )
    .await?)
}

/// Amends a claim awaiting review or queried (supplier editors and admins); it goes back to
/// awaiting review.
#[utoipa::path(post, path = "/contracts/{id}/claims/{claim_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ("claim_id" = Uuid, Path, description = "Claim id")),
    request_body(content = ClaimForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Amended: back to the claim"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract or claim", content_type = "text/html"),
        (status = 409, description = "The claim is verified or rejected", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn amend_claim_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, claim_id)): Path<(Uuid, Uuid)>,
    PageForm(form): PageForm<ClaimForm>,
) -> Result<Response, PageError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let claim = claim_of(&state, id, claim_id).await?;
    match form.parse(&contract.kpis, "a-") {
        Ok(details) => {
            match state
                .store()
                .amend_claim(&caller.user.email, id, claim_id, &details)
                .await
            {
                Err(StoreError::NotFound) => return Err(no_claim(claim_id).into()),
                other => other?,
            };
            Ok(Redirect::to(&format!("/contracts/{id}/claims/{claim_id}")).into_response())
        }
        Err(errors) => {
            let retry = ClaimRetry {
                form: Some(form),
                errors,
                ..ClaimRetry::default()
            };
            let page = claim_page(&state, &caller, &contract, side, claim, retry).await?;
            Ok(show_again(page))
        }
    }
}

/// Verifies, queries or rejects a claim (buyer editors and admins). Only verified delivery
/// counts as delivered; a query or rejection must say why.
#[utoipa::path(post, path = "/contracts/{id}/claims/{claim_id}/review", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ("claim_id" = Uuid, Path, description = "Claim id")),
    request_body(content = ReviewForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Reviewed: back to the claim"),
        (status = 403, description = "The supplier, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract or claim", content_type = "text/html"),
        (status = 409, description = "The claim is verified or rejected already", content_type = "text/html"),
        (status = 422, description = "No decision, or a query or rejection without a note", content_type = "text/html")))]
pub async fn review_claim_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, claim_id)): Path<(Uuid, Uuid)>,
    PageForm(form): PageForm<ReviewForm>,
) -> Result<Response, PageError> {
    let (contract, side) = contract_for(&state, &caller, id).await?;
    side.require_buyer(Role::Editor)?;
    let claim = claim_of(&state, id, claim_id).await?;
    match form.parse() {
        Ok((decision, note)) => {
            match state
                .store()
                .review_claim(&caller.user.email, id, claim_id, decision, &note)
                .await
            {
                Err(StoreError::NotFound) => return Err(no_claim(claim_id).into()),
                other => other?,
            };
            Ok(Redirect::to(&format!("/contracts/{id}/claims/{claim_id}")).into_response())
        }
        Err(errors) => {
            let retry = ClaimRetry {
                review: Some(form),
                errors,
                ..ClaimRetry::default()
            };
            let page = claim_page(&state, &caller, &contract, side, claim, retry).await?;
            Ok(show_again(page))
        }
    }
}

// Evidence files of delivery claims: the supplier uploads them while the claim awaits review
// or is queried; members of the buyer and supplier download them.
//
// The same rules as project evidence: at most 5 MB, the extension must be one we accept and
// the first bytes must match it (so a renamed program or web page is refused); downloads are
// always attachments with `nosniff`.
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
            let page = claim_page(&state, &caller, &contract, side, claim, retry).await?;
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
