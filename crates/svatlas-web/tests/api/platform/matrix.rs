//! The runner of the three authorization matrices (platform/authz_matrix.rs,
//! procurement/procurement_matrix.rs, partners/partners_matrix.rs) and what they share.
//!
//! A matrix is a table of [`Row`]s (a route, a valid request, the status each column's persona
//! must get) plus the fixtures its cells need ([`Matrix`]). [`run`] signs the personas in and
//! calls every cell on every backend of [`TestApp::all_backends`], then fails once, listing
//! every cell that differs. [`every_documented_route_is_in_a_matrix`] checks that the tables
//! together cover the OpenAPI document.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;
use svatlas_web::platform::download::encode;

use crate::accounts::accounts_web::{Browser, location};
use crate::platform::app::{PASSWORD, People, Persona, TestApp};
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
/// The statuses `codes`, one per persona.
pub fn is<const N: usize>(codes: [u16; N]) -> [Want; N] {
    codes.map(Want::Is)
}

/// `want` as a page answers it: signed out, a 303 to the login page.
pub fn page<const N: usize>(mut want: [Want; N]) -> [Want; N] {
    want[0] = Want::Login;
    want
}

/// A page form's statuses: [`page`] of `want`, with the API's success `ok` a redirect (303).
pub fn form<const N: usize>(want: [Want; N], ok: u16) -> [Want; N] {
    page(with(want, ok, 303))
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

/// One row of a matrix: a route, the status each column must get, a valid request built from
/// the cell's fixtures `C`, and `P`, what the row's matrix prepares for it.
pub struct Row<C, P> {
    pub method: Method,
    /// The OpenAPI path template; `{...}` are filled by [`Matrix::fill`].
    pub path: &'static str,
    pub want: Vec<Want>,
    pub query: &'static str,
    pub payload: Payload<C>,
    pub prep: P,
}

impl<C, P> Row<C, P> {
    pub fn new<const N: usize>(
        method: Method,
        path: &'static str,
        want: [Want; N],
        prep: P,
    ) -> Self {
        Row {
            method,
            path,
            want: want.to_vec(),
            query: "",
            payload: Payload::Empty,
            prep,
        }
    }
    pub fn query(mut self, query: &'static str) -> Self {
        self.query = query;
        self
    }
    pub fn json(mut self, body: fn(&C) -> Value) -> Self {
        self.payload = Payload::Json(body);
        self
    }
    pub fn form(mut self, body: fn(&C) -> Vec<(String, String)>) -> Self {
        self.payload = Payload::Form(body);
        self
    }
    pub fn multipart(mut self, body: fn(&C) -> (String, Vec<u8>)) -> Self {
        self.payload = Payload::Multipart(body);
        self
    }
    /// `METHOD path`.
    pub fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
    fn key(&self) -> (String, String) {
        (self.method.to_string(), self.path.to_owned())
    }
}

/// A column of a matrix as the runner drives it.
pub struct Actor {
    /// Its place in the row, from 0.
    pub column: usize,
    pub label: &'static str,
    /// `None` signed out.
    pub persona: Option<Persona>,
    /// The persona's current password (a cell may change it).
    pub password: String,
    /// The signed-in browser; `None` signed out (each request then starts afresh).
    pub browser: Option<Browser>,
}

impl Actor {
    /// Signs in again (after a cell signed out), with the current password.
    pub async fn sign_in_again(&mut self, app: &Router) {
        if let Some(p) = &self.persona {
            self.browser = Some(sign_in(app, &p.email, &self.password).await);
        }
    }
}

async fn sign_in(app: &Router, email: &str, password: &str) -> Browser {
    let mut browser = Browser::new(app);
    let answer = browser.sign_in(email, password).await;
    assert_eq!(answer.status, 303, "{email} signs in: {}", answer.text());
    assert!(browser.cookie.is_some(), "{email}: no session cookie");
    browser
}

/// A matrix: its table, its columns and the fixtures its cells need. One value per backend.
pub trait Matrix: Sized {
    /// What a cell's request is built from.
    type Ctx;
    /// What a row asks its matrix to prepare.
    type Prep;
    /// For messages: "procurement matrix".
    const NAME: &'static str;

    /// Every route of the matrix with the status each column must get.
    fn table() -> Vec<Row<Self::Ctx, Self::Prep>>;
    /// The columns in order: label and persona (`None` signed out).
    fn columns(people: &People) -> Vec<(&'static str, Option<Persona>)>;
    /// The order the rows run in (default: the table's).
    fn order(_rows: &mut [Row<Self::Ctx, Self::Prep>]) {}
    /// Fixtures made once per backend.
    async fn setup(t: &TestApp) -> Self;
    /// The router a row is sent to (default: the app's).
    async fn router(&mut self, t: &TestApp, _row: &Row<Self::Ctx, Self::Prep>) -> Router {
        t.app.clone()
    }
    /// Before a row's cells.
    async fn before_row(&mut self, _t: &TestApp, _row: &Row<Self::Ctx, Self::Prep>) {}
    /// The cell's fixtures, made before its request.
    async fn prepare(
        &mut self,
        t: &TestApp,
        row: &Row<Self::Ctx, Self::Prep>,
        actor: &Actor,
    ) -> Self::Ctx;
    /// Fills the row's path template; an error names what is missing.
    fn fill(&self, template: &str, c: &Self::Ctx) -> Result<String, String>;
    /// After a cell: repairs what it changed about the actor, removes what it needed alone.
    async fn after(
        &mut self,
        _t: &TestApp,
        _router: &Router,
        _row: &Row<Self::Ctx, Self::Prep>,
        _actor: &mut Actor,
        _c: &Self::Ctx,
        _answer: &Answer,
    ) {
    }
    /// What the answer shows that the actor must not see, if anything.
    fn leak(
        &self,
        row: &Row<Self::Ctx, Self::Prep>,
        actor: &Actor,
        answer: &Answer,
    ) -> Option<String>;
}

/// A cell that did not get what the table says.
struct Mismatch {
    route: String,
    who: &'static str,
    expected: String,
    got: String,
    body: String,
}

/// The first 200 characters of a body; of an HTML page, the words from its heading on.
fn snippet(answer: &Answer) -> String {
    let text = answer.text();
    let text = match text.find("<h1") {
        Some(start) => {
            let mut words = String::new();
            let mut in_tag = false;
            for c in text[start..].chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        words.push(' ');
                    }
                    c if !in_tag => words.push(c),
                    _ => {}
                }
            }
            words
        }
        None => text,
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(200).collect()
}

/// What one backend's run found.
#[derive(Default)]
struct Findings {
    cells: usize,
    mismatches: Vec<Mismatch>,
    problems: Vec<String>,
}

/// Runs matrix `M` on every backend; fails once, listing every cell that differs.
pub async fn run<M: Matrix>() {
    let mut table = M::table();
    M::order(&mut table);
    let documented = documented();
    let mut failures = Vec::new();
    for t in TestApp::all_backends().await {
        let started = Instant::now();
        let found = run_on::<M>(&t, &table, &documented).await;
        println!(
            "{} on {}: {} routes, {} cells, {} mismatches, {:.1}s",
            M::NAME,
            t.label,
            table.len(),
            found.cells,
            found.mismatches.len(),
            started.elapsed().as_secs_f64()
        );
        for problem in found.problems {
            failures.push(format!("{} on {}: {problem}", M::NAME, t.label));
        }
        if !found.mismatches.is_empty() {
            let mut report = format!(
                "{:<52} {:<16} {:<10} {:<32} body\n",
                "route", "persona", "expected", "got"
            );
            for m in &found.mismatches {
                report.push_str(&format!(
                    "{:<52} {:<16} {:<10} {:<32} {}\n",
                    m.route, m.who, m.expected, m.got, m.body
                ));
            }
            failures.push(format!(
                "{} on {}: {} cells differ from the table:\n{report}",
                M::NAME,
                t.label,
                found.mismatches.len()
            ));
        }
        t.finish().await;
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every cell of `table` on one backend.
async fn run_on<M: Matrix>(
    t: &TestApp,
    table: &[Row<M::Ctx, M::Prep>],
    documented: &BTreeSet<(String, String)>,
) -> Findings {
    let mut m = M::setup(t).await;
    let mut actors = Vec::new();
    for (column, (label, persona)) in M::columns(&t.people).into_iter().enumerate() {
        let browser = match &persona {
            Some(p) => Some(sign_in(&t.app, &p.email, PASSWORD).await),
            None => None,
        };
        actors.push(Actor {
            column,
            label,
            persona,
            password: PASSWORD.to_owned(),
            browser,
        });
    }
    let mut found = Findings::default();
    for r in table {
        if !documented.contains(&r.key()) {
            found
                .problems
                .push(format!("{} is in the table but not documented", r.route()));
            continue;
        }
        if r.want.len() != actors.len() {
            found.problems.push(format!(
                "{} has {} statuses for {} columns",
                r.route(),
                r.want.len(),
                actors.len()
            ));
            continue;
        }
        let router = m.router(t, r).await;
        for actor in &mut actors {
            actor.browser = actor.browser.as_ref().map(|b| b.on(&router));
        }
        m.before_row(t, r).await;
        for actor in &mut actors {
            let want = r.want[actor.column];
            let c = m.prepare(t, r, actor).await;
            let mut uri = match m.fill(r.path, &c) {
                Ok(uri) => uri,
                Err(e) => {
                    found.problems.push(e);
                    break;
                }
            };
            if !r.query.is_empty() {
                uri = format!("{uri}?{}", r.query);
            }
            let token = actor.persona.as_ref().map(|p| p.token.clone());
            let answer = send_cell(
                &router,
                actor.browser.as_mut(),
                token.as_deref(),
                &r.method,
                &uri,
                r.payload.build(&c),
            )
            .await;
            found.cells += 1;
            if let Err(got) = want.check(&answer) {
                found.mismatches.push(Mismatch {
                    route: r.route(),
                    who: actor.label,
                    expected: want.to_string(),
                    got,
                    body: snippet(&answer),
                });
            }
            if let Some(leak) = m.leak(r, actor, &answer) {
                found.problems.push(format!(
                    "{} as {}: the answer ({}) shows {leak}",
                    r.route(),
                    actor.label,
                    answer.status.as_u16()
                ));
            }
            m.after(t, &router, r, actor, &c, &answer).await;
        }
    }
    found
}

/// The (METHOD, path) of every row of `M`, with how often each is listed.
fn listed<M: Matrix>() -> BTreeMap<(String, String), usize> {
    let mut routes = BTreeMap::new();
    for r in M::table() {
        *routes.entry(r.key()).or_default() += 1;
    }
    routes
}

/// Coverage both ways: every documented route is in exactly one matrix's table, once, and
/// every row's route is documented.
#[test]
fn every_documented_route_is_in_a_matrix() {
    use crate::partners::partners_matrix::Partners;
    use crate::platform::authz_matrix::Authz;
    use crate::procurement::procurement_matrix::Procurement;
    let tables = [
        (Authz::NAME, listed::<Authz>()),
        (Procurement::NAME, listed::<Procurement>()),
        (Partners::NAME, listed::<Partners>()),
    ];
    let documented = documented();
    let mut problems = Vec::new();
    let mut covered = BTreeMap::<&(String, String), Vec<&str>>::new();
    for (name, routes) in &tables {
        for (route, times) in routes {
            covered.entry(route).or_default().push(name);
            if *times > 1 {
                problems.push(format!(
                    "{} {} is in the {name} {times} times",
                    route.0, route.1
                ));
            }
            if !documented.contains(route) {
                problems.push(format!(
                    "{} {} is in the {name} but no such route is documented: remove or correct \
                     its row",
                    route.0, route.1
                ));
            }
        }
    }
    for (route, names) in &covered {
        if names.len() > 1 {
            problems.push(format!(
                "{} {} is in more than one matrix: {}",
                route.0,
                route.1,
                names.join(", ")
            ));
        }
    }
    for route in &documented {
        if !covered.contains_key(route) {
            problems.push(format!(
                "{} {} is in the OpenAPI document but in no matrix: add a row with the status \
                 for each persona to the matrix of its job (authz_matrix.rs, \
                 procurement_matrix.rs or partners_matrix.rs)",
                route.0, route.1
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the matrices do not cover the {} documented routes once each:\n{}",
        documented.len(),
        problems.join("\n")
    );
}
