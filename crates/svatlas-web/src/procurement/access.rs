//! What the procurement API and pages share: who the caller is to a tender or contract (buyer,
//! invited supplier, evaluator, moderator) and what each may see.
//!
//! The rules, in one place:
//! - A tender belongs to its buyer organisation: its members read it, editors and admins
//!   change it. An invited supplier's members see it once it is open (never a draft); anyone
//!   else gets 404, as if it did not exist.
//! - Bids are sealed: the buyer sees submitted bids only once the tender is closed for
//!   evaluation; a supplier sees only its own bid.
//! - Evaluators see only their own scores until a question's consensus is recorded; the
//!   moderator sees every score. Consensus scores and results are for the buyer's members.
//! - A contract is read by members of its buyer and its supplier; the supplier's editors report
//!   delivery, the buyer's editors review it.

use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::evaluation::PanelRole;
use svatlas_domain::procurement::tender::TenderStatus;
use svatlas_store::StoreError;
use svatlas_store::procurement::{
    ConsensusRecord, ContractRecord, PanelMember, ScoreRecord, TenderRecord,
};
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::state::AppState;

/// The caller's side of a tender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// A member of the buyer organisation, with their role there.
    Buyer(Role),
    /// A member of an invited supplier organisation.
    Supplier {
        /// The supplier organisation.
        organisation: Uuid,
        /// The caller's role in it.
        role: Role,
    },
}

/// A tender the caller may see, with their side and the panel.
#[derive(Debug, Clone)]
pub(crate) struct TenderAccess {
    pub tender: TenderRecord,
    pub side: Side,
    pub panel: Vec<PanelMember>,
    pub user: Uuid,
}

fn no_tender(id: Uuid) -> AppError {
    AppError::NotFound(format!("no tender with id {id}"))
}

fn no_contract(id: Uuid) -> AppError {
    AppError::NotFound(format!("no contract with id {id}"))
}

/// The tender, if the caller may see it: buyer members always, members of an invited
/// supplier once it is no longer a draft. Otherwise 404.
pub(crate) async fn tender_for(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<TenderAccess, AppError> {
    let tender = match state.store().tender(id).await {
        Ok(t) => t,
        Err(StoreError::NotFound) => return Err(no_tender(id)),
        Err(e) => return Err(e.into()),
    };
    let side = if let Some(role) = caller.role_in(tender.organisation_id) {
        Side::Buyer(role)
    } else {
        let mut found = None;
        if tender.status != TenderStatus::Draft {
            // The highest role among the caller's invited organisations.
            for m in &caller.memberships {
                if state
                    .store()
                    .is_invited(id, m.organisation_id)
                    .await
                    .map_err(AppError::from)?
                    && found.is_none_or(|(_, r): (Uuid, Role)| m.role.at_least(r) && m.role != r)
                {
                    found = Some((m.organisation_id, m.role));
                }
            }
        }
        match found {
            Some((organisation, role)) => Side::Supplier { organisation, role },
            None => return Err(no_tender(id)),
        }
    };
    let panel = state.store().panel(id).await?;
    Ok(TenderAccess {
        tender,
        side,
        panel,
        user: caller.user.id,
    })
}

impl TenderAccess {
    /// The buyer role when it is at least `minimum`: 403 for suppliers and lower roles.
    pub fn require_buyer(&self, minimum: Role) -> Result<Role, AppError> {
        match self.side {
            Side::Buyer(role) if role.at_least(minimum) => Ok(role),
            Side::Buyer(role) => Err(AppError::Forbidden(format!(
                "this needs the {minimum} role in the buyer organisation; yours is {role}"
            ))),
            Side::Supplier { .. } => Err(AppError::Forbidden(
                "only the buyer organisation can do this".into(),
            )),
        }
    }

    /// The supplier organisation when the caller's role there is at least `minimum`.
    pub fn require_supplier(&self, minimum: Role) -> Result<Uuid, AppError> {
        match self.side {
            Side::Supplier { organisation, role } if role.at_least(minimum) => Ok(organisation),
            Side::Supplier { role, .. } => Err(AppError::Forbidden(format!(
                "this needs the {minimum} role in your organisation; yours is {role}"
            ))),
            Side::Buyer(_) => Err(AppError::Forbidden(
                "only an invited supplier can bid; the buyer cannot bid for its own tender".into(),
            )),
        }
    }

    /// Whether the caller sits on the panel in `role`.
    pub fn on_panel(&self, role: PanelRole) -> bool {
        self.panel
            .iter()
            .any(|m| m.user_id == self.user && m.role == role)
    }

    /// Evaluator: 403 unless the caller is one of this tender's evaluators.
    pub fn require_panel(&self, role: PanelRole) -> Result<(), AppError> {
        self.require_buyer(Role::Viewer)?;
        if self.on_panel(role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "only this tender's {} may do this",
                match role {
                    PanelRole::Evaluator => "evaluators",
                    PanelRole::Moderator => "moderator",
                }
            )))
        }
    }

    /// Whether the caller may see submitted bids: buyer members once bids are closed.
    pub fn sees_bids(&self) -> bool {
        matches!(self.side, Side::Buyer(_))
            && matches!(
                self.tender.status,
                TenderStatus::Evaluation | TenderStatus::Awarded
            )
    }

    /// The individual scores the caller may see: the moderator all; an evaluator their own and
    /// those of questions already moderated; other buyer members those of moderated questions
    /// once the tender is awarded; suppliers none.
    pub fn visible_scores(
        &self,
        scores: Vec<ScoreRecord>,
        consensus: &[ConsensusRecord],
    ) -> Vec<ScoreRecord> {
        if !matches!(self.side, Side::Buyer(_)) {
            return Vec::new();
        }
        if self.on_panel(PanelRole::Moderator) {
            return scores;
        }
        let evaluator = self.on_panel(PanelRole::Evaluator);
        let awarded = self.tender.status == TenderStatus::Awarded;
        scores
            .into_iter()
            .filter(|s| {
                let moderated = consensus
                    .iter()
                    .any(|c| c.bid_id == s.bid_id && c.question_id == s.question_id);
                (evaluator && (s.evaluator_id == self.user || moderated)) || (awarded && moderated)
            })
            .collect()
    }
}

/// Which side of a contract the caller is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContractSide {
    /// Buyer member with their role.
    Buyer(Role),
    /// Supplier member with their role.
    Supplier(Role),
}

impl ContractSide {
    /// Buyer with at least `minimum`, else 403.
    pub fn require_buyer(self, minimum: Role) -> Result<(), AppError> {
        match self {
            Self::Buyer(r) if r.at_least(minimum) => Ok(()),
            Self::Buyer(r) => Err(AppError::Forbidden(format!(
                "this needs the {minimum} role in the buyer organisation; yours is {r}"
            ))),
            Self::Supplier(_) => Err(AppError::Forbidden(
                "only the buyer verifies, queries or rejects delivery".into(),
            )),
        }
    }

    /// Supplier with at least `minimum`, else 403.
    pub fn require_supplier(self, minimum: Role) -> Result<(), AppError> {
        match self {
            Self::Supplier(r) if r.at_least(minimum) => Ok(()),
            Self::Supplier(r) => Err(AppError::Forbidden(format!(
                "this needs the {minimum} role in your organisation; yours is {r}"
            ))),
            Self::Buyer(_) => Err(AppError::Forbidden(
                "only the supplier reports delivery".into(),
            )),
        }
    }
}

/// The contract, if the caller is a member of its buyer or supplier; otherwise 404.
pub(crate) async fn contract_for(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<(ContractRecord, ContractSide), AppError> {
    let contract = match state.store().contract(id).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(no_contract(id)),
        Err(e) => return Err(e.into()),
    };
    let side = match (
        caller.role_in(contract.buyer_organisation_id),
        caller.role_in(contract.supplier_organisation_id),
    ) {
        (Some(r), _) => ContractSide::Buyer(r),
        (None, Some(r)) => ContractSide::Supplier(r),
        (None, None) => return Err(no_contract(id)),
    };
    Ok((contract, side))
}

/// Today as `YYYY-MM-DD` (UTC), for milestone states.
pub(crate) fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// The bid's tender as the caller sees it; 404 for a bid the caller cannot score.
pub(crate) async fn tender_of_bid(
    state: &AppState,
    caller: &Caller,
    bid_id: Uuid,
) -> Result<TenderAccess, AppError> {
    let no_bid = || AppError::NotFound(format!("no bid with id {bid_id}"));
    let bid = match state.store().bid(bid_id).await {
        Ok(b) => b,
        Err(StoreError::NotFound) => return Err(no_bid()),
        Err(e) => return Err(e.into()),
    };
    let access = match tender_for(state, caller, bid.tender_id).await {
        Err(AppError::NotFound(_)) => return Err(no_bid()),
        other => other?,
    };
    // Suppliers never reach other bids, and the buyer's side only once bids are closed.
    if !access.sees_bids() || bid.status != svatlas_domain::procurement::bid::BidStatus::Submitted {
        return Err(no_bid());
    }
    Ok(access)
}

/// The organisations the caller may ask to bid for: those they edit in, other than the buyer.
pub(crate) fn supplier_organisations(caller: &Caller, buyer: Uuid) -> Vec<(Uuid, String)> {
    caller
        .memberships
        .iter()
        .filter(|m| m.role.at_least(Role::Editor) && m.organisation_id != buyer)
        .map(|m| (m.organisation_id, m.organisation_name.clone()))
        .collect()
}

/// The organisation that asks: the one named (the caller an editor there), or the caller's
/// only supplier organisation. 403 for the buyer itself or without an editor role.
pub(crate) fn requesting_organisation(
    caller: &Caller,
    named: Option<Uuid>,
    buyer: Uuid,
) -> Result<Uuid, AppError> {
    let buyer_only = || {
        AppError::Forbidden(
            "only a supplier organisation can ask to bid; the buyer cannot bid for its own tender"
                .into(),
        )
    };
    if let Some(org) = named {
        if org == buyer {
            return Err(buyer_only());
        }
        caller.require_role(org, Role::Editor)?;
        return Ok(org);
    }
    match supplier_organisations(caller, buyer).as_slice() {
        [(one, _)] => Ok(*one),
        [] if caller.role_in(buyer).is_some() => Err(buyer_only()),
        [] => Err(AppError::Forbidden(
            "asking to bid needs the editor or admin role in a supplier organisation".into(),
        )),
        _ => Err(AppError::invalid(
            "required",
            "organisation_id",
            "you can edit in several organisations: say which one asks to bid",
        )),
    }
}
