//! `GET /tenders/{id}/moderate`: the moderator sees every evaluator's score and rationale per
//! bid and question, with their spread, and records the consensus with
//! `POST /bids/{bid_id}/consensus`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::procurement::evaluation::PanelRole;
use uuid::Uuid;

use super::evaluate::{
    PanelBid, PanelView, ScoreRetry, anchor, check_score, panel_bids, require_unsealed,
    unknown_question,
};
use super::{ScaleRow, scale_rows};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::platform::views::Layout;
use crate::procurement::access::tender_of_bid;
use crate::procurement::access::{TenderAccess, tender_for};
use crate::state::AppState;

/// The moderator's page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/moderate.html")]
pub struct ModeratePage {
    pub layout: Layout,
    pub tender_id: Uuid,
    pub title: String,
    pub buyer: String,
    pub user_name: String,
    pub scale: Vec<ScaleRow>,
    pub bids: Vec<PanelBid>,
    /// Questions still without a consensus score, across the bids.
    pub missing: usize,
    pub errors: FormErrors,
}

async fn moderate_page(
    state: &AppState,
    caller: &Caller,
    access: &TenderAccess,
    retry: ScoreRetry,
) -> Result<ModeratePage, AppError> {
    let bids = panel_bids(state, access, PanelView::Moderator, &retry).await?;
    Ok(ModeratePage {
        layout: Layout::new("procurement"),
        tender_id: access.tender.id,
        title: access.tender.details.title.clone(),
        buyer: access.tender.organisation_name.clone(),
        user_name: caller.user.name.clone(),
        scale: scale_rows(&access.tender.details),
        missing: bids
            .iter()
            .flat_map(|b| &b.items)
            .filter(|i| i.consensus.is_none())
            .count(),
        bids,
        errors: retry.errors,
    })
}

/// The moderation page (the tender's moderator, once bids are closed).
#[utoipa::path(get, path = "/tenders/{id}/moderate", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "Every evaluator's scores with their spread, and a consensus form per question", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "Not the tender's moderator", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "Bids are sealed until the tender closes", content_type = "text/html")))]
pub async fn get_moderate_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<ModeratePage, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_panel(PanelRole::Moderator)?;
    require_unsealed(&access)?;
    Ok(moderate_page(&state, &caller, &access, ScoreRetry::default()).await?)
}

/// A consensus score.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConsensusForm {
    /// The question's id in the tender.
    pub question_id: String,
    /// One of the tender's scale scores.
    pub score: String,
    /// Why the panel agreed it.
    pub justification: String,
}

/// Records or changes a question's consensus score (the tender's moderator, during
/// evaluation, once an evaluator has scored it); back to the question.
#[utoipa::path(post, path = "/bids/{bid_id}/consensus", tag = "pages",
    params(("bid_id" = Uuid, Path, description = "Bid id")),
    request_body(content = ConsensusForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Recorded: to the moderation page at the question; not signed in: to /login"),
        (status = 403, description = "Not the tender's moderator", content_type = "text/html"),
        (status = 404, description = "No such bid, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "Not in evaluation, or no evaluator has scored it yet", content_type = "text/html"),
        (status = 422, description = "No score on the scale, no justification, or an unknown question", content_type = "text/html")))]
pub async fn record_consensus_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(bid_id): Path<Uuid>,
    PageForm(form): PageForm<ConsensusForm>,
) -> Result<Response, PageError> {
    let access = tender_of_bid(&state, &caller, bid_id).await?;
    access.require_panel(PanelRole::Moderator)?;
    let d = &access.tender.details;
    unknown_question(d, &form.question_id)?;
    let tender_id = access.tender.id;
    match check_score(
        d,
        bid_id,
        &form.question_id,
        &form.score,
        &form.justification,
        "justification",
    ) {
        Ok((qi, score)) => {
            state
                .store()
                .record_consensus(
                    &caller.user.email,
                    bid_id,
                    form.question_id.trim(),
                    caller.user.id,
                    &score,
                )
                .await?;
            Ok(Redirect::to(&format!(
                "/tenders/{tender_id}/moderate#{}",
                anchor(bid_id, qi)
            ))
            .into_response())
        }
        Err((qi, errors)) => {
            let retry = ScoreRetry {
                bid: Some(bid_id),
                question: qi,
                score: form.score,
                text: form.justification,
                errors,
            };
            let page = moderate_page(&state, &caller, &access, retry).await?;
            Ok(show_again(page))
        }
    }
}
