//! The calculator workspace pages: your projects, a project with its outcomes and inputs, and
//! the forms that change them. Every change needs the editor role in the project's
//! organisation; other organisations' projects answer 404.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{ProjectReport, ProxyLibrary, ProxyUse, Verification};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::display::{format_money, format_ratio};
use svatlas_store::StoreError;
use svatlas_store::projects::ProjectContents;
use uuid::Uuid;

use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::{ApiQuery, PageForm, PageMultipart};
use crate::platform::format::plain;
use crate::platform::forms::show_again;
use crate::platform::upload::{Evidence, attachment, evidence_file};
use crate::platform::views::{FormErrors, Layout, when};
use crate::sroi::calculator::{contents_for, library_for, project_for, report_of};
use crate::sroi::forms::{DetailsForm, InputForm, OutcomeForm, category_id};
use crate::state::AppState;

/// One `<option>` of the proxy select.
pub struct ProxyOption {
    pub id: String,
    pub text: String,
}

/// Proxies of one component, as an `<optgroup>`.
pub struct ProxyGroup {
    pub label: String,
    pub options: Vec<ProxyOption>,
}

/// Outcome proxies grouped by Bristol Accord component, each option saying value, unit,
/// price year and how far it was verified.
pub fn proxy_groups(library: &ProxyLibrary) -> Vec<ProxyGroup> {
    BristolAccord::all()
        .into_iter()
        .map(|c| ProxyGroup {
            label: c.label().to_string(),
            options: library
                .search("", Some(c))
                .into_iter()
                .map(|p| ProxyOption {
                    id: p.id.clone(),
                    text: format!(
                        "{} – {} {} ({} prices{})",
                        p.name,
                        format_money(p.value_gbp),
                        p.unit,
                        p.price_year,
                        match p.verification {
                            Verification::Verified => "",
                            Verification::OwnProxy => ", your organisation's",
                            _ => ", confirm before use",
                        }
                    ),
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// Rates for valuing time (wage rates), shown as hints beside the input form.
pub fn input_rates(library: &ProxyLibrary) -> Vec<String> {
    library
        .all()
        .iter()
        .filter(|p| p.proxy_use == ProxyUse::InputRate)
        .take(6)
        .map(|p| {
            format!(
                "{}: {} {} ({})",
                p.name,
                format_money(p.value_gbp),
                p.unit,
                p.price_year
            )
        })
        .collect()
}

/// An outcome in the project's table.
pub struct OutcomeRow {
    pub id: Uuid,
    pub description: String,
    pub component: String,
    pub number: u8,
    pub proxy: String,
    pub quantity: String,
    pub actual: String,
    pub pv_net: String,
}

/// An input in the project's table.
pub struct InputRow {
    pub id: Uuid,
    pub description: String,
    pub category: &'static str,
    pub amount: String,
    pub year: u32,
    pub leakage: String,
}

/// The project page.
#[derive(Template, WebTemplate)]
#[template(path = "sroi/projects/project.html")]
pub struct ProjectPage {
    pub layout: Layout,
    pub project_id: Uuid,
    pub name: String,
    pub description: String,
    pub organisation: String,
    pub mode: &'static str,
    pub evaluative: bool,
    pub price_base_year: i32,
    pub start_date: String,
    pub areas: Vec<String>,
    pub deduct_input_leakage: bool,
    pub archived: bool,
    pub updated: String,
    pub can_edit: bool,
    pub ratio: String,
    /// Whether the report offers a PDF ([`crate::platform::PDF_AVAILABLE`]).
    pub pdf_available: bool,
    pub warnings: Vec<String>,
    pub outcomes: Vec<OutcomeRow>,
    pub inputs: Vec<InputRow>,
    pub components: Vec<(&'static str, &'static str)>,
    pub proxy_groups: Vec<ProxyGroup>,
    pub input_rates: Vec<String>,
    pub categories: Vec<(&'static str, &'static str)>,
    pub outcome: OutcomeForm,
    pub input: InputForm,
    pub details: DetailsForm,
    pub errors: FormErrors,
}

/// The eight components as (id, label) for selects.
pub fn components() -> Vec<(&'static str, &'static str)> {
    BristolAccord::all()
        .into_iter()
        .map(|c| (c.id(), c.label()))
        .collect()
}

/// Input categories as (id, label).
pub fn categories() -> Vec<(&'static str, &'static str)> {
    vec![
        ("cash", "Cash (grants, contract payments)"),
        ("in_kind", "In kind (donated goods, space or services)"),
        ("volunteer_time", "Volunteer time"),
        ("staff_time", "Staff time"),
    ]
}

const fn category_label(id: &str) -> &'static str {
    match id.as_bytes() {
        b"cash" => "Cash",
        b"in_kind" => "In kind",
        b"volunteer_time" => "Volunteer time",
        _ => "Staff time",
    }
}

/// What a failed form keeps: the values typed and the problems.
#[derive(Default)]
pub struct Retry {
    pub outcome: Option<OutcomeForm>,
    pub input: Option<InputForm>,
    pub details: Option<DetailsForm>,
    pub errors: FormErrors,
}

/// One row per outcome, with its net present value where the report could be calculated.
fn outcome_rows(contents: &ProjectContents, report: Option<&ProjectReport>) -> Vec<OutcomeRow> {
    let results = report
        .map(|r| r.result.outcomes.as_slice())
        .unwrap_or_default();
    contents
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| OutcomeRow {
            id: o.id,
            description: o.entry.description.clone(),
            component: o.entry.bristol_accord.label().to_string(),
            number: o.entry.bristol_accord.number(),
            proxy: format!(
                "{} {}",
                format_money(o.entry.proxy.value_gbp),
                o.entry.proxy.unit
            ),
            quantity: plain(o.entry.quantity),
            actual: o
                .entry
                .actual_quantity
                .map(plain)
                .unwrap_or_else(|| "–".into()),
            pv_net: results
                .get(i)
                .map_or_else(String::new, |r| format_money(r.pv_net)),
        })
        .collect()
}

/// One row per input.
fn input_rows(contents: &ProjectContents) -> Vec<InputRow> {
    contents
        .inputs
        .iter()
        .map(|i| InputRow {
            id: i.id,
            description: i.entry.description.clone(),
            category: category_label(category_id(i.entry.category)),
            amount: format_money(i.entry.amount()),
            year: i.entry.year,
            leakage: format!("{}%", plain(i.entry.leakage * 100.0)),
        })
        .collect()
}

/// The ratio as shown, and the calculation's warnings.
fn headline(report: Option<&ProjectReport>) -> (String, Vec<String>) {
    match report {
        Some(r) => (
            r.result
                .sroi_ratio
                .map_or_else(|| "Not defined yet (add inputs)".to_string(), format_ratio),
            r.result
                .warnings
                .iter()
                .map(|w| w.message.clone())
                .collect(),
        ),
        None => ("Not available".to_string(), Vec::new()),
    }
}

/// Builds the project page for a caller already checked to be a member.
pub async fn project_page(
    state: &AppState,
    caller: &Caller,
    contents: ProjectContents,
    retry: Retry,
) -> Result<ProjectPage, AppError> {
    let project = &contents.project;
    let organisation = project.organisation_id;
    let library = library_for(state, organisation).await?;
    let report = report_of(&contents).ok();
    let outcomes = outcome_rows(&contents, report.as_ref());
    let inputs = input_rows(&contents);
    let (ratio, warnings) = headline(report.as_ref());
    let d = &project.details;
    Ok(ProjectPage {
        layout: Layout::signed_in("sroi", caller),
        project_id: project.id,
        name: d.name.clone(),
        description: d.description.clone(),
        organisation: caller
            .memberships
            .iter()
            .find(|m| m.organisation_id == organisation)
            .map(|m| m.organisation_name.clone())
            .unwrap_or_default(),
        mode: d.mode.label(),
        evaluative: d.mode == svatlas_domain::calculator::ProjectMode::Evaluative,
        price_base_year: d.price_base_year,
        start_date: d.start_date.clone().unwrap_or_default(),
        areas: d.areas.clone(),
        deduct_input_leakage: d.deduct_input_leakage,
        archived: project.archived_at.is_some(),
        updated: when(&project.updated_at),
        can_edit: caller
            .role_in(organisation)
            .is_some_and(|r| r.at_least(Role::Editor)),
        ratio,
        pdf_available: crate::platform::PDF_AVAILABLE,
        warnings,
        outcomes,
        inputs,
        components: components(),
        proxy_groups: proxy_groups(&library),
        input_rates: input_rates(&library),
        categories: categories(),
        outcome: retry.outcome.unwrap_or_else(OutcomeForm::blank),
        input: retry.input.unwrap_or_else(InputForm::blank),
        details: retry
            .details
            .unwrap_or_else(|| DetailsForm::from_details(d)),
        errors: retry.errors,
    })
}

// `POST /projects/{id}/archive`: archive or restore a project.

/// The archive form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ArchiveForm {
    /// `archive` or `restore`.
    pub action: String,
}

/// Archives (hides from your list) or restores a project (editors and admins).
#[utoipa::path(post, path = "/projects/{id}/archive", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = ArchiveForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "action is neither archive nor restore", content_type = "text/html")))]
pub async fn archive_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<ArchiveForm>,
) -> Result<Redirect, PageError> {
    project_for(&state, &caller, id, Role::Editor).await?;
    let archived = match form.action.as_str() {
        "archive" => true,
        "restore" => false,
        _ => {
            return Err(AppError::invalid(
                "invalid",
                "action",
                "action must be archive or restore",
            )
            .into());
        }
    };
    state
        .store()
        .set_project_archived(&caller.user.email, id, archived)
        .await
        .map_err(AppError::from)?;
    Ok(Redirect::to(&format!("/projects/{id}")))
}

// `POST /projects`: start a project.

/// Creates a project in the chosen organisation (editors and admins) and opens it.
#[utoipa::path(post, path = "/projects", tag = "pages",
    request_body(content = DetailsForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Created: to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn create_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageForm(form): PageForm<DetailsForm>,
) -> Result<Response, PageError> {
    let organisation = caller.form_organisation(&form.organisation_id, "starting a project")?;
    let parsed = form.parse();
    let (details, organisation) = match (parsed, organisation) {
        (Ok(d), Some(org)) => (d, org),
        (parsed, organisation) => {
            let mut errors = parsed.err().unwrap_or_default();
            if organisation.is_none() {
                errors.add(
                    "p-organisation_id",
                    "Choose the organisation that owns the project",
                );
            }
            let page = projects_page(&state, &caller, false, Some(form), errors).await?;
            return Ok(show_again(page));
        }
    };
    match state
        .store()
        .create_project(
            &caller.user.email,
            organisation,
            Some(caller.user.id),
            &details,
        )
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!("/projects/{}", p.id)).into_response()),
        Err(e) => {
            let errors = FormErrors::from_store("p-name", e)?;
            let page = projects_page(&state, &caller, false, Some(form), errors).await?;
            Ok(show_again(page))
        }
    }
}

// `POST /projects/{id}/duplicate`: copy a project with its outcomes and inputs.

/// The duplicate form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DuplicateForm {
    /// Name of the copy (default: "Copy of ...").
    pub name: String,
}

/// Copies the project (editors and admins) and opens the copy.
#[utoipa::path(post, path = "/projects/{id}/duplicate", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = DuplicateForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Copied: to the copy"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")))]
pub async fn duplicate_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<DuplicateForm>,
) -> Result<Redirect, PageError> {
    let project = project_for(&state, &caller, id, Role::Editor).await?;
    let name = if form.name.trim().is_empty() {
        format!("Copy of {}", project.details.name)
    } else {
        form.name.trim().to_string()
    };
    let copy = state
        .store()
        .duplicate_project(&caller.user.email, id, Some(caller.user.id), &name)
        .await?;
    Ok(Redirect::to(&format!("/projects/{}", copy.id)))
}

// Outcomes and inputs on the project page: add, edit, delete.
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
    caller: &Caller,
    contents: &ProjectContents,
    outcome_id: Uuid,
    outcome: OutcomeForm,
    errors: FormErrors,
) -> Result<OutcomeEditPage, AppError> {
    let project = &contents.project;
    let library = library_for(state, project.organisation_id).await?;
    Ok(OutcomeEditPage {
        layout: Layout::signed_in("sroi", caller),
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
    caller: &Caller,
    contents: &ProjectContents,
    input_id: Uuid,
    input: InputForm,
    errors: FormErrors,
) -> Result<InputEditPage, AppError> {
    let project = &contents.project;
    let library = library_for(state, project.organisation_id).await?;
    Ok(InputEditPage {
        layout: Layout::signed_in("sroi", caller),
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
    Ok(outcome_edit(
        &state,
        &caller,
        &contents,
        outcome_id,
        form,
        FormErrors::default(),
    )
    .await?)
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
            let page = outcome_edit(&state, &caller, &contents, outcome_id, form, errors).await?;
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
    Ok(input_edit(
        &state,
        &caller,
        &contents,
        input_id,
        form,
        FormErrors::default(),
    )
    .await?)
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
            let page = input_edit(&state, &caller, &contents, input_id, form, errors).await?;
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

// Evidence files for an outcome's actual quantity (evaluative projects): upload and download.
//
// Uploads are limited in size ([`MAX_EVIDENCE_BYTES`]) and type: the file name's extension
// must be one we accept and the first bytes must match it, so a renamed executable or HTML
// page is refused. Downloads are always attachments with `nosniff`.
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
    PageMultipart(mut multipart): PageMultipart,
) -> Result<Redirect, PageError> {
    project_for(&state, &caller, id, Role::Editor).await?;
    let Evidence { name, media, bytes } = evidence_file(&mut multipart)
        .await?
        .map_err(|m| AppError::invalid("invalid", "file", m))?;
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
    Ok(attachment(bytes, &file.content_type, &file.file_name))
}

// `GET /projects/{id}`: a project with its outcomes and inputs, and the forms to add more.

/// The project workspace.
#[utoipa::path(get, path = "/projects/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")))]
pub async fn get_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<ProjectPage, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Viewer).await?;
    Ok(project_page(&state, &caller, contents, Retry::default()).await?)
}

// `GET /projects`: your projects, and a form to start one.

/// Query of the list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `true` to show archived projects too.
    pub archived: Option<String>,
}

/// One project in the list.
pub struct ListRow {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
    pub mode: &'static str,
    pub outcomes: i64,
    pub inputs: i64,
    pub updated: String,
    pub archived: bool,
}

/// The projects page.
#[derive(Template, WebTemplate)]
#[template(path = "sroi/projects/list.html")]
pub struct ProjectsPage {
    pub layout: Layout,
    pub rows: Vec<ListRow>,
    pub show_archived: bool,
    /// Organisations where the caller may create projects: (id, name).
    pub editable: Vec<(Uuid, String)>,
    pub form: DetailsForm,
    pub errors: FormErrors,
}

/// Builds the page (also used to show the create form's errors).
pub async fn projects_page(
    state: &AppState,
    caller: &Caller,
    show_archived: bool,
    form: Option<DetailsForm>,
    errors: FormErrors,
) -> Result<ProjectsPage, AppError> {
    let organisations: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let summaries = state
        .store()
        .projects_of(&organisations, show_archived)
        .await?;
    let name_of = |id: Uuid| {
        caller
            .memberships
            .iter()
            .find(|m| m.organisation_id == id)
            .map(|m| m.organisation_name.clone())
            .unwrap_or_default()
    };
    let rows = summaries
        .into_iter()
        .map(|s| ListRow {
            id: s.project.id,
            organisation: name_of(s.project.organisation_id),
            name: s.project.details.name,
            mode: s.project.details.mode.label(),
            outcomes: s.outcomes,
            inputs: s.inputs,
            updated: when(&s.project.updated_at),
            archived: s.project.archived_at.is_some(),
        })
        .collect();
    let editable = caller.editable_organisations();
    Ok(ProjectsPage {
        layout: Layout::signed_in("sroi", caller),
        rows,
        show_archived,
        editable,
        form: form.unwrap_or_else(|| DetailsForm {
            mode: "forecast".into(),
            price_base_year: chrono::Utc::now().year().to_string(),
            ..DetailsForm::default()
        }),
        errors,
    })
}

/// Your projects across your organisations, newest change first.
#[utoipa::path(get, path = "/projects", tag = "pages", params(ListQuery),
    responses(
        (status = 200, description = "Your projects", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login")))]
pub async fn list_projects_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<ProjectsPage, PageError> {
    let show_archived = query.archived.as_deref() == Some("true");
    Ok(projects_page(&state, &caller, show_archived, None, FormErrors::default()).await?)
}

// `POST /projects/{id}`: change a project's details.

/// Saves the details form (editors and admins).
#[utoipa::path(post, path = "/projects/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = DetailsForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Saved: back to the project"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "The form has problems", content_type = "text/html")))]
pub async fn update_project_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<DetailsForm>,
) -> Result<Response, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    match form.parse() {
        Ok(details) => {
            state
                .store()
                .update_project(&caller.user.email, id, &details)
                .await?;
            Ok(Redirect::to(&format!("/projects/{id}")).into_response())
        }
        Err(errors) => {
            let retry = Retry {
                details: Some(form),
                errors,
                ..Retry::default()
            };
            let page = project_page(&state, &caller, contents, retry).await?;
            Ok(show_again(page))
        }
    }
}
