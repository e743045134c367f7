//! `POST /organisations/{id}/transparency`: an admin publishes (or stops publishing) the
//! organisation's public transparency page.

use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use svatlas_domain::accounts::Role;

use super::organisation_id;
use crate::platform::auth::PageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::state::AppState;

/// The choice.
#[derive(Debug, Deserialize)]
pub struct TransparencyForm {
    /// `yes` to publish, `no` to stop.
    #[serde(default)]
    pub publish: String,
}

/// Publishes or withdraws the transparency page (admins).
#[utoipa::path(post, path = "/organisations/{id}/transparency", tag = "pages",
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content_type = "application/x-www-form-urlencoded", description = "publish=yes|no"),
    responses(
        (status = 303, description = "Changed: back to the organisation page"),
        (status = 403, description = "Not an admin", content_type = "text/html"),
        (status = 404, description = "Not a member", content_type = "text/html"),
        (status = 422, description = "publish is not yes or no", content_type = "text/html")))]
pub async fn set_transparency(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    PageForm(form): PageForm<TransparencyForm>,
) -> Result<Redirect, PageError> {
    let org = organisation_id(&id)?;
    caller.require_role(org, Role::Admin)?;
    let publish = match form.publish.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(
                AppError::invalid("invalid", "publish", "choose to publish or to stop").into(),
            );
        }
    };
    state
        .store()
        .set_transparency(&caller.user.email, org, publish)
        .await?;
    Ok(Redirect::to(&format!("/organisations/{org}#transparency")))
}
