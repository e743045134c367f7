//! `GET /opportunities`: open tenders whose buyers take requests to bid, for anyone.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use svatlas_domain::sroi::display::format_money;
use uuid::Uuid;

use crate::platform::auth::MaybePageCaller;
use crate::platform::download::query_string;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::ApiQuery;
use crate::platform::extract::positive;
use crate::platform::format::pct;
use crate::platform::views::Layout;
use crate::procurement::opportunities::{OpportunityQuery, Search, opportunity_page};
use crate::state::AppState;

/// One opportunity in the list.
pub struct Row {
    pub id: Uuid,
    pub title: String,
    pub buyer: String,
    pub closing_date: String,
    pub value: String,
    pub social_value_weight: String,
    pub areas: String,
}

/// The list page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/opportunities/list.html")]
pub struct OpportunitiesPage {
    pub layout: Layout,
    pub signed_in: bool,
    /// The search as typed.
    pub q: String,
    pub area: String,
    /// Whether a search is applied.
    pub searching: bool,
    pub rows: Vec<Row>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// The open opportunities, most recently listed first, 20 a page.
#[utoipa::path(get, path = "/opportunities", tag = "pages", params(OpportunityQuery),
    responses(
        (status = 200, description = "Open opportunities", content_type = "text/html"),
        (status = 422, description = "page is not a whole number of at least 1", content_type = "text/html")))]
pub async fn list_opportunities_page(
    State(state): State<AppState>,
    MaybePageCaller(caller): MaybePageCaller,
    ApiQuery(query): ApiQuery<OpportunityQuery>,
) -> Result<OpportunitiesPage, PageError> {
    let page =
        positive("page", query.page.as_deref(), 1).map_err(|e| AppError::Unprocessable(vec![e]))?;
    let search = Search::of(&query);
    let list = opportunity_page(&state, &search, page).await?;
    let q = query.q.clone().unwrap_or_default();
    let area = query.area.clone().unwrap_or_default();
    let link = |p: usize| {
        format!(
            "/opportunities?{}",
            query_string(&[
                ("q", q.clone()),
                ("area", area.clone()),
                ("page", p.to_string())
            ])
        )
    };
    Ok(OpportunitiesPage {
        layout: Layout::new("procurement"),
        signed_in: caller.is_some(),
        searching: !search.words.is_empty() || search.area.is_some(),
        q: q.clone(),
        area: area.clone(),
        rows: list
            .items
            .iter()
            .map(|t| Row {
                id: t.id,
                title: t.details.title.clone(),
                buyer: t.buyer.clone(),
                closing_date: t
                    .details
                    .closing_date
                    .clone()
                    .unwrap_or_else(|| "Not set".into()),
                value: format_money(t.details.contract_value_gbp),
                social_value_weight: pct(t.social_value_weight),
                areas: t.details.areas.join(", "),
            })
            .collect(),
        total: list.total,
        previous: (list.page > 1).then(|| link(list.page - 1)),
        next: (list.page < list.pages).then(|| link(list.page + 1)),
        page: list.page,
        pages: list.pages,
    })
}
