//! `GET /contracts`: the portfolio, every contract of the caller's organisations as buyer or
//! supplier with its headline progress, and for buyers the KPIs committed and verified per
//! theme across their contracts. `format=csv|xlsx|json` downloads the contracts table.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{REPORTED_NOTE, VERIFIED_NOTE, met, percent};
use crate::platform::auth::PageCaller;
use crate::platform::download::{DataTable, DownloadLinks, Format, Source};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::Layout;
use crate::procurement::access::today;
use crate::procurement::delivery::summary_of;
use crate::state::AppState;

/// The page's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractsQuery {
    /// `csv`, `xlsx` or `json` downloads the contracts table.
    pub format: Option<String>,
}

/// One contract in the portfolio.
pub struct PortfolioRow {
    pub id: Uuid,
    pub title: String,
    pub side: &'static str,
    pub buyer: String,
    pub supplier: String,
    pub awarded: String,
    pub kpis: usize,
    pub kpis_met: usize,
    pub awaiting: usize,
    pub late: usize,
}

/// KPIs of one theme (or mission) across the buyer's contracts.
pub struct ThemeTotal {
    pub theme: String,
    pub kpis: usize,
    pub kpis_met: usize,
    pub kpis_started: usize,
    pub share: String,
}

/// The portfolio page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/contracts/list.html")]
pub struct ContractsPage {
    pub layout: Layout,
    pub user_name: String,
    pub rows: Vec<PortfolioRow>,
    pub buyer_contracts: usize,
    pub themes: Vec<ThemeTotal>,
    pub today: String,
    pub downloads: DownloadLinks,
}

/// Every contract of the caller's organisations, newest first, with KPIs met, claims awaiting
/// review and late milestones; buyers also see committed vs verified KPIs per theme.
#[utoipa::path(get, path = "/contracts", tag = "pages", params(ContractsQuery),
    responses(
        (status = 200, description = "The portfolio, or its table as a file with `format`", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login"),
        (status = 422, description = "Unknown format", content_type = "text/html")))]
pub async fn list_contracts_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageQuery(query): PageQuery<ContractsQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let orgs: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let today = today();
    let mut rows = Vec::new();
    // Theme -> (KPIs, met, with some verified delivery, sum of capped verified shares).
    let mut themes: BTreeMap<String, (usize, usize, usize, f64)> = BTreeMap::new();
    let mut buyer_contracts = 0;
    for c in state.store().contracts_of(&orgs).await? {
        let claims = state.store().claims_of_contract(c.id).await?;
        let s = summary_of(&c.kpis, &claims, &today);
        let buyer = orgs.contains(&c.buyer_organisation_id);
        if buyer {
            buyer_contracts += 1;
            for (k, p) in c.kpis.iter().zip(&s.kpis) {
                let t = themes.entry(k.theme.clone()).or_default();
                t.0 += 1;
                if met(p.progress.verified, p.progress.committed) {
                    t.1 += 1;
                }
                if p.progress.verified > 0.0 {
                    t.2 += 1;
                }
                t.3 += p.verified_share.min(1.0);
            }
        }
        rows.push(PortfolioRow {
            id: c.id,
            side: if buyer { "Buyer" } else { "Supplier" },
            kpis: c.kpis.len(),
            kpis_met: s
                .kpis
                .iter()
                .filter(|k| met(k.progress.verified, k.progress.committed))
                .count(),
            awaiting: claims.iter().filter(|c| c.status.reviewable()).count(),
            late: s.milestones.iter().filter(|m| m.state == "late").count(),
            awarded: c.created_at.format("%-d %B %Y").to_string(),
            title: c.title,
            buyer: c.buyer_name,
            supplier: c.supplier_name,
        });
    }
    if format != Format::Html {
        let mut table = DataTable::new(
            "Your contracts: KPIs met, claims awaiting review and late milestones",
            "contracts",
            &[
                "Contract",
                "Contract id",
                "Your side",
                "Buyer",
                "Supplier",
                "Awarded",
                "KPIs",
                "KPIs met (verified reached the target)",
                "Claims awaiting review",
                "Milestones late",
            ],
        );
        for r in &rows {
            table.rows.push(vec![
                r.title.clone().into(),
                r.id.to_string().into(),
                r.side.into(),
                r.buyer.clone().into(),
                r.supplier.clone().into(),
                r.awarded.clone().into(),
                r.kpis.into(),
                r.kpis_met.into(),
                r.awaiting.into(),
                r.late.into(),
            ]);
        }
        table.sources = vec![Source {
            id: "contracts".into(),
            name: "Contracts and delivery claims of your organisations".into(),
            publisher: "Buyers and suppliers, in sv-atlas".into(),
            edition: format!("as at {today}"),
            licence: "Not published: shared between each contract's buyer and supplier".into(),
            attribution: "KPIs from the winning bids; claims reported by suppliers and reviewed \
                          by buyers."
                .into(),
            url: None,
        }];
        table.notes = vec![
            VERIFIED_NOTE.into(),
            REPORTED_NOTE.into(),
            "A milestone is late when its date has passed and verified delivery by then is \
             below its target."
                .into(),
        ];
        return Ok(table.download(format)?);
    }
    Ok(ContractsPage {
        layout: Layout::new("procurement"),
        user_name: caller.user.name.clone(),
        rows,
        buyer_contracts,
        themes: themes
            .into_iter()
            .map(
                |(theme, (kpis, kpis_met, kpis_started, share))| ThemeTotal {
                    theme: if theme.is_empty() {
                        "Not in the model catalogue".into()
                    } else {
                        theme
                    },
                    kpis,
                    kpis_met,
                    kpis_started,
                    share: percent(share / kpis.max(1) as f64),
                },
            )
            .collect(),
        today,
        downloads: DownloadLinks::new("/contracts", &[]),
    }
    .into_response())
}
