//! Public transparency pages of buyers who opt in: their awarded contracts, the social value
//! committed and the delivery they verified, and local spend shares. No personal data: no
//! people's names, no beneficiary references, no spend lines.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use svatlas_domain::sroi::display::format_percent;
use svatlas_domain::sroi::format_money;
use uuid::Uuid;

use crate::platform::error::PageError;
use crate::platform::views::Layout;
use crate::procurement::transparency::transparency_of;
use crate::state::AppState;

// `GET /transparency/{id}`: one buyer's published contracts, commitments and verified delivery.

/// A KPI row.
pub struct KpiRow {
    pub id: String,
    pub criterion: String,
    pub theme: String,
    pub description: String,
    pub committed: String,
    pub verified: String,
    pub share: String,
}

/// A contract block.
pub struct ContractBlock {
    pub title: String,
    pub supplier: String,
    pub awarded_on: String,
    pub value: String,
    pub kpis: Vec<KpiRow>,
    pub spend_total: String,
    pub spend_local: Option<String>,
    pub spend_deprived: String,
    pub spend_sme: String,
    pub spend_vcse: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/transparency/page.html")]
pub struct TransparencyPage {
    pub layout: Layout,
    pub buyer: String,
    pub as_of: String,
    pub api: String,
    pub contracts: Vec<ContractBlock>,
}

fn quantity(q: f64, unit: &str) -> String {
    let n = svatlas_domain::sroi::display::round_dp(q, 2);
    if n.fract() == 0.0 {
        format!("{n:.0} {unit}")
    } else {
        format!("{n} {unit}")
    }
}

/// A buyer's transparency page (public when the buyer publishes it; otherwise 404).
#[utoipa::path(get, path = "/transparency/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Buyer organisation id")),
    responses(
        (status = 200, description = "The published figures", content_type = "text/html"),
        (status = 404, description = "Not published", content_type = "text/html")))]
pub async fn get_transparency_page(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<TransparencyPage, PageError> {
    let t = transparency_of(&state, id).await?;
    Ok(TransparencyPage {
        layout: Layout::new("procurement"),
        api: format!("/api/v1/transparency/{id}"),
        buyer: t.buyer,
        as_of: t.as_of,
        contracts: t
            .contracts
            .into_iter()
            .map(|c| ContractBlock {
                title: c.title,
                supplier: c.supplier,
                awarded_on: c.awarded_on,
                value: format_money(c.contract_value_gbp),
                kpis: c
                    .kpis
                    .into_iter()
                    .map(|k| KpiRow {
                        committed: quantity(k.committed, &k.unit),
                        verified: quantity(k.verified, &k.unit),
                        share: format_percent(k.verified_share),
                        id: k.id,
                        criterion: k.criterion,
                        theme: k.theme,
                        description: k.description,
                    })
                    .collect(),
                spend_total: format_money(c.spend.total_gbp),
                spend_local: c.spend.in_contract_area.map(|s| format_percent(s.share)),
                spend_deprived: format_percent(c.spend.in_deprived_areas.share),
                spend_sme: format_percent(c.spend.with_smes.share),
                spend_vcse: format_percent(c.spend.with_vcses.share),
            })
            .collect(),
    })
}

// `GET /transparency`: buyers who publish their social value delivery.

/// The list page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/transparency/list.html")]
pub struct TransparencyList {
    pub layout: Layout,
    pub buyers: Vec<(Uuid, String)>,
}

/// Lists the buyers that publish a transparency page (public).
#[utoipa::path(get, path = "/transparency", tag = "pages",
    responses((status = 200, description = "Buyers publishing their figures", content_type = "text/html")))]
pub async fn list_transparency(
    State(state): State<AppState>,
) -> Result<TransparencyList, PageError> {
    Ok(TransparencyList {
        layout: Layout::new("procurement"),
        buyers: state.store().transparent_buyers().await?,
    })
}
