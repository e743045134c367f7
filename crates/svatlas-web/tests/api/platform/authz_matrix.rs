//! The authorisation matrix: every route of the OpenAPI document that is not a tender, bid,
//! contract or partner route (those have their own matrices), called for real by five personas
//! (signed out, viewer, editor and admin of Org A, admin of Org B) with the status each must
//! get.
//!
//! [`table`] is the one place the rules live; platform/matrix.rs runs it on every backend and
//! checks that the three matrices cover the OpenAPI document. Every cell sends a valid request
//! built from fixtures made through the store; cells that destroy something get fresh
//! fixtures, and signing out is followed by signing in again.

use axum::Router;
use axum::http::{Method, header};
use serde_json::json;
use svatlas_domain::accounts::Role;
use svatlas_store::{Store, StoreError};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::platform::app::{
    BUYER, PASSWORD, People, Persona, TestApp, input_entry, outcome_entry, persona,
    project_details, project_with_report,
};
use crate::platform::helpers::Answer;
use crate::platform::matrix::{self, Actor, Matrix, Want, owned};

/// Org A's project; no answer to the admin of Org B may contain it.
const PROJECT_NAME: &str = "Riverside youth employment";
/// The password a persona changes to (and back from, if the matrix ever changes it twice).
const OTHER_PASSWORD: &str = "a brand new passphrase";

/// The column of the admin of Org B: a stranger to everything of Org A.
const OUTSIDER: usize = 4;

/// What a PDF route answers those who may read it: 501 in a build without the `pdf` feature.
const PDF: u16 = if cfg!(feature = "pdf") { 200 } else { 501 };

use Want::{Is, Login};

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

/// What a row needs besides its request.
pub struct Prep {
    fresh: Fresh,
    after: After,
    /// Needs the shipped area data (local-need routes answer 503 without it).
    areas: bool,
}

/// One row of the matrix: a route, the status for each persona and a valid request.
type Row = matrix::Row<Ctx, Prep>;

fn row(method: Method, path: &'static str, want: [Want; 5]) -> Row {
    let prep = Prep {
        fresh: Fresh::Nothing,
        after: After::Nothing,
        areas: false,
    };
    Row::new(method, path, want, prep)
}

impl Row {
    fn fresh(mut self, fresh: Fresh) -> Self {
        self.prep.fresh = fresh;
        self
    }
    fn after(mut self, after: After) -> Self {
        self.prep.after = after;
        self
    }
    fn areas(mut self) -> Self {
        self.prep.areas = true;
        self
    }
}

fn details_form(c: &Ctx, name: &str) -> Vec<(String, String)> {
    owned(&[
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
            .form(|c| owned(&[("email", &c.email), ("password", &c.password)])),
        row(M::POST, "/logout", public(303)).after(After::SignInAgain),
        // Your account.
        row(M::GET, "/account", any_account(200)),
        row(M::POST, "/account/password", any_account(303))
            .form(|c| {
                owned(&[
                    ("current_password", &c.password),
                    ("new_password", c.new_password()),
                    ("confirm_password", c.new_password()),
                ])
            })
            .after(After::PasswordChanged),
        row(M::POST, "/account/tokens", any_account(200))
            .form(|_| owned(&[("name", "matrix script")])),
        row(M::POST, "/account/tokens/{id}/revoke", any_account(303)).fresh(Fresh::Token),
        // Organisations: members see the members; admins change them and read the audit log.
        row(M::GET, "/organisations/{id}", page_read),
        row(
            M::POST,
            "/organisations/{id}/members",
            [Login, Is(403), Is(403), Is(303), Is(404)],
        )
        .fresh(Fresh::NotMember)
        .form(|c| owned(&[("email", &c.spare_email), ("role", "viewer")])),
        row(
            M::POST,
            "/organisations/{id}/members/{user_id}",
            [Login, Is(403), Is(403), Is(303), Is(404)],
        )
        .fresh(Fresh::Member)
        .form(|_| owned(&[("action", "role"), ("role", "editor")])),
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
            .form(|_| owned(&[("name", "Matrix copy")])),
        row(M::POST, "/projects/{id}/archive", page_write)
            .fresh(Fresh::Project)
            .form(|_| owned(&[("action", "archive")])),
        row(M::POST, "/projects/{id}/outcomes", page_write)
            .form(|_| owned(crate::sroi::project_pages::OUTCOME)),
        row(M::GET, "/projects/{id}/outcomes/{outcome_id}", edit_form),
        row(
            M::POST,
            "/projects/{id}/outcomes/{outcome_id}/evidence",
            page_write,
        )
        .multipart(|_| ("survey.csv".to_owned(), b"respondent,score\n1,7\n".to_vec())),
        row(M::GET, "/projects/{id}/evidence/{file_id}", page_read),
        row(M::POST, "/projects/{id}/outcomes/{outcome_id}", page_write)
            .form(|_| owned(crate::sroi::project_pages::OUTCOME)),
        row(
            M::POST,
            "/projects/{id}/outcomes/{outcome_id}/delete",
            page_write,
        )
        .fresh(Fresh::Outcome),
        row(M::POST, "/projects/{id}/inputs", page_write)
            .form(|_| owned(crate::sroi::project_pages::INPUT)),
        row(M::GET, "/projects/{id}/inputs/{input_id}", edit_form),
        row(M::POST, "/projects/{id}/inputs/{input_id}", page_write)
            .form(|_| owned(crate::sroi::project_pages::INPUT)),
        row(M::POST, "/projects/{id}/inputs/{input_id}/delete", page_write)
            .fresh(Fresh::Input),
        row(M::GET, "/projects/{id}/report", page_read),
        row(M::GET, "/projects/{id}/report.pdf", pdf_page_read),
        row(M::GET, "/projects/{id}/report.xlsx", page_read),
        row(M::GET, "/projects/{id}/report.csv", page_read),
        row(M::POST, "/projects/{id}/versions", page_write)
            .form(|_| owned(&[("label", "Matrix version")])),
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
            owned(&[
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
pub struct Ctx {
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
fn fill_path(template: &str, c: &Ctx) -> Result<String, String> {
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
    matrix::fill(template, |name| {
        Ok(match name {
            "id" if !id.is_empty() => id.clone(),
            "outcome_id" => c.outcome.to_string(),
            "file_id" => c.file.to_string(),
            "input_id" => c.input.to_string(),
            "number" => c.version.to_string(),
            "user_id" => c.member.to_string(),
            "code" => "E06000026".to_owned(),
            "file" => "app.css".to_owned(),
            other => return Err(matrix::unfilled(other, template)),
        })
    })
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

async fn fixtures(app: &Router, store: &Store, org_a: Uuid, admin: Uuid) -> Fixtures {
    let project = project_with_report(store, org_a, Some(admin), PROJECT_NAME).await;
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
        outcome: project.outcome,
        input: project.input,
        version: project.version,
        file: project.file,
        spare,
        calculation,
    }
}

/// The matrix on one backend: its fixtures and the router with area data (loaded while the
/// rows that do not need it run; both routers share the store, so sessions carry over).
pub struct Authz {
    fx: Fixtures,
    loading: Option<JoinHandle<Router>>,
    area_app: Option<Router>,
}

impl Matrix for Authz {
    type Ctx = Ctx;
    type Prep = Prep;
    const NAME: &'static str = "authorization matrix";

    fn table() -> Vec<Row> {
        table()
    }

    /// Columns: anonymous, viewer of Org A, editor of Org A, admin of Org A, admin of Org B.
    fn columns(p: &People) -> Vec<(&'static str, Option<Persona>)> {
        vec![
            ("anonymous", None),
            ("viewer A", Some(p.buyer_viewer.clone())),
            ("editor A", Some(p.buyer_editor.clone())),
            ("admin A", Some(p.buyer_admin.clone())),
            ("admin B", Some(p.outsider.clone())),
        ]
    }

    /// The rows with area data last.
    fn order(rows: &mut [Row]) {
        rows.sort_by_key(|r| r.prep.areas);
    }

    async fn setup(t: &TestApp) -> Self {
        // The shipped area data takes the longest to load.
        let store = t.store.clone();
        let loading = tokio::task::spawn_blocking(move || {
            let state = svatlas_web::AppState::with_areas(
                store,
                svatlas_web::Config::default(),
                crate::need::area_helpers::frame(),
            )
            .with_boundaries(crate::need::area_helpers::boundaries());
            svatlas_web::app(state)
        });
        let admin = &t.people.buyer_admin;
        Authz {
            fx: fixtures(&t.app, &t.store, admin.organisation_id, admin.user_id).await,
            loading: Some(loading),
            area_app: None,
        }
    }

    async fn router(&mut self, t: &TestApp, row: &Row) -> Router {
        if !row.prep.areas {
            return t.app.clone();
        }
        if let Some(loading) = self.loading.take() {
            self.area_app = Some(loading.await.expect("area data loads"));
        }
        self.area_app.clone().expect("area app")
    }

    async fn prepare(&mut self, t: &TestApp, row: &Row, actor: &Actor) -> Ctx {
        prepare(&t.store, &self.fx, actor, row.prep.fresh).await
    }

    fn fill(&self, template: &str, c: &Ctx) -> Result<String, String> {
        fill_path(template, c)
    }

    async fn after(
        &mut self,
        _t: &TestApp,
        router: &Router,
        row: &Row,
        actor: &mut Actor,
        _c: &Ctx,
        answer: &Answer,
    ) {
        repair(router, actor, row.prep.after, answer).await;
    }

    /// Nothing of Org A reaches Org B's admin, whatever the status.
    fn leak(&self, _row: &Row, actor: &Actor, answer: &Answer) -> Option<String> {
        if actor.column != OUTSIDER {
            return None;
        }
        let text = answer.text();
        let shown: Vec<String> = [PROJECT_NAME, BUYER]
            .into_iter()
            .filter(|secret| text.contains(secret))
            .map(|secret| format!("{secret:?}"))
            .collect();
        (!shown.is_empty()).then(|| shown.join(" and "))
    }
}

/// Makes what the cell needs fresh; returns the cell's context. Signed out, the caller is the
/// spare person (whose credentials the sign-in row uses).
async fn prepare(store: &Store, fx: &Fixtures, actor: &Actor, fresh: Fresh) -> Ctx {
    let (email, user_id) = match &actor.persona {
        Some(p) => (p.email.clone(), p.user_id),
        None => (fx.spare.email.clone(), fx.spare.user_id),
    };
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
        email,
        password: actor.password.clone(),
    };
    match fresh {
        Fresh::Nothing => {}
        Fresh::Project => {
            let name = format!("{PROJECT_NAME} (to archive)");
            c.project = store
                .create_project("matrix", fx.org_a, None, &project_details(&name))
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
                .create_api_token("matrix", user_id, "to revoke")
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

/// Repairs what the cell changed about the actor.
async fn repair(app: &Router, actor: &mut Actor, after: After, answer: &Answer) {
    if actor.persona.is_none() {
        return;
    }
    match after {
        After::Nothing => {}
        After::SignInAgain => actor.sign_in_again(app).await,
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

#[tokio::test]
async fn every_route_answers_each_persona_as_the_authorization_matrix_says() {
    matrix::run::<Authz>().await;
}
