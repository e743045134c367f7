//! A contract's local spend, for people: the shares, every line with where it was spent, a
//! form to record a line (the supplier) and downloads of the table; and the contract's PDF
//! report.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::spend::{
    DEPRIVED_DECILE_MAX, Share, SpendLine, SpendPlace, SpendSummary,
};
use svatlas_domain::sroi::display::format_percent;
use svatlas_domain::sroi::format_money;
use svatlas_store::StoreError;
use svatlas_store::procurement::SpendRecord;
use uuid::Uuid;

use crate::platform::auth::{Caller, PageCaller};
use crate::platform::download::{DataTable, DownloadLinks, Format};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout};
use crate::procurement::access::{ContractSide, contract_for};
use crate::procurement::contract_report::contract_report_pdf;
use crate::procurement::spend::spend_figures;
use crate::state::AppState;

// `POST /contracts/{id}/spend`: the supplier records one spend line from the form.

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Records a spend line (supplier editors and admins); a refused form comes back with the
/// problems beside their fields and what was typed.
#[utoipa::path(post, path = "/contracts/{id}/spend", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body(content_type = "application/x-www-form-urlencoded", description = "supplier, amount_gbp, date, postcode or area, sme, vcse, description"),
    responses(
        (status = 303, description = "Recorded: back to the spend page"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html"),
        (status = 422, description = "The form with its problems", content_type = "text/html")))]
pub async fn add_spend_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<SpendForm>,
) -> Result<Response, PageError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let mut errors = FormErrors::default();
    let amount = form
        .amount_gbp
        .trim()
        .trim_start_matches('£')
        .replace(',', "")
        .parse::<f64>();
    if amount.is_err() {
        errors.add(
            "amount_gbp",
            "Enter the amount in pounds, for example 1250.50",
        );
    }
    let line = SpendLine {
        supplier: form.supplier.trim().to_owned(),
        amount_gbp: amount.unwrap_or(f64::NAN),
        date: form.date.trim().to_owned(),
        postcode: opt(&form.postcode),
        area: opt(&form.area),
        sme: form.sme.is_some(),
        vcse: form.vcse.is_some(),
        description: form.description.trim().to_owned(),
    };
    if let Err(e) = line.validate() {
        for f in e.0 {
            if errors.get(&f.field).is_none() {
                errors.add(f.field, f.message);
            }
        }
    }
    if line.postcode.is_none() && line.area.is_none() {
        errors.add("postcode", "Enter the postcode where the supplier works, or an area code, so the spend can be placed");
    }
    if !errors.is_empty() {
        let (page, _) = spend_page(&state, &caller, id, errors, form).await?;
        return Ok(show_again(page));
    }
    state
        .store()
        .add_spend(&caller.user.email, id, &[line])
        .await?;
    Ok(Redirect::to(&format!("/contracts/{id}/spend#lines")).into_response())
}

// `POST /contracts/{id}/spend/{spend_id}/delete`: remove a line entered in error.

/// Removes a spend line (supplier editors and admins; audited with the line as it was).
#[utoipa::path(post, path = "/contracts/{id}/spend/{spend_id}/delete", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ("spend_id" = Uuid, Path, description = "Spend line id")),
    responses(
        (status = 303, description = "Removed: back to the spend page"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract or line", content_type = "text/html")))]
pub async fn delete_spend_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, spend_id)): Path<(Uuid, Uuid)>,
) -> Result<Redirect, PageError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    match state
        .store()
        .delete_spend(&caller.user.email, id, spend_id)
        .await
    {
        Err(StoreError::NotFound) => {
            Err(AppError::NotFound(format!("no spend line with id {spend_id}")).into())
        }
        other => {
            other?;
            Ok(Redirect::to(&format!("/contracts/{id}/spend#lines")))
        }
    }
}

// `GET /contracts/{id}/spend`: the contract's local spend.

/// Query: `format=csv|xlsx|json` downloads the lines.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SpendQuery {
    /// Download format.
    pub format: Option<String>,
}

/// One line as shown.
pub struct LineRow {
    pub id: Uuid,
    pub supplier: String,
    pub amount: String,
    pub date: String,
    pub place: String,
    pub district: String,
    pub decile: String,
    pub sme: bool,
    pub vcse: bool,
    pub estimate: bool,
    pub description: String,
}

/// One headline share.
pub struct ShareRow {
    pub label: &'static str,
    pub amount: String,
    pub share: String,
    pub explain: String,
}

/// One text field of the form.
pub struct FieldRow {
    pub id: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub width: &'static str,
}

fn fields(form: &SpendForm) -> Vec<FieldRow> {
    let f = |id, label, hint, value: &str, width| FieldRow {
        id,
        label,
        hint,
        value: value.to_owned(),
        width,
    };
    vec![
        f(
            "supplier",
            "Supplier paid",
            "",
            &form.supplier,
            "govuk-!-width-two-thirds",
        ),
        f(
            "amount_gbp",
            "Amount (£, excluding VAT)",
            "",
            &form.amount_gbp,
            "govuk-input--width-10",
        ),
        f(
            "date",
            "Date",
            "Written YYYY-MM-DD, for example 2027-06-30",
            &form.date,
            "govuk-input--width-10",
        ),
        f(
            "postcode",
            "Postcode where the supplier works",
            "For example PL1 2AA",
            &form.postcode,
            "govuk-input--width-10",
        ),
        f(
            "area",
            "Or an area code",
            "An LSOA or local authority code, for example E06000026",
            &form.area,
            "govuk-input--width-10",
        ),
        f(
            "description",
            "What for (optional)",
            "",
            &form.description,
            "govuk-!-width-two-thirds",
        ),
    ]
}

/// What was typed into the form.
#[derive(Debug, Default, Deserialize)]
pub struct SpendForm {
    #[serde(default)]
    pub supplier: String,
    #[serde(default)]
    pub amount_gbp: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub sme: Option<String>,
    #[serde(default)]
    pub vcse: Option<String>,
    #[serde(default)]
    pub description: String,
}

/// The spend page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/spend/page.html")]
pub struct SpendPage {
    pub layout: Layout,
    pub contract_id: Uuid,
    pub title: String,
    pub supplier: String,
    pub buyer: String,
    pub areas: String,
    pub total: String,
    pub lines_count: usize,
    pub shares: Vec<ShareRow>,
    pub rows: Vec<LineRow>,
    pub can_edit: bool,
    pub errors: FormErrors,
    pub form: SpendForm,
    pub fields: Vec<FieldRow>,
    pub downloads: DownloadLinks,
    /// Whether to link the contract report PDF ([`crate::platform::PDF_AVAILABLE`]).
    pub pdf_available: bool,
}

fn share_row(label: &'static str, s: &Share, explain: String) -> ShareRow {
    ShareRow {
        label,
        amount: format_money(s.amount_gbp),
        share: format_percent(s.share),
        explain,
    }
}

fn shares(summary: &SpendSummary, areas: &str) -> Vec<ShareRow> {
    let mut out = Vec::new();
    if let Some(a) = &summary.in_contract_area {
        out.push(share_row(
            "In the contract’s area",
            a,
            format!("Lines whose small area or district is one of the contract’s areas ({areas})."),
        ));
    }
    out.push(share_row(
        "In deprived areas",
        &summary.in_deprived_areas,
        format!(
            "Lines in small areas of IMD deciles 1 to {DEPRIVED_DECILE_MAX} (the 30% most deprived in England; English Indices of Deprivation 2025, MHCLG, OGL v3.0)."
        ),
    ));
    out.push(share_row(
        "With SMEs",
        &summary.with_smes,
        "As the supplier declared each line.".into(),
    ));
    out.push(share_row(
        "With VCSEs",
        &summary.with_vcses,
        "As the supplier declared each line.".into(),
    ));
    out.push(share_row(
        "Not located",
        &summary.not_located,
        "No postcode or area code, or one not found in the shipped lookup: counted in the total only.".into(),
    ));
    out.push(share_row(
        "Located by an estimate",
        &summary.located_by_estimate,
        "The postcode’s LSOA 2021 is the lookup’s derived estimate, not an ONS assignment.".into(),
    ));
    out
}

/// Builds the page (also after a refused form), and the download of its lines.
pub(crate) async fn spend_page(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    errors: FormErrors,
    form: SpendForm,
) -> Result<(SpendPage, DataTable), AppError> {
    let (contract, side) = contract_for(state, caller, id).await?;
    let figures = spend_figures(state, &contract).await?;
    let table = figures.table(&contract);
    let areas = figures.areas.join(", ");
    let can_edit = matches!(side, ContractSide::Supplier(r) if r.at_least(Role::Editor));
    let page = SpendPage {
        layout: Layout::signed_in("procurement", caller),
        contract_id: contract.id,
        title: contract.title.clone(),
        supplier: contract.supplier_name.clone(),
        buyer: contract.buyer_name.clone(),
        total: format_money(figures.summary.total_gbp),
        lines_count: figures.summary.lines,
        shares: shares(&figures.summary, &areas),
        areas,
        rows: figures
            .lines
            .iter()
            .map(|(r, place)| line_row(r, place.as_ref()))
            .collect(),
        can_edit,
        errors,
        fields: fields(&form),
        form,
        downloads: DownloadLinks::new(&format!("/contracts/{id}/spend"), &[]),
        pdf_available: crate::platform::PDF_AVAILABLE,
    };
    Ok((page, table))
}

fn line_row(r: &SpendRecord, place: Option<&SpendPlace>) -> LineRow {
    let l = &r.line;
    LineRow {
        id: r.id,
        supplier: l.supplier.clone(),
        amount: format_money(l.amount_gbp),
        date: l.date.clone(),
        place: place
            .and_then(|p| p.lsoa.clone())
            .or_else(|| l.postcode.clone())
            .unwrap_or_else(|| "Not located".into()),
        district: place.and_then(|p| p.lad.clone()).unwrap_or_default(),
        decile: place
            .and_then(|p| {
                p.imd_decile
                    .map(|d| format!("{d} ({})", p.imd_edition.clone().unwrap_or_default()))
            })
            .unwrap_or_else(|| "—".into()),
        sme: l.sme,
        vcse: l.vcse,
        estimate: place.is_some_and(|p| p.estimate),
        description: l.description.clone(),
    }
}

/// The contract's local spend (members of buyer and supplier); `format=` downloads the lines.
#[utoipa::path(get, path = "/contracts/{id}/spend", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), SpendQuery),
    responses(
        (status = 200, description = "The spend page, or the lines as a file", content_type = "text/html"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html")))]
pub async fn get_spend_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    Query(query): Query<SpendQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let (page, table) = spend_page(
        &state,
        &caller,
        id,
        FormErrors::default(),
        SpendForm::default(),
    )
    .await?;
    match format {
        Format::Html => Ok(page.into_response()),
        other => Ok(table.download(other)?),
    }
}

// `GET /contracts/{id}/report.pdf`: the contract report for signed-in members.

/// The contract report as a PDF (members of buyer and supplier).
#[utoipa::path(get, path = "/contracts/{id}/report.pdf", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id")),
    responses(
        (status = 200, description = "The report", content_type = "application/pdf"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html"),
        (status = 501, description = "This build has no PDF reports (built without the `pdf` feature)", content_type = "text/html")))]
pub async fn get_contract_report_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(contract_report_pdf(&state, &caller, id).await?)
}
