//! The procurement authorization matrix: every tender, bid and contract route, called for real
//! by nine personas (signed out; the buyer's viewer, editor and admin; an evaluator and the
//! moderator on the panel; an invited supplier's editor and viewer; an outsider) with the
//! status each must get.
//!
//! [`table`] is the one place these rules live; the general matrix (`authz_matrix.rs`) leaves
//! every route listed here to this one, and fails on a documented route in neither. Each cell
//! gets a fresh tender brought to the stage its row needs through the store, so cells cannot
//! disturb each other.

use std::collections::BTreeSet;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::{Value, json};
use svatlas_domain::procurement::bid::BidDetails;
use svatlas_domain::procurement::delivery::ClaimDetails;
use svatlas_domain::procurement::evaluation::{PanelRole, QuestionScore};
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};
use svatlas_store::Store;
use svatlas_web::platform::download::encode;
use uuid::Uuid;

use crate::accounts::accounts_web::{Browser, location};
use crate::platform::helpers::{Answer, send};
use crate::procurement::procurement_helpers::{CONSENSUS, bid_json, procurement_cast, tender_json};
use crate::sroi::calculator_helpers::{PASSWORD, Persona};

/// The buyer's tender title; no answer to the outsider may contain it.
const SECRET: &str = "Community transport, Plymouth";

/// Columns of the matrix, in this order.
const WHO: [&str; 9] = [
    "anonymous",
    "buyer viewer",
    "buyer editor",
    "buyer admin",
    "evaluator",
    "moderator",
    "supplier editor",
    "supplier viewer",
    "outsider",
];

/// What a PDF route answers those who may read it: 501 in a build without the `pdf` feature.
const PDF: u16 = if cfg!(feature = "pdf") { 200 } else { 501 };

/// What a cell must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Is(u16),
    /// 303 to `/login` (a page signed out).
    Login,
}
use Want::{Is, Login};

/// How far the cell's tender has gone before the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Draft, Supplier A invited.
    Draft,
    /// Open, Supplier A holding a draft bid.
    Open,
    /// Open, Supplier A's bid submitted, and the outsider's organisation (Org X) asking to bid
    /// (every matrix tender is listed as an open opportunity from its draft).
    Submitted,
    /// Closed: both suppliers' bids submitted, panel named, every question scored by both
    /// evaluators, no consensus yet.
    Evaluation,
    /// Every consensus score in.
    Moderated,
    /// Awarded to Supplier A: contract with KPI K1 and one claim awaiting review, with an
    /// evidence file.
    Awarded,
}

/// A request body.
#[derive(Clone, Copy)]
pub enum Payload {
    Empty,
    Json(fn(&Ctx) -> Value),
    Form(fn(&Ctx) -> Vec<(String, String)>),
    /// One file in the multipart field `file`.
    Multipart(fn(&Ctx) -> (String, Vec<u8>)),
}

/// One row: a route, the stage it needs, a valid request and the status per persona.
pub struct Row {
    pub method: Method,
    pub path: &'static str,
    pub stage: Stage,
    pub payload: Payload,
    pub want: [Want; 9],
}

pub fn row(method: Method, path: &'static str, stage: Stage, want: [Want; 9]) -> Row {
    Row {
        method,
        path,
        stage,
        payload: Payload::Empty,
        want,
    }
}

impl Row {
    pub fn json(mut self, body: fn(&Ctx) -> Value) -> Self {
        self.payload = Payload::Json(body);
        self
    }
    pub fn form(mut self, body: fn(&Ctx) -> Vec<(String, String)>) -> Self {
        self.payload = Payload::Form(body);
        self
    }
    pub fn multipart(mut self, body: fn(&Ctx) -> (String, Vec<u8>)) -> Self {
        self.payload = Payload::Multipart(body);
        self
    }
}

/// Ids of the cell's fixtures.
pub struct Ctx {
    pub tender: Uuid,
    pub bid_a: Option<Uuid>,
    pub bid_b: Option<Uuid>,
    pub contract: Option<Uuid>,
    pub claim: Option<Uuid>,
    pub file: Option<Uuid>,
    pub spend: Option<Uuid>,
    pub buyer: Uuid,
    pub supplier_b: Uuid,
    pub evaluator: Uuid,
    /// The outsider's organisation (Org X), which asks to bid from the Submitted stage.
    pub outsider_org: Uuid,
}

/// Every procurement route with the status each persona must get.
/// Columns: anonymous, buyer viewer, buyer editor, buyer admin, evaluator (a buyer viewer on
/// the panel), moderator (a buyer editor on the panel), supplier editor, supplier viewer,
/// outsider.
pub fn table() -> Vec<Row> {
    use Method as M;
    use Stage::*;
    let any_token = [
        Is(401),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
    ];
    // Tender reads: buyer members and the invited supplier; strangers see nothing.
    let tender_read = [
        Is(401),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(404),
    ];
    // Buyer editors act; in a draft the supplier cannot see the tender at all.
    let buyer_edit_draft = [
        Is(401),
        Is(403),
        Is(200),
        Is(200),
        Is(403),
        Is(200),
        Is(404),
        Is(404),
        Is(404),
    ];
    let buyer_edit = [
        Is(401),
        Is(403),
        Is(200),
        Is(200),
        Is(403),
        Is(200),
        Is(403),
        Is(403),
        Is(404),
    ];
    let buyer_admin = |ok: u16| {
        [
            Is(401),
            Is(403),
            Is(403),
            Is(ok),
            Is(403),
            Is(403),
            Is(403),
            Is(403),
            Is(404),
        ]
    };
    let buyer_read = [
        Is(401),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(200),
        Is(403),
        Is(403),
        Is(404),
    ];
    let supplier_read = [
        Is(401),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(200),
        Is(200),
        Is(404),
    ];
    let supplier_edit = [
        Is(401),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(200),
        Is(403),
        Is(404),
    ];
    // Scoring: only the panel; suppliers and strangers never reach another's bid.
    let panel = |evaluator: u16, moderator: u16| {
        [
            Is(401),
            Is(403),
            Is(403),
            Is(403),
            Is(evaluator),
            Is(moderator),
            Is(404),
            Is(404),
            Is(404),
        ]
    };
    let contract_read = tender_read;
    // Asking to bid: only a supplier that is not invited, with an editor role.
    let ask_to_bid = [
        Is(401),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(409),
        Is(403),
        Is(201),
    ];
    let claim_add = [
        Is(401),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(403),
        Is(201),
        Is(403),
        Is(404),
    ];
    let claim_review = [
        Is(401),
        Is(403),
        Is(200),
        Is(200),
        Is(403),
        Is(200),
        Is(403),
        Is(403),
        Is(404),
    ];
    vec![
        row(M::GET, "/api/v1/tenders", Open, any_token),
        row(
            M::POST,
            "/api/v1/tenders",
            Draft,
            [
                Is(401),
                Is(403),
                Is(201),
                Is(201),
                Is(403),
                Is(201),
                Is(201),
                Is(403),
                Is(201),
            ],
        )
        .json(|_| tender_json()),
        row(M::GET, "/api/v1/tenders/{id}", Open, tender_read),
        row(M::PUT, "/api/v1/tenders/{id}", Draft, buyer_edit_draft).json(|_| tender_json()),
        row(
            M::POST,
            "/api/v1/tenders/{id}/status",
            Draft,
            buyer_edit_draft,
        )
        .json(|_| json!({"status": "open"})),
        row(
            M::POST,
            "/api/v1/tenders/{id}/invitations",
            Open,
            buyer_edit,
        )
        .json(|c| json!({"organisation_id": c.supplier_b})),
        row(
            M::POST,
            "/api/v1/tenders/{id}/panel",
            Evaluation,
            buyer_admin(200),
        )
        .json(|c| json!({"user_id": c.evaluator, "role": "moderator"})),
        row(M::GET, "/api/v1/tenders/{id}/bids", Evaluation, buyer_read),
        row(M::GET, "/api/v1/tenders/{id}/bid", Open, supplier_read),
        row(M::PUT, "/api/v1/tenders/{id}/bid", Open, supplier_edit)
            .json(|_| bid_json(850_000.0, 6.0)),
        row(
            M::POST,
            "/api/v1/tenders/{id}/bid/submit",
            Open,
            supplier_edit,
        ),
        row(M::GET, "/api/v1/tenders/{id}/bid.xlsx", Open, supplier_read),
        row(M::GET, "/api/v1/tenders/{id}/bid.csv", Open, supplier_read),
        row(
            M::POST,
            "/api/v1/tenders/{id}/bid/import",
            Open,
            supplier_edit,
        )
        .multipart(|_| commitments_file()),
        // Bid files on the pages (session cookie).
        row(M::GET, "/tenders/{id}/bid.xlsx", Open, page(supplier_read)),
        row(M::GET, "/tenders/{id}/bid.csv", Open, page(supplier_read)),
        row(
            M::POST,
            "/tenders/{id}/bid/import",
            Open,
            page(with(supplier_edit, 200, 303)),
        )
        .multipart(|_| commitments_file()),
        row(
            M::POST,
            "/api/v1/tenders/{id}/bid/withdraw",
            Submitted,
            supplier_edit,
        ),
        row(
            M::GET,
            "/api/v1/tenders/{id}/scores",
            Evaluation,
            buyer_read,
        ),
        row(
            M::GET,
            "/api/v1/tenders/{id}/results",
            Moderated,
            buyer_read,
        ),
        row(
            M::POST,
            "/api/v1/tenders/{id}/award",
            Moderated,
            buyer_admin(201),
        )
        .json(|c| json!({"bid_id": c.bid_b})),
        row(
            M::POST,
            "/api/v1/bids/{id}/scores",
            Evaluation,
            panel(204, 403),
        )
        .json(|_| json!({"question_id": "Q1", "score": 75, "rationale": "Matrix rescoring"})),
        row(
            M::POST,
            "/api/v1/bids/{id}/consensus",
            Evaluation,
            panel(403, 204),
        )
        .json(|_| json!({"question_id": "Q1", "score": 70, "justification": "Matrix consensus"})),
        row(M::GET, "/api/v1/contracts", Awarded, any_token),
        row(M::GET, "/api/v1/contracts/{id}", Awarded, contract_read),
        row(M::POST, "/api/v1/contracts/{id}/claims", Awarded, claim_add).json(|_| claim_json()),
        row(
            M::PUT,
            "/api/v1/contracts/{id}/claims/{claim_id}",
            Awarded,
            [
                Is(401),
                Is(403),
                Is(403),
                Is(403),
                Is(403),
                Is(403),
                Is(200),
                Is(403),
                Is(404),
            ],
        )
        .json(|_| claim_json()),
        row(
            M::POST,
            "/api/v1/contracts/{id}/claims/{claim_id}/review",
            Awarded,
            claim_review,
        )
        .json(|_| json!({"decision": "query", "note": "Please add the start dates"})),
        // Tender pages (session cookie).
        row(M::GET, "/tenders", Open, page(any_token)),
        row(
            M::POST,
            "/tenders",
            Draft,
            [
                Login,
                Is(403),
                Is(303),
                Is(303),
                Is(403),
                Is(303),
                Is(303),
                Is(403),
                Is(303),
            ],
        )
        .form(|_| {
            owned(&crate::procurement::tender_pages::tender_form(
                "6", "4", "40",
            ))
        }),
        row(M::GET, "/tenders/{id}", Open, page(tender_read)),
        row(
            M::POST,
            "/tenders/{id}/status",
            Draft,
            page(with(buyer_edit_draft, 200, 303)),
        )
        .form(|_| owned(&[("status", "open")])),
        row(M::GET, "/tenders/{id}/edit", Draft, page(buyer_edit_draft)),
        row(
            M::POST,
            "/tenders/{id}/edit",
            Draft,
            page(with(buyer_edit_draft, 200, 303)),
        )
        .form(|_| {
            owned(&crate::procurement::tender_pages::tender_form(
                "6", "4", "40",
            ))
        }),
        row(
            M::POST,
            "/tenders/{id}/invitations",
            Open,
            page(with(buyer_edit, 200, 303)),
        )
        .form(|c| vec![("organisation_id".to_owned(), c.supplier_b.to_string())]),
        row(
            M::POST,
            "/tenders/{id}/panel",
            Evaluation,
            page(with(buyer_admin(200), 200, 303)),
        )
        .form(|c| {
            vec![
                ("user_id".to_owned(), c.evaluator.to_string()),
                ("role".to_owned(), "moderator".to_owned()),
                ("action".to_owned(), "add".to_owned()),
            ]
        }),
        row(M::GET, "/tenders/{id}/bid", Open, page(supplier_read)),
        row(
            M::POST,
            "/tenders/{id}/bid",
            Open,
            page(with(supplier_edit, 200, 303)),
        )
        .form(|_| {
            owned(&crate::procurement::tender_pages::bid_form(
                "850000", "save",
            ))
        }),
        row(
            M::POST,
            "/tenders/{id}/bid/submit",
            Open,
            page(with(supplier_edit, 200, 303)),
        ),
        row(
            M::POST,
            "/tenders/{id}/bid/withdraw",
            Submitted,
            page(with(supplier_edit, 200, 303)),
        ),
        row(
            M::GET,
            "/tenders/{id}/evaluate",
            Evaluation,
            [
                Login,
                Is(403),
                Is(403),
                Is(403),
                Is(200),
                Is(403),
                Is(403),
                Is(403),
                Is(404),
            ],
        ),
        row(
            M::POST,
            "/bids/{bid_id}/score",
            Evaluation,
            page(with(panel(204, 403), 204, 303)),
        )
        .form(|_| {
            owned(&[
                ("question_id", "Q1"),
                ("score", "80"),
                ("rationale", "Matrix rescoring"),
            ])
        }),
        row(
            M::GET,
            "/tenders/{id}/moderate",
            Evaluation,
            [
                Login,
                Is(403),
                Is(403),
                Is(403),
                Is(403),
                Is(200),
                Is(403),
                Is(403),
                Is(404),
            ],
        ),
        row(
            M::POST,
            "/bids/{bid_id}/consensus",
            Evaluation,
            page(with(panel(403, 204), 204, 303)),
        )
        .form(|_| {
            owned(&[
                ("question_id", "Q1"),
                ("score", "80"),
                ("justification", "Matrix consensus"),
            ])
        }),
        row(M::GET, "/tenders/{id}/results", Moderated, page(buyer_read)),
        row(
            M::POST,
            "/tenders/{id}/award",
            Moderated,
            page(with(buyer_admin(201), 201, 303)),
        )
        .form(|c| {
            vec![(
                "bid_id".to_owned(),
                c.bid_b.map(|b| b.to_string()).unwrap_or_default(),
            )]
        }),
        // Contract pages.
        row(M::GET, "/contracts", Awarded, page(any_token)),
        row(M::GET, "/contracts/{id}", Awarded, page(contract_read)),
        row(
            M::POST,
            "/contracts/{id}/claims",
            Awarded,
            page(with(claim_add, 201, 303)),
        )
        .form(|_| owned_strings(crate::procurement::contract_pages::claim_form("2"))),
        row(
            M::GET,
            "/contracts/{id}/claims/{claim_id}",
            Awarded,
            page(contract_read),
        ),
        row(
            M::POST,
            "/contracts/{id}/claims/{claim_id}",
            Awarded,
            [
                Login,
                Is(403),
                Is(403),
                Is(403),
                Is(403),
                Is(403),
                Is(303),
                Is(403),
                Is(404),
            ],
        )
        .form(|_| owned_strings(crate::procurement::contract_pages::claim_form("3"))),
        row(
            M::POST,
            "/contracts/{id}/claims/{claim_id}/review",
            Awarded,
            page(with(claim_review, 200, 303)),
        )
        .form(|_| {
            owned(&[
                ("decision", "query"),
                ("note", "Please add the start dates"),
            ])
        }),
        row(
            M::POST,
            "/contracts/{id}/claims/{claim_id}/evidence",
            Awarded,
            [
                Login,
                Is(403),
                Is(403),
                Is(403),
                Is(403),
                Is(403),
                Is(303),
                Is(403),
                Is(404),
            ],
        )
        .multipart(|_| ("register.pdf".to_owned(), b"%PDF-1.4 register".to_vec())),
        row(
            M::GET,
            "/contracts/{id}/evidence/{file_id}",
            Awarded,
            page(contract_read),
        ),
        // Local spend.
        row(
            M::GET,
            "/api/v1/contracts/{id}/spend",
            Awarded,
            contract_read,
        ),
        row(
            M::GET,
            "/api/v1/contracts/{id}/report.pdf",
            Awarded,
            with(contract_read, 200, PDF),
        ),
        row(
            M::GET,
            "/contracts/{id}/report.pdf",
            Awarded,
            page(with(contract_read, 200, PDF)),
        ),
        row(M::POST, "/api/v1/contracts/{id}/spend", Awarded, claim_add)
            .json(|_| json!({"lines": [spend_json()]})),
        row(
            M::DELETE,
            "/api/v1/contracts/{id}/spend/{spend_id}",
            Awarded,
            with(claim_add, 201, 204),
        ),
        row(
            M::GET,
            "/contracts/{id}/spend",
            Awarded,
            page(contract_read),
        ),
        row(
            M::POST,
            "/contracts/{id}/spend",
            Awarded,
            page(with(claim_add, 201, 303)),
        )
        .form(|_| {
            [
                ("supplier", "Tamar Bakery"),
                ("amount_gbp", "1250"),
                ("date", "2027-06-30"),
                ("area", "E01015023"),
                ("sme", "yes"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
        }),
        row(
            M::POST,
            "/contracts/{id}/spend/{spend_id}/delete",
            Awarded,
            page(with(claim_add, 201, 303)),
        ),
        // Open opportunities: public to read; suppliers that are not invited ask to bid (the
        // invited supplier's editor gets 409); the buyer lists and decides.
        row(M::GET, "/api/v1/opportunities", Open, [Is(200); 9]),
        row(M::GET, "/api/v1/opportunities/{id}", Open, [Is(200); 9]),
        row(M::GET, "/opportunities", Open, [Is(200); 9]),
        row(M::GET, "/opportunities/{id}", Open, [Is(200); 9]),
        row(
            M::POST,
            "/api/v1/opportunities/{id}/requests",
            Open,
            ask_to_bid,
        )
        .json(|_| json!({"message": "Matrix request"})),
        row(
            M::POST,
            "/opportunities/{id}/requests",
            Open,
            page(with(ask_to_bid, 201, 303)),
        )
        .form(|_| owned(&[("message", "Matrix request")])),
        row(M::PUT, "/api/v1/tenders/{id}/listing", Open, buyer_edit)
            .json(|_| json!({"listed": false})),
        row(
            M::POST,
            "/tenders/{id}/listing",
            Open,
            page(with(buyer_edit, 200, 303)),
        )
        .form(|_| owned(&[("listed", "no")])),
        row(
            M::GET,
            "/api/v1/tenders/{id}/requests",
            Submitted,
            buyer_read,
        ),
        row(
            M::POST,
            "/api/v1/tenders/{id}/requests/{organisation_id}/decision",
            Submitted,
            buyer_edit,
        )
        .json(|_| json!({"decision": "accept"})),
        row(
            M::POST,
            "/tenders/{id}/requests/{organisation_id}/decision",
            Submitted,
            page(with(buyer_edit, 200, 303)),
        )
        .form(|_| owned(&[("decision", "decline"), ("note", "Matrix decline")])),
        // Transparency: public once the buyer publishes it (the matrix buyer does); the
        // buyer's admin switches it.
        row(M::GET, "/transparency", Awarded, [Is(200); 9]),
        row(M::GET, "/transparency/{id}", Awarded, [Is(200); 9]),
        row(M::GET, "/api/v1/transparency/{id}", Awarded, [Is(200); 9]),
        row(
            M::POST,
            "/organisations/{id}/transparency",
            Awarded,
            [
                Login,
                Is(403),
                Is(403),
                Is(303),
                Is(403),
                Is(403),
                Is(404),
                Is(404),
                Is(404),
            ],
        )
        .form(|_| vec![("publish".to_owned(), "yes".to_owned())]),
    ]
}

/// Form fields as owned pairs.
pub fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Form fields with owned values as owned pairs.
pub fn owned_strings(pairs: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

pub fn spend_json() -> Value {
    json!({"supplier": "Tamar Bakery", "amount_gbp": 1250, "date": "2027-06-30", "area": "E01015023", "sme": true})
}

/// A page's statuses from an API row's: signed out goes to the sign-in page.
pub fn page(mut want: [Want; 9]) -> [Want; 9] {
    want[0] = Login;
    want
}

/// `want` with every `from` replaced by `to` (e.g. an API's 200 by a form's 303).
pub fn with(mut want: [Want; 9], from: u16, to: u16) -> [Want; 9] {
    for w in &mut want {
        if *w == Is(from) {
            *w = Is(to);
        }
    }
    want
}

/// A commitments CSV that fits the matrix tender.
pub fn commitments_file() -> (String, Vec<u8>) {
    (
        "commitments.csv".into(),
        b"criterion,description,target,unit\nMAC 2.2,Apprentices,6,apprenticeships\n".to_vec(),
    )
}

pub fn claim_json() -> Value {
    json!({"kpi_id": "K1", "period_start": "2027-04-01", "period_end": "2027-06-30",
           "quantity": 2, "note": "Two apprentices started", "beneficiary_ref": "P-7"})
}

/// The (METHOD, path) of every row, for the general matrix's coverage check.
pub fn listed() -> BTreeSet<(String, String)> {
    table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect()
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("fixture JSON fits the domain type")
}

/// A fresh tender at `stage`, made through the store.
async fn prepare(store: &Store, p: &Cast, stage: Stage) -> Ctx {
    let details: TenderDetails = parse(tender_json());
    let tender = store
        .create_tender("matrix", p.buyer_org, None, &details)
        .await
        .expect("tender")
        .id;
    store
        .invite_supplier("matrix", tender, p.supplier_a_org)
        .await
        .expect("invite A");
    let mut c = Ctx {
        tender,
        bid_a: None,
        bid_b: None,
        contract: None,
        claim: None,
        file: None,
        spend: None,
        buyer: p.buyer_org,
        supplier_b: p.supplier_b_org,
        evaluator: p.evaluator,
        outsider_org: p.outsider_org,
    };
    store
        .set_listing("matrix", tender, true)
        .await
        .expect("list");
    if stage == Stage::Draft {
        return c;
    }
    store
        .invite_supplier("matrix", tender, p.supplier_b_org)
        .await
        .expect("invite B");
    store
        .set_tender_status("matrix", tender, TenderStatus::Open)
        .await
        .expect("open");
    let bid = |price: f64| -> BidDetails { parse(bid_json(price, 6.0)) };
    let a = store
        .save_bid("matrix", tender, p.supplier_a_org, &bid(900_000.0))
        .await
        .expect("bid A")
        .id;
    c.bid_a = Some(a);
    if stage == Stage::Open {
        return c;
    }
    store.submit_bid("matrix", a).await.expect("submit A");
    store
        .request_to_bid("matrix", tender, p.outsider_org, None, "Matrix request")
        .await
        .expect("request");
    if stage == Stage::Submitted {
        return c;
    }
    let b = store
        .save_bid("matrix", tender, p.supplier_b_org, &bid(1_000_000.0))
        .await
        .expect("bid B")
        .id;
    store.submit_bid("matrix", b).await.expect("submit B");
    c.bid_b = Some(b);
    store
        .set_tender_status("matrix", tender, TenderStatus::Evaluation)
        .await
        .expect("close");
    for (user, role) in [
        (p.evaluator, PanelRole::Evaluator),
        (p.moderator, PanelRole::Moderator),
    ] {
        store
            .set_panel_member("matrix", tender, user, role, true)
            .await
            .expect("panel");
    }
    for (bid, (_, scores)) in [a, b].into_iter().zip(CONSENSUS) {
        for (q, s) in scores {
            let score = QuestionScore {
                score: s,
                rationale: "Matrix score".into(),
            };
            store
                .record_score("matrix", bid, q, p.evaluator, &score)
                .await
                .expect("score");
            if stage >= Stage::Moderated {
                store
                    .record_consensus("matrix", bid, q, p.moderator, &score)
                    .await
                    .expect("consensus");
            }
        }
    }
    if stage < Stage::Awarded {
        return c;
    }
    let contract = store
        .award_tender("matrix", tender, a)
        .await
        .expect("award")
        .id;
    let claim: ClaimDetails = parse(claim_json());
    let claim = store
        .add_claim("matrix", contract, &claim)
        .await
        .expect("claim")
        .id;
    let file = store
        .add_claim_evidence(
            "matrix",
            contract,
            claim,
            "register.pdf",
            "application/pdf",
            b"%PDF-1.4 register",
        )
        .await
        .expect("evidence")
        .id;
    c.contract = Some(contract);
    c.claim = Some(claim);
    let spend: svatlas_domain::procurement::spend::SpendLine = parse(spend_json());
    let spend = store
        .add_spend("matrix", contract, &[spend])
        .await
        .expect("spend")[0]
        .id;
    c.file = Some(file);
    c.spend = Some(spend);
    c
}

fn fill(template: &str, c: &Ctx) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| format!("unclosed {{ in {template}"))?;
        out.push_str(&rest[..open]);
        let missing = || format!("the stage of {template} has no {}", &rest[open..=close]);
        let value = match &rest[open + 1..close] {
            "id" if template.contains("/bids/") => c.bid_a.ok_or_else(missing)?.to_string(),
            "id" if template.contains("/contracts/") => c.contract.ok_or_else(missing)?.to_string(),
            "id" if template.contains("transparency") => c.buyer.to_string(),
            "id" => c.tender.to_string(),
            "spend_id" => c.spend.ok_or_else(missing)?.to_string(),
            "bid_id" => c.bid_a.ok_or_else(missing)?.to_string(),
            "contract_id" => c.contract.ok_or_else(missing)?.to_string(),
            "claim_id" => c.claim.ok_or_else(missing)?.to_string(),
            "file_id" => c.file.ok_or_else(missing)?.to_string(),
            "organisation_id" => c.outsider_org.to_string(),
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

/// The personas and their organisations.
struct Cast {
    buyer_org: Uuid,
    supplier_a_org: Uuid,
    supplier_b_org: Uuid,
    outsider_org: Uuid,
    evaluator: Uuid,
    moderator: Uuid,
    people: Vec<Option<Persona>>,
}

async fn call(
    app: &Router,
    browser: Option<&mut Browser>,
    who: Option<&Persona>,
    method: &Method,
    uri: &str,
    payload: &Payload,
    c: &Ctx,
) -> Answer {
    let mut request = Request::builder().method(method.clone()).uri(uri);
    let api = uri.starts_with("/api/");
    if api {
        if let Some(p) = who {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", p.token));
        }
    } else {
        request = request
            .header(header::HOST, "localhost")
            .header("sec-fetch-site", "same-origin");
        if method != Method::GET {
            request = request.header(header::ORIGIN, "http://localhost");
        }
    }
    let body = match payload {
        Payload::Empty => Body::empty(),
        Payload::Json(build) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(build(c).to_string())
        }
        Payload::Form(build) => {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(
                build(c)
                    .iter()
                    .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                    .collect::<Vec<_>>()
                    .join("&"),
            )
        }
        Payload::Multipart(build) => {
            let (name, bytes) = build(c);
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

#[tokio::test]
async fn every_procurement_route_answers_each_persona_as_the_matrix_says() {
    let t = svatlas_store::testing::sqlite().await;
    let app = crate::platform::helpers::app(&t);
    let store = &t.store;
    let p = procurement_cast(store).await;
    let cast = Cast {
        buyer_org: p.buyer_admin.organisation_id,
        supplier_a_org: p.supplier_a.organisation_id,
        supplier_b_org: p.supplier_b.organisation_id,
        outsider_org: p.outsider.organisation_id,
        evaluator: p.evaluator1.user_id,
        moderator: p.moderator.user_id,
        people: vec![
            None,
            Some(p.buyer_viewer.clone()),
            Some(p.buyer_editor.clone()),
            Some(p.buyer_admin.clone()),
            Some(p.evaluator1.clone()),
            Some(p.moderator.clone()),
            Some(p.supplier_a.clone()),
            Some(p.supplier_a_viewer.clone()),
            Some(p.outsider.clone()),
        ],
    };
    store
        .set_transparency("matrix", cast.buyer_org, true)
        .await
        .expect("publish");
    let mut browsers: Vec<Option<Browser>> = Vec::new();
    for who in &cast.people {
        browsers.push(match who {
            Some(person) => {
                let mut b = Browser::new(&app);
                let answer = b.sign_in(&person.email, PASSWORD).await;
                assert_eq!(answer.status, 303, "{} signs in", person.email);
                Some(b)
            }
            None => None,
        });
    }
    let documented: BTreeSet<(String, String)> = {
        let doc = serde_json::to_value(svatlas_web::openapi()).expect("OpenAPI serialises");
        let mut routes = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in ["get", "put", "post", "delete", "patch"] {
                if item.get(method).is_some() {
                    routes.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        routes
    };
    let mut problems = Vec::new();
    let mut cells = 0;
    let table = table();
    for r in &table {
        if !documented.contains(&(r.method.to_string(), r.path.to_owned())) {
            problems.push(format!(
                "{} {} is in the procurement matrix but not documented",
                r.method, r.path
            ));
            continue;
        }
        for (column, who) in cast.people.iter().enumerate() {
            let c = prepare(store, &cast, r.stage).await;
            let uri = match fill(r.path, &c) {
                Ok(u) => u,
                Err(e) => {
                    problems.push(e);
                    break;
                }
            };
            let answer = call(
                &app,
                browsers[column].as_mut(),
                who.as_ref(),
                &r.method,
                &uri,
                &r.payload,
                &c,
            )
            .await;
            cells += 1;
            let got = answer.status.as_u16();
            let to = answer
                .headers
                .get(header::LOCATION)
                .map(|_| location(&answer).to_owned());
            let ok = match r.want[column] {
                Is(code) => got == code,
                Login => got == 303 && to.as_deref().is_some_and(|l| l.starts_with("/login")),
            };
            if !ok {
                let text: String = answer.text().chars().take(160).collect();
                problems.push(format!(
                    "{} {} as {}: expected {:?}, got {got} {} {text}",
                    r.method,
                    r.path,
                    WHO[column],
                    r.want[column],
                    to.unwrap_or_default()
                ));
            }
            if WHO[column] == "outsider"
                && r.path != "/api/v1/tenders"
                && r.path != "/tenders"
                && !r.path.contains("transparency")
                // A listed open tender is public by the buyer's choice.
                && !r.path.contains("opportunities")
                && answer.text().contains(SECRET)
            {
                problems.push(format!(
                    "{} {} as outsider shows the buyer's tender",
                    r.method, r.path
                ));
            }
        }
    }
    println!(
        "procurement matrix: {} routes, {cells} cells, {} problems",
        table.len(),
        problems.len()
    );
    t.finish().await;
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
