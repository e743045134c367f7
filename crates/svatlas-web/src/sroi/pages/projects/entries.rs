//! Outcomes and inputs on the project page: add, edit, delete.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use svatlas_store::projects::ProjectContents;
use uuid::Uuid;

use super::{ProxyGroup, Retry, categories, components, input_rates, project_page, proxy_groups};
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::sroi::calculator::{contents_for, library_for};
use crate::sroi::forms::{InputForm, OutcomeForm};
use crate::state::AppState;

/// The outcome edit page.
#[derive(Template, WebTemplate)]
#[template(path = "sroi/projects/outcome_edit.html")]
pub struct OutcomeEditPage {
    pub layout: Layout,
    pub project_id: Uuid,
    pub project_name: String,
    pub outcome_id: Uuid,
    pub evaluative: bool,
    pub components: Vec<(&'static str, &'static str)>,
    pub proxy_groups: Vec<ProxyGroup>,
    pub outcome: OutcomeForm,
    pub errors: FormErrors,
    /// Evidence files of this outcome.
    pub evidence: Vec<EvidenceRow>,
}

/// One evidence file as listed.
pub struct EvidenceRow {
    pub id: Uuid,
    pub file_name: String,
    pub size: String,
    pub uploaded: String,
}

async fn evidence_rows(
    state: &AppState,
    project: Uuid,
    outcome: Uuid,
) -> Result<Vec<EvidenceRow>, AppError> {
    Ok(state
        .store()
        .evidence_of(project)
        .await?
        .into_iter()
        .filter(|f| f.outcome_id == outcome)
        .map(|f| EvidenceRow {
            id: f.id,
            size: if f.size_bytes >= 1024 * 1024 {
                format!("{:.1} MB", f.size_bytes as f64 / (1024.0 * 1024.0))
            } else {
                format!("{} KB", (f.size_bytes + 1023) / 1024)
            },
            uploaded: format!(
                "{}{}",
                crate::platform::views::when(&f.created_at),
                f.uploaded_by
                    .map(|u| format!(" by {u}"))
                    .unwrap_or_default()
            ),
            file_name: f.file_name,
        })
        .collect())
}

/// The input edit page.
#[derive(Template, WebTemplate)]
#[template(path = "sroi/projects/input_edit.html")]
pub struct InputEditPage {
    pub layout: Layout,
    pub project_id: Uuid,
    pub project_name: String,
    pub input_id: Uuid,
    pub categories: Vec<(&'static str, &'static str)>,
    pub input_rates: Vec<String>,
    pub input: InputForm,
    pub errors: FormErrors,
}

/// A store refusal of what was typed becomes a message beside `field`; any other fault is not
/// the form's and keeps its own status.
fn refused(field: &str, error: StoreError) -> Result<FormErrors, AppError> {
    match error {
        StoreError::Invalid(message) => Ok(FormErrors::one(field, message)),
        other => Err(other.into()),
    }
}

fn no_entry(what: &str) -> AppError {
    AppError::NotFound(format!("this project has no such {what}"))
}

fn not_found_as(what: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::NotFound => no_entry(what),
        other => AppError::from(other),
    }
}

/// Adds an outcome from the project page's form.
#[utoipa::path(post, path = "/projects/{id}/outcomes", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = OutcomeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added: back to the project's outcomes"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn add_outcome_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<OutcomeForm>,
) -> Result<Response, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    let library = library_for(&state, contents.project.organisation_id).await?;
    let parsed = form.parse(&library, contents.project.details.price_base_year);
    let stored = match parsed {
        Ok(entry) => state
            .store()
            .add_outcome(&caller.user.email, id, &entry)
            .await
            .map_err(|e| refused("o-description", e)),
        Err(errors) => Err(Ok(errors)),
    };
    match stored {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}#outcomes")).into_response()),
        Err(errors) => {
            let errors = errors?;
            let retry = Retry {
                outcome: Some(form),
                errors,
                ..Retry::default()
            };
            let page = project_page(&state, &caller, contents, retry).await?;
            Ok(show_again(page))
        }
    }
}

/// Adds an input from the project page's form.
#[utoipa::path(post, path = "/projects/{id}/inputs", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = InputForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added: back to the project's inputs"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn add_input_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<InputForm>,
) -> Result<Response, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    let stored = match form.parse() {
        Ok(input) => state
            .store()
            .add_input(&caller.user.email, id, &input)
            .await
            .map_err(|e| refused("i-description", e)),
        Err(errors) => Err(Ok(errors)),
    };
    match stored {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}#inputs")).into_response()),
        Err(errors) => {
            let errors = errors?;
            let retry = Retry {
                input: Some(form),
                errors,
                ..Retry::default()
            };
            let page = project_page(&state, &caller, contents, retry).await?;
            Ok(show_again(page))
        }
    }
}

/// The outcome edit page with these form values and problems.
async fn outcome_edit(
    state: &AppState,
    contents: &ProjectContents,
    outcome_id: Uuid,
    outcome: OutcomeForm,
    errors: FormErrors,
) -> Result<OutcomeEditPage, AppError> {
    let project = &contents.project;
    let library = library_for(state, project.organisation_id).await?;
    Ok(OutcomeEditPage {
        layout: Layout::new("sroi"),
        project_id: project.id,
        project_name: project.details.name.clone(),
        outcome_id,
        evaluative: project.details.mode == svatlas_domain::calculator::ProjectMode::Evaluative,
        components: components(),
        proxy_groups: proxy_groups(&library),
        outcome,
        errors,
        evidence: evidence_rows(state, project.id, outcome_id).await?,
    })
}

/// The input edit page with these form values and problems.
async fn input_edit(
    state: &AppState,
    contents: &ProjectContents,
    input_id: Uuid,
    input: InputForm,
    errors: FormErrors,
) -> Result<InputEditPage, AppError> {
    let project = &contents.project;
    let library = library_for(state, project.organisation_id).await?;
    Ok(InputEditPage {
        layout: Layout::new("sroi"),
        project_id: project.id,
        project_name: project.details.name.clone(),
        input_id,
        categories: categories(),
        input_rates: input_rates(&library),
        input,
        errors,
    })
}

/// The outcome edit form.
#[utoipa::path(get, path = "/projects/{id}/outcomes/{outcome_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("outcome_id" = Uuid, Path, description = "Outcome id")),
    responses(
        (status = 200, description = "Edit form", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project or outcome", content_type = "text/html")))]
pub async fn edit_outcome_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, outcome_id)): Path<(Uuid, Uuid)>,
) -> Result<OutcomeEditPage, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    let outcome = contents
        .outcomes
        .iter()
        .find(|o| o.id == outcome_id)
        .ok_or_else(|| no_entry("outcome"))?;
    let form = OutcomeForm::from_entry(&outcome.entry);
    Ok(outcome_edit(&state, &contents, outcome_id, form, FormErrors::default()).await?)
}

/// Saves the outcome edit form.
#[utoipa::path(post, path = "/projects/{id}/outcomes/{outcome_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("outcome_id" = Uuid, Path, description = "Outcome id")),
    request_body(content = OutcomeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Saved: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project or outcome", content_type = "text/html"),
        (status = 422, description = "The form has problems", content_type = "text/html")))]
pub async fn update_outcome_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, outcome_id)): Path<(Uuid, Uuid)>,
    PageForm(form): PageForm<OutcomeForm>,
) -> Result<Response, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    let library = library_for(&state, contents.project.organisation_id).await?;
    match form.parse(&library, contents.project.details.price_base_year) {
        Ok(entry) => {
            state
                .store()
                .update_outcome(&caller.user.email, id, outcome_id, &entry)
                .await
                .map_err(not_found_as("outcome"))?;
            Ok(Redirect::to(&format!("/projects/{id}#outcomes")).into_response())
        }
        Err(errors) => {
            if !contents.outcomes.iter().any(|o| o.id == outcome_id) {
                return Err(no_entry("outcome").into());
            }
            let page = outcome_edit(&state, &contents, outcome_id, form, errors).await?;
            Ok(show_again(page))
        }
    }
}

/// Deletes an outcome.
#[utoipa::path(post, path = "/projects/{id}/outcomes/{outcome_id}/delete", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("outcome_id" = Uuid, Path, description = "Outcome id")),
    responses(
        (status = 303, description = "Deleted: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project or outcome", content_type = "text/html")))]
pub async fn delete_outcome_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, outcome_id)): Path<(Uuid, Uuid)>,
) -> Result<Redirect, PageError> {
    crate::sroi::calculator::project_for(&state, &caller, id, Role::Editor).await?;
    state
        .store()
        .delete_outcome(&caller.user.email, id, outcome_id)
        .await
        .map_err(not_found_as("outcome"))?;
    Ok(Redirect::to(&format!("/projects/{id}#outcomes")))
}

/// The input edit form.
#[utoipa::path(get, path = "/projects/{id}/inputs/{input_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("input_id" = Uuid, Path, description = "Input id")),
    responses(
        (status = 200, description = "Edit form", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project or input", content_type = "text/html")))]
pub async fn edit_input_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, input_id)): Path<(Uuid, Uuid)>,
) -> Result<InputEditPage, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    let input = contents
        .inputs
        .iter()
        .find(|i| i.id == input_id)
        .ok_or_else(|| no_entry("input"))?;
    let form = InputForm::from_input(&input.entry);
    Ok(input_edit(&state, &contents, input_id, form, FormErrors::default()).await?)
}

/// Saves the input edit form.
#[utoipa::path(post, path = "/projects/{id}/inputs/{input_id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("input_id" = Uuid, Path, description = "Input id")),
    request_body(content = InputForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Saved: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project or input", content_type = "text/html"),
        (status = 422, description = "The form has problems", content_type = "text/html")))]
pub async fn update_input_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, input_id)): Path<(Uuid, Uuid)>,
    PageForm(form): PageForm<InputForm>,
) -> Result<Response, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    match form.parse() {
        Ok(input) => {
            state
                .store()
                .update_input(&caller.user.email, id, input_id, &input)
                .await
                .map_err(not_found_as("input"))?;
            Ok(Redirect::to(&format!("/projects/{id}#inputs")).into_response())
        }
        Err(errors) => {
            if !contents.inputs.iter().any(|i| i.id == input_id) {
                return Err(no_entry("input").into());
            }
            let page = input_edit(&state, &contents, input_id, form, errors).await?;
            Ok(show_again(page))
        }
    }
}

/// Deletes an input.
#[utoipa::path(post, path = "/projects/{id}/inputs/{input_id}/delete", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("input_id" = Uuid, Path, description = "Input id")),
    responses(
        (status = 303, description = "Deleted: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project or input", content_type = "text/html")))]
pub async fn delete_input_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, input_id)): Path<(Uuid, Uuid)>,
) -> Result<Redirect, PageError> {
    crate::sroi::calculator::project_for(&state, &caller, id, Role::Editor).await?;
    state
        .store()
        .delete_input(&caller.user.email, id, input_id)
        .await
        .map_err(not_found_as("input"))?;
    Ok(Redirect::to(&format!("/projects/{id}#inputs")))
}
