//! The bid offline, for signed-in suppliers: the same files and import as the API's
//! (`procurement::bid_files`), answering pages.

use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::extract::PageMultipart;
use crate::platform::upload::one_file;
use crate::procurement::bid_files::{BidFile, MAX_BID_FILE_BYTES, download, import};
use crate::state::AppState;

// `GET /tenders/{id}/bid.xlsx` and `/tenders/{id}/bid.csv`.

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

// `POST /tenders/{id}/bid/import`: import a bid file from the bid page.

/// Imports the bid workbook or a commitments CSV (multipart field `file`) into the draft;
/// a file with problems is refused whole and the page lists each with its sheet, row and column.
#[utoipa::path(post, path = "/tenders/{id}/bid/import", tag = "pages",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content_type = "multipart/form-data", description = "Field `file`: .xlsx or .csv, at most 2 MB"),
    responses(
        (status = 303, description = "Imported: back to the bid page"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such tender", content_type = "text/html"),
        (status = 409, description = "The tender is not open or the bid is submitted", content_type = "text/html"),
        (status = 422, description = "Problems in the file, each located", content_type = "text/html")))]
pub async fn import_bid_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageMultipart(mut multipart): PageMultipart,
) -> Result<Redirect, PageError> {
    let (name, bytes) = one_file(&mut multipart, "file", MAX_BID_FILE_BYTES).await?;
    import(&state, &caller, id, &name, &bytes).await?;
    Ok(Redirect::to(&format!("/tenders/{id}/bid?imported=1")))
}
