//! What the calculator's API and pages share: finding a project the caller may use, turning
//! requests into domain entries, and rendering report files.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{
    OutcomeEntry, ProjectReport, Proxy, ProxyLibrary, ProxyUse, ProxyValue, build_report,
};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::{Input, InputCategory};
use svatlas_store::StoreError;
use svatlas_store::projects::{ProjectContents, ProjectRecord};
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::state::AppState;

/// A project the caller may act on with at least `minimum`: 404 when it does not exist or
/// belongs to an organisation the caller is not in (the two look the same), 403 when the
/// caller's role there is too low.
pub(crate) async fn project_for(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    minimum: Role,
) -> Result<ProjectRecord, AppError> {
    let project = match state.store().project(id).await {
        Ok(p) => p,
        Err(StoreError::NotFound) => return Err(no_project(id)),
        Err(e) => return Err(e.into()),
    };
    match caller.require_role(project.organisation_id, minimum) {
        Err(AppError::NotFound(_)) => Err(no_project(id)),
        Err(e) => Err(e),
        Ok(_) => Ok(project),
    }
}

/// The project with its outcomes and inputs, on the same terms as [`project_for`].
pub(crate) async fn contents_for(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    minimum: Role,
) -> Result<ProjectContents, AppError> {
    project_for(state, caller, id, minimum).await?;
    Ok(state.store().project_contents(id).await?)
}

fn no_project(id: Uuid) -> AppError {
    AppError::NotFound(format!("no project with id {id}"))
}

/// The report of a project's current entries.
pub(crate) fn report_of(contents: &ProjectContents) -> Result<ProjectReport, AppError> {
    Ok(build_report(
        &contents.project.details,
        &contents.outcome_entries(),
        &contents.input_entries(),
    )?)
}

/// The shipped library plus the organisation's own proxies.
pub(crate) async fn library_for(
    state: &AppState,
    organisation: Uuid,
) -> Result<ProxyLibrary, AppError> {
    let mut all: Vec<Proxy> = ProxyLibrary::shipped().all().to_vec();
    all.extend(state.store().organisation_proxies(organisation).await?);
    Ok(ProxyLibrary::from_proxies(all))
}

const fn one_year() -> i64 {
    1
}

const fn one() -> f64 {
    1.0
}

/// The Bristol Accord component ids, for the API description.
fn bristol_accord_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(BristolAccord::all().map(BristolAccord::id)))
        .build()
}

/// An outcome as the API takes it: a library proxy (`proxy_id`) or a custom value
/// (`proxy_gbp` with optional unit, source and price year).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// The change experienced (not blank).
    #[schema(pattern = r"\S")]
    pub description: String,
    /// Bristol Accord component: id (`thriving`) or name (`Thriving`).
    #[schema(schema_with = bristol_accord_schema)]
    pub bristol_accord: String,
    /// A proxy from the library (`GET /api/v1/proxies`); give this or `proxy_gbp`.
    #[serde(default)]
    pub proxy_id: Option<String>,
    /// A custom value in £ per unit per year; give this or `proxy_id`.
    #[serde(default)]
    pub proxy_gbp: Option<f64>,
    /// Unit of a custom value (default "per unit").
    #[serde(default)]
    pub proxy_unit: Option<String>,
    /// Source of a custom value (default "Provided by the project").
    #[serde(default)]
    pub proxy_source: Option<String>,
    /// Price year of a custom value (default: the project's price base year).
    #[serde(default)]
    pub proxy_price_year: Option<String>,
    /// Units benefiting each year.
    #[schema(minimum = 0, maximum = 1e12)]
    pub quantity: f64,
    /// Years counted (default 1).
    #[serde(default = "one_year")]
    #[schema(minimum = 1, maximum = 200)]
    pub duration_years: i64,
    /// First year of benefit (default 1).
    #[serde(default = "one_year")]
    #[schema(minimum = 0, maximum = 200)]
    pub start_year: i64,
    /// Share going outside the target area or group (0 to 1).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    pub leakage: f64,
    /// Share that would have happened anyway (0 to 1).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    pub deadweight: f64,
    /// Share moved from elsewhere (0 to 1).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    pub displacement: f64,
    /// Share caused by others (0 to 1).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    pub attribution: f64,
    /// Yearly decline after the first year (0 to 1).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    pub dropoff: f64,
    /// Who experiences the outcome.
    #[serde(default)]
    pub stakeholder: Option<String>,
    /// Evaluative projects: units that actually benefited.
    #[serde(default)]
    pub actual_quantity: Option<f64>,
    /// Evaluative projects: where the actual figure comes from.
    #[serde(default)]
    pub evidence_note: Option<String>,
}

impl OutcomeRequest {
    /// The domain entry, with the proxy looked up or built from the custom fields.
    pub(crate) fn into_entry(
        self,
        library: &ProxyLibrary,
        price_base_year: i32,
    ) -> Result<OutcomeEntry, AppError> {
        let component = BristolAccord::from_label(&self.bristol_accord).ok_or_else(|| {
            AppError::invalid(
                "invalid",
                "bristol_accord",
                format!(
                    "{:?} is not a Bristol Accord component; use one of {}",
                    self.bristol_accord,
                    BristolAccord::all().map(|c| c.id()).join(", ")
                ),
            )
        })?;
        let proxy = match (self.proxy_id.as_deref(), self.proxy_gbp) {
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "invalid",
                    "proxy_id",
                    "give either proxy_id (a library proxy) or proxy_gbp (your own value), not both",
                ));
            }
            (None, None) => {
                return Err(AppError::invalid(
                    "required",
                    "proxy_id",
                    "give proxy_id (a library proxy) or proxy_gbp (your own value in £ per unit)",
                ));
            }
            (Some(id), None) => {
                let proxy = library.get(id).ok_or_else(|| {
                    AppError::invalid(
                        "not_found",
                        "proxy_id",
                        format!("no proxy with id {id:?}; search GET /api/v1/proxies"),
                    )
                })?;
                if proxy.proxy_use == ProxyUse::InputRate {
                    return Err(AppError::invalid(
                        "invalid",
                        "proxy_id",
                        format!("{} is a rate for valuing inputs, not an outcome", proxy.id),
                    ));
                }
                proxy.to_value()
            }
            (None, Some(value)) => ProxyValue {
                proxy_id: None,
                name: self.description.clone(),
                value_gbp: value,
                unit: non_empty(self.proxy_unit).unwrap_or_else(|| "per unit".into()),
                source: non_empty(self.proxy_source)
                    .unwrap_or_else(|| "Provided by the project".into()),
                price_year: non_empty(self.proxy_price_year)
                    .unwrap_or_else(|| price_base_year.to_string()),
            },
        };
        let entry = OutcomeEntry {
            description: self.description.trim().to_string(),
            bristol_accord: component,
            stakeholder: non_empty(self.stakeholder),
            proxy,
            quantity: self.quantity,
            duration_years: self.duration_years,
            start_year: self.start_year,
            leakage: self.leakage,
            deadweight: self.deadweight,
            displacement: self.displacement,
            attribution: self.attribution,
            dropoff: self.dropoff,
            actual_quantity: self.actual_quantity,
            evidence_note: non_empty(self.evidence_note),
        };
        entry.validate().map_err(|e| {
            // A custom proxy's value is checked by the engine as `proxy_gbp`, as sent.
            AppError::from(e)
        })?;
        Ok(entry)
    }
}

/// An input as the API takes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InputRequest {
    /// What it is (not blank).
    #[schema(pattern = r"\S")]
    pub description: String,
    /// `cash`, `in_kind`, `volunteer_time` or `staff_time`.
    pub category: InputCategory,
    /// £ per unit (or the whole amount with volume 1); value × volume is at most
    /// £1,000 trillion.
    #[schema(minimum = 0, maximum = 1e15)]
    pub value: f64,
    /// Units (default 1).
    #[serde(default = "one")]
    #[schema(minimum = 0, maximum = 1e12)]
    pub volume: f64,
    /// Year spent, 0 = the start (default 0).
    #[serde(default)]
    #[schema(maximum = 200)]
    pub year: u32,
    /// Share spent outside the target area (0 to 1; recorded as local spend).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1)]
    pub leakage: f64,
}

impl InputRequest {
    /// The domain input, validated.
    pub(crate) fn into_input(self) -> Result<Input, AppError> {
        let input = Input {
            description: self.description.trim().to_string(),
            category: self.category,
            value: self.value,
            volume: self.volume,
            year: self.year,
            leakage: self.leakage,
        };
        svatlas_domain::calculator::validate_input(&input)?;
        Ok(input)
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// A report file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportFile {
    Pdf,
    Xlsx,
    Csv,
}

impl ReportFile {
    const fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }

    const fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
        }
    }
}

/// Renders a report file (on the blocking pool: PDF layout is CPU work) as a download; a PDF
/// is 501 Not Implemented in a build without the `pdf` feature.
pub(crate) async fn report_download(
    report: ProjectReport,
    organisation: String,
    version: Option<String>,
    format: ReportFile,
) -> Result<Response, AppError> {
    let file_stem = file_stem(&report.details.name);
    let meta = svatlas_report::ReportMeta {
        organisation,
        generated_on: chrono::Utc::now().format("%-d %B %Y").to_string(),
        version,
    };
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let render_error = |e: svatlas_report::ReportError| AppError::Internal(e.into());
        Ok(match format {
            ReportFile::Csv => svatlas_report::csv(&report, &meta).into_bytes(),
            ReportFile::Xlsx => svatlas_report::xlsx(&report, &meta).map_err(render_error)?,
            #[cfg(feature = "pdf")]
            ReportFile::Pdf => svatlas_report::pdf(&report, &meta).map_err(render_error)?,
            #[cfg(not(feature = "pdf"))]
            ReportFile::Pdf => {
                return Err(crate::platform::pdf_not_available(
                    "download the Excel or CSV report instead",
                ));
            }
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    let disposition = format!(
        "attachment; filename=\"{file_stem}-report.{}\"",
        format.extension()
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// A safe file name from a project name: ASCII letters, digits and hyphens.
fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
        if stem.len() >= 60 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "project".to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(
            file_stem("Youth Employment (2026)"),
            "youth-employment-2026"
        );
        assert_eq!(file_stem("\"; rm -rf /"), "rm-rf");
        assert_eq!(file_stem("ÉÉÉ"), "project");
    }
}
