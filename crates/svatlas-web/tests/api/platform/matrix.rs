//! What the three authorization matrices share (platform/authz_matrix.rs,
//! procurement/procurement_matrix.rs, partners/partners_matrix.rs): the expected status of a
//! cell, request bodies, sending a cell's request as a persona, filling a path template, and
//! the routes of the OpenAPI document.

use std::collections::BTreeSet;
use std::fmt;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;
use svatlas_web::platform::download::encode;

use crate::accounts::accounts_web::{Browser, location};
use crate::platform::helpers::{Answer, send};

/// The status a cell must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Is(u16),
    /// 303 with a Location starting `/login` (signed out on a page or form).
    Login,
}

impl fmt::Display for Want {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Want::Is(code) => write!(f, "{code}"),
            Want::Login => f.write_str("303 /login"),
        }
    }
}

impl Want {
    /// Whether `answer` is what this cell wants; otherwise what it got (status and Location).
    pub fn check(self, answer: &Answer) -> Result<(), String> {
        let got = answer.status.as_u16();
        let to = answer
            .headers
            .get(header::LOCATION)
            .map(|_| location(answer).to_owned());
        let ok = match self {
            Want::Is(code) => got == code,
            Want::Login => got == 303 && to.as_deref().is_some_and(|l| l.starts_with("/login")),
        };
        if ok {
            Ok(())
        } else {
            Err(match to {
                Some(to) => format!("{got} {to}"),
                None => got.to_string(),
            })
        }
    }
}

/// A page's statuses from an API row's: signed out goes to the sign-in page.
pub fn page<const N: usize>(mut want: [Want; N]) -> [Want; N] {
    want[0] = Want::Login;
    want
}

/// `want` with every `from` replaced by `to` (e.g. an API's 200 by a form's 303).
pub fn with<const N: usize>(mut want: [Want; N], from: u16, to: u16) -> [Want; N] {
    for w in &mut want {
        if *w == Want::Is(from) {
            *w = Want::Is(to);
        }
    }
    want
}

/// Form fields as owned pairs.
pub fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A request body, built per cell from the cell's fixtures `C`.
pub enum Payload<C> {
    Empty,
    Json(fn(&C) -> Value),
    Form(fn(&C) -> Vec<(String, String)>),
    /// One file in the multipart field `file`: (file name, bytes).
    Multipart(fn(&C) -> (String, Vec<u8>)),
}

impl<C> Clone for Payload<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C> Copy for Payload<C> {}

/// A body as sent.
pub enum Sent {
    Empty,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart(String, Vec<u8>),
}

impl<C> Payload<C> {
    pub fn build(&self, c: &C) -> Sent {
        match self {
            Payload::Empty => Sent::Empty,
            Payload::Json(build) => Sent::Json(build(c)),
            Payload::Form(build) => Sent::Form(build(c)),
            Payload::Multipart(build) => {
                let (name, bytes) = build(c);
                Sent::Multipart(name, bytes)
            }
        }
    }
}

/// Sends a cell's request: with `token` as a Bearer token under `/api/`, else through
/// `browser` (its session cookie and the headers a same-origin page sends), or a fresh
/// browser when signed out.
pub async fn send_cell(
    app: &Router,
    browser: Option<&mut Browser>,
    token: Option<&str>,
    method: &Method,
    uri: &str,
    body: Sent,
) -> Answer {
    let mut request = Request::builder().method(method.clone()).uri(uri);
    let api = uri.starts_with("/api/");
    if api {
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
    } else {
        request = request
            .header(header::HOST, "localhost")
            .header("sec-fetch-site", "same-origin");
        if method != Method::GET {
            request = request.header(header::ORIGIN, "http://localhost");
        }
    }
    let body = match body {
        Sent::Empty => Body::empty(),
        Sent::Json(value) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(value.to_string())
        }
        Sent::Form(pairs) => {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(
                pairs
                    .iter()
                    .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                    .collect::<Vec<_>>()
                    .join("&"),
            )
        }
        Sent::Multipart(name, bytes) => {
            let boundary = "matrixboundary42";
            request = request.header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            );
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .into_bytes();
            body.extend_from_slice(&bytes);
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            Body::from(body)
        }
    };
    let request = request.body(body).expect("request");
    match (browser, api) {
        (Some(b), false) => b.send(request).await,
        (None, false) => Browser::new(app).send(request).await,
        (_, true) => send(app, request).await,
    }
}

/// Fills each `{name}` of a path template with `value(name)`; an error names what is missing.
pub fn fill(
    template: &str,
    mut value: impl FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| format!("unclosed {{ in {template}"))?;
        out.push_str(&rest[..open]);
        out.push_str(&value(&rest[open + 1..close])?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The error for a `{name}` no fixture fills.
pub fn unfilled(name: &str, template: &str) -> String {
    format!("no fixture fills {{{name}}} in {template}: add one to fill()")
}

/// Every documented (METHOD, path).
pub fn documented() -> BTreeSet<(String, String)> {
    let doc = serde_json::to_value(svatlas_web::openapi()).expect("OpenAPI serialises");
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if item.get(method).is_some() {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}
