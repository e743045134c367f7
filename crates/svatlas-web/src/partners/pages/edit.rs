//! `GET /partners/{id}/edit` and `POST /partners/{id}/edit`: the VCSE's editors change the
//! profile, publish it, and list or close needs (those forms post to `needs.rs`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::partners::NeedKind;
use svatlas_store::partners::ProfileRecord;
use uuid::Uuid;

use super::forms::{
    CauseGroup, Fields, NeedForm, ProfileForm, ProfileFormFields, cause_groups, errors_from,
};
use crate::partners::access::checked_details;
use crate::partners::access::{Geo, profile_to_edit};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::state::AppState;

/// A field of a need form: its id and problem.
pub struct NeedField {
    pub id: String,
    pub error: Option<String>,
}

/// One need form (a stored need, or the new one).
pub struct NeedFormView {
    /// `new` or the need's id.
    pub key: String,
    pub action: String,
    pub title: String,
    pub is_new: bool,
    pub form: NeedForm,
    pub kind: NeedField,
    pub description: NeedField,
    pub quantity: NeedField,
    pub unit: NeedField,
    pub open: NeedField,
}

impl NeedFormView {
    /// Whether the form's kind is `kind`.
    pub fn is_kind(&self, kind: &str) -> bool {
        self.form.kind == kind
    }

    pub fn new(
        profile: Uuid,
        key: &str,
        title: String,
        form: NeedForm,
        errors: &FormErrors,
    ) -> Self {
        let field = |name: &str| {
            let id = format!("n-{key}-{name}");
            NeedField {
                error: errors.get(&id).map(str::to_owned),
                id,
            }
        };
        NeedFormView {
            action: if key == "new" {
                format!("/partners/{profile}/needs")
            } else {
                format!("/partners/{profile}/needs/{key}")
            },
            is_new: key == "new",
            key: key.to_owned(),
            title,
            kind: field("kind"),
            description: field("description"),
            quantity: field("quantity"),
            unit: field("unit"),
            open: field("open"),
            form,
        }
    }
}

/// The registration and edit form.
#[derive(Template, WebTemplate)]
#[template(path = "partners/form.html")]
pub struct ProfileFormPage {
    pub layout: Layout,
    pub heading: String,
    pub action: String,
    pub is_new: bool,
    /// The profile's page and name (edit only).
    pub back_href: String,
    pub back_name: String,
    /// Organisations the caller can register (edit in, without a profile): (id, name).
    pub organisations: Vec<(Uuid, String)>,
    /// Profiles the caller's organisations have already: (id, name).
    pub existing: Vec<(Uuid, String)>,
    pub form: ProfileForm,
    pub cause_groups: Vec<CauseGroup>,
    /// Stored needs, then the form for a new one (edit only).
    pub needs: Vec<NeedFormView>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub errors: FormErrors,
}

/// Kinds of need as (id, label) for selects.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    NeedKind::ALL
        .into_iter()
        .map(|k| (k.id(), k.label()))
        .collect()
}

/// What a failed form on the edit page keeps.
#[derive(Default)]
pub struct EditRetry {
    pub profile: Option<ProfileForm>,
    /// (need key, form).
    pub need: Option<(String, NeedForm)>,
    pub errors: FormErrors,
}

/// Builds the edit page for a caller already allowed to edit.
pub async fn edit_page(
    state: &AppState,
    caller: &Caller,
    profile: ProfileRecord,
    retry: EditRetry,
) -> Result<ProfileFormPage, AppError> {
    let form = retry
        .profile
        .unwrap_or_else(|| ProfileForm::from_details(&profile.details));
    let needs = state.store().needs_of(profile.id).await?;
    let errors = retry.errors;
    let typed = |key: &str| {
        retry
            .need
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, f)| f.clone())
    };
    let mut need_views: Vec<NeedFormView> = needs
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let key = n.id.to_string();
            NeedFormView::new(
                profile.id,
                &key,
                format!("Need {}: {}", i + 1, n.details.description),
                typed(&key).unwrap_or_else(|| NeedForm::from_details(&n.details)),
                &errors,
            )
        })
        .collect();
    need_views.push(NeedFormView::new(
        profile.id,
        "new",
        "Add a need".into(),
        typed("new").unwrap_or_else(NeedForm::blank),
        &errors,
    ));
    Ok(ProfileFormPage {
        layout: Layout::signed_in("partners", caller),
        heading: format!("Change the profile of {}", profile.details.name),
        action: format!("/partners/{}/edit", profile.id),
        is_new: false,
        back_href: format!("/partners/{}", profile.id),
        back_name: profile.details.name.clone(),
        organisations: Vec::new(),
        existing: Vec::new(),
        cause_groups: cause_groups(&form.causes),
        form,
        needs: need_views,
        kinds: kinds(),
        errors,
    })
}

/// The edit page (editors and admins of the profile's organisation).
#[utoipa::path(get, path = "/partners/{id}/edit", tag = "pages",
    params(("id" = Uuid, Path, description = "Profile id")),
    responses(
        (status = 200, description = "The edit form", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such profile, or another organisation's", content_type = "text/html")))]
pub async fn edit_partner_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<ProfileFormPage, PageError> {
    let profile = profile_to_edit(&state, &caller, id).await?;
    Ok(edit_page(&state, &caller, profile, EditRetry::default()).await?)
}

/// Checks a sent profile form: the profile, or the problems beside their fields.
pub fn check_form(
    state: &AppState,
    form: &ProfileForm,
) -> Result<svatlas_domain::partners::ProfileDetails, Result<FormErrors, AppError>> {
    match checked_details(&Geo::of(state), form.details()) {
        Ok(d) => Ok(d),
        Err(e) => {
            let mut errors = FormErrors::default();
            Err(errors_from("f-", e, &mut errors).map(|()| errors))
        }
    }
}

/// Saves the profile form and returns to the profile.
#[utoipa::path(post, path = "/partners/{id}/edit", tag = "pages",
    params(("id" = Uuid, Path, description = "Profile id")),
    request_body(content = ProfileFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Saved: to the profile"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such profile, or another organisation's", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn update_partner_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let profile = profile_to_edit(&state, &caller, id).await?;
    let form = ProfileForm::from_fields(&Fields::new(pairs));
    let details = match check_form(&state, &form) {
        Ok(d) => d,
        Err(errors) => return retry(&state, &caller, profile, form, errors?).await,
    };
    match state
        .store()
        .update_profile(&caller.user.email, id, &details)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/partners/{id}")).into_response()),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors_from("f-", e, &mut errors)?;
            retry(&state, &caller, profile, form, errors).await
        }
    }
}

async fn retry(
    state: &AppState,
    caller: &Caller,
    profile: ProfileRecord,
    form: ProfileForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let page = edit_page(
        state,
        caller,
        profile,
        EditRetry {
            profile: Some(form),
            need: None,
            errors,
        },
    )
    .await?;
    Ok(show_again(page))
}
