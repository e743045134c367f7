//! The supplier's bid: `GET` and `POST /tenders/{id}/bid` (read, save as draft), and
//! `POST .../bid/submit` and `.../bid/withdraw`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{ProxyLibrary, ProxyUse};
use svatlas_domain::procurement::bid::{BidDetails, BidStatus, Commitment, ValueKind};
use svatlas_domain::procurement::model::Catalogue;
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};
use svatlas_domain::sroi::display::format_money;
use svatlas_store::procurement::BidRecord;
use uuid::Uuid;

use super::forms::{
    BidForm, BidFormFields, CommitmentRow, Fields, MetricGroup, bid_criteria, metric_groups,
    submit_problems,
};
use super::tender::{QuestionView, question_views};
use super::{ScaleRow, Tag, criterion_view, scale_rows, status_tag};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::format::plain;
use crate::platform::forms::show_again;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, when};
use crate::procurement::access::{Side, TenderAccess, tender_for};
use crate::state::AppState;

/// A question with the answer typed so far.
pub struct AnswerField {
    pub i: usize,
    pub question: QuestionView,
    pub answer: String,
    pub error: Option<String>,
}

/// A commitment row of the form with its problems.
pub struct CommitmentField {
    pub r: usize,
    pub n: usize,
    pub row: CommitmentRow,
    errors: Vec<(String, String)>,
}

impl CommitmentField {
    /// The problem with one of the row's fields.
    pub fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether the row is shown open: the first, a filled one, or one with problems.
    pub fn open(&self) -> bool {
        self.r == 0 || !self.row.is_blank() || !self.errors.is_empty()
    }
}

/// A stored commitment, for reading.
pub struct CommitmentView {
    pub criterion: String,
    pub metric: String,
    pub description: String,
    pub target: String,
    pub dates: String,
    pub area: String,
    pub partners: String,
    pub estimate: String,
    pub basis: String,
    pub milestones: Vec<String>,
}

/// A stored commitment as pages read it.
pub fn commitment_view(tender: &TenderDetails, c: &Commitment) -> CommitmentView {
    let catalogue = Catalogue::shipped().edition(tender.edition);
    let crit = criterion_view(tender.edition, &c.criterion);
    CommitmentView {
        criterion: format!("{}: {}", crit.id, crit.title),
        metric: c.metric_id.as_deref().map_or_else(
            || "None".to_owned(),
            |m| {
                catalogue.metric(m).map_or_else(
                    || m.to_owned(),
                    |(_, _, metric)| format!("{m}: {}", metric.text),
                )
            },
        ),
        description: c.description.clone(),
        target: format!("{} {}", plain(c.target), c.unit),
        dates: match (&c.start_date, &c.end_date) {
            (Some(s), Some(e)) => format!("{s} to {e}"),
            (None, Some(e)) => format!("by {e}"),
            (Some(s), None) => format!("from {s}"),
            (None, None) => "Not set".into(),
        },
        area: c.area.clone().unwrap_or_else(|| "Not set".into()),
        partners: if c.partners.is_empty() {
            "None named".into()
        } else {
            c.partners.join(", ")
        },
        estimate: match (c.estimated_value_gbp, c.value_kind) {
            (Some(v), Some(k)) if c.valuation.is_some() => format!(
                "{} (an estimate of {} value by the sv-atlas calculator's engine from the bidder's figures)",
                format_money(v),
                k.label().to_lowercase()
            ),
            (Some(v), Some(k)) => format!(
                "{} (an estimate by the bidder of {} value)",
                format_money(v),
                k.label().to_lowercase()
            ),
            _ => "No estimate given".into(),
        },
        basis: c.value_basis.clone().unwrap_or_default(),
        milestones: c
            .milestones
            .iter()
            .map(|m| {
                format!(
                    "{}: {} {}{}",
                    m.due,
                    plain(m.target),
                    c.unit,
                    if m.description.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", m.description)
                    }
                )
            })
            .collect(),
    }
}

/// A bid as read: after submitting, or by a viewer.
pub struct BidReading {
    pub price: String,
    pub answers: Vec<(String, String, String)>,
    pub commitments: Vec<CommitmentView>,
    /// Estimated value by kind, each labelled; never added into one total.
    pub estimates: Vec<(String, String)>,
}

/// The estimates of a bid by kind, as (label, money): kinds are never added together.
pub fn estimates_by_kind(bid: &BidDetails) -> Vec<(String, String)> {
    bid.estimated_value_by_kind()
        .into_iter()
        .map(|(k, v): (ValueKind, f64)| {
            (format!("{} value (estimate)", k.label()), format_money(v))
        })
        .collect()
}

fn reading(tender: &TenderDetails, bid: &BidDetails) -> BidReading {
    BidReading {
        price: format_money(bid.price_gbp),
        answers: tender
            .questions
            .iter()
            .map(|q| {
                (
                    q.id.clone(),
                    q.text.clone(),
                    bid.answer(&q.id)
                        .filter(|a| !a.trim().is_empty())
                        .unwrap_or("No answer")
                        .to_owned(),
                )
            })
            .collect(),
        commitments: bid
            .commitments
            .iter()
            .map(|c| commitment_view(tender, c))
            .collect(),
        estimates: estimates_by_kind(bid),
    }
}

/// The bid page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/bid.html")]
pub struct BidPage {
    pub layout: Layout,
    pub tender_id: Uuid,
    pub title: String,
    pub buyer: String,
    pub tender_status: Tag,
    pub closing_date: String,
    pub bid_status: &'static str,
    pub submitted_at: String,
    /// The form is shown (an editor, the tender open, the bid not submitted).
    pub editable: bool,
    pub can_submit_saved: bool,
    pub can_withdraw: bool,
    /// Why the caller cannot change the bid, when they cannot.
    pub locked_reason: String,
    pub reading: Option<BidReading>,
    pub scale: Vec<ScaleRow>,
    pub price: String,
    pub price_error: Option<String>,
    pub answers: Vec<AnswerField>,
    pub commitments: Vec<CommitmentField>,
    pub criteria: Vec<(String, String)>,
    pub metric_groups: Vec<MetricGroup>,
    /// Outcome proxies of the shipped library for valuing commitments: (id, label).
    pub proxies: Vec<(String, String)>,
    pub metrics_note: String,
    pub notice: String,
    pub errors: FormErrors,
}

/// What the bid page shows again after a failed form.
#[derive(Default)]
pub struct BidRetry {
    pub form: Option<BidForm>,
    pub errors: FormErrors,
    pub notice: String,
}

/// Builds the bid page for an invited supplier's member.
pub fn bid_page(
    caller: &Caller,
    access: &TenderAccess,
    bid: Option<&BidRecord>,
    retry: BidRetry,
) -> BidPage {
    let t = &access.tender;
    let d = &t.details;
    let role = match access.side {
        Side::Supplier { role, .. } => role,
        Side::Buyer(role) => role,
    };
    let status = bid.map(|b| b.status);
    let editor = role.at_least(Role::Editor);
    let open = t.status == TenderStatus::Open;
    let editable = editor && open && status != Some(BidStatus::Submitted);
    let locked_reason = if editable {
        String::new()
    } else {
        locked_reason(t.status, open, editor)
    };
    let form = retry
        .form
        .unwrap_or_else(|| BidForm::from_bid(d, bid.map(|b| &b.details)));
    let errors = retry.errors;
    let catalogue = Catalogue::shipped().edition(d.edition);
    BidPage {
        layout: Layout::signed_in("procurement", caller),
        tender_id: t.id,
        title: d.title.clone(),
        buyer: t.organisation_name.clone(),
        tender_status: status_tag(t.status),
        closing_date: d.closing_date.clone().unwrap_or_else(|| "Not set".into()),
        bid_status: status.map_or("Not started", BidStatus::label),
        submitted_at: bid
            .and_then(|b| b.submitted_at.as_ref())
            .map(when)
            .unwrap_or_default(),
        editable,
        can_submit_saved: editable && status == Some(BidStatus::Draft),
        can_withdraw: editor && open && status == Some(BidStatus::Submitted),
        locked_reason,
        reading: match bid {
            Some(b) if !editable => Some(reading(d, &b.details)),
            _ => None,
        },
        scale: scale_rows(d),
        price: form.price.clone(),
        price_error: errors.get("b-price").map(str::to_owned),
        answers: answer_fields(d, &form.answers, &errors),
        commitments: commitment_fields(&form.commitments, &errors),
        criteria: criterion_options(d),
        metric_groups: metric_groups(d),
        proxies: proxy_options(),
        metrics_note: if catalogue.criteria().all(|c| c.metrics.is_empty()) {
            format!(
                "The {} edition's standard reporting metrics are not transcribed yet: leave the metric empty and say in the unit what the target counts.",
                d.edition.id()
            )
        } else {
            String::new()
        },
        notice: retry.notice,
        errors,
    }
}

/// Why the caller cannot change the bid.
fn locked_reason(status: TenderStatus, open: bool, editor: bool) -> String {
    if !open {
        format!(
            "Bids can be written only while the tender is open; it is now {}.",
            status.label().to_lowercase()
        )
    } else if !editor {
        "Your role in your organisation is viewer: an editor or admin writes and submits the bid."
            .into()
    } else {
        "The bid is submitted. Withdraw it to change it; it then needs submitting again before bids close."
            .into()
    }
}

/// Each question with the answer typed so far and its problem.
fn answer_fields(d: &TenderDetails, answers: &[String], errors: &FormErrors) -> Vec<AnswerField> {
    question_views(d)
        .into_iter()
        .enumerate()
        .map(|(i, question)| AnswerField {
            i,
            answer: answers.get(i).cloned().unwrap_or_default(),
            error: errors.get(&format!("b-answer-{i}")).map(str::to_owned),
            question,
        })
        .collect()
}

/// Each commitment row with the problems of its fields.
fn commitment_fields(rows: &[CommitmentRow], errors: &FormErrors) -> Vec<CommitmentField> {
    rows.iter()
        .enumerate()
        .map(|(r, row)| {
            let prefix = format!("b-c{r}-");
            CommitmentField {
                r,
                n: r + 1,
                row: row.clone(),
                errors: errors
                    .0
                    .iter()
                    .filter_map(|(f, m)| {
                        f.strip_prefix(&prefix)
                            .map(|name| (name.to_owned(), m.clone()))
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The criteria a commitment may answer: (id, title).
fn criterion_options(d: &TenderDetails) -> Vec<(String, String)> {
    let catalogue = Catalogue::shipped().edition(d.edition);
    bid_criteria(d)
        .into_iter()
        .map(|id| {
            let title = catalogue
                .criterion(&id)
                .map_or_else(String::new, |c| c.title.clone());
            (id, title)
        })
        .collect()
}

/// Outcome proxies of the shipped library for valuing commitments: (id, label).
fn proxy_options() -> Vec<(String, String)> {
    ProxyLibrary::shipped()
        .all()
        .iter()
        .filter(|p| p.proxy_use != ProxyUse::InputRate)
        .map(|p| {
            (
                p.id.clone(),
                format!(
                    "{}: {} ({} {})",
                    p.id,
                    p.name,
                    format_money(p.value_gbp),
                    p.unit
                ),
            )
        })
        .collect()
}

/// The caller's supplier organisation for this tender, with at least `minimum`.
async fn supplier_access(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    minimum: Role,
) -> Result<(TenderAccess, Uuid, Option<BidRecord>), AppError> {
    let access = tender_for(state, caller, id).await?;
    let supplier = access.require_supplier(minimum)?;
    let bid = state.store().bid_of(id, supplier).await?;
    Ok((access, supplier, bid))
}

/// The supplier's bid: the form while the tender is open, the bid as sent once submitted.
#[utoipa::path(get, path = "/tenders/{id}/bid", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id"), BidQuery),
    responses(
        (status = 200, description = "Your organisation's bid", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 403, description = "The buyer, who does not bid", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html")))]
pub async fn get_bid_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    axum::extract::Query(query): axum::extract::Query<BidQuery>,
) -> Result<BidPage, PageError> {
    let (access, _, bid) = supplier_access(&state, &caller, id, Role::Viewer).await?;
    let mut retry = BidRetry::default();
    if query.imported.is_some() {
        retry.notice = "The file was imported into your draft. Check it below, then submit.".into();
    }
    Ok(bid_page(&caller, &access, bid.as_ref(), retry))
}

/// Query of the bid page.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct BidQuery {
    /// Set after an import: says the file was imported.
    pub imported: Option<String>,
}

/// Saves the bid as a draft (editors and admins of an invited supplier, while the tender is
/// open); with `then=submit` submits it straight after.
#[utoipa::path(post, path = "/tenders/{id}/bid", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = BidFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Saved (and submitted if asked): back to the bid; not signed in: to /login"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such tender, or not visible to the caller", content_type = "text/html"),
        (status = 409, description = "The tender is not open, or the bid is submitted", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn save_bid_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (access, supplier, saved) = supplier_access(&state, &caller, id, Role::Editor).await?;
    let fields = Fields::new(pairs);
    let then_submit = fields.get("then") == "submit";
    let d = &access.tender.details;
    let form = BidForm::from_fields(&fields, d);
    let details = match form.parse(d) {
        Ok(details) => details,
        Err(errors) => {
            let page = bid_page(
                &caller,
                &access,
                saved.as_ref(),
                BidRetry {
                    form: Some(form),
                    errors,
                    notice: String::new(),
                },
            );
            return Ok(show_again(page));
        }
    };
    let bid = state
        .store()
        .save_bid(&caller.user.email, id, supplier, &details)
        .await?;
    if then_submit {
        let problems = submit_problems(d, &bid.details);
        if !problems.is_empty() {
            let page = bid_page(
                &caller,
                &access,
                Some(&bid),
                BidRetry {
                    form: Some(form),
                    errors: problems,
                    notice: "Your draft is saved, but it cannot be submitted until the problems below are put right.".into(),
                },
            );
            return Ok(show_again(page));
        }
        state.store().submit_bid(&caller.user.email, bid.id).await?;
    }
    Ok(Redirect::to(&format!("/tenders/{id}/bid")).into_response())
}

/// Submits the saved draft: every question must be answered; it then cannot change unless
/// withdrawn while the tender is open.
#[utoipa::path(post, path = "/tenders/{id}/bid/submit", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 303, description = "Submitted: back to the bid; not signed in: to /login"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such tender, or no bid yet", content_type = "text/html"),
        (status = 409, description = "The tender is not open, or the bid is not a draft", content_type = "text/html"),
        (status = 422, description = "A question has no answer yet; shown on the bid form", content_type = "text/html")))]
pub async fn submit_bid_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let (access, _, bid) = supplier_access(&state, &caller, id, Role::Editor).await?;
    let bid = bid.ok_or_else(|| {
        AppError::NotFound("your organisation has no bid for this tender yet: save it first".into())
    })?;
    if access.tender.status == TenderStatus::Open && bid.status == BidStatus::Draft {
        let problems = submit_problems(&access.tender.details, &bid.details);
        if !problems.is_empty() {
            let page = bid_page(
                &caller,
                &access,
                Some(&bid),
                BidRetry {
                    form: None,
                    errors: problems,
                    notice: "The bid cannot be submitted until the problems below are put right."
                        .into(),
                },
            );
            return Ok(show_again(page));
        }
    }
    state.store().submit_bid(&caller.user.email, bid.id).await?;
    Ok(Redirect::to(&format!("/tenders/{id}/bid")).into_response())
}

/// Withdraws the submitted bid while the tender is open (save it again to make it a draft).
#[utoipa::path(post, path = "/tenders/{id}/bid/withdraw", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 303, description = "Withdrawn: back to the bid; not signed in: to /login"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such tender, or no bid yet", content_type = "text/html"),
        (status = 409, description = "The tender is not open, or the bid is not submitted", content_type = "text/html")))]
pub async fn withdraw_bid_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let (_, _, bid) = supplier_access(&state, &caller, id, Role::Editor).await?;
    let bid = bid.ok_or_else(|| {
        AppError::NotFound("your organisation has no bid for this tender yet".into())
    })?;
    state
        .store()
        .withdraw_bid(&caller.user.email, bid.id)
        .await?;
    Ok(Redirect::to(&format!("/tenders/{id}/bid")).into_response())
}
