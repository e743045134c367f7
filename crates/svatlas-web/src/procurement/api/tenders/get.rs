//! `GET /api/v1/tenders/{id}`: one tender, with what the caller's side may see.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use uuid::Uuid;

use super::{PanelBody, TenderBody};
use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::ApiPath;
use crate::procurement::access::{Side, tender_for};
use crate::state::AppState;

/// An invited supplier.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationBody {
    /// Organisation id.
    pub organisation_id: Uuid,
    /// Its name.
    pub name: String,
}

/// A tender with the caller's view of it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenderView {
    /// The tender.
    #[serde(flatten)]
    pub tender: TenderBody,
    /// `buyer` or `supplier`.
    pub your_side: String,
    /// Invited suppliers (buyer only; empty for suppliers).
    pub invitations: Vec<InvitationBody>,
    /// The evaluation panel (buyer only).
    pub panel: Vec<PanelBody>,
}

/// Reads a tender (buyer members; members of invited suppliers once it is open).
#[utoipa::path(get, path = "/api/v1/tenders/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The tender", body = TenderView),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<TenderView>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    let buyer = matches!(access.side, Side::Buyer(_));
    let invitations = if buyer {
        state
            .store()
            .invitations(id)
            .await?
            .into_iter()
            .map(|i| InvitationBody {
                organisation_id: i.organisation_id,
                name: i.organisation_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(TenderView {
        your_side: if buyer { "buyer" } else { "supplier" }.into(),
        invitations,
        panel: if buyer {
            access.panel.into_iter().map(Into::into).collect()
        } else {
            Vec::new()
        },
        tender: access.tender.into(),
    }))
}
