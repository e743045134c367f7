//! People and organisations for calculator tests: each persona has a user and an API token.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use svatlas_domain::accounts::{Email, NewPassword, Role};
use svatlas_store::Store;
use svatlas_store::accounts::NewUser;
use uuid::Uuid;

use crate::platform::helpers::{Answer, send};

pub const PASSWORD: &str = "correct horse battery staple";

/// A signed-up person with a bearer token.
#[derive(Clone)]
pub struct Persona {
    pub email: String,
    #[allow(dead_code)] // kept for tests that need the user's id
    pub user_id: Uuid,
    pub organisation_id: Uuid,
    pub token: String,
}

/// Creates a user in `organisation` (created if new) with a token.
pub async fn persona(store: &Store, email: &str, organisation: &str, role: Role) -> Persona {
    let parsed = Email::parse(email).expect("email");
    let password = NewPassword::parse(PASSWORD).expect("password");
    let created = store
        .create_user(
            "test",
            &NewUser {
                email: &parsed,
                name: email,
                password: &password,
                organisation,
                role,
            },
        )
        .await
        .expect("create user");
    let token = store
        .create_api_token("test", created.user.id, "tests")
        .await
        .expect("token");
    Persona {
        email: email.to_string(),
        user_id: created.user.id,
        organisation_id: created.organisation.id,
        token: token.token,
    }
}

/// Admin, editor and viewer of "Org A" and the admin of "Org B".
pub struct Cast {
    pub admin: Persona,
    pub editor: Persona,
    pub viewer: Persona,
    pub outsider: Persona,
}

pub async fn cast(store: &Store) -> Cast {
    Cast {
        admin: persona(store, "admin@a.example", "Org A", Role::Admin).await,
        editor: persona(store, "editor@a.example", "Org A", Role::Editor).await,
        viewer: persona(store, "viewer@a.example", "Org A", Role::Viewer).await,
        outsider: persona(store, "admin@b.example", "Org B", Role::Admin).await,
    }
}

/// A request with an optional bearer token and an optional JSON body.
pub async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    json: Option<serde_json::Value>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match json {
        Some(value) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(value.to_string())
        }
        None => Body::empty(),
    };
    send(app, request.body(body).expect("request")).await
}
