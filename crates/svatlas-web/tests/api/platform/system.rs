//! Health, OpenAPI, fallbacks and the headers every response carries.

use axum::http::StatusCode;

use crate::platform::helpers::{get, get_ok_json};

store_backends_test!(healthz_reports_version_backend_and_database_ok, |t, app| {
    let answer = get(&app, "/healthz").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", t.label);
    let body = answer.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["ok"], true);
    assert_eq!(body["database"], t.label);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["schema_version"], 8);
});

app_test!(healthz_is_503_when_the_database_is_gone, |t, app| {
    t.store.close().await;
    let answer = get(&app, "/healthz").await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.json()["ok"], false);
});

#[tokio::test]
async fn openapi_describes_every_route_and_each_answers() {
    let t = svatlas_store::testing::sqlite().await;
    // With area data, so the local-need routes answer rather than 503.
    let app = crate::need::area_helpers::area_app(&t);
    let doc = get_ok_json(&app, "/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for expected in [
        "/",
        "/developers",
        "/assets/{file}",
        "/healthz",
        "/api/v1/openapi.json",
        "/api/v1/sroi/calculate",
        "/api/v1/sroi/calculations/{id}",
        "/api/v1/sroi/sensitivity",
        "/api/v1/indicators",
        "/api/v1/datasets",
        "/api/v1/areas/{code}",
        "/api/v1/areas/{code}/summary",
        "/api/v1/areas/summary",
        "/api/v1/areas/{code}/similar",
        "/api/v1/areas/{code}/change",
        "/api/v1/areas/{code}/needs",
        "/api/v1/correlation",
        "/api/v1/correlation/matrix",
        "/api/v1/rankings",
        "/login",
        "/logout",
        "/account",
        "/account/password",
        "/account/tokens",
        "/account/tokens/{id}/revoke",
        "/organisations/{id}",
        "/organisations/{id}/members",
        "/organisations/{id}/members/{user_id}",
        "/organisations/{id}/audit",
        "/api/v1/me",
        "/model",
        "/api/v1/model",
        "/api/v1/scoring/evaluate",
    ] {
        assert!(paths.contains_key(expected), "OpenAPI lacks {expected}");
    }
    // Every documented GET route is really served (none falls through to the 404 fallback),
    // and every documented route exists in the router for its method.
    for (path, item) in paths {
        let concrete = path
            .replace("{file}", "app.css")
            .replace("{id}", "00000000-0000-4000-8000-000000000000")
            .replace("{user_id}", "00000000-0000-4000-8000-000000000001")
            .replace("{code}", "E06000026");
        if item.get("get").is_some() {
            let answer = get(&app, &concrete).await;
            let routed_404 =
                answer.status == StatusCode::NOT_FOUND && answer.text().contains("no API route");
            assert!(!routed_404, "GET {path} is documented but not routed");
            assert!(
                !answer.status.is_server_error(),
                "GET {path} gave {}",
                answer.status
            );
        }
        if item.get("post").is_some() {
            let answer = crate::platform::helpers::post_json(&app, &concrete, "{}").await;
            assert_ne!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "POST {path} not routed"
            );
            assert!(
                !answer.status.is_server_error(),
                "POST {path} gave {}",
                answer.status
            );
        }
    }
    // Signed out, account pages send you to sign in and the token-only API asks for a token.
    for page in [
        "/account",
        "/organisations/00000000-0000-4000-8000-000000000000",
    ] {
        let answer = get(&app, page).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{page}");
        assert!(
            answer.headers["location"]
                .to_str()
                .unwrap()
                .starts_with("/login?next=")
        );
    }
    assert_eq!(
        get(&app, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer",
        "the API token scheme is described"
    );
    assert!(paths["/api/v1/me"]["get"]["security"].is_array());
    // The request and response schemas of the calculator are described, not left opaque.
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "Project",
        "Outcome",
        "SroiResult",
        "ErrorBody",
        "AreaDetail",
        "SummaryResponse",
        "RankingResponse",
        "CorrelationResponse",
        "ScoringRequest",
        "ScoringResult",
        "ModelResponse",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    t.finish().await;
}

app_test!(
    unknown_urls_are_404_json_under_api_and_html_elsewhere,
    |app| {
        let api = get(&app, "/api/v1/nothing-here").await;
        assert_eq!(api.status, StatusCode::NOT_FOUND);
        assert_eq!(api.json()["error"]["code"], "not_found");
        let page = get(&app, "/nothing-here").await;
        page.assert_says(404, "Page not found");
        assert!(
            page.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
    }
);

app_test!(responses_carry_security_headers_and_a_request_id, |app| {
    for uri in ["/", "/healthz", "/api/v1/nothing"] {
        let answer = get(&app, uri).await;
        let h = &answer.headers;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{uri}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
        let id = h["x-request-id"].to_str().unwrap();
        assert_eq!(id.len(), 36, "{uri}: request id {id}");
    }
});

/// Every API operation declares what its way of being called can answer (400/413/415/422 for a
/// JSON body, 400 for a path parameter, 401 behind a token), and a malformed id is answered
/// with 400 in our error shape, as declared.
#[tokio::test]
async fn api_operations_declare_the_statuses_of_their_inputs() {
    let t = svatlas_store::testing::sqlite().await;
    let app = crate::need::area_helpers::area_app(&t);
    let doc = get(&app, "/api/v1/openapi.json").await.json();
    let mut json_bodies = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let declared = |status: &str| op["responses"].get(status).is_some();
            let what = format!("{} {path}", method.to_uppercase());
            if op["requestBody"]["content"]
                .get("application/json")
                .is_some()
            {
                json_bodies += 1;
                for status in ["400", "413", "415", "422"] {
                    assert!(declared(status), "{what} lacks {status}");
                }
            }
            if path.contains('{') {
                assert!(declared("400"), "{what} lacks 400 for its path parameter");
            }
            if op
                .get("security")
                .is_some_and(|s| !s.as_array().unwrap().is_empty())
            {
                assert!(declared("401"), "{what} lacks 401");
            }
        }
    }
    assert!(json_bodies >= 20, "only {json_bodies} JSON bodies found");
    let answer = get(&app, "/api/v1/transparency/not-a-uuid").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["error"]["code"], "invalid_path");
    t.finish().await;
}
