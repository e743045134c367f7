//! HTML pages: status, content, attribution.

use axum::http::StatusCode;

use crate::platform::helpers::{app, get};

#[tokio::test]
async fn home_page_shows_attribution_and_links_to_what_exists() {
    let t = svatlas_store::testing::sqlite().await;
    let app = app(&t);
    let answer = get(&app, "/").await;
    assert_eq!(answer.status, StatusCode::OK);
    let html = answer.text();
    assert!(html.contains("<html lang=\"en-GB\""));
    assert!(html.contains("Open Government Licence v3.0"));
    assert!(html.contains("Contains OS data © Crown copyright"));
    for link in [
        "href=\"/developers\"",
        "href=\"/api/v1/openapi.json\"",
        "href=\"/healthz\"",
    ] {
        assert!(html.contains(link), "home page lacks {link}");
    }
    assert!(html.contains("running on sqlite"));
    // Accessibility basics: one h1, a skip link to the main landmark.
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("href=\"#main\"") && html.contains("id=\"main\""));
    t.finish().await;
}

#[tokio::test]
async fn developers_page_lists_every_documented_route() {
    let t = svatlas_store::testing::sqlite().await;
    let app = app(&t);
    let html = get(&app, "/developers").await.text();
    let doc = svatlas_web::openapi();
    for path in doc.paths.paths.keys() {
        assert!(
            html.contains(&format!("<code>{path}</code>")),
            "developers page lacks {path}"
        );
    }
    t.finish().await;
}

#[tokio::test]
async fn stylesheet_is_served_from_the_binary() {
    let t = svatlas_store::testing::sqlite().await;
    let app = app(&t);
    let css = get(&app, "/assets/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.text().contains(".skip-link"));
    assert_eq!(
        get(&app, "/assets/../../etc/passwd").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/assets/nope.js").await.status,
        StatusCode::NOT_FOUND
    );
    t.finish().await;
}

#[tokio::test]
async fn developers_page_anchors_each_group_once() {
    let t = svatlas_store::testing::sqlite().await;
    let app = app(&t);
    let html = get(&app, "/developers").await.text();
    for tag in ["sroi", "system", "pages", "areas"] {
        assert_eq!(
            html.matches(&format!("id=\"{tag}\"")).count(),
            1,
            "anchor {tag}"
        );
    }
    t.finish().await;
}
