//! Who an API token belongs to.

use axum::Json;
use serde::Serialize;
use svatlas_domain::accounts::Role;
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::ErrorBody;

// `GET /api/v1/me`: the owner of the API token, with their organisations and roles.

/// The caller of the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    /// User id.
    pub id: Uuid,
    /// Login email address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Organisations the user belongs to.
    pub organisations: Vec<MyOrganisation>,
}

/// One organisation of the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyOrganisation {
    /// Organisation id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The caller's role there.
    #[schema(value_type = String, example = "editor")]
    pub role: Role,
}

/// Who the token in `Authorization: Bearer sva_...` belongs to, with their organisations and
/// roles: a cheap way to check a token works.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's owner", body = Me),
        (status = 401, description = "No token, or it is unknown or revoked", body = ErrorBody)))]
pub async fn get_me(ApiCaller(caller): ApiCaller) -> Json<Me> {
    Json(Me {
        id: caller.user.id,
        email: caller.user.email,
        name: caller.user.name,
        organisations: caller
            .memberships
            .into_iter()
            .map(|m| MyOrganisation {
                id: m.organisation_id,
                name: m.organisation_name,
                role: m.role,
            })
            .collect(),
    })
}
