//! A tender's page and the buyer's actions on it: status, invitations and the panel. Each
//! action re-renders the page with its problems when it cannot be done.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_areas::geography::Edition as IodEdition;
use svatlas_areas::needs;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::evaluation::PanelRole;
use svatlas_domain::procurement::opportunity::RequestStatus;
use svatlas_domain::procurement::scoring::Method;
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};
use svatlas_domain::sroi::display::format_money;
use svatlas_store::StoreError;
use svatlas_store::procurement::TenderRecord;
use uuid::Uuid;

use super::{
    CriterionView, ScaleRow, Tag, criterion_view, method_label, scale_rows, social_value_rule,
    status_tag,
};
use crate::need::lookup::{area_summary, normalise_code};
use crate::need::needs::evidence;
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::format::{number, pct};
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout, sentence};
use crate::procurement::access::{Side, TenderAccess, tender_for};
use crate::state::AppState;

// `GET /tenders/{id}`: a tender for its buyer and its invited suppliers: settings, weights,
// questions and criteria, the scale, the areas served with what each most needs, and the
// buyer's controls (status, invitations, panel).

/// Areas of a tender whose needs are shown (the first ones, to keep the page quick).
const NEED_AREAS: usize = 5;
/// Criteria shown per area, most needed first.
const NEEDS_PER_AREA: usize = 3;

/// A question as the tender page shows it.
pub struct QuestionView {
    pub id: String,
    pub kind: &'static str,
    pub text: String,
    pub weight: String,
    pub criterion: Option<CriterionView>,
}

/// The tender's questions with their criteria.
pub fn question_views(details: &TenderDetails) -> Vec<QuestionView> {
    details
        .questions
        .iter()
        .map(|q| QuestionView {
            id: q.id.clone(),
            kind: q.kind.label(),
            text: q.text.clone(),
            weight: pct(q.weight),
            criterion: q
                .criterion
                .as_deref()
                .map(|c| criterion_view(details.edition, c)),
        })
        .collect()
}

/// One criterion an area needs, with its evidence.
pub struct NeedView {
    pub rank: usize,
    pub criterion: String,
    pub title: String,
    /// One of the tender's chosen criteria.
    pub chosen: bool,
    pub evidence: Vec<String>,
}

/// An area served with the criteria it most needs.
pub struct AreaNeeds {
    pub code: String,
    pub name: String,
    pub needs: Vec<NeedView>,
    /// Why there are no figures, when there are none.
    pub note: String,
}

/// The most needed Social Value Model criteria of the tender's areas, from their deprivation
/// (IoD2025); `None` when the server has no area data (the panel is left out).
fn area_needs(state: &AppState, details: &TenderDetails) -> Option<Vec<AreaNeeds>> {
    let data = state.area_data().ok()?;
    let mapping = state.needs_mapping().ok()?;
    let iod = IodEdition::Iod2025;
    let england = data.england(iod);
    let out = details
        .areas
        .iter()
        .take(NEED_AREAS)
        .map(|code| {
            let code = normalise_code(code);
            match area_summary(data, &code, iod) {
                Ok((label, summary)) => AreaNeeds {
                    code: code.clone(),
                    name: label.name.clone(),
                    needs: needs::rank_needs(&summary, mapping, Some(details.edition.id()))
                        .into_iter()
                        .take(NEEDS_PER_AREA)
                        .enumerate()
                        .map(|(i, need)| {
                            let criterion = need.mac_id.clone().unwrap_or_default();
                            NeedView {
                                rank: i + 1,
                                chosen: !criterion.is_empty()
                                    && details
                                        .criteria
                                        .iter()
                                        .any(|c| c.eq_ignore_ascii_case(&criterion)),
                                criterion,
                                title: need.title,
                                evidence: need
                                    .evidence
                                    .into_iter()
                                    .map(|e| evidence(data.frame(), iod, &label, &summary, england, e))
                                    .map(|e| {
                                        format!(
                                            "{}: national decile {} (1 = most deprived 10%), {}; need {} of 100{} ({} link: {})",
                                            e.domain_label,
                                            e.national_decile
                                                .map_or("–".to_owned(), |d| d.to_string()),
                                            e.comparison.unwrap_or("no comparison with England"),
                                            number(Some(e.need), 0),
                                            e.england_need.map_or(String::new(), |en| format!(
                                                " against England's {}",
                                                number(Some(en), 0)
                                            )),
                                            e.strength,
                                            e.rationale
                                        )
                                    })
                                    .collect(),
                            }
                        })
                        .collect(),
                    note: String::new(),
                },
                Err(e) => AreaNeeds {
                    name: String::new(),
                    needs: Vec::new(),
                    note: format!(
                        "No need figures for {code}: {}",
                        sentence(&e.to_string())
                    ),
                    code,
                },
            }
        })
        .collect();
    Some(out)
}

/// A status change the buyer can make now.
pub struct StatusAction {
    pub status: &'static str,
    pub label: &'static str,
    pub class: &'static str,
}

/// A panel member.
pub struct PanelRow {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub role_id: &'static str,
}

/// A supplier's request to bid, for the buyer.
pub struct RequestView {
    pub organisation_id: Uuid,
    pub name: String,
    pub message: String,
    pub status: &'static str,
    pub note: String,
    pub sent: String,
    /// Awaiting the buyer's decision.
    pub pending: bool,
    /// The reason typed into a decline that failed.
    pub typed_note: String,
}

/// What the tender page and the public opportunity page both show of a tender's settings
/// (`templates/procurement/tenders/summary_rows.html` and `summary.html`).
pub struct TenderSummary {
    pub contract_value: String,
    pub closing_date: String,
    pub start_date: String,
    pub end_date: String,
    pub edition: &'static str,
    pub method: &'static str,
    pub weighted: bool,
    pub price_weight: String,
    pub quality_weight: String,
    pub social_value_weight: String,
    pub sv_rule: String,
    /// Second-look warnings on the weightings (for the buyer).
    pub warnings: Vec<String>,
    pub criteria: Vec<CriterionView>,
    pub questions: Vec<QuestionView>,
    pub scale: Vec<ScaleRow>,
}

impl TenderSummary {
    /// The summary of a tender's settings.
    pub fn of(d: &TenderDetails) -> Self {
        let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "Not set".into());
        TenderSummary {
            contract_value: format_money(d.contract_value_gbp),
            closing_date: date(&d.closing_date),
            start_date: date(&d.start_date),
            end_date: date(&d.end_date),
            edition: d.edition.title(),
            method: method_label(d.method),
            weighted: d.method == Method::WeightedScore,
            price_weight: pct(d.price_weight),
            quality_weight: pct(d.quality_weight()),
            social_value_weight: pct(d.social_value_weight()),
            sv_rule: social_value_rule(d),
            warnings: d
                .warnings()
                .into_iter()
                .map(|w| sentence(&w.message))
                .collect(),
            criteria: d
                .criteria
                .iter()
                .map(|c| criterion_view(d.edition, c))
                .collect(),
            questions: question_views(d),
            scale: scale_rows(d),
        }
    }
}

/// The tender page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/tender.html")]
pub struct TenderPage {
    pub layout: Layout,
    pub id: Uuid,
    pub title: String,
    pub buyer: String,
    pub status: Tag,
    pub description: String,
    pub summary: TenderSummary,
    pub areas: Vec<String>,
    pub needs: Option<Vec<AreaNeeds>>,
    pub buyer_side: bool,
    pub can_edit: bool,
    /// A buyer editor or admin and the tender a draft: its settings can change.
    pub can_change_settings: bool,
    pub is_admin: bool,
    pub status_actions: Vec<StatusAction>,
    pub can_invite: bool,
    pub invitations: Vec<(Uuid, String)>,
    pub panel: Vec<PanelRow>,
    pub panel_open: bool,
    pub members: Vec<(Uuid, String)>,
    pub evaluator: bool,
    pub moderator: bool,
    pub in_evaluation: bool,
    pub sees_results: bool,
    pub contract_id: Option<Uuid>,
    pub bid_status: Option<&'static str>,
    pub invite_value: String,
    pub panel_user: String,
    pub panel_role: String,
    /// Listed on the public opportunities list.
    pub listed: bool,
    /// Draft or open: listing can change.
    pub listing_open: bool,
    /// Open for bids.
    pub is_open: bool,
    /// Suppliers' requests to bid (buyer side).
    pub requests: Vec<RequestView>,
    pub errors: FormErrors,
}

/// What a failed form on the tender page keeps.
#[derive(Default)]
pub struct TenderRetry {
    pub invite: String,
    pub panel_user: String,
    pub panel_role: String,
    /// A failed decline: the organisation and the reason typed.
    pub decline: Option<(Uuid, String)>,
    pub errors: FormErrors,
}

/// Builds the tender page for a caller already allowed to see it.
pub async fn tender_page(
    state: &AppState,
    caller: &Caller,
    access: TenderAccess,
    retry: TenderRetry,
) -> Result<TenderPage, AppError> {
    let t = &access.tender;
    let d = &t.details;
    let (buyer_side, role) = match access.side {
        Side::Buyer(role) => (true, Some(role)),
        Side::Supplier { .. } => (false, None),
    };
    let can_edit = role.is_some_and(|r| r.at_least(Role::Editor));
    let is_admin = role.is_some_and(|r| r.at_least(Role::Admin));
    let invitations = if buyer_side {
        invitation_rows(state, t.id).await?
    } else {
        Vec::new()
    };
    let members = if is_admin {
        member_options(state, t.organisation_id).await?
    } else {
        Vec::new()
    };
    let bid_status = bid_status(state, t.id, access.side).await?;
    let contract_id = visible_contract(state, caller, t).await?;
    let (listed, requests) = if buyer_side {
        let listed = state.store().is_listed(t.id).await?;
        (
            listed,
            request_views(state, t.id, retry.decline.as_ref()).await?,
        )
    } else {
        (false, Vec::new())
    };
    Ok(TenderPage {
        layout: Layout::signed_in("procurement", caller),
        id: t.id,
        title: d.title.clone(),
        buyer: t.organisation_name.clone(),
        status: status_tag(t.status),
        description: d.description.clone(),
        summary: TenderSummary::of(d),
        areas: d.areas.clone(),
        needs: area_needs(state, d),
        buyer_side,
        can_edit,
        can_change_settings: can_edit && t.status.editable(),
        is_admin,
        status_actions: status_actions(t.status, can_edit),
        can_invite: can_edit && matches!(t.status, TenderStatus::Draft | TenderStatus::Open),
        invitations,
        panel: if buyer_side {
            panel_rows(&access)
        } else {
            Vec::new()
        },
        panel_open: !matches!(t.status, TenderStatus::Awarded | TenderStatus::Cancelled),
        members,
        evaluator: access.on_panel(PanelRole::Evaluator),
        moderator: access.on_panel(PanelRole::Moderator),
        in_evaluation: t.status == TenderStatus::Evaluation,
        sees_results: access.sees_bids(),
        contract_id,
        bid_status,
        invite_value: retry.invite,
        panel_user: retry.panel_user,
        panel_role: retry.panel_role,
        listed,
        listing_open: matches!(t.status, TenderStatus::Draft | TenderStatus::Open),
        is_open: t.status == TenderStatus::Open,
        requests,
        errors: retry.errors,
    })
}

/// Invited suppliers: (organisation, name).
async fn invitation_rows(state: &AppState, tender: Uuid) -> Result<Vec<(Uuid, String)>, AppError> {
    Ok(state
        .store()
        .invitations(tender)
        .await?
        .into_iter()
        .map(|i| (i.organisation_id, i.organisation_name))
        .collect())
}

/// The buyer's members who may join the panel: (user, `Name (email)`).
async fn member_options(
    state: &AppState,
    organisation: Uuid,
) -> Result<Vec<(Uuid, String)>, AppError> {
    Ok(state
        .store()
        .members_of(organisation)
        .await?
        .into_iter()
        .map(|m| (m.user_id, format!("{} ({})", m.name, m.email)))
        .collect())
}

/// The supplier's bid status in words (none for the buyer).
async fn bid_status(
    state: &AppState,
    tender: Uuid,
    side: Side,
) -> Result<Option<&'static str>, AppError> {
    let Side::Supplier { organisation, .. } = side else {
        return Ok(None);
    };
    Ok(Some(
        state
            .store()
            .bid_of(tender, organisation)
            .await?
            .map_or("Not started", |b| b.status.label()),
    ))
}

/// The status changes a buyer editor can make from `status` (none for others).
fn status_actions(status: TenderStatus, can_edit: bool) -> Vec<StatusAction> {
    if !can_edit {
        return Vec::new();
    }
    [
        (TenderStatus::Open, "Open for bids", ""),
        (
            TenderStatus::Evaluation,
            "Close bids and start evaluation",
            "",
        ),
        (
            TenderStatus::Cancelled,
            "Cancel the tender",
            "govuk-button--warning",
        ),
    ]
    .into_iter()
    .filter(|(next, _, _)| status.can_become(*next))
    .map(|(next, label, class)| StatusAction {
        status: next.id(),
        label,
        class,
    })
    .collect()
}

fn panel_rows(access: &TenderAccess) -> Vec<PanelRow> {
    access
        .panel
        .iter()
        .map(|m| PanelRow {
            user_id: m.user_id,
            name: m.name.clone(),
            email: m.email.clone(),
            role: m.role.label(),
            role_id: m.role.id(),
        })
        .collect()
}

/// The contract made from an awarded tender, if the caller is a member of its buyer or
/// supplier (a link only where it leads somewhere).
async fn visible_contract(
    state: &AppState,
    caller: &Caller,
    t: &TenderRecord,
) -> Result<Option<Uuid>, AppError> {
    if t.status != TenderStatus::Awarded {
        return Ok(None);
    }
    Ok(state
        .store()
        .contract_of_tender(t.id)
        .await?
        .filter(|c| {
            caller.role_in(c.buyer_organisation_id).is_some()
                || caller.role_in(c.supplier_organisation_id).is_some()
        })
        .map(|c| c.id))
}

/// Suppliers' requests to bid, with the reason typed into a decline that failed.
async fn request_views(
    state: &AppState,
    tender: Uuid,
    decline: Option<&(Uuid, String)>,
) -> Result<Vec<RequestView>, AppError> {
    let requests = state.store().tender_requests(tender).await?;
    Ok(requests
        .into_iter()
        .map(|r| RequestView {
            typed_note: decline
                .filter(|(org, _)| *org == r.organisation_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            organisation_id: r.organisation_id,
            name: r.organisation_name,
            message: r.message,
            status: r.status.label(),
            note: r.note,
            sent: r.created_at.format("%-d %B %Y").to_string(),
            pending: r.status == RequestStatus::Requested,
        })
        .collect())
}

/// Shows a tender to its buyer's members and to invited suppliers once it is open.
#[utoipa::path(get, path = "/tenders/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The tender", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html")))]
pub async fn get_tender_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<TenderPage, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    Ok(tender_page(&state, &caller, access, TenderRetry::default()).await?)
}

// `POST /tenders/{id}/invitations`: invite a supplier organisation to bid.

/// The supplier to invite.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct InviteForm {
    /// The supplier organisation's id (shown to its members on their organisation page).
    pub organisation_id: String,
}

/// Invites a supplier (buyer editors and admins); back to the tender's supplier list.
#[utoipa::path(post, path = "/tenders/{id}/invitations", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = InviteForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Invited: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is awarded or cancelled, or the organisation is the buyer itself", content_type = "text/html"),
        (status = 422, description = "Not an organisation id, or no such organisation; shown on the tender page", content_type = "text/html")))]
pub async fn invite_supplier_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<InviteForm>,
) -> Result<Response, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Editor)?;
    let problem = match form.organisation_id.trim().parse::<Uuid>() {
        Err(_) => Some(
            "Enter the supplier's organisation id: 36 letters, digits and dashes, as shown on \
             their organisation page"
                .to_owned(),
        ),
        Ok(org) => match state
            .store()
            .invite_supplier(&caller.user.email, id, org)
            .await
        {
            Ok(()) => None,
            Err(StoreError::NotFound) => Some(
                "No organisation has that id: ask the supplier for the id on their organisation page"
                    .to_owned(),
            ),
            Err(e) => return Err(AppError::from(e).into()),
        },
    };
    match problem {
        None => Ok(Redirect::to(&format!("/tenders/{id}#suppliers")).into_response()),
        Some(message) => {
            let retry = TenderRetry {
                invite: form.organisation_id,
                errors: FormErrors::one("invite-organisation_id", message),
                ..TenderRetry::default()
            };
            let page = tender_page(&state, &caller, access, retry).await?;
            Ok(show_again(page))
        }
    }
}

// `POST /tenders/{id}/panel`: put a buyer member on the evaluation panel, or take them off.

/// A panel change.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PanelForm {
    /// A member of the buyer organisation.
    pub user_id: String,
    /// `evaluator` or `moderator`.
    pub role: String,
    /// `add` (default) or `remove`.
    pub action: String,
}

/// Changes the panel (buyer admins); back to the tender's panel.
#[utoipa::path(post, path = "/tenders/{id}/panel", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = PanelForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Changed: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer admin", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is awarded or cancelled", content_type = "text/html"),
        (status = 422, description = "No member or role chosen, or not a member of the buyer; shown on the tender page", content_type = "text/html")))]
pub async fn change_panel_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<PanelForm>,
) -> Result<Response, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Admin)?;
    let mut errors = FormErrors::default();
    let user = form.user_id.trim().parse::<Uuid>().ok();
    if user.is_none() {
        errors.add("panel-user_id", "Choose the member to put on the panel");
    }
    let role = PanelRole::parse(&form.role);
    if role.is_none() {
        errors.add("panel-role", "Choose evaluator or moderator");
    }
    let add = form.action.trim() != "remove";
    if let (Some(user), Some(role)) = (user, role) {
        match state
            .store()
            .set_panel_member(&caller.user.email, id, user, role, add)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/tenders/{id}#panel")).into_response());
            }
            Err(StoreError::Invalid(m)) => errors.add("panel-user_id", sentence(&m)),
            Err(StoreError::NotFound) => errors.add(
                "panel-user_id",
                format!("That person is not on the panel as {}", role.id()),
            ),
            Err(e) => return Err(AppError::from(e).into()),
        }
    }
    let retry = TenderRetry {
        panel_user: form.user_id,
        panel_role: form.role,
        errors,
        ..TenderRetry::default()
    };
    let page = tender_page(&state, &caller, access, retry).await?;
    Ok(show_again(page))
}

// `POST /tenders/{id}/status`: open a tender, close it for evaluation, or cancel it.

/// The status to move to.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusForm {
    /// `open` (from draft), `evaluation` (from open: bids close) or `cancelled`.
    pub status: String,
}

/// Moves a tender on (buyer editors and admins); back to the tender.
#[utoipa::path(post, path = "/tenders/{id}/status", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = StatusForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Moved: to the tender; not signed in: to /login"),
        (status = 403, description = "Not a buyer editor", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "That move is not possible from the current status", content_type = "text/html"),
        (status = 422, description = "Unknown status", content_type = "text/html")))]
pub async fn change_status_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    let next = TenderStatus::parse(form.status.trim()).ok_or_else(|| {
        AppError::invalid("invalid", "status", "choose open, evaluation or cancelled")
    })?;
    state
        .store()
        .set_tender_status(&caller.user.email, id, next)
        .await?;
    Ok(Redirect::to(&format!("/tenders/{id}")).into_response())
}
