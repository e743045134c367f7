//! `GET /tenders/{id}/partners` and `GET /contracts/{id}/partners`: published VCSEs ranked for
//! a tender or contract, every factor shown with its value and in words; on a contract's page
//! the supplier pledges support to a need and reports delivery of its pledges. Downloads of
//! the ranking with `format=csv|xlsx|json`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use super::PledgeView;
use super::forms::{DeliveryForm, PledgeForm};
use super::get::NeedView;
use super::list::{Choice, ChoiceGroup};
use crate::partners::access::match_sources;
use crate::partners::matches::{
    MatchBody, MatchList, Unavailable, contract_subject, match_list, tender_subject,
};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::download::{DataTable, DownloadLinks, Format, Source};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::ApiQuery;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::procurement::access::{ContractSide, contract_for};
use crate::state::AppState;

/// `format=csv|xlsx|json` to download the ranking.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// `csv`, `xlsx` or `json` to download the ranking.
    pub format: Option<String>,
}

/// One ranked organisation.
pub struct MatchRow {
    pub rank: usize,
    pub id: Uuid,
    pub name: String,
    pub score: String,
    pub causes: String,
    pub need: String,
    pub distance: String,
    pub words: Vec<String>,
    pub needs: Vec<NeedView>,
}

/// The ranked partners page.
#[derive(Template, WebTemplate)]
#[template(path = "partners/matches.html")]
pub struct MatchesPage {
    pub layout: Layout,
    pub is_contract: bool,
    pub back_href: String,
    pub back_section: &'static str,
    pub back_section_href: &'static str,
    pub title: String,
    pub criteria: Vec<String>,
    pub areas: Vec<String>,
    pub formula: Vec<String>,
    pub unavailable: Vec<Unavailable>,
    pub considered: usize,
    pub rows: Vec<MatchRow>,
    pub downloads: DownloadLinks,
    pub sources: Vec<Source>,
    /// The pledge form (the contract's supplier editors).
    pub can_pledge: bool,
    pub pledge_action: String,
    pub pledge_groups: Vec<ChoiceGroup>,
    pub pledge: PledgeForm,
    pub pledges: Vec<PledgeView>,
    pub errors: FormErrors,
}

fn points(p: f64) -> String {
    format!("{:.1}", (p * 10.0).round() / 10.0)
}

/// The ranking as a table to download.
fn table(list: &MatchList, stem: &str) -> DataTable {
    let mut t = DataTable::new(
        format!("Voluntary and community partners ranked for {}", list.title),
        stem,
        &[
            "Rank",
            "Organisation",
            "Profile",
            "Score (out of 100)",
            "Causes points",
            "Need points",
            "Distance points",
            "Causes value (0 to 1)",
            "Need value (0 to 1)",
            "Closeness value (0 to 1)",
            "Criteria listed",
            "How the score was worked out",
        ],
    );
    for m in &list.matches {
        let f = &m.score.factors;
        let get = |i: usize| f.get(i);
        t.rows.push(vec![
            m.rank.into(),
            m.profile.name.clone().into(),
            format!("/partners/{}", m.profile.id).into(),
            m.score.score.into(),
            get(0).map(|f| f.points).into(),
            get(1).map(|f| f.points).into(),
            get(2).map(|f| f.points).into(),
            get(0).filter(|f| f.available).map(|f| f.value).into(),
            get(1).filter(|f| f.known).map(|f| f.value).into(),
            get(2).filter(|f| f.known).map(|f| f.value).into(),
            m.score.matched.join("; ").into(),
            f.iter()
                .map(|f| f.words.as_str())
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
        ]);
    }
    t.notes = list.formula.clone();
    t.notes.extend(
        list.unavailable
            .iter()
            .map(|u| format!("{} is left out of every score: {}.", u.factor, u.reason)),
    );
    t
}

/// What a failed form on the contract's page keeps.
#[derive(Default)]
pub struct PledgeRetry {
    pub pledge: Option<PledgeForm>,
    /// (pledge, report as typed).
    pub report: Option<(Uuid, DeliveryForm)>,
    pub errors: FormErrors,
}

/// Builds the page (or the download) for a ranked list.
async fn page(
    state: &AppState,
    caller: &Caller,
    list: MatchList,
    format: Format,
    side: Option<ContractSide>,
    retry: PledgeRetry,
) -> Result<Response, AppError> {
    let (href, stem) = match list.contract_id {
        Some(c) => (format!("/contracts/{c}"), format!("partners-contract-{c}")),
        None => (
            format!("/tenders/{}", list.tender_id),
            format!("partners-tender-{}", list.tender_id),
        ),
    };
    if format != Format::Html {
        let mut t = table(&list, &stem);
        t.sources = match_sources(state);
        return t.download(format);
    }
    let can_pledge = matches!(side, Some(ContractSide::Supplier(r)) if r.at_least(Role::Editor));
    let pledge_groups = pledge_groups(&list, retry.pledge.as_ref());
    let pledges = pledge_views(state, caller, &list, &retry).await?;
    let rows = list.matches.iter().map(match_row).collect();
    let page = MatchesPage {
        layout: Layout::signed_in("partners", caller),
        is_contract: list.contract_id.is_some(),
        back_section: if list.contract_id.is_some() {
            "Contracts"
        } else {
            "Tenders"
        },
        back_section_href: if list.contract_id.is_some() {
            "/contracts"
        } else {
            "/tenders"
        },
        pledge_action: format!("{href}/pledges"),
        back_href: href,
        title: list.title.clone(),
        criteria: list.criteria.iter().map(|c| c.label.clone()).collect(),
        areas: list
            .areas
            .iter()
            .map(|a| match &a.name {
                Some(n) => format!("{n} ({})", a.code),
                None => a.code.clone(),
            })
            .collect(),
        formula: list.formula.clone(),
        unavailable: list.unavailable.clone(),
        considered: list.considered,
        rows,
        downloads: DownloadLinks::new(
            &format!(
                "/{}/{}/partners",
                if list.contract_id.is_some() {
                    "contracts"
                } else {
                    "tenders"
                },
                list.contract_id.unwrap_or(list.tender_id)
            ),
            &[],
        ),
        sources: match_sources(state),
        can_pledge,
        pledge_groups,
        pledge: retry.pledge.unwrap_or_default(),
        pledges,
        errors: retry.errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

/// The open needs of the ranked organisations as pledge options, grouped by organisation.
fn pledge_groups(list: &MatchList, chosen: Option<&PledgeForm>) -> Vec<ChoiceGroup> {
    list.matches
        .iter()
        .filter(|m| !m.open_needs.is_empty())
        .map(|m| ChoiceGroup {
            label: m.profile.name.clone(),
            options: m
                .open_needs
                .iter()
                .map(|n| {
                    let value = format!("{}:{}", m.profile.id, n.id);
                    Choice {
                        selected: chosen.is_some_and(|p| p.need == value),
                        value,
                        label: format!("{}: {}", n.details.kind.label(), n.details.description),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The contract's pledges (none for a tender), a failed report form shown again on its own.
async fn pledge_views(
    state: &AppState,
    caller: &Caller,
    list: &MatchList,
    retry: &PledgeRetry,
) -> Result<Vec<PledgeView>, AppError> {
    let Some(c) = list.contract_id else {
        return Ok(Vec::new());
    };
    Ok(state
        .store()
        .pledges_of_contract(c)
        .await?
        .iter()
        .map(|p| {
            let supplier = caller.role_in(p.supplier_organisation_id);
            let vcse = caller.role_in(p.vcse_organisation_id);
            let mut v = PledgeView::of(p, supplier, vcse).with_errors(&retry.errors);
            if let Some((id, form)) = &retry.report
                && *id == p.id
            {
                v.report = form.clone();
            }
            v
        })
        .collect())
}

fn match_row(m: &MatchBody) -> MatchRow {
    let factor = |i: usize| points(m.score.factors.get(i).map_or(0.0, |f| f.points));
    MatchRow {
        rank: m.rank,
        id: m.profile.id,
        name: m.profile.name.clone(),
        score: points(m.score.score),
        causes: factor(0),
        need: factor(1),
        distance: factor(2),
        words: m.score.factors.iter().map(|f| f.words.clone()).collect(),
        needs: m.open_needs.iter().map(NeedView::of).collect(),
    }
}

/// The contract's page, with the caller's side (used again by the pledge forms).
pub(crate) async fn contract_page(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    retry: PledgeRetry,
) -> Result<Response, AppError> {
    let (_, side) = contract_for(state, caller, id).await?;
    let list = match_list(state, contract_subject(state, caller, id).await?).await?;
    page(state, caller, list, Format::Html, Some(side), retry).await
}

/// Partners ranked for a tender (whoever may see the tender).
#[utoipa::path(get, path = "/tenders/{id}/partners", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id"), MatchQuery),
    responses(
        (status = 200, description = "The ranked partners (or a download with `format`)", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html")))]
pub async fn tender_partners_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    ApiQuery(query): ApiQuery<MatchQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let list = match_list(&state, tender_subject(&state, &caller, id).await?).await?;
    Ok(page(&state, &caller, list, format, None, PledgeRetry::default()).await?)
}

/// Partners ranked for a contract, the pledge form and the contract's pledges (members of its
/// buyer and supplier).
#[utoipa::path(get, path = "/contracts/{id}/partners", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), MatchQuery),
    responses(
        (status = 200, description = "The ranked partners and pledges (or a download with `format`)", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html")))]
pub async fn contract_partners_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    ApiQuery(query): ApiQuery<MatchQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    if format == Format::Html {
        return Ok(contract_page(&state, &caller, id, PledgeRetry::default()).await?);
    }
    let (_, side) = contract_for(&state, &caller, id).await?;
    let list = match_list(&state, contract_subject(&state, &caller, id).await?).await?;
    Ok(page(
        &state,
        &caller,
        list,
        format,
        Some(side),
        PledgeRetry::default(),
    )
    .await?)
}
