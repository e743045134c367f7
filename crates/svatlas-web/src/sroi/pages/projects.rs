//! The calculator workspace pages: your projects, a project with its outcomes and inputs, and
//! the forms that change them. Every change needs the editor role in the project's
//! organisation; other organisations' projects answer 404.

pub mod archive;
pub mod create;
pub mod duplicate;
pub mod entries;
pub mod evidence;
pub mod get;
pub mod list;
pub mod update;

use askama::Template;
use askama_web::WebTemplate;
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{ProjectReport, ProxyLibrary, ProxyUse, Verification};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::display::{format_money, format_ratio};
use svatlas_store::projects::ProjectContents;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::platform::format::plain;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, when};
use crate::sroi::calculator::{library_for, report_of};
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
        layout: Layout::new("sroi"),
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
