//! `GET /tenders/{id}/results`: the bids' weighted scores, totals and ranks from the consensus
//! scores, each explained; `POST /tenders/{id}/award` awards the tender to a bid.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::evaluation::{BidResult, ResultsError};
use svatlas_domain::procurement::scoring::{BidScore, Method};
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};
use svatlas_domain::sroi::display::format_money;
use svatlas_store::procurement::{BidRecord, ConsensusRecord};
use uuid::Uuid;

use super::scoring::require_unsealed;
use super::{Tag, figure, method_label, status_tag};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::format::pct;
use crate::platform::format::plain;
use crate::platform::forms::show_again;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, sentence};
use crate::procurement::access::{Side, TenderAccess, tender_for};
use crate::state::AppState;

/// One ranked bid.
pub struct ResultRow {
    pub bid_id: Uuid,
    pub supplier: String,
    pub price: String,
    pub quality_points: String,
    pub social_value_points: String,
    pub price_score: String,
    pub quality_score: String,
    pub social_value_score: String,
    pub total: String,
    pub price_per_point: String,
    pub rank: u32,
    pub winner: bool,
    /// How the figures were worked out, in sentences.
    pub explanation: Vec<String>,
}

/// One bid's consensus scores, one per question (`–` while missing).
pub struct ConsensusRow {
    pub supplier: String,
    pub scores: Vec<String>,
}

/// The results page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/results.html")]
pub struct ResultsPage {
    pub layout: Layout,
    pub tender_id: Uuid,
    pub title: String,
    pub buyer: String,
    pub status: Tag,
    pub weighted: bool,
    pub method: &'static str,
    pub price_weight: String,
    pub quality_weight: String,
    pub social_value_weight: String,
    pub rows: Vec<ResultRow>,
    /// Question ids with their weightings, for the consensus table's columns.
    pub questions: Vec<(String, String)>,
    pub consensus: Vec<ConsensusRow>,
    /// Consensus scores still missing, per bid.
    pub missing: Vec<String>,
    /// Why there are no results, when there are none for another reason.
    pub problem: String,
    pub warnings: Vec<String>,
    pub can_award: bool,
    pub contract_id: Option<Uuid>,
    pub award_choice: String,
    /// The bids to award to, best first: (bid id, supplier and rank).
    pub award_options: Vec<(Uuid, String)>,
    pub errors: FormErrors,
}

/// How one question's points were worked out: `Q1: 50% × 70 ÷ 100 = 35.00`.
fn points_words(details: &TenderDetails, bid: Uuid, consensus: &[ConsensusRecord]) -> String {
    details
        .questions
        .iter()
        .map(|q| {
            let s = consensus
                .iter()
                .find(|c| c.bid_id == bid && c.question_id == q.id)
                .map_or(0.0, |c| c.score.score);
            format!(
                "{} ({}): {} × {} ÷ 100 = {}",
                q.id,
                q.kind.label().to_lowercase(),
                pct(q.weight),
                plain(s),
                figure(q.weight * s / 100.0)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn result_row(
    details: &TenderDetails,
    bid: &BidRecord,
    result: &BidResult,
    lowest: f64,
    consensus: &[ConsensusRecord],
) -> ResultRow {
    let mut row = ResultRow {
        bid_id: bid.id,
        supplier: bid.organisation_name.clone(),
        price: format_money(result.price_gbp),
        quality_points: figure(result.quality_points),
        social_value_points: figure(result.social_value_points),
        price_score: String::new(),
        quality_score: String::new(),
        social_value_score: String::new(),
        total: String::new(),
        price_per_point: String::new(),
        rank: result.score.rank(),
        winner: result.score.rank() == 1,
        explanation: vec![format!(
            "Points from the consensus scores (weighting × score ÷ 100): {}.",
            points_words(details, bid.id, consensus)
        )],
    };
    match &result.score {
        BidScore::Weighted(s) => {
            row.price_score = figure(s.price_score);
            row.quality_score = figure(s.quality_score);
            row.social_value_score = figure(s.social_value_score);
            row.total = figure(s.total);
            row.explanation.push(format!(
                "Price score = {} × lowest price {} ÷ this price {} = {}. Quality score = its quality points, {} of the {} available (the quality weighting). Social value score = its social value points, {} of the {} available (W_sv). Total = {} + {} + {} = {} out of 100.",
                pct(details.price_weight),
                format_money(lowest),
                format_money(result.price_gbp),
                figure(s.price_score),
                figure(s.quality_score),
                figure(details.quality_weight()),
                figure(s.social_value_score),
                figure(details.social_value_weight()),
                figure(s.price_score),
                figure(s.quality_score),
                figure(s.social_value_score),
                figure(s.total),
            ));
        }
        BidScore::PricePerQualityPoint(s) => {
            let points = result.quality_points + result.social_value_points;
            row.total = figure(points);
            row.price_per_point = format_money(s.price_per_quality_point);
            row.explanation.push(format!(
                "Total quality points = {} quality + {} social value = {}. Price per quality point = {} ÷ {} = {}; the lowest wins.",
                figure(result.quality_points),
                figure(result.social_value_points),
                figure(points),
                format_money(result.price_gbp),
                figure(points),
                format_money(s.price_per_quality_point),
            ));
        }
    }
    row
}

/// Each bid's consensus score per question, `–` where none is recorded.
fn consensus_rows(
    d: &TenderDetails,
    bids: &[BidRecord],
    consensus: &[ConsensusRecord],
) -> Vec<ConsensusRow> {
    bids.iter()
        .map(|b| ConsensusRow {
            supplier: b.organisation_name.clone(),
            scores: d
                .questions
                .iter()
                .map(|q| {
                    consensus
                        .iter()
                        .find(|c| c.bid_id == b.id && c.question_id == q.id)
                        .map_or_else(|| "–".to_owned(), |c| plain(c.score.score))
                })
                .collect(),
        })
        .collect()
}

async fn results_page(
    state: &AppState,
    caller: &Caller,
    access: &TenderAccess,
    award_choice: String,
    errors: FormErrors,
) -> Result<ResultsPage, AppError> {
    let t = &access.tender;
    let d = &t.details;
    let (bids, results) = state.store().tender_results(t.id).await?;
    let consensus = state.store().consensus_of_tender(t.id).await?;
    let mut missing = Vec::new();
    let mut problem = String::new();
    let mut warnings = Vec::new();
    let lowest = bids
        .iter()
        .map(|b| b.details.price_gbp)
        .fold(f64::INFINITY, f64::min);
    let mut rows = Vec::new();
    match results {
        Ok(r) => {
            warnings = r.warnings.iter().map(|w| sentence(&w.message)).collect();
            rows = bids
                .iter()
                .zip(&r.bids)
                .map(|(b, res)| result_row(d, b, res, lowest, &consensus))
                .collect();
            rows.sort_by_key(|r| r.rank);
        }
        Err(ResultsError::Incomplete(list)) => missing = list,
        Err(ResultsError::NoBids) => {
            problem = "No bids were submitted, so there is nothing to rank.".into();
        }
        Err(ResultsError::Scoring(m)) => problem = sentence(&m),
    }
    let is_admin = matches!(access.side, Side::Buyer(r) if r.at_least(Role::Admin));
    let contract_id = if t.status == TenderStatus::Awarded {
        state.store().contract_of_tender(t.id).await?.map(|c| c.id)
    } else {
        None
    };
    Ok(ResultsPage {
        layout: Layout::signed_in("procurement", caller),
        tender_id: t.id,
        title: d.title.clone(),
        buyer: t.organisation_name.clone(),
        status: status_tag(t.status),
        weighted: d.method == Method::WeightedScore,
        method: method_label(d.method),
        price_weight: pct(d.price_weight),
        quality_weight: pct(d.quality_weight()),
        social_value_weight: pct(d.social_value_weight()),
        can_award: is_admin && t.status == TenderStatus::Evaluation && !rows.is_empty(),
        award_choice: if award_choice.is_empty() {
            rows.first()
                .map(|r| r.bid_id.to_string())
                .unwrap_or_default()
        } else {
            award_choice
        },
        award_options: rows
            .iter()
            .map(|r| (r.bid_id, format!("{} (rank {})", r.supplier, r.rank)))
            .collect(),
        rows,
        questions: d
            .questions
            .iter()
            .map(|q| (q.id.clone(), pct(q.weight)))
            .collect(),
        consensus: consensus_rows(d, &bids, &consensus),
        missing,
        problem,
        warnings,
        contract_id,
        errors,
    })
}

/// The ranked results (buyer members, once bids are closed); incomplete consensus is listed.
#[utoipa::path(get, path = "/tenders/{id}/results", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id"), ResultsQuery),
    responses(
        (status = 200, description = "Ranked bids with how each figure was worked out, or the consensus scores still missing", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "A supplier", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "Bids are sealed until the tender closes", content_type = "text/html")))]
pub async fn get_results_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    axum::extract::Query(query): axum::extract::Query<ResultsQuery>,
) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    let format = crate::platform::download::Format::parse(query.format.as_deref())?;
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Viewer)?;
    require_unsealed(&access)?;
    if format == crate::platform::download::Format::Html {
        return Ok(results_page(
            &state,
            &caller,
            &access,
            String::new(),
            FormErrors::default(),
        )
        .await?
        .into_response());
    }
    Ok(results_table(&state, &access).await?.download(format)?)
}

/// Query of the results page: `format=csv|xlsx|json` downloads the ranked table.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ResultsQuery {
    /// Download format.
    pub format: Option<String>,
}

/// The ranked results as a table of unrounded figures (empty until every consensus is in).
async fn results_table(
    state: &AppState,
    access: &TenderAccess,
) -> Result<crate::platform::download::DataTable, AppError> {
    use svatlas_domain::procurement::scoring::BidScore;
    let t = &access.tender;
    let mut table = crate::platform::download::DataTable::new(
        format!("Results: {}", t.details.title),
        "tender-results",
        &[
            "supplier",
            "price_gbp",
            "quality_points",
            "social_value_points",
            "price_score",
            "quality_score",
            "social_value_score",
            "total",
            "price_per_quality_point",
            "rank",
        ],
    );
    let (_, results) = state.store().tender_results(t.id).await?;
    if let Ok(r) = results {
        for b in &r.bids {
            let (ps, qs, ss, total, pqp) = match &b.score {
                BidScore::Weighted(w) => (
                    Some(w.price_score),
                    Some(w.quality_score),
                    Some(w.social_value_score),
                    Some(w.total),
                    None,
                ),
                BidScore::PricePerQualityPoint(p) => {
                    (None, None, None, None, Some(p.price_per_quality_point))
                }
            };
            table.rows.push(vec![
                b.name.as_str().into(),
                b.price_gbp.into(),
                b.quality_points.into(),
                b.social_value_points.into(),
                ps.into(),
                qs.into(),
                ss.into(),
                total.into(),
                pqp.into(),
                b.score.rank().into(),
            ]);
        }
    }
    table.notes.push(format!(
        "{} method; figures from the moderated consensus scores, unrounded (SOCIAL_VALUE_MODEL.md section 4).",
        method_label(t.details.method)
    ));
    Ok(table)
}

/// The winning bid.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AwardForm {
    /// A submitted bid of this tender.
    pub bid_id: String,
}

/// Awards the tender (buyer admins, once every consensus score is in); to the contract.
#[utoipa::path(post, path = "/tenders/{id}/award", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = AwardForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Awarded: to the contract; not signed in: to /login"),
        (status = 403, description = "Not a buyer admin", content_type = "text/html"),
        (status = 404, description = "No such tender or submitted bid", content_type = "text/html"),
        (status = 409, description = "Not in evaluation, or consensus scores missing", content_type = "text/html"),
        (status = 422, description = "No bid chosen; shown on the results page", content_type = "text/html")))]
pub async fn award_tender_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<AwardForm>,
) -> Result<Response, PageError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Admin)?;
    let Ok(bid) = form.bid_id.trim().parse::<Uuid>() else {
        require_unsealed(&access)?;
        let errors = FormErrors::one("award-bid_id", "Choose the winning bid");
        let page = results_page(&state, &caller, &access, String::new(), errors).await?;
        return Ok(show_again(page));
    };
    let contract = state
        .store()
        .award_tender(&caller.user.email, id, bid)
        .await?;
    Ok(Redirect::to(&format!("/contracts/{}", contract.id)).into_response())
}
