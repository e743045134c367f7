//! One test app with named personas, and builders for the things tests start from.
//!
//! [`people`] signs up everyone a test may need, each with an API token (and a session cookie
//! on demand, [`TestApp::signed_in`]): a buyer council's admin, editor and viewer, its
//! evaluation panel, two suppliers, a VCSE and an outsider. [`TestApp`] is the router over a
//! fresh store with those people; [`tender_at`] brings a tender of METHOD.md §11 Example 5 to
//! any stage through the store, and [`project_with_report`] makes an SROI project with one
//! outcome, one input, a frozen version and an evidence file.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;
use svatlas_domain::accounts::{Email, NewPassword, Role};
use svatlas_domain::calculator::{
    OutcomeEntry, ProjectDetails, ProjectMode, ProxyValue, build_report,
};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::procurement::bid::BidDetails;
use svatlas_domain::procurement::delivery::ClaimDetails;
use svatlas_domain::procurement::evaluation::{PanelRole, QuestionScore};
use svatlas_domain::procurement::spend::SpendLine;
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};
use svatlas_domain::sroi::{Input, InputCategory};
use svatlas_store::Store;
use svatlas_store::accounts::NewUser;
use svatlas_store::testing::TestStore;
use uuid::Uuid;

use crate::accounts::accounts_web::{Browser, signed_in};
use crate::platform::helpers::{Answer, send};
use crate::procurement::procurement_helpers::{
    CONSENSUS, bid_json, claim_json, spend_json, tender_json,
};

pub const PASSWORD: &str = "correct horse battery staple";

/// The buyer council's name; its private things never reach the outsider.
pub const BUYER: &str = "Plymouth City Council";

/// A signed-up person with a bearer token.
#[derive(Clone)]
pub struct Persona {
    pub email: String,
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

/// Everyone a test may need.
pub struct People {
    pub buyer_admin: Persona,
    pub buyer_editor: Persona,
    pub buyer_viewer: Persona,
    /// A buyer viewer, named to tender panels as an evaluator.
    pub evaluator: Persona,
    /// A second evaluator.
    pub evaluator2: Persona,
    /// A buyer editor, named to tender panels as the moderator.
    pub moderator: Persona,
    /// Supplier A's editor (Supplier A is invited to every tender).
    pub supplier_editor: Persona,
    pub supplier_viewer: Persona,
    /// Supplier B's admin.
    pub supplier_b: Persona,
    pub vcse_admin: Persona,
    pub vcse_editor: Persona,
    pub vcse_viewer: Persona,
    /// The admin of a second VCSE.
    pub other_vcse: Persona,
    /// The admin of Org X, party to nothing.
    pub outsider: Persona,
}

pub async fn people(store: &Store) -> People {
    let hub = "Plymouth Skills Hub";
    People {
        buyer_admin: persona(store, "buyer.admin@council.example", BUYER, Role::Admin).await,
        buyer_editor: persona(store, "buyer.editor@council.example", BUYER, Role::Editor).await,
        buyer_viewer: persona(store, "buyer.viewer@council.example", BUYER, Role::Viewer).await,
        evaluator: persona(store, "eval1@council.example", BUYER, Role::Viewer).await,
        evaluator2: persona(store, "eval2@council.example", BUYER, Role::Viewer).await,
        moderator: persona(store, "moderator@council.example", BUYER, Role::Editor).await,
        supplier_editor: persona(store, "bids@a.example", "Supplier A", Role::Editor).await,
        supplier_viewer: persona(store, "viewer@a.example", "Supplier A", Role::Viewer).await,
        supplier_b: persona(store, "bids@b.example", "Supplier B", Role::Admin).await,
        vcse_admin: persona(store, "admin@hub.example", hub, Role::Admin).await,
        vcse_editor: persona(store, "editor@hub.example", hub, Role::Editor).await,
        vcse_viewer: persona(store, "viewer@hub.example", hub, Role::Viewer).await,
        other_vcse: persona(
            store,
            "admin@foodbank.example",
            "Devon Food Bank",
            Role::Admin,
        )
        .await,
        outsider: persona(store, "admin@x.example", "Org X", Role::Admin).await,
    }
}

/// The real router over a fresh store, with [`People`].
pub struct TestApp {
    t: TestStore,
    /// The store behind the app.
    pub store: Store,
    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub label: &'static str,
    pub app: Router,
    pub people: People,
}

impl TestApp {
    /// The app on `t`, with everyone signed up.
    pub async fn new(t: TestStore) -> Self {
        let app = crate::platform::helpers::app(&t);
        Self::with_router(t, app).await
    }

    /// [`People`] on `t`, served by `app` (a router over `t`'s store with other settings).
    pub async fn with_router(t: TestStore, app: Router) -> Self {
        let people = people(&t.store).await;
        TestApp {
            store: t.store.clone(),
            label: t.label,
            t,
            app,
            people,
        }
    }

    /// [`People`] on `t`, served by the router with the shipped area data and boundaries.
    pub async fn with_areas(t: TestStore) -> Self {
        let app = crate::need::area_helpers::area_app(&t);
        Self::with_router(t, app).await
    }

    /// One app per available backend (SQLite always, PostgreSQL when configured).
    pub async fn all_backends() -> Vec<TestApp> {
        let mut apps = Vec::new();
        for t in svatlas_store::testing::all_backends().await {
            apps.push(TestApp::new(t).await);
        }
        apps
    }

    /// Another router over the same store, with neither area data nor boundaries.
    pub fn plain_router(&self) -> Router {
        svatlas_web::app(svatlas_web::AppState::new(
            self.store.clone(),
            svatlas_web::Config::default(),
        ))
    }

    /// A browser holding `who`'s session cookie.
    pub async fn signed_in(&self, who: &Persona) -> Browser {
        signed_in(&self.app, &who.email).await
    }

    /// A tender at `stage`, made through the store.
    pub async fn tender(&self, stage: Stage) -> Tender {
        tender_at(&self.store, &self.people, stage).await
    }

    /// `who` calls `method uri` with an optional JSON `body`; the answer must have `status`.
    pub async fn expect(
        &self,
        who: &Persona,
        method: Method,
        uri: &str,
        body: impl Into<Option<Value>>,
        status: u16,
    ) -> Answer {
        let body = body.into();
        expect(&self.app, method, uri, who, body, status).await
    }

    /// A request with an optional bearer `token` and JSON `body`, whatever it answers.
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: impl Into<Option<Value>>,
    ) -> Answer {
        call(&self.app, method, uri, token, body.into()).await
    }

    /// `who` GETs `uri`, which must answer `status`.
    pub async fn get(&self, who: &Persona, uri: &str, status: u16) -> Answer {
        self.expect(who, Method::GET, uri, None, status).await
    }

    /// `who` POSTs `body` (or nothing) to `uri`, which must answer `status`.
    pub async fn post(
        &self,
        who: &Persona,
        uri: &str,
        body: impl Into<Option<Value>>,
        status: u16,
    ) -> Answer {
        self.expect(who, Method::POST, uri, body, status).await
    }

    /// `who` PUTs `body` to `uri`, which must answer `status`.
    pub async fn put(&self, who: &Persona, uri: &str, body: Value, status: u16) -> Answer {
        self.expect(who, Method::PUT, uri, body, status).await
    }

    /// Closes the store and removes it.
    pub async fn finish(self) {
        self.t.finish().await;
    }
}

/// A request with an optional bearer token and an optional JSON body.
pub async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    json: Option<Value>,
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

/// A JSON API call that must answer `status`; answers the body.
pub async fn expect(
    app: &Router,
    method: Method,
    uri: &str,
    who: &Persona,
    body: Option<Value>,
    status: u16,
) -> Answer {
    let answer = call(app, method.clone(), uri, Some(&who.token), body).await;
    assert_eq!(
        answer.status.as_u16(),
        status,
        "{method} {uri} as {}: {}",
        who.email,
        answer.text()
    );
    answer
}

/// How far a tender has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Draft, listed as an open opportunity, Supplier A invited.
    Draft,
    /// Open, Supplier B invited too, Supplier A holding a draft bid.
    Open,
    /// Open, Supplier A's bid submitted, and the outsider's organisation (Org X) asking to bid.
    Submitted,
    /// Closed: both suppliers' bids submitted, the evaluator and the moderator on the panel,
    /// every question scored with Example 5's consensus scores, no consensus yet.
    Evaluation,
    /// Every consensus score in.
    Moderated,
    /// Awarded to Supplier A.
    Awarded,
    /// Awarded, with one claim on KPI K1 awaiting review (an evidence file attached) and one
    /// local spend line.
    Delivering,
}

/// Ids of a tender and what hangs off it (`None` before its stage).
#[derive(Clone, Copy)]
pub struct Tender {
    pub id: Uuid,
    pub bid_a: Option<Uuid>,
    pub bid_b: Option<Uuid>,
    pub contract: Option<Uuid>,
    pub claim: Option<Uuid>,
    pub file: Option<Uuid>,
    pub spend: Option<Uuid>,
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("fixture JSON fits the domain type")
}

/// Example 5's tender of the buyer brought to `stage` through the store.
pub async fn tender_at(store: &Store, p: &People, stage: Stage) -> Tender {
    let buyer = p.buyer_admin.organisation_id;
    let (supplier_a, supplier_b) = (
        p.supplier_editor.organisation_id,
        p.supplier_b.organisation_id,
    );
    let details: TenderDetails = parse(tender_json());
    let id = store
        .create_tender("test", buyer, None, &details)
        .await
        .expect("tender")
        .id;
    store
        .invite_supplier("test", id, supplier_a)
        .await
        .expect("invite A");
    store.set_listing("test", id, true).await.expect("list");
    let mut t = Tender {
        id,
        bid_a: None,
        bid_b: None,
        contract: None,
        claim: None,
        file: None,
        spend: None,
    };
    if stage == Stage::Draft {
        return t;
    }
    store
        .invite_supplier("test", id, supplier_b)
        .await
        .expect("invite B");
    store
        .set_tender_status("test", id, TenderStatus::Open)
        .await
        .expect("open");
    let bid = |price: f64| -> BidDetails { parse(bid_json(price, 6.0)) };
    let a = store
        .save_bid("test", id, supplier_a, &bid(900_000.0))
        .await
        .expect("bid A")
        .id;
    t.bid_a = Some(a);
    if stage == Stage::Open {
        return t;
    }
    store.submit_bid("test", a).await.expect("submit A");
    store
        .request_to_bid(
            "test",
            id,
            p.outsider.organisation_id,
            None,
            "Asking to bid",
        )
        .await
        .expect("request");
    if stage == Stage::Submitted {
        return t;
    }
    let b = store
        .save_bid("test", id, supplier_b, &bid(1_000_000.0))
        .await
        .expect("bid B")
        .id;
    store.submit_bid("test", b).await.expect("submit B");
    t.bid_b = Some(b);
    store
        .set_tender_status("test", id, TenderStatus::Evaluation)
        .await
        .expect("close");
    for (who, role) in [
        (&p.evaluator, PanelRole::Evaluator),
        (&p.moderator, PanelRole::Moderator),
    ] {
        store
            .set_panel_member("test", id, who.user_id, role, true)
            .await
            .expect("panel");
    }
    for (bid, (_, scores)) in [a, b].into_iter().zip(CONSENSUS) {
        for (q, s) in scores {
            let score = QuestionScore {
                score: s,
                rationale: "Test score".into(),
            };
            store
                .record_score("test", bid, q, p.evaluator.user_id, &score)
                .await
                .expect("score");
            if stage >= Stage::Moderated {
                store
                    .record_consensus("test", bid, q, p.moderator.user_id, &score)
                    .await
                    .expect("consensus");
            }
        }
    }
    if stage < Stage::Awarded {
        return t;
    }
    let contract = store.award_tender("test", id, a).await.expect("award").id;
    t.contract = Some(contract);
    if stage < Stage::Delivering {
        return t;
    }
    let claim: ClaimDetails = parse(claim_json());
    let claim = store
        .add_claim("test", contract, &claim)
        .await
        .expect("claim")
        .id;
    let file = store
        .add_claim_evidence(
            "test",
            contract,
            claim,
            "register.pdf",
            "application/pdf",
            b"%PDF-1.4 register",
        )
        .await
        .expect("evidence")
        .id;
    let spend: SpendLine = parse(spend_json());
    let spend = store
        .add_spend("test", contract, &[spend])
        .await
        .expect("spend")[0]
        .id;
    t.claim = Some(claim);
    t.file = Some(file);
    t.spend = Some(spend);
    t
}

/// 20 participants into work at £6,500 each for three years, deadweight 25%.
pub fn outcome_entry() -> OutcomeEntry {
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

/// A programme cost of £56,884 in year 0, leakage 25%.
pub fn input_entry() -> Input {
    Input {
        description: "Programme cost".into(),
        category: InputCategory::Cash,
        value: 56884.0,
        volume: 1.0,
        year: 0,
        leakage: 0.25,
    }
}

/// A forecast priced in 2026.
pub fn project_details(name: &str) -> ProjectDetails {
    ProjectDetails::new(name, ProjectMode::Forecast, 2026)
}

/// Ids of a project made by [`project_with_report`].
pub struct Project {
    pub id: Uuid,
    pub outcome: Uuid,
    pub input: Uuid,
    /// The frozen version's number.
    pub version: i64,
    /// An evidence file of the outcome.
    pub file: Uuid,
}

/// A project of `organisation` with [`outcome_entry`], [`input_entry`], a frozen version and an
/// evidence file, made through the store.
pub async fn project_with_report(
    store: &Store,
    organisation: Uuid,
    owner: Option<Uuid>,
    name: &str,
) -> Project {
    let project = store
        .create_project("test", organisation, owner, &project_details(name))
        .await
        .expect("project");
    let outcome = store
        .add_outcome("test", project.id, &outcome_entry())
        .await
        .expect("outcome");
    let input = store
        .add_input("test", project.id, &input_entry())
        .await
        .expect("input");
    let report = build_report(&project.details, &[outcome_entry()], &[input_entry()])
        .expect("report builds");
    let version = store
        .freeze_report("test", project.id, "Board paper", &report)
        .await
        .expect("version");
    let file = store
        .add_evidence(
            "test",
            project.id,
            outcome.id,
            "register.pdf",
            "application/pdf",
            b"%PDF-1.4 register",
        )
        .await
        .expect("evidence file")
        .id;
    Project {
        id: project.id,
        outcome: outcome.id,
        input: input.id,
        version: version.number,
        file,
    }
}

/// Example 5's tender awarded to Supplier A through the store: (tender, contract).
pub async fn awarded(store: &Store, p: &People) -> (Uuid, Uuid) {
    let t = tender_at(store, p, Stage::Awarded).await;
    (t.id, t.contract.expect("awarded"))
}
