//! The partner directory's authorization matrix: every partner route (JSON API and pages),
//! called for real by eight personas (signed out; a VCSE's viewer, editor and admin; the
//! contract's supplier editor and viewer; the buyer's editor; an outsider) with the status
//! each must get.
//!
//! [`table`] is the one place these rules live; platform/matrix.rs runs it on every backend
//! and checks that the three matrices cover the OpenAPI document. Each row gets a fresh need
//! and each cell a fresh pledge to it (delivery reported, awaiting the VCSE) under the same
//! awarded contract and published profile; rows that register a profile get a fresh
//! organisation in which the cell's persona holds its column's role, so one profile per
//! organisation never decides a cell.

use axum::Router;
use axum::http::Method;
use serde_json::{Value, json};
use svatlas_domain::accounts::{Email, NewPassword, Role};
use svatlas_domain::partners::{DeliveryReport, NeedDetails, NeedKind, PledgeDetails};
use svatlas_store::Store;
use svatlas_store::accounts::NewUser;
use uuid::Uuid;

use crate::partners::partners_api::profile_json;
use crate::platform::app::{PASSWORD, People, Persona, TestApp, awarded};
use crate::platform::helpers::Answer;
use crate::platform::matrix::{self, Actor, Matrix, Want, form, is, owned, page};

/// The pledge's description; no answer to the outsider may contain it.
const SECRET: &str = "Matrix pledge of mentors";

/// The outsider's column.
const OUTSIDER: usize = 7;

/// The role each column's persona takes in a fresh organisation (none: not a member).
const FRESH_ROLE: [Option<Role>; 8] = [
    None,
    Some(Role::Viewer),
    Some(Role::Editor),
    Some(Role::Admin),
    Some(Role::Editor),
    Some(Role::Viewer),
    Some(Role::Editor),
    None,
];

use Want::Is;

/// One row: a route, a valid request and the status per persona. Its `prep`: the cell needs
/// an organisation without a profile, where its persona has its role.
type Row = matrix::Row<Ctx, bool>;

fn row(method: Method, path: &'static str, want: [Want; 8]) -> Row {
    Row::new(method, path, want, false)
}

impl Row {
    fn fresh_org(mut self) -> Self {
        self.prep = true;
        self
    }
}

/// Ids of the cell's fixtures.
pub struct Ctx {
    pub profile: Uuid,
    pub need: Uuid,
    pub pledge: Uuid,
    pub tender: Uuid,
    pub contract: Uuid,
    /// The fresh organisation of a registering row.
    pub fresh: Option<Uuid>,
}

fn profile_form(c: &Ctx) -> Vec<(String, String)> {
    let mut f = owned(&[
        ("name", "Plymouth Skills Hub"),
        ("charity_number", "1123456"),
        ("areas", "E06000026"),
        ("causes", "MAC 2.2"),
        ("published", "yes"),
    ]);
    if let Some(org) = c.fresh {
        f.push(("organisation_id".into(), org.to_string()));
    }
    f
}

/// Every partner route with the status each persona must get.
/// Columns: anonymous, VCSE viewer, VCSE editor, VCSE admin, supplier editor, supplier
/// viewer, buyer editor, outsider.
fn table() -> Vec<Row> {
    use Method as M;
    let public = [Is(200); 8];
    let page_public = [Is(200); 8];
    // Writing the profile: its editors; its viewers 403; other organisations 404.
    let vcse_write = |ok: u16| is([401, 403, ok, ok, 404, 404, 404, 404]);
    let vcse_read = is([401, 200, 200, 200, 404, 404, 404, 404]);
    // The contract (and its tender): supplier and buyer members.
    let contract_read = is([401, 404, 404, 404, 200, 200, 200, 404]);
    let pledge_add = is([401, 404, 404, 404, 201, 403, 403, 404]);
    let pledge_read = is([401, 200, 200, 200, 200, 200, 200, 404]);
    let delivery = is([401, 403, 403, 403, 200, 403, 403, 404]);
    let review = is([401, 403, 200, 200, 403, 403, 403, 404]);
    // Registering in the cell's fresh organisation: editors and admins there.
    let register = |ok: u16| is([401, 403, ok, ok, ok, 403, ok, 404]);
    vec![
        // JSON API
        row(M::GET, "/api/v1/partners", public),
        row(M::GET, "/api/v1/partners/{id}", public),
        row(M::PUT, "/api/v1/partners/{id}", vcse_write(200))
            .json(|_| profile_json("Plymouth Skills Hub", &["E06000026"], &["MAC 2.2"], true)),
        row(M::POST, "/api/v1/partners/{id}/needs", vcse_write(201)).json(|_| need_json()),
        row(
            M::PUT,
            "/api/v1/partners/{id}/needs/{need_id}",
            vcse_write(200),
        )
        .json(|_| need_json()),
        row(M::GET, "/api/v1/partners/{id}/pledges", vcse_read),
        row(M::GET, "/api/v1/contracts/{id}/pledges", contract_read),
        row(M::POST, "/api/v1/contracts/{id}/pledges", pledge_add).json(|c| {
            json!({"profile_id": c.profile, "need_id": c.need, "quantity": 8,
                   "description": "Another pledge"})
        }),
        row(M::GET, "/api/v1/pledges/{id}", pledge_read),
        row(M::POST, "/api/v1/pledges/{id}/delivery", delivery)
            .json(|_| json!({"quantity": 5, "delivered_on": "2025-06-30"})),
        row(M::POST, "/api/v1/pledges/{id}/review", review)
            .json(|_| json!({"decision": "confirm"})),
        row(
            M::GET,
            "/api/v1/tenders/{id}/partner-matches",
            contract_read,
        ),
        row(
            M::GET,
            "/api/v1/contracts/{id}/partner-matches",
            contract_read,
        ),
        // Pages (session cookie)
        row(M::GET, "/partners", page_public),
        row(M::GET, "/partners/{id}", page_public),
        row(
            M::GET,
            "/partners/new",
            page(is([401, 200, 200, 200, 200, 403, 200, 200])),
        ),
        row(M::GET, "/partners/{id}/edit", page(vcse_write(200))),
        row(M::POST, "/partners/{id}/edit", page(vcse_write(303))).form(profile_form),
        row(M::POST, "/partners/{id}/needs", page(vcse_write(303)))
            .form(|_| owned(&[("kind", "goods"), ("description", "Laptops")])),
        row(
            M::POST,
            "/partners/{id}/needs/{need_id}",
            page(vcse_write(303)),
        )
        .form(|_| {
            owned(&[
                ("kind", "volunteers"),
                ("description", "Mentors"),
                ("open", "yes"),
            ])
        }),
        row(M::GET, "/tenders/{id}/partners", page(contract_read)),
        row(M::GET, "/contracts/{id}/partners", page(contract_read)),
        row(M::POST, "/contracts/{id}/pledges", form(pledge_add, 201)).form(|c| {
            vec![
                ("need".into(), format!("{}:{}", c.profile, c.need)),
                ("description".into(), "Another pledge".into()),
            ]
        }),
        row(M::POST, "/pledges/{id}/delivery", form(delivery, 200))
            .form(|_| owned(&[("quantity", "5"), ("delivered_on", "2025-06-30")])),
        row(M::POST, "/pledges/{id}/review", form(review, 200))
            .form(|_| owned(&[("decision", "confirm")])),
        // Registering: last, each in a fresh organisation.
        row(M::POST, "/api/v1/partners", register(201))
            .json(|c| {
                let mut body = profile_json("Fresh partner", &["E06000026"], &["MAC 2.2"], true);
                body["organisation_id"] = json!(c.fresh);
                body
            })
            .fresh_org(),
        row(M::POST, "/partners", page(register(303)))
            .form(profile_form)
            .fresh_org(),
    ]
}

fn need_json() -> Value {
    json!({"kind": "volunteers", "description": "Mentors", "quantity": 100})
}

/// The fixed fixtures of one backend, and the row's need.
pub struct Partners {
    profile: Uuid,
    tender: Uuid,
    contract: Uuid,
    need: Uuid,
    /// Fresh organisations made so far.
    fresh: usize,
}

/// A fresh open need, one per row (a profile lists at most 50 needs).
async fn fresh_need(store: &Store, f: &Partners) -> Uuid {
    store
        .add_need(
            "matrix",
            f.profile,
            &NeedDetails {
                kind: NeedKind::Volunteers,
                description: "Mentors".into(),
                quantity: Some(100.0),
                unit: String::new(),
                open: true,
            },
        )
        .await
        .expect("need")
        .id
}

/// A fresh pledge to the row's need, with delivery reported.
async fn prepare(store: &Store, f: &Partners, need: Uuid) -> Ctx {
    let pledge = store
        .add_pledge(
            "matrix",
            f.contract,
            f.profile,
            need,
            &PledgeDetails {
                quantity: Some(10.0),
                description: SECRET.into(),
                due_date: None,
            },
        )
        .await
        .expect("pledge")
        .id;
    store
        .report_delivery(
            "matrix",
            pledge,
            &DeliveryReport {
                quantity: 10.0,
                delivered_on: "2025-06-30".into(),
                evidence_link: None,
                note: String::new(),
            },
            "2025-06-30",
        )
        .await
        .expect("report");
    Ctx {
        profile: f.profile,
        need,
        pledge,
        tender: f.tender,
        contract: f.contract,
        fresh: None,
    }
}

/// A new organisation (its admin is a spare user) for a registering cell.
async fn fresh_organisation(store: &Store, n: usize) -> Uuid {
    let email = Email::parse(&format!("spare{n}@fresh.example")).unwrap();
    let password = NewPassword::parse(PASSWORD).unwrap();
    store
        .create_user(
            "matrix",
            &NewUser {
                email: &email,
                name: "Spare",
                password: &password,
                organisation: &format!("Fresh organisation {n}"),
                role: Role::Admin,
            },
        )
        .await
        .expect("fresh organisation")
        .organisation
        .id
}

fn fill_path(template: &str, c: &Ctx) -> Result<String, String> {
    matrix::fill(template, |name| {
        Ok(match name {
            "id" if template.contains("/partners/") => c.profile.to_string(),
            "id" if template.contains("/contracts/") => c.contract.to_string(),
            "id" if template.contains("/tenders/") => c.tender.to_string(),
            "id" if template.contains("/pledges/") => c.pledge.to_string(),
            "need_id" => c.need.to_string(),
            other => return Err(matrix::unfilled(other, template)),
        })
    })
}

impl Matrix for Partners {
    type Ctx = Ctx;
    type Prep = bool;
    const NAME: &'static str = "partner matrix";

    fn table() -> Vec<Row> {
        table()
    }

    fn columns(w: &People) -> Vec<(&'static str, Option<Persona>)> {
        vec![
            ("anonymous", None),
            ("vcse viewer", Some(w.vcse_viewer.clone())),
            ("vcse editor", Some(w.vcse_editor.clone())),
            ("vcse admin", Some(w.vcse_admin.clone())),
            ("supplier editor", Some(w.supplier_editor.clone())),
            ("supplier viewer", Some(w.supplier_viewer.clone())),
            ("buyer editor", Some(w.buyer_editor.clone())),
            ("outsider", Some(w.outsider.clone())),
        ]
    }

    async fn setup(t: &TestApp) -> Self {
        let (tender, contract) = awarded(&t.store, &t.people).await;
        let details = serde_json::from_value(profile_json(
            "Plymouth Skills Hub",
            &["E06000026"],
            &["MAC 2.2"],
            true,
        ))
        .expect("profile");
        let profile = t
            .store
            .create_profile(
                "matrix",
                t.people.vcse_admin.organisation_id,
                None,
                &details,
            )
            .await
            .expect("profile")
            .id;
        Partners {
            profile,
            tender,
            contract,
            need: Uuid::nil(),
            fresh: 0,
        }
    }

    async fn before_row(&mut self, t: &TestApp, _row: &Row) {
        self.need = fresh_need(&t.store, self).await;
    }

    async fn prepare(&mut self, t: &TestApp, row: &Row, actor: &Actor) -> Ctx {
        let mut c = prepare(&t.store, self, self.need).await;
        if row.prep {
            self.fresh += 1;
            let org = fresh_organisation(&t.store, self.fresh).await;
            if let (Some(p), Some(role)) = (&actor.persona, FRESH_ROLE[actor.column]) {
                t.store
                    .add_membership("matrix", org, p.user_id, role)
                    .await
                    .expect("fresh membership");
            }
            c.fresh = Some(org);
        }
        c
    }

    fn fill(&self, template: &str, c: &Ctx) -> Result<String, String> {
        fill_path(template, c)
    }

    /// Leaves the cell's fresh organisation.
    async fn after(
        &mut self,
        t: &TestApp,
        _router: &Router,
        _row: &Row,
        actor: &mut Actor,
        c: &Ctx,
        _answer: &Answer,
    ) {
        if let (Some(org), Some(p), Some(_)) = (c.fresh, &actor.persona, FRESH_ROLE[actor.column]) {
            t.store
                .remove_membership("matrix", org, p.user_id)
                .await
                .expect("leave the fresh organisation");
        }
    }

    /// The outsider never sees a pledge it is not party to.
    fn leak(&self, _row: &Row, actor: &Actor, answer: &Answer) -> Option<String> {
        (actor.column == OUTSIDER && answer.text().contains(SECRET))
            .then(|| format!("a pledge it is not party to ({SECRET:?})"))
    }
}

#[tokio::test]
async fn every_partner_route_answers_each_persona_as_the_matrix_says() {
    matrix::run::<Partners>().await;
}
