//! Match lists, shared by the API and the pages: published VCSEs ranked for a tender or a
//! contract by causes, area need and distance.

use serde::Serialize;
use svatlas_domain::partners::matching::formula_words;
use svatlas_domain::partners::{Cause, MatchScore};
use uuid::Uuid;

use crate::partners::access::{Geo, SourceBody, criteria_causes, match_sources, rank_partners};
use crate::partners::api::profiles::body_of;
use crate::partners::api::{AreaBody, CauseBody, NeedBody, ProfileSummary};
use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::procurement::access::{Side, contract_for, tender_for};
use crate::state::AppState;

/// A factor left out of every score, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unavailable {
    /// `causes`, `need` or `distance`.
    pub factor: &'static str,
    /// Why it cannot be worked out.
    pub reason: String,
}

/// One ranked VCSE.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchBody {
    /// 1 = best match.
    pub rank: usize,
    /// The profile.
    pub profile: ProfileSummary,
    /// Its score, factor by factor.
    #[serde(flatten)]
    pub score: MatchScore,
    /// Its open needs, with what has been pledged and confirmed.
    pub open_needs: Vec<NeedBody>,
}

/// VCSEs ranked for a tender or contract.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchList {
    /// The tender.
    pub tender_id: Uuid,
    /// The contract, for a contract's list.
    pub contract_id: Option<Uuid>,
    /// Its title.
    pub title: String,
    /// The Social Value Model criteria matched against: the tender's criteria and social
    /// value questions (for a supplier, also its own bid's commitments), or the contract's
    /// KPIs.
    pub criteria: Vec<CauseBody>,
    /// The areas distances are measured to.
    pub areas: Vec<AreaBody>,
    /// The formula in words.
    pub formula: Vec<String>,
    /// Factors that could not be worked out, left out of every score.
    pub unavailable: Vec<Unavailable>,
    /// Published profiles ranked.
    pub considered: usize,
    /// The best matches, best first (at most 50).
    pub matches: Vec<MatchBody>,
    /// Where the figures come from.
    pub sources: Vec<SourceBody>,
}

/// What a list is for.
pub(crate) struct Subject {
    pub tender_id: Uuid,
    pub contract_id: Option<Uuid>,
    pub title: String,
    pub criteria: Vec<Cause>,
    pub areas: Vec<String>,
    /// Organisations whose profiles are left out (a contract's supplier cannot pledge to its
    /// own needs).
    pub exclude: Vec<Uuid>,
}

/// The subject of a tender's list, if the caller may see the tender (else 404).
pub(crate) async fn tender_subject(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<Subject, AppError> {
    let access = tender_for(state, caller, id).await?;
    let d = &access.tender.details;
    let mut criteria: Vec<&String> = d
        .criteria
        .iter()
        .chain(d.questions.iter().filter_map(|q| q.criterion.as_ref()))
        .collect();
    let mut areas = d.areas.clone();
    // A supplier's list also matches its own bid's commitments and where they are delivered.
    let mut exclude = Vec::new();
    let bid = match access.side {
        Side::Supplier { organisation, .. } => {
            exclude.push(organisation);
            state.store().bid_of(id, organisation).await?
        }
        Side::Buyer(_) => None,
    };
    if let Some(bid) = &bid {
        criteria.extend(bid.details.commitments.iter().map(|c| &c.criterion));
        for a in bid
            .details
            .commitments
            .iter()
            .filter_map(|c| c.area.as_ref())
        {
            if !areas.contains(a) {
                areas.push(a.clone());
            }
        }
    }
    Ok(Subject {
        tender_id: id,
        contract_id: None,
        title: d.title.clone(),
        criteria: criteria_causes(criteria),
        areas,
        exclude,
    })
}

/// The subject of a contract's list, if the caller may see the contract (else 404).
pub(crate) async fn contract_subject(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<Subject, AppError> {
    let (contract, _) = contract_for(state, caller, id).await?;
    let tender = state.store().tender(contract.tender_id).await?;
    let mut areas = tender.details.areas.clone();
    for a in contract.kpis.iter().filter_map(|k| k.area.as_ref()) {
        if !areas.contains(a) {
            areas.push(a.clone());
        }
    }
    Ok(Subject {
        tender_id: contract.tender_id,
        contract_id: Some(id),
        title: contract.title.clone(),
        criteria: criteria_causes(contract.kpis.iter().map(|k| &k.criterion)),
        areas,
        exclude: vec![contract.supplier_organisation_id],
    })
}

/// Ranks the published profiles for a subject.
pub(crate) async fn match_list(state: &AppState, s: Subject) -> Result<MatchList, AppError> {
    let geo = Geo::of(state);
    let ranked = rank_partners(state, &s.criteria, &s.areas, &s.exclude).await?;
    let mut matches = Vec::new();
    for (i, (profile, score)) in ranked.rows.into_iter().enumerate() {
        let body = body_of(state, profile.clone()).await?;
        let open: std::collections::BTreeSet<_> = body
            .needs
            .iter()
            .filter(|n| n.details.open)
            .map(|n| n.details.kind)
            .collect();
        matches.push(MatchBody {
            rank: i + 1,
            profile: ProfileSummary::of(&geo, &profile, &open),
            score,
            open_needs: body.needs.into_iter().filter(|n| n.details.open).collect(),
        });
    }
    let a = ranked.available;
    let unavailable = [
        ("causes", a.causes),
        ("need", a.need),
        ("distance", a.distance),
    ]
    .into_iter()
    .filter_map(|(factor, why)| why.map(|reason| Unavailable { factor, reason }))
    .collect();
    Ok(MatchList {
        tender_id: s.tender_id,
        contract_id: s.contract_id,
        title: s.title,
        criteria: s.criteria.iter().map(CauseBody::of).collect(),
        areas: AreaBody::list(&geo, &s.areas),
        formula: formula_words(),
        unavailable,
        considered: ranked.considered,
        matches,
        sources: match_sources(state).iter().map(SourceBody::from).collect(),
    })
}
