//! `POST /contracts/{id}/spend/{spend_id}/delete`: remove a line entered in error.

use axum::extract::{Path, State};
use axum::response::Redirect;
use svatlas_domain::accounts::Role;
use svatlas_store::StoreError;
use uuid::Uuid;

use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::procurement::access::contract_for;
use crate::state::AppState;

/// Removes a spend line (supplier editors and admins; audited with the line as it was).
#[utoipa::path(post, path = "/contracts/{id}/spend/{spend_id}/delete", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id"), ("spend_id" = Uuid, Path, description = "Spend line id")),
    responses(
        (status = 303, description = "Removed: back to the spend page"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract or line", content_type = "text/html")))]
pub async fn delete_spend_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, spend_id)): Path<(Uuid, Uuid)>,
) -> Result<Redirect, PageError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    match state
        .store()
        .delete_spend(&caller.user.email, id, spend_id)
        .await
    {
        Err(StoreError::NotFound) => {
            Err(AppError::NotFound(format!("no spend line with id {spend_id}")).into())
        }
        other => {
            other?;
            Ok(Redirect::to(&format!("/contracts/{id}/spend#lines")))
        }
    }
}
