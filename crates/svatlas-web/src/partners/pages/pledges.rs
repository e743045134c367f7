//! The pledge forms: a supplier pledges support to a need under its contract
//! (`POST /contracts/{id}/pledges`) and reports delivery (`POST /pledges/{id}/delivery`); the
//! VCSE confirms or queries it (`POST /pledges/{id}/review`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use super::forms::{
    DeliveryForm, DeliveryFormFields, Fields, PledgeForm, PledgeFormFields, ReviewFormFields,
    errors_from, parse_review,
};
use super::get::{ReviewRetry, profile_page};
use super::matches::{PledgeRetry, contract_page};
use crate::partners::access::{pledge_for, profile_for, today};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::procurement::access::contract_for;
use crate::state::AppState;

/// Pledges support to a need under the contract (the supplier's editors and admins).
#[utoipa::path(post, path = "/contracts/{id}/pledges", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body(content = PledgeFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Pledged: back to the contract's partners"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html"),
        (status = 409, description = "The need is closed, or the profile is the supplier's own", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn create_pledge_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let form = PledgeForm::from_fields(&Fields::new(pairs));
    let mut errors = match form.parse() {
        Ok((profile, need, pledge)) => {
            let visible = profile_for(&state, Some(&caller), profile).await.is_ok();
            let saved = if visible {
                state
                    .store()
                    .add_pledge(&caller.user.email, id, profile, need, &pledge)
                    .await
            } else {
                Err(StoreError::NotFound)
            };
            match saved {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/contracts/{id}/partners#pledges")).into_response()
                    );
                }
                Err(StoreError::NotFound) => FormErrors::one(
                    "p-need",
                    "That need cannot be found any more: choose another",
                ),
                Err(e) => {
                    let mut errors = FormErrors::default();
                    errors_from("p-", AppError::from(e), &mut errors)?;
                    errors
                }
            }
        }
        Err(errors) => errors,
    };
    if errors.is_empty() {
        errors.add("p-need", "The pledge could not be saved");
    }
    let retry = PledgeRetry {
        pledge: Some(form),
        report: None,
        errors,
    };
    Ok(contract_page(&state, &caller, id, retry).await?)
}

/// Reports what was delivered (the supplier's editors and admins).
#[utoipa::path(post, path = "/pledges/{id}/delivery", tag = "pages",
    params(("id" = Uuid, Path, description = "Pledge id")),
    request_body(content = DeliveryFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Reported: back to the contract's partners"),
        (status = 403, description = "Not the supplier, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such pledge, or not the caller's", content_type = "text/html"),
        (status = 409, description = "Delivery is confirmed already", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn report_delivery_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (pledge, sides) = pledge_for(&state, &caller, id).await?;
    sides.require_supplier()?;
    let prefix = format!("d-{id}-");
    let form = DeliveryForm::from_fields(&Fields::new(pairs));
    let today = today();
    let errors = match form.parse(&prefix, &today) {
        Ok(report) => match state
            .store()
            .report_delivery(&caller.user.email, id, &report, &today)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/contracts/{}/partners#pledge-{id}",
                    pledge.contract_id
                ))
                .into_response());
            }
            Err(e) => {
                let mut errors = FormErrors::default();
                errors_from(&prefix, e, &mut errors)?;
                errors
            }
        },
        Err(errors) => errors,
    };
    let retry = PledgeRetry {
        pledge: None,
        report: Some((id, form)),
        errors,
    };
    Ok(contract_page(&state, &caller, pledge.contract_id, retry).await?)
}

/// Confirms or queries reported delivery (the VCSE's editors and admins).
#[utoipa::path(post, path = "/pledges/{id}/review", tag = "pages",
    params(("id" = Uuid, Path, description = "Pledge id")),
    request_body(content = ReviewFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Answered: back to the profile"),
        (status = 403, description = "Not the organisation supported, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such pledge, or not the caller's", content_type = "text/html"),
        (status = 409, description = "Nothing reported to answer, or answered already", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn review_pledge_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (pledge, sides) = pledge_for(&state, &caller, id).await?;
    sides.require_vcse()?;
    let prefix = format!("r-{id}-");
    let fields = Fields::new(pairs);
    let errors = match parse_review(&fields, &prefix) {
        Ok((decision, note)) => match state
            .store()
            .review_pledge(&caller.user.email, id, decision, &note)
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/partners/{}#pledge-{id}", pledge.profile_id))
                        .into_response(),
                );
            }
            Err(e) => {
                let mut errors = FormErrors::default();
                errors_from(&prefix, e, &mut errors)?;
                errors
            }
        },
        Err(errors) => errors,
    };
    let (profile, _) = profile_for(&state, Some(&caller), pledge.profile_id).await?;
    let retry = ReviewRetry {
        pledge: Some(id),
        decision: fields.get("decision"),
        note: fields.get("note"),
        errors,
    };
    let page = profile_page(&state, Some(&caller), profile, retry).await?;
    Ok(show_again(page))
}
