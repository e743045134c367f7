//! `GET /tenders/{id}/bid.xlsx` and `/tenders/{id}/bid.csv`.

use axum::extract::{Path, State};
use axum::response::Response;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::procurement::bid_files::{BidFile, download};
use crate::state::AppState;

/// The bid workbook to fill in offline (invited suppliers' members).
#[utoipa::path(get, path = "/tenders/{id}/bid.xlsx", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "The buyer", content_type = "text/html"),
        (status = 404, description = "No such tender", content_type = "text/html")))]
pub async fn get_bid_xlsx_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(download(&state, &caller, id, BidFile::Xlsx).await?)
}

/// The bid's commitments as CSV.
#[utoipa::path(get, path = "/tenders/{id}/bid.csv", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    responses(
        (status = 200, description = "The commitments", content_type = "text/csv"),
        (status = 403, description = "The buyer", content_type = "text/html"),
        (status = 404, description = "No such tender", content_type = "text/html")))]
pub async fn get_bid_csv_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(download(&state, &caller, id, BidFile::Csv).await?)
}
