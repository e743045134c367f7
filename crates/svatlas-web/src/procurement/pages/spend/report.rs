//! `GET /contracts/{id}/report.pdf`: the contract report for signed-in members.

use axum::extract::{Path, State};
use axum::response::Response;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::procurement::contract_report::contract_report_pdf;
use crate::state::AppState;

/// The contract report as a PDF (members of buyer and supplier).
#[utoipa::path(get, path = "/contracts/{id}/report.pdf", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id")),
    responses(
        (status = 200, description = "The report", content_type = "application/pdf"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html"),
        (status = 501, description = "This build has no PDF reports (built without the `pdf` feature)", content_type = "text/html")))]
pub async fn get_contract_report_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(contract_report_pdf(&state, &caller, id).await?)
}
