//! Calling the real router in-process.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use svatlas_store::testing::TestStore;
use svatlas_web::{AppState, Config};
use tower::ServiceExt;

/// The published SROI test vectors (METHOD.md section 11).
pub const VECTORS: &str =
    include_str!("../../../../svatlas-domain/tests/data/sroi-test-vectors.json");

pub fn vectors() -> serde_json::Value {
    serde_json::from_str(VECTORS).expect("vector file is JSON")
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The body as text, once the status is asserted to be `status` (`what` names the case).
    pub fn text_if(&self, status: StatusCode, what: &str) -> String {
        let text = self.text();
        assert_eq!(self.status, status, "{what}: {text}");
        text
    }
    /// The body as JSON, once the status is asserted to be `status` (`what` names the case).
    pub fn json_if(&self, status: StatusCode, what: &str) -> serde_json::Value {
        self.text_if(status, what);
        self.json()
    }
    /// The `Content-Type` header.
    pub fn content_type(&self) -> &str {
        self.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("content type")
    }
    /// A download: asserts a 200 whose `Content-Type` starts with `kind`; the body as text.
    pub fn download(&self, kind: &str) -> String {
        assert_eq!(self.status, StatusCode::OK, "{kind}: {}", self.text());
        let got = self.content_type();
        assert!(got.starts_with(kind), "{kind} wanted, got {got}");
        self.text()
    }
    /// Asserts the status is `status` and the body contains `needle` (the body shown when
    /// not); the body as text.
    pub fn assert_says(&self, status: u16, needle: &str) -> String {
        let text = self.text_if(StatusCode::from_u16(status).expect("status"), needle);
        assert!(text.contains(needle), "{needle} not in {text}");
        text
    }
    /// The message of a JSON error answer.
    pub fn error_message(&self) -> String {
        let json = self.json();
        let message = json["error"]["message"].as_str();
        message
            .unwrap_or_else(|| panic!("no error message: {json}"))
            .to_owned()
    }
    /// Asserts the status is `status` and the JSON error's message contains `part`.
    pub fn assert_error_says(&self, status: u16, part: &str) {
        self.text_if(StatusCode::from_u16(status).expect("status"), part);
        let message = self.error_message();
        assert!(message.contains(part), "{part} not in {message}");
    }
    /// Asserts a 422 whose JSON error names `field`.
    pub fn assert_invalid(&self, field: &str) {
        let text = self.text_if(StatusCode::UNPROCESSABLE_ENTITY, field);
        assert_eq!(self.json()["error"]["field"], field, "{text}");
    }
    /// Asserts a 422 page with an error summary that contains `needle` (`what` names the
    /// case); the page.
    pub fn assert_invalid_page(&self, what: &str, needle: &str) -> String {
        let html = self.text_if(StatusCode::UNPROCESSABLE_ENTITY, what);
        assert!(
            html.contains("govuk-error-summary"),
            "{what}: no error summary"
        );
        assert!(html.contains(needle), "{what}: {needle} not in {html}");
        html
    }
}

/// Asserts `text` contains each of `parts`, showing `text` when it does not.
pub fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part} not in {text}");
    }
}

/// The string `key` of each item of the JSON array `items`.
pub fn strings<'a>(items: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    let items = items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"));
    items
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("no {key} in {item}"))
        })
        .collect()
}

/// A fresh SQLite store and the plain router over it (`t.finish()` removes the store).
pub async fn sqlite_app() -> (TestStore, Router) {
    let t = svatlas_store::testing::sqlite().await;
    let app = app(&t);
    (t, app)
}

pub fn app(t: &TestStore) -> Router {
    svatlas_web::app(AppState::new(t.store.clone(), Config::default()))
}

pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(
        app,
        Request::builder()
            .uri(uri)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

/// GETs `uri`, which must answer 200: the body as text.
pub async fn get_ok(app: &Router, uri: &str) -> String {
    get(app, uri).await.text_if(StatusCode::OK, uri)
}

/// GETs `uri`, which must answer 200: the body as JSON.
pub async fn get_ok_json(app: &Router, uri: &str) -> serde_json::Value {
    get(app, uri).await.json_if(StatusCode::OK, uri)
}

pub async fn post_json(app: &Router, uri: &str, body: impl Into<Body>) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("request");
    send(app, request).await
}

/// Asserts `actual` is within `tolerance` of `expected`, naming the figure.
pub fn assert_close(name: &str, actual: &serde_json::Value, expected: f64, tolerance: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{name} is not a number: {actual}"));
    assert!(
        (actual - expected).abs() <= tolerance,
        "{name}: got {actual}, expected {expected} (±{tolerance})"
    );
}

/// A same-origin multipart POST of one file in the field `file`.
pub fn multipart(uri: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "svatlasboundary7d9";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}
