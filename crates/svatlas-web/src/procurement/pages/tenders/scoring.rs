//! The panel's scoring pages: `GET /tenders/{id}/evaluate`, where an evaluator scores each
//! submitted bid's answers seeing only their own scores, and `GET /tenders/{id}/moderate`, where
//! the moderator sees every score with its spread and records the consensus.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::procurement::bid::BidStatus;
use svatlas_domain::procurement::evaluation::QuestionScore;
use svatlas_domain::procurement::tender::{Question, TenderDetails, TenderStatus};
use svatlas_domain::sroi::display::format_money;
use svatlas_store::procurement::{BidRecord, ConsensusRecord, ScoreRecord, TenderRecord};
use uuid::Uuid;

use super::bid::{CommitmentView, commitment_view, estimates_by_kind};
use super::{ScaleRow, scale_rows};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::format::{pct, plain};
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout, sentence};
use crate::procurement::access::{TenderAccess, tender_for};
use crate::procurement::scoring::{self, Scorer, scoring_access};
use crate::state::AppState;

// `GET /tenders/{id}/evaluate`: an evaluator scores each submitted bid's answers, seeing only
// their own scores; `POST /bids/{bid_id}/score` records one score.

/// One radio button of the scale.
pub struct ScoreOption {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The scale as radio buttons, `selected` checked; the first has the id `{anchor}-score`.
fn options(details: &TenderDetails, anchor: &str, selected: &str) -> Vec<ScoreOption> {
    let selected = selected.trim().parse::<f64>().ok();
    details
        .scale
        .iter()
        .enumerate()
        .map(|(k, l)| ScoreOption {
            id: if k == 0 {
                format!("{anchor}-score")
            } else {
                format!("{anchor}-score-{k}")
            },
            value: plain(l.score),
            label: format!("{} – {}", plain(l.score), l.descriptor),
            checked: selected.is_some_and(|s| (s - l.score).abs() < 1e-9),
        })
        .collect()
}

/// The element id of one bid's question: the page's anchor and its fields' prefix.
pub fn anchor(bid: Uuid, question: usize) -> String {
    format!("bid-{bid}-q{question}")
}

/// One question of one bid on the panel's pages.
pub struct PanelItem {
    pub anchor: String,
    pub question_id: String,
    pub question_text: String,
    pub kind: &'static str,
    pub weight: String,
    pub answer: String,
    /// The caller's own score and rationale (evaluators).
    pub own: Option<(String, String)>,
    /// Every evaluator's name, score and rationale (moderator).
    pub scores: Vec<(String, String, String)>,
    /// Lowest, highest and mean of the evaluators' scores, in words (moderator).
    pub spread: String,
    /// The evaluators differ by more than one step of the scale.
    pub flagged: bool,
    /// The consensus score and its justification, once recorded.
    pub consensus: Option<(String, String)>,
    /// The form is shown.
    pub open: bool,
    /// Why there is no form, when there is none.
    pub closed: String,
    pub options: Vec<ScoreOption>,
    pub text: String,
    pub score_error: Option<String>,
    pub text_error: Option<String>,
}

/// A submitted bid with its questions.
pub struct PanelBid {
    pub id: Uuid,
    pub supplier: String,
    pub price: String,
    /// The bid's quantified commitments, for reading beside its social value answers.
    pub commitments: Vec<CommitmentView>,
    /// The bidder's estimates by kind (never one total).
    pub estimates: Vec<(String, String)>,
    pub items: Vec<PanelItem>,
}

/// What a failed score or consensus form keeps.
#[derive(Default)]
pub struct ScoreRetry {
    pub bid: Option<Uuid>,
    pub question: usize,
    pub score: String,
    pub text: String,
    pub errors: FormErrors,
}

/// Which page the items are for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PanelView {
    Evaluator,
    Moderator,
}

/// The submitted bids with their items as the caller's panel role sees them.
pub async fn panel_bids(
    state: &AppState,
    access: &TenderAccess,
    view: PanelView,
    retry: &ScoreRetry,
) -> Result<Vec<PanelBid>, AppError> {
    let t = &access.tender;
    let d = &t.details;
    let bids: Vec<BidRecord> = state
        .store()
        .bids_of_tender(t.id, BidStatus::Submitted)
        .await?;
    let consensus: Vec<ConsensusRecord> = state.store().consensus_of_tender(t.id).await?;
    let mut scores: Vec<ScoreRecord> =
        access.visible_scores(state.store().scores_of_tender(t.id).await?, &consensus);
    if view == PanelView::Evaluator {
        // Only the caller's own scores: evaluators score independently.
        scores.retain(|s| s.evaluator_id == access.user);
    }
    let scoring = Scoring {
        tender: t,
        view,
        scores: &scores,
        consensus: &consensus,
        retry,
    };
    Ok(bids
        .iter()
        .map(|b| PanelBid {
            id: b.id,
            supplier: b.organisation_name.clone(),
            price: format_money(b.details.price_gbp),
            commitments: b
                .details
                .commitments
                .iter()
                .map(|c| commitment_view(d, c))
                .collect(),
            estimates: estimates_by_kind(&b.details),
            items: d
                .questions
                .iter()
                .enumerate()
                .map(|(qi, q)| scoring.item(b, qi, q))
                .collect(),
        })
        .collect())
}

/// What every item of a panel page is built from.
struct Scoring<'a> {
    tender: &'a TenderRecord,
    view: PanelView,
    /// The scores the caller may see.
    scores: &'a [ScoreRecord],
    consensus: &'a [ConsensusRecord],
    retry: &'a ScoreRetry,
}

impl Scoring<'_> {
    /// One answer of one bid with its scores and form.
    fn item(&self, b: &BidRecord, qi: usize, q: &Question) -> PanelItem {
        let (d, view, retry) = (&self.tender.details, self.view, self.retry);
        let anchor = anchor(b.id, qi);
        let of_item: Vec<&ScoreRecord> = self
            .scores
            .iter()
            .filter(|s| s.bid_id == b.id && s.question_id == q.id)
            .collect();
        let agreed = self
            .consensus
            .iter()
            .find(|c| c.bid_id == b.id && c.question_id == q.id);
        let own = (view == PanelView::Evaluator)
            .then(|| of_item.first())
            .flatten()
            .map(|s| (plain(s.score.score), s.score.rationale.clone()));
        let values: Vec<f64> = of_item.iter().map(|s| s.score.score).collect();
        let (spread, flagged) = spread_words(d, &values);
        let retrying = retry.bid == Some(b.id) && retry.question == qi;
        let (selected, text) = if retrying {
            (retry.score.clone(), retry.text.clone())
        } else {
            match view {
                PanelView::Evaluator => own.clone().unwrap_or_default(),
                PanelView::Moderator => agreed
                    .map(|c| (plain(c.score.score), c.score.rationale.clone()))
                    .unwrap_or_default(),
            }
        };
        let (open, closed) = self.openness(agreed.is_some(), of_item.is_empty());
        let error = |field: &str| {
            retrying
                .then(|| retry.errors.get(&format!("{anchor}-{field}")))
                .flatten()
                .map(str::to_owned)
        };
        PanelItem {
            question_id: q.id.clone(),
            question_text: q.text.clone(),
            kind: q.kind.label(),
            weight: pct(q.weight),
            answer: b.details.answer(&q.id).unwrap_or("No answer").to_owned(),
            own,
            scores: if view == PanelView::Moderator {
                of_item
                    .iter()
                    .map(|s| {
                        (
                            s.evaluator_name.clone(),
                            plain(s.score.score),
                            s.score.rationale.clone(),
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            },
            spread,
            flagged,
            consensus: agreed.map(|c| (plain(c.score.score), c.score.rationale.clone())),
            open,
            closed,
            options: options(d, &anchor, &selected),
            text,
            score_error: error("score"),
            text_error: error("text"),
            anchor,
        }
    }

    /// Whether the item takes a score now, and why not when it does not.
    fn openness(&self, agreed: bool, unscored: bool) -> (bool, String) {
        match self.view {
            _ if self.tender.status != TenderStatus::Evaluation => (
                false,
                format!(
                    "Scoring is closed: the tender is {}.",
                    self.tender.status.label().to_lowercase()
                ),
            ),
            PanelView::Evaluator if agreed => (
                false,
                "Closed: the moderator has recorded the consensus score, so individual scores can no longer change.".to_owned(),
            ),
            PanelView::Moderator if unscored => (
                false,
                "No evaluator has scored this answer yet; the consensus can be recorded once at least one has.".to_owned(),
            ),
            _ => (true, String::new()),
        }
    }
}

/// The evaluators' spread in words, and whether they differ by more than one scale step.
fn spread_words(details: &TenderDetails, values: &[f64]) -> (String, bool) {
    let Some(s) = svatlas_domain::procurement::evaluation::spread(values) else {
        return ("No scores yet".to_owned(), false);
    };
    let step = |x: f64| {
        details
            .scale
            .iter()
            .position(|l| (l.score - x).abs() < 1e-9)
            .unwrap_or(0)
    };
    let flagged = step(s.max).saturating_sub(step(s.min)) > 1;
    (
        format!(
            "Lowest {}, highest {}, mean {} from {} evaluator{}",
            plain(s.min),
            plain(s.max),
            crate::platform::format::number(Some(s.mean), 1),
            s.count,
            if s.count == 1 { "" } else { "s" }
        ),
        flagged,
    )
}

/// The evaluator's page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/evaluate.html")]
pub struct EvaluatePage {
    pub layout: Layout,
    pub tender_id: Uuid,
    pub title: String,
    pub buyer: String,
    pub scale: Vec<ScaleRow>,
    pub bids: Vec<PanelBid>,
    pub errors: FormErrors,
}

async fn evaluate_page(
    state: &AppState,
    caller: &Caller,
    access: &TenderAccess,
    retry: ScoreRetry,
) -> Result<EvaluatePage, AppError> {
    let bids = panel_bids(state, access, PanelView::Evaluator, &retry).await?;
    Ok(EvaluatePage {
        layout: Layout::signed_in("procurement", caller),
        tender_id: access.tender.id,
        title: access.tender.details.title.clone(),
        buyer: access.tender.organisation_name.clone(),
        scale: scale_rows(&access.tender.details),
        bids,
        errors: retry.errors,
    })
}

/// 409 while bids are sealed (before the tender closes).
pub fn require_unsealed(access: &TenderAccess) -> Result<(), AppError> {
    if access.sees_bids() {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "bids are sealed until the tender closes for evaluation".into(),
        ))
    }
}

/// The evaluator's scoring page (the tender's evaluators, once bids are closed).
#[utoipa::path(get, path = "/tenders/{id}/evaluate", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "Each bid's answers with your own scores and a form per question", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "Not one of the tender's evaluators", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "Bids are sealed until the tender closes", content_type = "text/html")))]
pub async fn get_evaluate_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<EvaluatePage, PageError> {
    let access = panel_access(&state, &caller, id, Scorer::Evaluator).await?;
    Ok(evaluate_page(&state, &caller, &access, ScoreRetry::default()).await?)
}

/// An evaluator's score.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ScoreForm {
    /// The question's id in the tender.
    pub question_id: String,
    /// One of the tender's scale scores.
    pub score: String,
    /// Why.
    pub rationale: String,
}

/// Checks a score form: the question's position and the score, or the problems keyed by the
/// item's field ids.
pub fn check_score(
    details: &TenderDetails,
    bid: Uuid,
    question_id: &str,
    score: &str,
    text: &str,
    what: &str,
) -> Result<(usize, QuestionScore), (usize, FormErrors)> {
    let qi = details
        .questions
        .iter()
        .position(|q| q.id == question_id.trim())
        .unwrap_or(usize::MAX);
    let anchor = anchor(bid, qi);
    let mut errors = FormErrors::default();
    let value = score
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| details.on_scale(*s));
    if value.is_none() {
        errors.add(
            format!("{anchor}-score"),
            format!("Choose a score on the scale: {}", details.scale_words()),
        );
    }
    let scored = QuestionScore {
        score: value.unwrap_or(f64::NAN),
        rationale: text.trim().to_owned(),
    };
    if let Err(e) = scored.validate(details) {
        for fe in e.0.iter().filter(|f| f.field == "rationale") {
            errors.add(
                format!("{anchor}-text"),
                if text.trim().is_empty() {
                    format!("Give the {what} for the score")
                } else {
                    sentence(&fe.message.replace("rationale", what))
                },
            );
        }
    }
    if errors.is_empty() {
        Ok((qi, scored))
    } else {
        Err((qi, errors))
    }
}

/// The tender of a panel page, once the caller is shown to hold the scorer's role and bids
/// are unsealed.
async fn panel_access(
    state: &AppState,
    caller: &Caller,
    tender: Uuid,
    scorer: Scorer,
) -> Result<TenderAccess, AppError> {
    let access = tender_for(state, caller, tender).await?;
    access.require_panel(scorer.role())?;
    require_unsealed(&access)?;
    Ok(access)
}

/// The scoring action with the page's answer: back to the question once stored, or the
/// scorer's page again with the problems beside the question.
async fn record_page(
    state: &AppState,
    caller: &Caller,
    bid: Uuid,
    scorer: Scorer,
    question_id: String,
    score: String,
    text: String,
) -> Result<Response, PageError> {
    let access = scoring_access(state, caller, bid, scorer, &question_id).await?;
    let d = &access.tender.details;
    match check_score(d, bid, &question_id, &score, &text, scorer.text_field()) {
        Ok((qi, scored)) => {
            scoring::record(state, caller, bid, scorer, &question_id, &scored).await?;
            let (tender, page) = (access.tender.id, scorer.page());
            let to = format!("/tenders/{tender}/{page}#{}", anchor(bid, qi));
            Ok(Redirect::to(&to).into_response())
        }
        Err((question, errors)) => {
            let retry = ScoreRetry {
                bid: Some(bid),
                question,
                score,
                text,
                errors,
            };
            Ok(match scorer {
                Scorer::Evaluator => {
                    show_again(evaluate_page(state, caller, &access, retry).await?)
                }
                Scorer::Moderator => {
                    show_again(moderate_page(state, caller, &access, retry).await?)
                }
            })
        }
    }
}

/// Records or changes the caller's score of one question of a bid (the tender's evaluators,
/// during evaluation, until that question is moderated); back to the question.
#[utoipa::path(post, path = "/bids/{bid_id}/score", tag = "pages",
    params(("bid_id" = Uuid, Path, description = "Bid id")),
    request_body(content = ScoreForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Recorded: to the evaluate page at the question; not signed in: to /login"),
        (status = 403, description = "Not one of the tender's evaluators", content_type = "text/html"),
        (status = 404, description = "No such bid, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "Not in evaluation, or the question is moderated", content_type = "text/html"),
        (status = 422, description = "No score on the scale, no rationale, or an unknown question", content_type = "text/html")))]
pub async fn score_bid_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(bid_id): Path<Uuid>,
    PageForm(form): PageForm<ScoreForm>,
) -> Result<Response, PageError> {
    let (question, score, text) = (form.question_id, form.score, form.rationale);
    record_page(
        &state,
        &caller,
        bid_id,
        Scorer::Evaluator,
        question,
        score,
        text,
    )
    .await
}

// `GET /tenders/{id}/moderate`: the moderator sees every evaluator's score and rationale per
// bid and question, with their spread, and records the consensus with
// `POST /bids/{bid_id}/consensus`.

/// The moderator's page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/moderate.html")]
pub struct ModeratePage {
    pub layout: Layout,
    pub tender_id: Uuid,
    pub title: String,
    pub buyer: String,
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
        layout: Layout::signed_in("procurement", caller),
        tender_id: access.tender.id,
        title: access.tender.details.title.clone(),
        buyer: access.tender.organisation_name.clone(),
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
    let access = panel_access(&state, &caller, id, Scorer::Moderator).await?;
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
    let (question, score, text) = (form.question_id, form.score, form.justification);
    record_page(
        &state,
        &caller,
        bid_id,
        Scorer::Moderator,
        question,
        score,
        text,
    )
    .await
}
