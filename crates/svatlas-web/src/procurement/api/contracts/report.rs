//! `GET /api/v1/contracts/{id}/report.pdf`: the contract's social value report.

use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::contract_report::contract_report_pdf;
use crate::state::AppState;

/// The contract report as a PDF: commitments with reported and verified delivery, themes,
/// milestones, claims, possible double counting and local spend (members of buyer and
/// supplier).
#[utoipa::path(get, path = "/api/v1/contracts/{id}/report.pdf", tag = "procurement",
    params(("id" = Uuid, Path, description = "Contract id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", content_type = "application/pdf"),
        (status = 404, description = "No such contract, or not the caller's", body = ErrorBody),
        (status = 501, description = "This build has no PDF reports (built without the `pdf` feature)", body = ErrorBody)))]
pub async fn get_contract_report(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    contract_report_pdf(&state, &caller, id).await
}
