//! `POST /partners/{id}/needs` and `POST /partners/{id}/needs/{need_id}`: the VCSE's editors
//! add a need or change one (close it once met), from the edit page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_store::StoreError;
use uuid::Uuid;

use super::edit::{EditRetry, edit_page};
use super::forms::{Fields, NeedForm, NeedFormFields, errors_from};
use crate::partners::access::profile_to_edit;
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::state::AppState;

async fn save(
    state: &AppState,
    caller: &crate::platform::auth::Caller,
    id: Uuid,
    need_id: Option<Uuid>,
    pairs: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let profile = profile_to_edit(state, caller, id).await?;
    if let Some(n) = need_id
        && matches!(state.store().need(id, n).await, Err(StoreError::NotFound))
    {
        return Err(AppError::NotFound(format!("no need with id {n}")).into());
    }
    let key = need_id.map_or_else(|| "new".to_owned(), |n| n.to_string());
    let prefix = format!("n-{key}-");
    let form = NeedForm::from_fields(&Fields::new(pairs), need_id.is_none());
    let result = match form.parse(&prefix) {
        Ok(details) => {
            let saved = match need_id {
                None => {
                    state
                        .store()
                        .add_need(&caller.user.email, id, &details)
                        .await
                }
                Some(n) => {
                    state
                        .store()
                        .update_need(&caller.user.email, id, n, &details)
                        .await
                }
            };
            match saved {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/partners/{id}/edit#needs")).into_response());
                }
                Err(e) => {
                    let mut errors = FormErrors::default();
                    errors_from(&prefix, e, &mut errors)?;
                    errors
                }
            }
        }
        Err(errors) => errors,
    };
    let page = edit_page(
        state,
        caller,
        profile,
        EditRetry {
            profile: None,
            need: Some((key, form)),
            errors: result,
        },
    )
    .await?;
    Ok(show_again(page))
}

/// Adds a need (editors and admins of the profile's organisation).
#[utoipa::path(post, path = "/partners/{id}/needs", tag = "pages",
    params(("id" = Uuid, Path, description = "Profile id")),
    request_body(content = NeedFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added: back to the edit page"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such profile, or another organisation's", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn add_need_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(&state, &caller, id, None, pairs).await
}

/// Changes a need; untick "still needed" to close it (editors and admins).
#[utoipa::path(post, path = "/partners/{id}/needs/{need_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Profile id"),
           ("need_id" = Uuid, Path, description = "Need id")),
    request_body(content = NeedFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Changed: back to the edit page"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such profile or need, or another organisation's", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn update_need_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, need_id)): Path<(Uuid, Uuid)>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(&state, &caller, id, Some(need_id), pairs).await
}
