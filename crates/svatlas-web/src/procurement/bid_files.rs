//! Bids drafted offline, shared by the API and the pages: the bid workbook and commitments CSV
//! to download, and their import (all or nothing, every problem located by file, sheet, row
//! and column; `svatlas_report::bid_file` does the reading).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::ProxyLibrary;
use svatlas_domain::procurement::bid::BidDetails;
use svatlas_domain::procurement::valuation::apply_valuations;
use svatlas_report::bid_file::{
    FileErrors, bid_workbook, commitments_csv, read_bid_workbook, read_commitments_csv,
};
use svatlas_store::procurement::BidRecord;
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::{AppError, ErrorDetail};
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// Largest bid file accepted for import: 2 MiB (a workbook of a few hundred rows is ~50 KB).
pub const MAX_BID_FILE_BYTES: usize = 2 * 1024 * 1024;
/// Request body limit of the import routes.
pub const IMPORT_BODY_LIMIT: usize = MAX_BID_FILE_BYTES + 64 * 1024;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Which file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BidFile {
    /// The whole bid as a workbook.
    Xlsx,
    /// The commitments as CSV.
    Csv,
}

/// A file name safe in a header: letters, digits and dashes from the title.
fn file_stem(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() { "tender".into() } else { out }
}

/// The supplier's bid file for a tender (blank where nothing is drafted yet).
pub(crate) async fn download(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    kind: BidFile,
) -> Result<Response, AppError> {
    let access = tender_for(state, caller, id).await?;
    let supplier = access.require_supplier(Role::Viewer)?;
    let bid = state.store().bid_of(id, supplier).await?;
    let details = bid.as_ref().map(|b| &b.details);
    let stem = file_stem(&access.tender.details.title);
    let (bytes, media, name) = match kind {
        BidFile::Xlsx => (
            bid_workbook(
                &access.tender.details.title,
                &access.tender.details,
                details,
            )
            .map_err(|e| AppError::Internal(e.into()))?,
            XLSX,
            format!("bid-{stem}.xlsx"),
        ),
        BidFile::Csv => (
            commitments_csv(details.map(|d| d.commitments.as_slice()).unwrap_or(&[])).into_bytes(),
            "text/csv; charset=utf-8",
            format!("bid-commitments-{stem}.csv"),
        ),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// File errors as a 422: one detail per problem, `field` written `Sheet!row:column` (workbooks)
/// or `row:column` (CSV), the message saying where and what.
fn file_errors(errors: FileErrors) -> AppError {
    AppError::Unprocessable(
        errors
            .0
            .into_iter()
            .map(|e| {
                let field = match &e.sheet {
                    Some(s) => format!("{s}!{}:{}", e.row, e.column),
                    None => format!("{}:{}", e.row, e.column),
                };
                ErrorDetail::new("invalid_file", Some(field), e.to_string())
            })
            .collect(),
    )
}

/// Imports a bid file into the supplier's draft: a workbook replaces the whole bid; a CSV
/// replaces the commitments and keeps the price and answers (so a draft must exist). Nothing
/// changes unless the whole file is good. Commitments with a valuation (the `proxy_id` to
/// `dropoff_pct` columns) are valued by the engine, as when the bid is saved through the API.
pub(crate) async fn import(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    file_name: &str,
    bytes: &[u8],
) -> Result<BidRecord, AppError> {
    let access = tender_for(state, caller, id).await?;
    let supplier = access.require_supplier(Role::Editor)?;
    let tender = &access.tender.details;
    let lower = file_name.to_ascii_lowercase();
    let mut details: BidDetails = if lower.ends_with(".xlsx") {
        read_bid_workbook(file_name, bytes, tender).map_err(file_errors)?
    } else if lower.ends_with(".csv") {
        let commitments = read_commitments_csv(file_name, bytes, tender).map_err(file_errors)?;
        let Some(existing) = state.store().bid_of(id, supplier).await? else {
            return Err(AppError::Conflict(
                "a CSV holds only the commitments: save the bid with its price first, or import the bid workbook".into(),
            ));
        };
        BidDetails {
            commitments,
            ..existing.details
        }
    } else {
        return Err(AppError::invalid(
            "invalid",
            "file",
            "import a bid workbook (.xlsx) or a commitments file (.csv)",
        ));
    };
    // The readers have already run this valuation (same engine, same shipped library) with
    // the tender's checks and located every problem by sheet, row and column (`file_errors`
    // above), so this only writes the engine's figures onto the bid; were it to fail anyway,
    // the import is still refused whole, by field path.
    apply_valuations(&mut details, ProxyLibrary::shipped())?;
    details.validate(tender, false)?;
    state
        .store()
        .save_bid(
            &format!("{} (import {file_name})", caller.user.email),
            id,
            supplier,
            &details,
        )
        .await
        .map_err(AppError::from)
}
