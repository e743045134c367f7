//! A project's report as a page, as files, and its frozen versions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::ProjectReport;
use svatlas_domain::sroi::display::{format_money, format_ratio};
use svatlas_store::StoreError;
use svatlas_store::projects::ReportVersion;
use uuid::Uuid;

use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::{ApiQuery, PageForm};
use crate::platform::views::{Layout, when};
use crate::sroi::calculator::{ReportFile, contents_for, project_for, report_download, report_of};
use crate::sroi::report_view::ReportView;
use crate::state::AppState;

/// A frozen version as listed on the report page.
pub struct VersionRow {
    pub number: i64,
    pub label: String,
    pub created: String,
    pub created_by: Option<String>,
    pub short_hash: String,
}

impl From<&ReportVersion> for VersionRow {
    fn from(v: &ReportVersion) -> Self {
        VersionRow {
            number: v.number,
            label: v.label.clone(),
            created: when(&v.created_at),
            created_by: v.created_by.clone(),
            short_hash: v.content_hash.chars().take(12).collect(),
        }
    }
}

/// The report page (current or frozen).
#[derive(Template, WebTemplate)]
#[template(path = "sroi/projects/report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub project_id: Uuid,
    pub organisation: String,
    pub r: ReportView,
    /// The frozen version shown, when this is one.
    pub frozen: Option<VersionRow>,
    pub versions: Vec<VersionRow>,
    pub can_edit: bool,
    /// Download links: `<file_base>.pdf` etc.
    pub file_base: String,
    /// Whether to offer the PDF ([`crate::platform::PDF_AVAILABLE`]).
    pub pdf_available: bool,
}

/// The caller's name for the organisation (they are a member: checked before).
pub(crate) fn organisation_name(caller: &Caller, organisation: Uuid) -> String {
    caller
        .memberships
        .iter()
        .find(|m| m.organisation_id == organisation)
        .map(|m| m.organisation_name.clone())
        .unwrap_or_default()
}

/// Whether the caller may change things in the organisation.
pub(crate) fn can_edit(caller: &Caller, organisation: Uuid) -> bool {
    caller
        .role_in(organisation)
        .is_some_and(|r| r.at_least(Role::Editor))
}

// `GET /projects/{id}/versions/compare?a=&b=`: two frozen versions side by side.

/// Which versions.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CompareQuery {
    /// First version number.
    pub a: Option<String>,
    /// Second version number.
    pub b: Option<String>,
}

/// One compared figure.
pub struct CompareRow {
    pub label: String,
    pub a: String,
    pub b: String,
    pub changed: bool,
}

/// The comparison page.
#[derive(Template, WebTemplate)]
#[template(path = "sroi/projects/compare_versions.html")]
pub struct ComparePage {
    pub layout: Layout,
    pub project_id: Uuid,
    pub name: String,
    pub a: VersionRow,
    pub b: VersionRow,
    pub rows: Vec<CompareRow>,
}

fn figures(r: &ProjectReport) -> Vec<(String, String)> {
    let ratio = |v: Option<f64>| v.map_or_else(|| "Not defined".to_string(), format_ratio);
    let res = &r.result;
    let mut out = vec![
        ("Net social return".to_string(), ratio(res.sroi_ratio)),
        ("Gross social return".to_string(), ratio(res.gross_ratio)),
        ("PV gross".to_string(), format_money(res.pv_gross)),
        ("PV net".to_string(), format_money(res.pv_net)),
        ("PV inputs".to_string(), format_money(res.inputs)),
        ("NPV".to_string(), format_money(res.npv)),
        ("Outcomes".to_string(), r.outcomes.len().to_string()),
        ("Inputs total".to_string(), format_money(r.inputs_total)),
        ("Mode".to_string(), r.details.mode.label().to_string()),
        (
            "Price base year".to_string(),
            r.details.price_base_year.to_string(),
        ),
        ("Engine version".to_string(), r.engine_version.clone()),
    ];
    for (o, res) in r.outcomes.iter().zip(&res.outcomes) {
        out.push((
            format!("PV net: {}", o.description),
            format_money(res.pv_net),
        ));
    }
    out
}

/// Compares two frozen versions figure by figure (outcomes matched by description).
#[utoipa::path(get, path = "/projects/{id}/versions/compare", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), CompareQuery),
    responses(
        (status = 200, description = "Comparison", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project or version", content_type = "text/html"),
        (status = 422, description = "a or b missing or not a number", content_type = "text/html")))]
pub async fn compare_versions(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    ApiQuery(query): ApiQuery<CompareQuery>,
) -> Result<ComparePage, PageError> {
    let project = project_for(&state, &caller, id, Role::Viewer).await?;
    let number = |field: &str, v: Option<&str>| -> Result<i64, AppError> {
        v.and_then(|v| v.trim().parse().ok()).ok_or_else(|| {
            AppError::invalid(
                "invalid",
                field,
                format!("{field} must be a version number"),
            )
        })
    };
    let (na, nb) = (
        number("a", query.a.as_deref())?,
        number("b", query.b.as_deref())?,
    );
    let load = |n: i64| {
        let store = state.store().clone();
        async move {
            store.report_version(id, n).await.map_err(|e| match e {
                StoreError::NotFound => {
                    AppError::NotFound(format!("this project has no version {n}"))
                }
                other => other.into(),
            })
        }
    };
    let (va, ra) = load(na).await?;
    let (vb, rb) = load(nb).await?;
    let fa = figures(&ra);
    let fb = figures(&rb);
    let mut labels: Vec<String> = fa.iter().map(|(l, _)| l.clone()).collect();
    for (l, _) in &fb {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    let find = |f: &[(String, String)], l: &str| {
        f.iter()
            .find(|(k, _)| k == l)
            .map_or_else(|| "—".to_string(), |(_, v)| v.clone())
    };
    let rows = labels
        .into_iter()
        .map(|label| {
            let (a, b) = (find(&fa, &label), find(&fb, &label));
            CompareRow {
                changed: a != b,
                label,
                a,
                b,
            }
        })
        .collect();
    Ok(ComparePage {
        layout: Layout::signed_in("sroi", &caller),
        project_id: id,
        name: project.details.name,
        a: VersionRow::from(&va),
        b: VersionRow::from(&vb),
        rows,
    })
}

// `GET /projects/{id}/report.pdf|.xlsx|.csv` (signed-in pages) and the same for a frozen
// version, `GET /projects/{id}/versions/{number}/report.pdf|.xlsx|.csv`.

async fn current(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    format: ReportFile,
) -> Result<Response, PageError> {
    let contents = contents_for(state, caller, id, Role::Viewer).await?;
    let report = report_of(&contents)?;
    let organisation = organisation_name(caller, contents.project.organisation_id);
    Ok(report_download(report, organisation, None, format).await?)
}

async fn frozen(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    number: i64,
    format: ReportFile,
) -> Result<Response, PageError> {
    let project = project_for(state, caller, id, Role::Viewer).await?;
    let (version, report) =
        state
            .store()
            .report_version(id, number)
            .await
            .map_err(|e| match e {
                svatlas_store::StoreError::NotFound => {
                    AppError::NotFound(format!("this project has no version {number}"))
                }
                other => other.into(),
            })?;
    let organisation = organisation_name(caller, project.organisation_id);
    let label = if version.label.is_empty() {
        format!("Version {}", version.number)
    } else {
        format!("Version {}: {}", version.number, version.label)
    };
    Ok(report_download(report, organisation, Some(label), format).await?)
}

macro_rules! report_files {
    ($($name:ident, $frozen_name:ident, $format:expr, $ext:literal, $what:literal, [$($more:tt)*];)*) => {$(
        #[doc = concat!("The current report as ", $what, ".")]
        #[utoipa::path(get, path = concat!("/projects/{id}/report.", $ext), tag = "pages",
            params(("id" = Uuid, Path, description = "Project id")),
            responses(
                (status = 200, description = $what),
                (status = 303, description = "Not signed in: to /login"),
                (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")
                $($more)*))]
        pub async fn $name(
            State(state): State<AppState>,
            PageCaller(caller): PageCaller,
            Path(id): Path<Uuid>,
        ) -> Result<Response, PageError> {
            current(&state, &caller, id, $format).await
        }

        #[doc = concat!("A frozen version of the report as ", $what, ".")]
        #[utoipa::path(get, path = concat!("/projects/{id}/versions/{number}/report.", $ext), tag = "pages",
            params(("id" = Uuid, Path, description = "Project id"), ("number" = i64, Path, description = "Version number")),
            responses(
                (status = 200, description = $what),
                (status = 303, description = "Not signed in: to /login"),
                (status = 404, description = "No such project or version", content_type = "text/html")
                $($more)*))]
        pub async fn $frozen_name(
            State(state): State<AppState>,
            PageCaller(caller): PageCaller,
            Path((id, number)): Path<(Uuid, i64)>,
        ) -> Result<Response, PageError> {
            frozen(&state, &caller, id, number, $format).await
        }
    )*};
}

report_files! {
    get_report_pdf_page, get_version_pdf_page, ReportFile::Pdf, "pdf", "PDF",
        [, (status = 501, description = "This build has no PDF reports (built without the `pdf` feature)", content_type = "text/html")];
    get_report_xlsx_page, get_version_xlsx_page, ReportFile::Xlsx, "xlsx", "an Excel workbook", [];
    get_report_csv_page, get_version_csv_page, ReportFile::Csv, "csv", "CSV", [];
}

// `POST /projects/{id}/versions`: freeze the current report as a numbered version.

/// The freeze form.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FreezeForm {
    /// Optional name ("Board paper, March").
    pub label: String,
}

/// Freezes the report exactly as it is now (editors and admins).
#[utoipa::path(post, path = "/projects/{id}/versions", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body(content = FreezeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Frozen: to the version's page"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html"),
        (status = 422, description = "Label too long, or the project cannot be calculated", content_type = "text/html")))]
pub async fn freeze_version(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<FreezeForm>,
) -> Result<Redirect, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Editor).await?;
    let report = report_of(&contents)?;
    let version = state
        .store()
        .freeze_report(&caller.user.email, id, &form.label, &report)
        .await?;
    Ok(Redirect::to(&format!(
        "/projects/{id}/versions/{}",
        version.number
    )))
}

// `GET /projects/{id}/report`: the report page.

/// The project's report: headline return, outcomes by component, per year, sensitivity,
/// sources, downloads and versions.
#[utoipa::path(get, path = "/projects/{id}/report", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, description = "Report page", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project, or not the caller's organisation", content_type = "text/html")))]
pub async fn get_report_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<ReportPage, PageError> {
    let contents = contents_for(&state, &caller, id, Role::Viewer).await?;
    let report = report_of(&contents)?;
    let organisation = contents.project.organisation_id;
    let versions = state
        .store()
        .report_versions(id)
        .await
        .map_err(crate::platform::error::AppError::from)?;
    Ok(ReportPage {
        layout: Layout::signed_in("sroi", &caller),
        project_id: id,
        organisation: organisation_name(&caller, organisation),
        r: ReportView::new(&report),
        frozen: None,
        versions: versions.iter().map(VersionRow::from).collect(),
        can_edit: can_edit(&caller, organisation),
        file_base: format!("/projects/{id}/report"),
        pdf_available: crate::platform::PDF_AVAILABLE,
    })
}

// `GET /projects/{id}/versions/{number}`: a frozen report, exactly as it was.

/// A frozen version of the report.
#[utoipa::path(get, path = "/projects/{id}/versions/{number}", tag = "pages",
    params(("id" = Uuid, Path, description = "Project id"), ("number" = i64, Path, description = "Version number")),
    responses(
        (status = 200, description = "The frozen report", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such project or version", content_type = "text/html")))]
pub async fn get_version(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, number)): Path<(Uuid, i64)>,
) -> Result<ReportPage, PageError> {
    let project = project_for(&state, &caller, id, Role::Viewer).await?;
    let (version, report) =
        state
            .store()
            .report_version(id, number)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    AppError::NotFound(format!("this project has no version {number}"))
                }
                other => other.into(),
            })?;
    let versions = state
        .store()
        .report_versions(id)
        .await
        .map_err(AppError::from)?;
    Ok(ReportPage {
        layout: Layout::signed_in("sroi", &caller),
        project_id: id,
        organisation: organisation_name(&caller, project.organisation_id),
        r: ReportView::new(&report),
        frozen: Some(VersionRow::from(&version)),
        versions: versions.iter().map(VersionRow::from).collect(),
        can_edit: can_edit(&caller, project.organisation_id),
        file_base: format!("/projects/{id}/versions/{number}/report"),
        pdf_available: crate::platform::PDF_AVAILABLE,
    })
}
