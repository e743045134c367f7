//! `GET /projects/{id}/versions/compare?a=&b=`: two frozen versions side by side.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::ProjectReport;
use svatlas_domain::sroi::display::{format_money, format_ratio};
use svatlas_store::StoreError;
use uuid::Uuid;

use super::VersionRow;
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::ApiQuery;
use crate::platform::views::Layout;
use crate::sroi::calculator::project_for;
use crate::state::AppState;

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
        layout: Layout::new("sroi"),
        project_id: id,
        name: project.details.name,
        a: VersionRow::from(&va),
        b: VersionRow::from(&vb),
        rows,
    })
}
