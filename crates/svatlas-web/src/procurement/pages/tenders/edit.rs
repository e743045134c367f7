//! `GET` and `POST /tenders/{id}/edit`: change a draft tender's settings through the form the
//! create page uses, prefilled with the tender as it is. The scoring scale is not on the form:
//! the tender keeps the one it has.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::forms::{Fields, TenderForm, TenderFormFields};
use super::listing::{QuestionRowView, question_rows};
use super::{EditionCriteria, ScaleRow, catalogue_views, scale_rows};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::procurement::access::{TenderAccess, tender_for};
use crate::state::AppState;

/// The page that changes a draft tender's settings. Field names are the create form's, so
/// both share `tenders/tender_fields.html`.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/edit.html")]
pub struct EditTenderPage {
    pub layout: Layout,
    pub id: Uuid,
    /// The tender's title as saved (for the navigation).
    pub title: String,
    pub buyer: String,
    pub editions: Vec<EditionCriteria>,
    /// The tender's own scale, which the form does not change.
    pub scale: Vec<ScaleRow>,
    pub form: TenderForm,
    pub question_rows: Vec<QuestionRowView>,
    pub errors: FormErrors,
}

/// The page for a tender the caller may change, with `form` as typed (or the tender's
/// settings) and its problems.
fn edit_page(
    caller: &Caller,
    access: &TenderAccess,
    form: Option<TenderForm>,
    errors: FormErrors,
) -> EditTenderPage {
    let t = &access.tender;
    let form = form.unwrap_or_else(|| TenderForm::from_details(&t.details));
    EditTenderPage {
        layout: Layout::signed_in("procurement", caller),
        id: t.id,
        title: t.details.title.clone(),
        buyer: t.organisation_name.clone(),
        editions: catalogue_views(),
        scale: scale_rows(&t.details),
        question_rows: question_rows(&form, &errors),
        form,
        errors,
    }
}

/// The tender when the caller is a buyer editor or admin and it is still a draft: 404 when
/// they may not see it, 403 for other roles and suppliers, 409 once it has opened.
async fn editable_tender(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<TenderAccess, AppError> {
    let access = tender_for(state, caller, id).await?;
    access.require_buyer(Role::Editor)?;
    let status = access.tender.status;
    if !status.editable() {
        return Err(AppError::Conflict(format!(
            "a tender's settings change only while it is a draft; this tender's status is {}",
            status.label().to_lowercase()
        )));
    }
    Ok(access)
}

/// The form that changes a draft tender's settings, prefilled (buyer editors and admins).
#[utoipa::path(get, path = "/tenders/{id}/edit", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The tender's settings in the form", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is no longer a draft", content_type = "text/html")))]
pub async fn get_edit_tender_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<EditTenderPage, PageError> {
    let access = editable_tender(&state, &caller, id).await?;
    Ok(edit_page(&caller, &access, None, FormErrors::default()))
}

/// Replaces a draft tender's settings with the form's (buyer editors and admins); the tender
/// keeps its scoring scale.
#[utoipa::path(post, path = "/tenders/{id}/edit", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = TenderFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Saved: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is no longer a draft", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn edit_tender_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let access = editable_tender(&state, &caller, id).await?;
    let form = TenderForm::from_fields(&Fields::new(pairs));
    let mut details = match form.parse() {
        Ok(d) => d,
        Err(errors) => {
            let page = edit_page(&caller, &access, Some(form), errors);
            return Ok(show_again(page));
        }
    };
    details.scale = access.tender.details.scale.clone();
    match state
        .store()
        .update_tender(&caller.user.email, id, &details)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/tenders/{id}")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_store("t-title", e)?;
            let page = edit_page(&caller, &access, Some(form), errors);
            Ok(show_again(page))
        }
    }
}
