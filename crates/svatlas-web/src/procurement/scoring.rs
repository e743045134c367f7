//! One scoring action for the panel, shared by the pages and the API: an evaluator records
//! their own score of a bid's question, the moderator the panel's consensus. Both check the
//! same things in the same order, so they answer the same statuses.

use svatlas_domain::procurement::evaluation::{PanelRole, QuestionScore};
use svatlas_domain::procurement::tender::TenderDetails;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::procurement::access::{TenderAccess, tender_of_bid};
use crate::state::AppState;

/// Who records a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scorer {
    /// An evaluator: their own score with a rationale.
    Evaluator,
    /// The moderator: the consensus with a justification.
    Moderator,
}

impl Scorer {
    /// The panel role the action needs.
    pub fn role(self) -> PanelRole {
        match self {
            Scorer::Evaluator => PanelRole::Evaluator,
            Scorer::Moderator => PanelRole::Moderator,
        }
    }

    /// The name of the text field that explains the score.
    pub fn text_field(self) -> &'static str {
        match self {
            Scorer::Evaluator => "rationale",
            Scorer::Moderator => "justification",
        }
    }

    /// The tender's page where the scorer works (`/tenders/{id}/{page}`).
    pub fn page(self) -> &'static str {
        match self {
            Scorer::Evaluator => "evaluate",
            Scorer::Moderator => "moderate",
        }
    }
}

/// The bid's tender, once the caller is shown to hold the scorer's panel role and the
/// question to be one of the tender's.
pub async fn scoring_access(
    state: &AppState,
    caller: &Caller,
    bid: Uuid,
    scorer: Scorer,
    question_id: &str,
) -> Result<TenderAccess, AppError> {
    let access = tender_of_bid(state, caller, bid).await?;
    access.require_panel(scorer.role())?;
    unknown_question(&access.tender.details, question_id)?;
    Ok(access)
}

/// 422 for a question the tender does not have.
pub fn unknown_question(details: &TenderDetails, question_id: &str) -> Result<(), AppError> {
    if details.question(question_id.trim()).is_none() {
        return Err(AppError::invalid(
            "unknown",
            "question_id",
            format!("the tender has no question {:?}", question_id.trim()),
        ));
    }
    Ok(())
}

/// Checks a score against the tender (scale, text length), naming the scorer's own text field
/// in any problem.
pub fn check(
    details: &TenderDetails,
    scorer: Scorer,
    score: &QuestionScore,
) -> Result<(), AppError> {
    score.validate(details).map_err(|e| {
        let mut app: AppError = e.into();
        if let AppError::Unprocessable(problems) = &mut app {
            for p in problems {
                if p.field.as_deref() == Some("rationale") {
                    p.field = Some(scorer.text_field().into());
                    p.message = p.message.replace("rationale", scorer.text_field());
                }
            }
        }
        app
    })
}

/// Stores a checked score: the evaluator's own, or the consensus.
pub async fn record(
    state: &AppState,
    caller: &Caller,
    bid: Uuid,
    scorer: Scorer,
    question_id: &str,
    score: &QuestionScore,
) -> Result<(), AppError> {
    let store = state.store();
    let (actor, question, user) = (&caller.user.email, question_id.trim(), caller.user.id);
    match scorer {
        Scorer::Evaluator => {
            store
                .record_score(actor, bid, question, user, score)
                .await?;
        }
        Scorer::Moderator => {
            store
                .record_consensus(actor, bid, question, user, score)
                .await?;
        }
    }
    Ok(())
}
