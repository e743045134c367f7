//! The supplier's bid offline: `GET /api/v1/tenders/{id}/bid.xlsx` and `.../bid.csv`, and
//! `POST /api/v1/tenders/{id}/bid/import` (all or nothing, errors located by sheet, row and
//! column).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use super::BidBody;
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiMultipart, ApiPath};
use crate::platform::upload::one_file;
use crate::procurement::bid_files::{BidFile, MAX_BID_FILE_BYTES, download, import};
use crate::state::AppState;

/// The bid workbook: "Read me" (rules, the tender's criteria and metrics), "Bid" (price),
/// "Answers" (a row per question) and "Commitments" (a row per commitment), filled with the
/// draft so far (invited suppliers' members).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bid.xlsx", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "The buyer, who does not bid", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_bid_xlsx(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    download(&state, &caller, id, BidFile::Xlsx).await
}

/// The bid's commitments as CSV, one row each (columns as the workbook's "Commitments").
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bid.csv", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The commitments", content_type = "text/csv"),
        (status = 403, description = "The buyer, who does not bid", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_bid_csv(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    download(&state, &caller, id, BidFile::Csv).await
}

/// The upload: one file in the field `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // only described: the handler reads the multipart stream itself
pub struct BidUpload {
    /// The bid workbook (.xlsx) or a commitments CSV (.csv).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Imports a bid file (multipart field `file`, at most 2 MB): a workbook replaces the whole
/// draft, a CSV its commitments. Any bad cell refuses the whole file: every problem is listed,
/// each with `field` = `Sheet!row:column` (CSV: `row:column`).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/bid/import", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = BidUpload, content_type = "multipart/form-data", description = "Field `file`: the bid workbook (.xlsx) or a commitments CSV (.csv)"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported into the draft bid", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is not open, the bid is submitted, or a CSV with no draft yet", body = ErrorBody),
        (status = 413, description = "Larger than 2 MB", body = ErrorBody),
        (status = 422, description = "Problems in the file, each located", body = ErrorBody)))]
pub async fn import_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    ApiMultipart(mut multipart): ApiMultipart,
) -> Result<Json<BidBody>, AppError> {
    let (name, bytes) = one_file(&mut multipart, "file", MAX_BID_FILE_BYTES).await?;
    let bid = import(&state, &caller, id, &name, &bytes).await?;
    Ok(Json(bid.into()))
}
