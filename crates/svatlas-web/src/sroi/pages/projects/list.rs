//! `GET /projects`: your projects, and a form to start one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::Datelike;
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::ApiQuery;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, when};
use crate::sroi::forms::DetailsForm;
use crate::state::AppState;

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
    pub user_name: String,
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
    let editable = caller
        .memberships
        .iter()
        .filter(|m| m.role.at_least(Role::Editor))
        .map(|m| (m.organisation_id, m.organisation_name.clone()))
        .collect();
    Ok(ProjectsPage {
        layout: Layout::new("sroi"),
        user_name: caller.user.name.clone(),
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
