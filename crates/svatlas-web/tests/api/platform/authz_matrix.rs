//! The authorisation matrix: every route of the OpenAPI document, called for real by five
//! personas (signed out, viewer, editor and admin of Org A, admin of Org B) with the status each
//! must get.
//!
//! [`table`] is the one place the rules live. A documented route without a row fails the test
//! (so a new route cannot be forgotten), and so does a row whose route is gone. Every cell sends
//! a valid request built from fixtures made through the store; cells that destroy something
//! get fresh fixtures, and signing out is followed by signing in again.

use std::collections::BTreeSet;
use std::fmt;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::{Value, json};
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::{
    OutcomeEntry, ProjectDetails, ProjectMode, ProxyValue, build_report,
};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::{Input, InputCategory};
use svatlas_store::{Store, StoreError};
use svatlas_web::platform::download::encode;
use uuid::Uuid;

use crate::accounts::accounts_web::{Browser, location};
use crate::platform::helpers::{Answer, send};
use crate::sroi::calculator_helpers::{PASSWORD, Persona, cast, persona};

/// Org A's project; no answer to the admin of Org B may contain it.
const PROJECT_NAME: &str = "Riverside youth employment";
/// Org A's name; likewise never shown to Org B.
const ORG_A: &str = "Org A";
/// The password a persona changes to (and back from, if the matrix ever changes it twice).
const OTHER_PASSWORD: &str = "a brand new passphrase";

/// Who calls: the columns of the matrix, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Viewer,
    Editor,
    Admin,
    /// The admin of Org B: a stranger to everything of Org A.
    Outsider,
}

const WHO: [Who; 5] = [
    Who::Anonymous,
    Who::Viewer,
    Who::Editor,
    Who::Admin,
    Who::Outsider,
];

impl Who {
    const fn label(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Viewer => "viewer A",
            Who::Editor => "editor A",
            Who::Admin => "admin A",
            Who::Outsider => "admin B",
        }
    }
}

/// What a PDF route answers those who may read it: 501 in a build without the `pdf` feature.
const PDF: u16 = if cfg!(feature = "pdf") { 200 } else { 501 };

/// The status a cell must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Is(u16),
    /// 303 with a Location starting `/login` (signed out on a page or form).
    Login,
}

use Want::{Is, Login};

impl fmt::Display for Want {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Is(code) => write!(f, "{code}"),
            Login => f.write_str("303 /login"),
        }
    }
}

/// Public: the same status for everyone.
const fn public(code: u16) -> [Want; 5] {
    [Is(code); 5]
}

/// A page for any signed-in person; signed out, to the sign-in page.
const fn any_account(code: u16) -> [Want; 5] {
    [Login, Is(code), Is(code), Is(code), Is(code)]
}

/// JSON API for any token holder; no token, 401.
const fn any_token(code: u16) -> [Want; 5] {
    [Is(401), Is(code), Is(code), Is(code), Is(code)]
}

/// What a cell needs made just for it, before the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fresh {
    Nothing,
    /// A new project of Org A (to archive).
    Project,
    /// A new outcome on the project (to delete).
    Outcome,
    /// A new input on the project (to delete).
    Input,
    /// A new API token of the caller (to revoke).
    Token,
    /// The spare person is not a member of Org A (to be added).
    NotMember,
    /// The spare person is a viewer of Org A (to have their role changed).
    Member,
}

/// What a cell leaves to repair, after the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    Nothing,
    /// The caller signed out: sign in again.
    SignInAgain,
    /// The caller changed their password: remember the new one.
    PasswordChanged,
}

/// A request body, built per cell.
#[derive(Clone, Copy)]
enum Payload {
    Empty,
    Json(fn(&Ctx) -> Value),
    Form(fn(&Ctx) -> Vec<(String, String)>),
    /// A multipart upload of one file in the field `file`: (file name, bytes).
    Multipart(fn(&Ctx) -> (String, Vec<u8>)),
}

/// The body as sent.
enum Sent {
    Empty,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart(String, Vec<u8>),
}

/// One row of the matrix: a route, the status for each persona and a valid request.
struct Row {
    method: Method,
    /// The OpenAPI path template; `{...}` are filled by [`fill`].
    path: &'static str,
    want: [Want; 5],
    query: &'static str,
    payload: Payload,
    fresh: Fresh,
    after: After,
    /// Needs the shipped area data (local-need routes answer 503 without it).
    areas: bool,
}

fn row(method: Method, path: &'static str, want: [Want; 5]) -> Row {
    Row {
        method,
        path,
        want,
        query: "",
        payload: Payload::Empty,
        fresh: Fresh::Nothing,
        after: After::Nothing,
        areas: false,
    }
}

impl Row {
    fn query(mut self, query: &'static str) -> Self {
        self.query = query;
        self
    }
    fn json(mut self, body: fn(&Ctx) -> Value) -> Self {
        self.payload = Payload::Json(body);
        self
    }
    fn form(mut self, body: fn(&Ctx) -> Vec<(String, String)>) -> Self {
        self.payload = Payload::Form(body);
        self
    }
    fn multipart(mut self, body: fn(&Ctx) -> (String, Vec<u8>)) -> Self {
        self.payload = Payload::Multipart(body);
        self
    }
    fn fresh(mut self, fresh: Fresh) -> Self {
        self.fresh = fresh;
        self
    }
    fn after(mut self, after: After) -> Self {
        self.after = after;
        self
    }
    fn areas(mut self) -> Self {
        self.areas = true;
        self
    }
    fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn details_form(c: &Ctx, name: &str) -> Vec<(String, String)> {
    fields(&[
        ("name", name),
        ("mode", "forecast"),
        ("price_base_year", "2026"),
        ("organisation_id", &c.org_a.to_string()),
        ("areas", "E06000026"),
    ])
}

/// Every route with the status each persona must get, and how to build a valid request.
/// Columns: anonymous, viewer of Org A, editor of Org A, admin of Org A, admin of Org B.
fn table() -> Vec<Row> {
    use Method as M;
    // Things of Org A's project: members read, editors change, strangers see nothing.
    let page_read = [Login, Is(200), Is(200), Is(200), Is(404)];
    let page_write = [Login, Is(403), Is(303), Is(303), Is(404)];
    let edit_form = [Login, Is(403), Is(200), Is(200), Is(404)];
    let api_read = [Is(401), Is(200), Is(200), Is(200), Is(404)];
    let api_create = [Is(401), Is(403), Is(201), Is(201), Is(404)];
    // PDFs: the same access, and 501 for members in a build without the `pdf` feature.
    let pdf_page_read = [Login, Is(PDF), Is(PDF), Is(PDF), Is(404)];
    let pdf_api_read = [Is(401), Is(PDF), Is(PDF), Is(PDF), Is(404)];
    vec![
        // Public pages.
        row(M::GET, "/", public(200)),
        row(M::GET, "/developers", public(200)),
        row(M::GET, "/assets/{file}", public(200)),
        row(M::GET, "/areas/{code}", public(200)).areas(),
        row(M::GET, "/search", public(200)).query("q=plym").areas(),
        row(M::GET, "/rankings", public(200)).areas(),
        row(M::GET, "/compare", public(200)).areas(),
        row(M::GET, "/correlations", public(200)).areas(),
        row(M::GET, "/data", public(200)).areas(),
        row(M::GET, "/maps", public(200)).areas(),
        row(M::GET, "/proxies", public(200)).query("q=robbery"),
        // Social Value Model catalogue and the stateless scoring helper: public.
        row(M::GET, "/model", public(200)).query("edition=2020"),
        row(M::GET, "/api/v1/model", public(200)).query("edition=2025"),
        row(M::POST, "/api/v1/scoring/evaluate", public(200)).json(|_| {
            json!({"method": "weighted_score",
                   "weights": {"price": 40, "quality": 50, "social_value": 10},
                   "bids": [{"name": "A", "price": 900000, "quality": 70, "social_value": 80},
                            {"name": "B", "price": 1000000, "quality": 85, "social_value": 50}]})
        }),
        // Signing in and out (signed out: the spare person's credentials).
        row(M::GET, "/login", public(200)),
        row(M::POST, "/login", public(303))
            .form(|c| fields(&[("email", &c.email), ("password", &c.password)])),
        row(M::POST, "/logout", public(303)).after(After::SignInAgain),
        // Your account.
        row(M::GET, "/account", any_account(200)),
        row(M::POST, "/account/password", any_account(303))
            .form(|c| {
                fields(&[
                    ("current_password", &c.password),
                    ("new_password", c.new_password()),
                    ("confirm_password", c.new_password()),
                ])
            })
            .after(After::PasswordChanged),
        row(M::POST, "/account/tokens", any_account(200))
            .form(|_| fields(&[("name", "matrix script")])),
        row(M::POST, "/account/tokens/{id}/revoke", any_account(303)).fresh(Fresh::Token),
        // Organisations: members see the members; admins change them and read the audit log.
        row(M::GET, "/organisations/{id}", page_read),
        row(
            M::POST,
            "/organisations/{id}/members",
            [Login, Is(403), Is(403), Is(303), Is(404)],
        )
        .fresh(Fresh::NotMember)
        .form(|c| fields(&[("email", &c.spare_email), ("role", "viewer")])),
        row(
            M::POST,
            "/organisations/{id}/members/{user_id}",
            [Login, Is(403), Is(403), Is(303), Is(404)],
        )
        .fresh(Fresh::Member)
        .form(|_| fields(&[("action", "role"), ("role", "editor")])),
        row(
            M::GET,
            "/organisations/{id}/audit",
            [Login, Is(403), Is(403), Is(200), Is(404)],
        ),
        row(M::GET, "/api/v1/me", any_token(200)),
        // Calculator pages.
        row(M::GET, "/projects", any_account(200)),
        row(M::POST, "/projects", page_write).form(|c| details_form(c, "Matrix project")),
        row(M::GET, "/projects/{id}", page_read),
        row(M::POST, "/projects/{id}", page_write).form(|c| details_form(c, PROJECT_NAME)),
        row(M::POST, "/projects/{id}/duplicate", page_write)
            .form(|_| fields(&[("name", "Matrix copy")])),
        row(M::POST, "/projects/{id}/archive", page_write)
            .fresh(Fresh::Project)
            .form(|_| fields(&[("action", "archive")])),
        row(M::POST, "/projects/{id}/outcomes", page_write)
            .form(|_| fields(crate::sroi::project_pages::OUTCOME)),
        row(M::GET, "/projects/{id}/outcomes/{outcome_id}", edit_form),
        row(
            M::POST,
            "/projects/{id}/outcomes/{outcome_id}/evidence",
            page_write,
        )
        .multipart(|_| ("survey.csv".to_owned(), b"respondent,score\n1,7\n".to_vec())),
        row(M::GET, "/projects/{id}/evidence/{file_id}", page_read),
        row(M::POST, "/projects/{id}/outcomes/{outcome_id}", page_write)
            .form(|_| fields(crate::sroi::project_pages::OUTCOME)),
        row(
            M::POST,
            "/projects/{id}/outcomes/{outcome_id}/delete",
            page_write,
        )
        .fresh(Fresh::Outcome),
        row(M::POST, "/projects/{id}/inputs", page_write)
            .form(|_| fields(crate::sroi::project_pages::INPUT)),
        row(M::GET, "/projects/{id}/inputs/{input_id}", edit_form),
        row(M::POST, "/projects/{id}/inputs/{input_id}", page_write)
            .form(|_| fields(crate::sroi::project_pages::INPUT)),
        row(M::POST, "/projects/{id}/inputs/{input_id}/delete", page_write)
            .fresh(Fresh::Input),
        row(M::GET, "/projects/{id}/report", page_read),
        row(M::GET, "/projects/{id}/report.pdf", pdf_page_read),
        row(M::GET, "/projects/{id}/report.xlsx", page_read),
        row(M::GET, "/projects/{id}/report.csv", page_read),
        row(M::POST, "/projects/{id}/versions", page_write)
            .form(|_| fields(&[("label", "Matrix version")])),
        row(M::GET, "/projects/{id}/versions/compare", page_read).query("a=1&b=1"),
        row(M::GET, "/projects/{id}/versions/{number}", page_read),
        row(
            M::GET,
            "/projects/{id}/versions/{number}/report.pdf",
            pdf_page_read,
        ),
        row(M::GET, "/projects/{id}/versions/{number}/report.xlsx", page_read),
        row(M::GET, "/projects/{id}/versions/{number}/report.csv", page_read),
        row(M::GET, "/proxies/own", any_account(200)),
        row(M::POST, "/proxies/own", page_write).form(|c| {
            fields(&[
                ("organisation_id", &c.org_a.to_string()),
                ("name", "One avoided A&E attendance"),
                ("bristol_accord", "well_served"),
                ("value_gbp", "250"),
                ("unit", "per attendance"),
                ("price_year", "2025"),
                ("source_title", "Trust finance team"),
            ])
        }),
        // Calculator API (Bearer tokens).
        row(M::GET, "/api/v1/projects", any_token(200)),
        row(M::POST, "/api/v1/projects", api_create)
            .json(|c| json!({"name": "Matrix API project", "mode": "forecast", "organisation_id": c.org_a})),
        row(M::GET, "/api/v1/projects/{id}", api_read),
        row(M::POST, "/api/v1/projects/{id}/outcomes", api_create)
            .json(|_| crate::sroi::projects_api::example_outcome()),
        row(M::POST, "/api/v1/projects/{id}/inputs", api_create)
            .json(|_| crate::sroi::projects_api::example_input()),
        row(M::GET, "/api/v1/projects/{id}/report", api_read),
        row(M::GET, "/api/v1/projects/{id}/report.pdf", pdf_api_read),
        row(M::GET, "/api/v1/projects/{id}/report.xlsx", api_read),
        row(M::GET, "/api/v1/projects/{id}/report.csv", api_read),
        row(M::GET, "/api/v1/proxies", any_token(200)).query("q=robbery"),
        // System and the public SROI calculator.
        row(M::GET, "/healthz", public(200)),
        row(M::GET, "/api/v1/openapi.json", public(200)),
        row(M::POST, "/api/v1/sroi/calculate", public(200))
            .json(|_| crate::platform::helpers::vectors()["examples"][0].clone()),
        row(M::GET, "/api/v1/sroi/calculations/{id}", public(200)),
        row(M::POST, "/api/v1/sroi/sensitivity", public(200))
            .json(|_| crate::platform::helpers::vectors()["examples"][0].clone()),
        // Local need (public).
        row(M::GET, "/api/v1/indicators", public(200)).areas(),
        row(M::GET, "/api/v1/datasets", public(200)).areas(),
        row(M::GET, "/api/v1/areas/{code}", public(200)).areas(),
        row(M::GET, "/api/v1/areas/{code}/summary", public(200)).areas(),
        row(M::POST, "/api/v1/areas/summary", public(200))
            .json(|_| json!({"lsoas": ["E01021988"]})).areas(),
        row(M::GET, "/api/v1/areas/{code}/similar", public(200)).areas(),
        row(M::GET, "/api/v1/areas/{code}/change", public(200)).areas(),
        row(M::GET, "/api/v1/areas/{code}/needs", public(200)).areas(),
        row(M::GET, "/api/v1/correlation", public(200))
            .query("x=iod2019.income.score&y=iod2019.employment.score").areas(),
        row(M::POST, "/api/v1/correlation/matrix", public(200))
            .json(|_| json!({"indicators": ["iod2019.imd.score", "iod2019.income.score"]})).areas(),
        row(M::GET, "/api/v1/rankings", public(200)).query("indicator=iod2025.imd.score").areas(),
    ]
}

/// What a cell's request is built from: the shared fixtures, with fresh ones swapped in.
struct Ctx {
    org_a: Uuid,
    project: Uuid,
    outcome: Uuid,
    input: Uuid,
    version: i64,
    /// An evidence file of the outcome.
    file: Uuid,
    member: Uuid,
    spare_email: String,
    calculation: String,
    /// The caller's API token made for this cell (to revoke).
    token: Uuid,
    /// The caller's e-mail and current password (the spare person's when signed out).
    email: String,
    password: String,
}

impl Ctx {
    fn new_password(&self) -> &'static str {
        if self.password == PASSWORD {
            OTHER_PASSWORD
        } else {
            PASSWORD
        }
    }
}

/// Fills a path template. `{id}` names the resource the path is about.
fn fill(template: &str, c: &Ctx) -> Result<String, String> {
    let id = if template.starts_with("/projects/") || template.starts_with("/api/v1/projects/") {
        c.project.to_string()
    } else if template.starts_with("/organisations/") {
        c.org_a.to_string()
    } else if template.starts_with("/account/tokens/") {
        c.token.to_string()
    } else if template.starts_with("/api/v1/sroi/calculations/") {
        c.calculation.clone()
    } else {
        String::new()
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| format!("unclosed {{ in {template}"))?;
        out.push_str(&rest[..open]);
        let value = match &rest[open + 1..close] {
            "id" if !id.is_empty() => id.clone(),
            "outcome_id" => c.outcome.to_string(),
            "file_id" => c.file.to_string(),
            "input_id" => c.input.to_string(),
            "number" => c.version.to_string(),
            "user_id" => c.member.to_string(),
            "code" => "E06000026".to_owned(),
            "file" => "app.css".to_owned(),
            other => {
                return Err(format!(
                    "no fixture fills {{{other}}} in {template}: add one to fill()"
                ));
            }
        };
        out.push_str(&value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Things made once, through the store.
struct Fixtures {
    org_a: Uuid,
    project: Uuid,
    outcome: Uuid,
    input: Uuid,
    version: i64,
    file: Uuid,
    /// Someone outside Org A, added to it and changed by the member routes.
    spare: Persona,
    calculation: String,
}

fn outcome_entry() -> OutcomeEntry {
    let mut entry = OutcomeEntry::new(
        "Participants into work",
        BristolAccord::Thriving,
        ProxyValue {
            proxy_id: None,
            name: "Participants into work".into(),
            value_gbp: 6500.0,
            unit: "per person".into(),
            source: "Programme evaluation".into(),
            price_year: "2026".into(),
        },
        20.0,
    );
    entry.duration_years = 3;
    entry.deadweight = 0.25;
    entry
}

fn input_entry() -> Input {
    Input {
        description: "Programme cost".into(),
        category: InputCategory::Cash,
        value: 56884.0,
        volume: 1.0,
        year: 0,
        leakage: 0.25,
    }
}

fn details(name: &str) -> ProjectDetails {
    ProjectDetails::new(name, ProjectMode::Forecast, 2026)
}

async fn fixtures(app: &Router, store: &Store, org_a: Uuid, admin: Uuid) -> Fixtures {
    let project = store
        .create_project("matrix", org_a, Some(admin), &details(PROJECT_NAME))
        .await
        .expect("project");
    let outcome = store
        .add_outcome("matrix", project.id, &outcome_entry())
        .await
        .expect("outcome");
    let input = store
        .add_input("matrix", project.id, &input_entry())
        .await
        .expect("input");
    let report = build_report(&project.details, &[outcome_entry()], &[input_entry()])
        .expect("report builds");
    let version = store
        .freeze_report("matrix", project.id, "Board paper", &report)
        .await
        .expect("version");
    let file = store
        .add_evidence(
            "matrix",
            project.id,
            outcome.id,
            "register.pdf",
            "application/pdf",
            b"%PDF-1.4 register",
        )
        .await
        .expect("evidence file")
        .id;
    let spare = persona(store, "spare@c.example", "Org C", Role::Viewer).await;
    // A saved calculation, made the way the public API makes one.
    let mut request = crate::platform::helpers::vectors()["examples"][0].clone();
    request["save"] = json!(true);
    let saved =
        crate::platform::helpers::post_json(app, "/api/v1/sroi/calculate", request.to_string())
            .await;
    let calculation = saved.json()["calculation_id"]
        .as_str()
        .expect("calculation_id")
        .to_owned();
    Fixtures {
        org_a,
        project: project.id,
        outcome: outcome.id,
        input: input.id,
        version: version.number,
        file,
        spare,
        calculation,
    }
}

/// A persona as the matrix drives it.
struct Actor {
    who: Who,
    email: String,
    password: String,
    user_id: Uuid,
    token: Option<String>,
    /// The signed-in browser; `None` signed out (each request then starts afresh).
    browser: Option<Browser>,
}

async fn sign_in(app: &Router, email: &str, password: &str) -> Browser {
    let mut browser = Browser::new(app);
    let answer = browser.sign_in(email, password).await;
    assert_eq!(answer.status, 303, "{email} signs in: {}", answer.text());
    assert!(browser.cookie.is_some(), "{email}: no session cookie");
    browser
}

/// A persona signed in, with their API token.
async fn actor(app: &Router, who: Who, p: &Persona) -> Actor {
    Actor {
        who,
        email: p.email.clone(),
        password: PASSWORD.to_owned(),
        user_id: p.user_id,
        token: Some(p.token.clone()),
        browser: Some(sign_in(app, &p.email, PASSWORD).await),
    }
}

/// Makes what the cell needs fresh; returns the cell's context.
async fn prepare(store: &Store, fx: &Fixtures, actor: &Actor, fresh: Fresh) -> Ctx {
    let mut c = Ctx {
        org_a: fx.org_a,
        project: fx.project,
        outcome: fx.outcome,
        input: fx.input,
        version: fx.version,
        file: fx.file,
        member: fx.spare.user_id,
        spare_email: fx.spare.email.clone(),
        calculation: fx.calculation.clone(),
        token: Uuid::nil(),
        email: actor.email.clone(),
        password: actor.password.clone(),
    };
    match fresh {
        Fresh::Nothing => {}
        Fresh::Project => {
            let name = format!("{PROJECT_NAME} (to archive)");
            c.project = store
                .create_project("matrix", fx.org_a, None, &details(&name))
                .await
                .expect("fresh project")
                .id;
        }
        Fresh::Outcome => {
            c.outcome = store
                .add_outcome("matrix", fx.project, &outcome_entry())
                .await
                .expect("fresh outcome")
                .id;
        }
        Fresh::Input => {
            c.input = store
                .add_input("matrix", fx.project, &input_entry())
                .await
                .expect("fresh input")
                .id;
        }
        Fresh::Token => {
            c.token = store
                .create_api_token("matrix", actor.user_id, "to revoke")
                .await
                .expect("fresh token")
                .info
                .id;
        }
        Fresh::NotMember => match store
            .remove_membership("matrix", fx.org_a, fx.spare.user_id)
            .await
        {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => panic!("removing the spare member: {e}"),
        },
        Fresh::Member => {
            match store
                .add_membership("matrix", fx.org_a, fx.spare.user_id, Role::Viewer)
                .await
            {
                Ok(()) | Err(StoreError::Duplicate(_)) => {}
                Err(e) => panic!("adding the spare member: {e}"),
            }
            store
                .set_member_role("matrix", fx.org_a, fx.spare.user_id, Role::Viewer)
                .await
                .expect("spare member is a viewer");
        }
    }
    c
}

/// Sends the cell's request as the actor: a Bearer token under `/api/`, else the browser
/// (session cookie and the headers a same-origin page sends).
async fn call(app: &Router, actor: &mut Actor, method: &Method, uri: &str, body: Sent) -> Answer {
    let mut request = Request::builder().method(method.clone()).uri(uri);
    let api = uri.starts_with("/api/");
    if api {
        if let Some(token) = &actor.token {
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
    match (&mut actor.browser, api) {
        (Some(browser), false) => browser.send(request).await,
        (None, false) => Browser::new(app).send(request).await,
        (_, true) => send(app, request).await,
    }
}

/// Repairs what the cell changed about the actor.
async fn repair(app: &Router, actor: &mut Actor, after: After, answer: &Answer) {
    if actor.who == Who::Anonymous {
        return;
    }
    match after {
        After::Nothing => {}
        After::SignInAgain => {
            actor.browser = Some(sign_in(app, &actor.email, &actor.password).await);
        }
        After::PasswordChanged => {
            let changed = answer.status == 303
                && answer
                    .headers
                    .get(header::LOCATION)
                    .is_some_and(|l| l == "/account?done=password");
            if changed {
                actor.password = if actor.password == PASSWORD {
                    OTHER_PASSWORD.to_owned()
                } else {
                    PASSWORD.to_owned()
                };
            }
        }
    }
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

/// Every documented (METHOD, path).
fn documented() -> BTreeSet<(String, String)> {
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

/// What the matrix found wrong.
#[derive(Default)]
struct Findings {
    cells: usize,
    mismatches: Vec<Mismatch>,
    problems: Vec<String>,
}

/// Calls one row for every persona, comparing each answer with the table.
async fn run_row(
    app: &Router,
    store: &Store,
    fx: &Fixtures,
    actors: &mut [Actor],
    r: &Row,
    found: &mut Findings,
) {
    for (column, actor) in actors.iter_mut().enumerate() {
        let want = r.want[column];
        let ctx = prepare(store, fx, actor, r.fresh).await;
        let mut uri = match fill(r.path, &ctx) {
            Ok(uri) => uri,
            Err(e) => {
                found.problems.push(e);
                return;
            }
        };
        if !r.query.is_empty() {
            uri = format!("{uri}?{}", r.query);
        }
        let body = match r.payload {
            Payload::Empty => Sent::Empty,
            Payload::Json(build) => Sent::Json(build(&ctx)),
            Payload::Form(build) => Sent::Form(build(&ctx)),
            Payload::Multipart(build) => {
                let (name, bytes) = build(&ctx);
                Sent::Multipart(name, bytes)
            }
        };
        let answer = call(app, actor, &r.method, &uri, body).await;
        found.cells += 1;
        let got = answer.status.as_u16();
        let to = answer
            .headers
            .get(header::LOCATION)
            .map(|_| location(&answer).to_owned());
        let matched = match want {
            Is(code) => got == code,
            Login => got == 303 && to.as_deref().is_some_and(|l| l.starts_with("/login")),
        };
        if !matched {
            found.mismatches.push(Mismatch {
                route: r.route(),
                who: actor.who.label(),
                expected: want.to_string(),
                got: match to {
                    Some(to) => format!("{got} {to}"),
                    None => got.to_string(),
                },
                body: snippet(&answer),
            });
        }
        // Nothing of Org A reaches Org B's admin, whatever the status.
        if actor.who == Who::Outsider {
            let text = answer.text();
            for secret in [PROJECT_NAME, ORG_A] {
                if text.contains(secret) {
                    found.problems.push(format!(
                        "{} as {}: the answer ({got}) shows {secret:?}",
                        r.route(),
                        actor.who.label()
                    ));
                }
            }
        }
        repair(app, actor, r.after, &answer).await;
    }
}

#[tokio::test]
async fn every_route_answers_each_persona_as_the_authorization_matrix_says() {
    let started = std::time::Instant::now();
    // The shipped area data takes the longest to load: load it while the rows that do not
    // need it run on a router without it. Both routers share the store, so sessions carry over.
    let loading = tokio::task::spawn_blocking(|| {
        (
            crate::need::area_helpers::frame(),
            crate::need::area_helpers::boundaries(),
        )
    });
    let t = svatlas_store::testing::sqlite().await;
    let app = crate::platform::helpers::app(&t);
    let store = &t.store;
    let c = cast(store).await;
    let fx = fixtures(&app, store, c.admin.organisation_id, c.admin.user_id).await;
    let mut actors = vec![
        Actor {
            who: Who::Anonymous,
            email: fx.spare.email.clone(),
            password: PASSWORD.to_owned(),
            user_id: fx.spare.user_id,
            token: None,
            browser: None,
        },
        actor(&app, Who::Viewer, &c.viewer).await,
        actor(&app, Who::Editor, &c.editor).await,
        actor(&app, Who::Admin, &c.admin).await,
        actor(&app, Who::Outsider, &c.outsider).await,
    ];
    assert_eq!(
        actors.iter().map(|a| a.who).collect::<Vec<_>>(),
        WHO,
        "actors in column order"
    );

    let table = table();
    let mut found = Findings::default();
    // Coverage both ways: the document and the table list the same routes, once each.
    let documented = documented();
    let mut listed = BTreeSet::new();
    for r in &table {
        if !listed.insert((r.method.to_string(), r.path.to_owned())) {
            found.problems.push(format!(
                "{} is in the authorization matrix twice",
                r.route()
            ));
        }
    }
    // Tender, bid and contract routes have their own personas: procurement_matrix.rs.
    let mut procurement = crate::procurement::procurement_matrix::listed();
    procurement.extend(crate::partners::partners_matrix::listed());
    for (method, path) in documented
        .difference(&listed)
        .filter(|r| !procurement.contains(*r))
    {
        found.problems.push(format!(
            "{method} {path} is in the OpenAPI document but not in the table: add it to the \
             authorization matrix (tests/api/authz_matrix.rs) with the status for each persona"
        ));
    }
    for (method, path) in listed.difference(&documented) {
        found.problems.push(format!(
            "{method} {path} is in the authorization matrix but no such route is documented: \
             remove or correct its row"
        ));
    }

    let routed = |r: &&Row| documented.contains(&(r.method.to_string(), r.path.to_owned()));
    for r in table.iter().filter(routed).filter(|r| !r.areas) {
        run_row(&app, store, &fx, &mut actors, r, &mut found).await;
    }
    let (frame, boundaries) = loading.await.expect("area data loads");
    let state =
        svatlas_web::AppState::with_areas(store.clone(), svatlas_web::Config::default(), frame)
            .with_boundaries(boundaries);
    let area_app = svatlas_web::app(state);
    for actor in &mut actors {
        actor.browser = actor.browser.as_ref().map(|b| b.on(&area_app));
    }
    for r in table.iter().filter(routed).filter(|r| r.areas) {
        run_row(&area_app, store, &fx, &mut actors, r, &mut found).await;
    }

    println!(
        "authorization matrix: {} routes, {} cells, {} mismatches, {:.1}s",
        table.len(),
        found.cells,
        found.mismatches.len(),
        started.elapsed().as_secs_f64()
    );
    let mut problems = found.problems;
    if !found.mismatches.is_empty() {
        let mut report = format!(
            "{:<52} {:<10} {:<10} {:<32} body\n",
            "route", "persona", "expected", "got"
        );
        for m in &found.mismatches {
            report.push_str(&format!(
                "{:<52} {:<10} {:<10} {:<32} {}\n",
                m.route, m.who, m.expected, m.got, m.body
            ));
        }
        problems.push(format!(
            "{} cells differ from the authorization matrix:\n{report}",
            found.mismatches.len()
        ));
    }
    t.finish().await;
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
