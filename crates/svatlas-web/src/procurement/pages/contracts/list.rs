//! `GET /contracts`: the portfolio, every contract of the caller's organisations as buyer or
//! supplier with its headline progress, and for buyers the KPIs committed and verified per
//! theme across their contracts. `format=csv|xlsx|json` downloads the contracts table.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{REPORTED_NOTE, VERIFIED_NOTE, percent};
use crate::platform::auth::PageCaller;
use crate::platform::download::{DataTable, DownloadLinks, Format, Source};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::Layout;
use crate::procurement::portfolio::{Portfolio, PortfolioEntry, portfolio_of};
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
    let portfolio = portfolio_of(&state, &caller).await?;
    if format != Format::Html {
        return Ok(table(&portfolio).download(format)?);
    }
    let themes = portfolio
        .themes
        .into_iter()
        .map(|(theme, t)| ThemeTotal {
            theme: if theme.is_empty() {
                "Not in the model catalogue".into()
            } else {
                theme
            },
            kpis: t.kpis,
            kpis_met: t.kpis_met,
            kpis_started: t.kpis_started,
            share: percent(t.share_sum / t.kpis.max(1) as f64),
        })
        .collect();
    Ok(ContractsPage {
        layout: Layout::signed_in("procurement", &caller),
        rows: portfolio.contracts.into_iter().map(row).collect(),
        buyer_contracts: portfolio.buyer_contracts,
        themes,
        today: portfolio.today,
        downloads: DownloadLinks::new("/contracts", &[]),
    }
    .into_response())
}

fn row(e: PortfolioEntry) -> PortfolioRow {
    let c = e.contract;
    PortfolioRow {
        id: c.id,
        side: if e.buyer { "Buyer" } else { "Supplier" },
        kpis: c.kpis.len(),
        kpis_met: e.kpis_met,
        awaiting: e.awaiting,
        late: e.late,
        awarded: c.created_at.format("%-d %B %Y").to_string(),
        title: c.title,
        buyer: c.buyer_name,
        supplier: c.supplier_name,
    }
}

/// The contracts table as a download.
fn table(portfolio: &Portfolio) -> DataTable {
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
    for e in &portfolio.contracts {
        let c = &e.contract;
        table.rows.push(vec![
            c.title.clone().into(),
            c.id.to_string().into(),
            if e.buyer { "Buyer" } else { "Supplier" }.into(),
            c.buyer_name.clone().into(),
            c.supplier_name.clone().into(),
            c.created_at.format("%-d %B %Y").to_string().into(),
            c.kpis.len().into(),
            e.kpis_met.into(),
            e.awaiting.into(),
            e.late.into(),
        ]);
    }
    table.sources = vec![Source {
        id: "contracts".into(),
        name: "Contracts and delivery claims of your organisations".into(),
        publisher: "Buyers and suppliers, in sv-atlas".into(),
        edition: format!("as at {}", portfolio.today),
        licence: "Not published: shared between each contract's buyer and supplier".into(),
        attribution: "KPIs from the winning bids; claims reported by suppliers and reviewed by \
                      buyers."
            .into(),
        url: None,
    }];
    table.notes = vec![
        VERIFIED_NOTE.into(),
        REPORTED_NOTE.into(),
        "A milestone is late when its date has passed and verified delivery by then is below \
         its target."
            .into(),
    ];
    table
}
