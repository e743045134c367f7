//! `PUT /api/v1/tenders/{id}/listing`: list a tender for suppliers to find, or take it off.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::tender::TenderStatus;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiJson;
use crate::platform::extract::ApiPath;
use crate::procurement::access::tender_for;
use crate::state::AppState;

/// Whether the tender is listed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// `true` to list it, `false` to take it off the list.
    pub listed: bool,
}

/// The listing as it now is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListingBody {
    /// Listed by the buyer.
    pub listed: bool,
    /// Listed and open: on the public list now (a listed draft shows once it opens).
    pub visible: bool,
    /// The public page of the opportunity.
    pub url: String,
}

/// Lists a draft or open tender on the public opportunities list, or takes it off (buyer
/// editors and admins).
#[utoipa::path(put, path = "/api/v1/tenders/{id}/listing", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = Listing,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The listing now", body = ListingBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is closed, awarded or cancelled", body = ErrorBody)))]
pub async fn set_listing(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<Listing>,
) -> Result<Json<ListingBody>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Editor)?;
    let listed = state
        .store()
        .set_listing(&caller.user.email, id, body.value.listed)
        .await?;
    Ok(Json(ListingBody {
        listed,
        visible: listed && access.tender.status == TenderStatus::Open,
        url: format!("/opportunities/{id}"),
    }))
}
