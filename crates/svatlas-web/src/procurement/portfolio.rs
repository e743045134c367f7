//! The contract portfolio: every contract of the caller's organisations with its headline
//! progress, and KPIs per theme across the contracts they buy. `/contracts`, its downloads and
//! `/api/v1/contracts` all render these figures.

use std::collections::BTreeMap;

use svatlas_store::procurement::ContractRecord;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::procurement::access::today;
use crate::procurement::delivery::{met, summary_of, with_claims};
use crate::state::AppState;

/// One contract with its headline progress.
pub struct PortfolioEntry {
    pub contract: ContractRecord,
    /// Whether the caller's organisations buy it (else they supply it).
    pub buyer: bool,
    /// KPIs whose verified delivery reached the target.
    pub kpis_met: usize,
    /// Claims awaiting the buyer's review (queried ones included).
    pub awaiting: usize,
    /// Milestones past due and not met.
    pub late: usize,
}

/// KPIs of one theme (or mission) across the contracts the caller's organisations buy.
#[derive(Default)]
pub struct ThemeFigures {
    pub kpis: usize,
    pub kpis_met: usize,
    /// KPIs with some verified delivery.
    pub kpis_started: usize,
    /// Sum of each KPI's verified share of target, capped at 1.
    pub share_sum: f64,
}

/// The portfolio as of `today`.
pub struct Portfolio {
    /// Newest first.
    pub contracts: Vec<PortfolioEntry>,
    /// Contracts the caller's organisations buy.
    pub buyer_contracts: usize,
    /// By theme; the empty theme is a KPI outside the model catalogue.
    pub themes: BTreeMap<String, ThemeFigures>,
    pub today: String,
}

/// The portfolio of the caller's organisations, in a fixed number of store queries.
pub async fn portfolio_of(state: &AppState, caller: &Caller) -> Result<Portfolio, AppError> {
    let orgs: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let mut portfolio = Portfolio {
        contracts: Vec::new(),
        buyer_contracts: 0,
        themes: BTreeMap::new(),
        today: today(),
    };
    let contracts = state.store().contracts_of(&orgs).await?;
    for (c, claims) in with_claims(state, contracts).await? {
        let s = summary_of(&c.kpis, &claims, &portfolio.today);
        let buyer = orgs.contains(&c.buyer_organisation_id);
        if buyer {
            portfolio.buyer_contracts += 1;
            for (k, p) in c.kpis.iter().zip(&s.kpis) {
                let t = portfolio.themes.entry(k.theme.clone()).or_default();
                t.kpis += 1;
                t.kpis_met += usize::from(met(p.progress.verified, p.progress.committed));
                t.kpis_started += usize::from(p.progress.verified > 0.0);
                t.share_sum += p.verified_share.min(1.0);
            }
        }
        portfolio.contracts.push(PortfolioEntry {
            buyer,
            kpis_met: s
                .kpis
                .iter()
                .filter(|k| met(k.progress.verified, k.progress.committed))
                .count(),
            awaiting: claims.iter().filter(|c| c.status.reviewable()).count(),
            late: s.milestones.iter().filter(|m| m.state == "late").count(),
            contract: c,
        });
    }
    Ok(portfolio)
}
