//! `GET /tenders/{id}`: a tender for its buyer and its invited suppliers: settings, weights,
//! questions and criteria, the scale, the areas served with what each most needs, and the
//! buyer's controls (status, invitations, panel).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use svatlas_areas::geography::Edition as IodEdition;
use svatlas_areas::needs;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::evaluation::PanelRole;
use svatlas_domain::procurement::opportunity::RequestStatus;
use svatlas_domain::procurement::scoring::Method;
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};
use svatlas_domain::sroi::display::format_money;
use uuid::Uuid;

use super::{
    CriterionView, ScaleRow, Tag, criterion_view, method_label, scale_rows, social_value_rule,
    status_tag,
};
use crate::need::lookup::{area_summary, normalise_code};
use crate::need::needs::evidence;
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::format::number;
use crate::platform::format::pct;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, sentence};
use crate::procurement::access::{Side, TenderAccess, tender_for};
use crate::state::AppState;

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
    let mut status_actions = Vec::new();
    if can_edit {
        for (next, label, class) in [
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
        ] {
            if t.status.can_become(next) {
                status_actions.push(StatusAction {
                    status: next.id(),
                    label,
                    class,
                });
            }
        }
    }
    let panel_open = !matches!(t.status, TenderStatus::Awarded | TenderStatus::Cancelled);
    let invitations = if buyer_side {
        state
            .store()
            .invitations(t.id)
            .await?
            .into_iter()
            .map(|i| (i.organisation_id, i.organisation_name))
            .collect()
    } else {
        Vec::new()
    };
    let members = if is_admin {
        state
            .store()
            .members_of(t.organisation_id)
            .await?
            .into_iter()
            .map(|m| (m.user_id, format!("{} ({})", m.name, m.email)))
            .collect()
    } else {
        Vec::new()
    };
    let bid_status = match access.side {
        Side::Supplier { organisation, .. } => Some(
            state
                .store()
                .bid_of(t.id, organisation)
                .await?
                .map_or("Not started", |b| b.status.label()),
        ),
        Side::Buyer(_) => None,
    };
    let contract_id = if t.status == TenderStatus::Awarded {
        state
            .store()
            .contract_of_tender(t.id)
            .await?
            .filter(|c| {
                caller.role_in(c.buyer_organisation_id).is_some()
                    || caller.role_in(c.supplier_organisation_id).is_some()
            })
            .map(|c| c.id)
    } else {
        None
    };
    let (listed, requests) = if buyer_side {
        let requests = state.store().tender_requests(t.id).await?;
        let requests = requests
            .into_iter()
            .map(|r| RequestView {
                typed_note: retry
                    .decline
                    .as_ref()
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
            .collect();
        (state.store().is_listed(t.id).await?, requests)
    } else {
        (false, Vec::new())
    };
    Ok(TenderPage {
        layout: Layout::new("procurement"),
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
        status_actions,
        can_invite: can_edit && matches!(t.status, TenderStatus::Draft | TenderStatus::Open),
        invitations,
        panel: if buyer_side {
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
        } else {
            Vec::new()
        },
        panel_open,
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
