//! The procurement authorization matrix: every tender, bid and contract route, called for real
//! by nine personas (signed out; the buyer's viewer, editor and admin; an evaluator and the
//! moderator on the panel; an invited supplier's editor and viewer; an outsider) with the
//! status each must get.
//!
//! [`table`] is the one place these rules live; platform/matrix.rs runs it on every backend
//! and checks that the three matrices cover the OpenAPI document. Each cell that may change
//! something gets a fresh tender brought to the stage its row needs through the store, so
//! cells cannot disturb each other; the cells of GET rows only read, and share one tender per
//! stage.

use std::collections::BTreeMap;

use axum::http::Method;
use serde_json::json;
use uuid::Uuid;

use crate::platform::app::{People, Persona, Stage, Tender, TestApp, tender_at};
use crate::platform::helpers::Answer;
use crate::platform::matrix::{self, Actor, Matrix, Want, form, is, owned, page, with};
use crate::procurement::contract_pages::claim_form;
use crate::procurement::procurement_helpers::{bid_json, claim_json, spend_json, tender_json};
use crate::procurement::tender_pages::{bid_form, tender_form};

/// The buyer's tender title; no answer to the outsider may contain it.
const SECRET: &str = "Community transport, Plymouth";

/// The outsider's column.
const OUTSIDER: usize = 8;

/// What a PDF route answers those who may read it: 501 in a build without the `pdf` feature.
const PDF: u16 = if cfg!(feature = "pdf") { 200 } else { 501 };
use Want::Is;

/// One row: a route, the stage it needs, a valid request and the status per persona.
type Row = matrix::Row<Ctx, Stage>;

fn row(method: Method, path: &'static str, stage: Stage, want: [Want; 9]) -> Row {
    Row::new(method, path, want, stage)
}

fn get(path: &'static str, stage: Stage, want: [Want; 9]) -> Row {
    row(Method::GET, path, stage, want)
}

fn post(path: &'static str, stage: Stage, want: [Want; 9]) -> Row {
    row(Method::POST, path, stage, want)
}

/// Ids of the cell's fixtures.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub tender: Tender,
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
fn table() -> Vec<Row> {
    use Method as M;
    use Stage::*;
    let any_token = is([401, 200, 200, 200, 200, 200, 200, 200, 200]);
    // Tender reads: buyer members and the invited supplier; strangers see nothing.
    let tender_read = is([401, 200, 200, 200, 200, 200, 200, 200, 404]);
    // Buyer editors act; in a draft the supplier cannot see the tender at all.
    let buyer_edit_draft = is([401, 403, 200, 200, 403, 200, 404, 404, 404]);
    let buyer_edit = is([401, 403, 200, 200, 403, 200, 403, 403, 404]);
    let buyer_admin = |ok: u16| is([401, 403, 403, ok, 403, 403, 403, 403, 404]);
    let buyer_read = is([401, 200, 200, 200, 200, 200, 403, 403, 404]);
    let supplier_read = is([401, 403, 403, 403, 403, 403, 200, 200, 404]);
    let supplier_edit = is([401, 403, 403, 403, 403, 403, 200, 403, 404]);
    // Scoring: only the panel; suppliers and strangers never reach another's bid.
    let panel = |evaluator: u16, moderator: u16| {
        is([401, 403, 403, 403, evaluator, moderator, 404, 404, 404])
    };
    let contract_read = tender_read;
    // Asking to bid: only a supplier that is not invited, with an editor role.
    let ask_to_bid = is([401, 403, 403, 403, 403, 403, 409, 403, 201]);
    let claim_add = is([401, 403, 403, 403, 403, 403, 201, 403, 404]);
    let claim_review = is([401, 403, 200, 200, 403, 200, 403, 403, 404]);
    // On the pages: who may start a tender, open each panel page, change a claim.
    let create_page = page(is([401, 403, 303, 303, 403, 303, 303, 403, 303]));
    let evaluate_page = page(is([401, 403, 403, 403, 200, 403, 403, 403, 404]));
    let moderate_page = page(is([401, 403, 403, 403, 403, 200, 403, 403, 404]));
    let (score_page, consensus_page) = (form(panel(204, 403), 204), form(panel(403, 204), 204));
    let claim_edit_page = page(is([401, 403, 403, 403, 403, 403, 303, 403, 404]));
    vec![
        get("/api/v1/tenders", Open, any_token),
        post(
            "/api/v1/tenders",
            Draft,
            is([401, 403, 201, 201, 403, 201, 201, 403, 201]),
        )
        .json(|_| tender_json()),
        get("/api/v1/tenders/{id}", Open, tender_read),
        row(M::PUT, "/api/v1/tenders/{id}", Draft, buyer_edit_draft).json(|_| tender_json()),
        post("/api/v1/tenders/{id}/status", Draft, buyer_edit_draft)
            .json(|_| json!({"status": "open"})),
        post("/api/v1/tenders/{id}/invitations", Open, buyer_edit)
            .json(|c| json!({"organisation_id": c.supplier_b})),
        post("/api/v1/tenders/{id}/panel", Evaluation, buyer_admin(200))
            .json(|c| json!({"user_id": c.evaluator, "role": "moderator"})),
        get("/api/v1/tenders/{id}/bids", Evaluation, buyer_read),
        get("/api/v1/tenders/{id}/bid", Open, supplier_read),
        row(M::PUT, "/api/v1/tenders/{id}/bid", Open, supplier_edit)
            .json(|_| bid_json(850_000.0, 6.0)),
        post("/api/v1/tenders/{id}/bid/submit", Open, supplier_edit),
        get("/api/v1/tenders/{id}/bid.xlsx", Open, supplier_read),
        get("/api/v1/tenders/{id}/bid.csv", Open, supplier_read),
        post("/api/v1/tenders/{id}/bid/import", Open, supplier_edit)
            .multipart(|_| commitments_file()),
        // Bid files on the pages (session cookie).
        get("/tenders/{id}/bid.xlsx", Open, page(supplier_read)),
        get("/tenders/{id}/bid.csv", Open, page(supplier_read)),
        post("/tenders/{id}/bid/import", Open, form(supplier_edit, 200))
            .multipart(|_| commitments_file()),
        post(
            "/api/v1/tenders/{id}/bid/withdraw",
            Submitted,
            supplier_edit,
        ),
        get("/api/v1/tenders/{id}/scores", Evaluation, buyer_read),
        get("/api/v1/tenders/{id}/results", Moderated, buyer_read),
        post("/api/v1/tenders/{id}/award", Moderated, buyer_admin(201))
            .json(|c| json!({"bid_id": c.tender.bid_b})),
        post("/api/v1/bids/{id}/scores", Evaluation, panel(204, 403))
            .json(|_| json!({"question_id": "Q1", "score": 75, "rationale": "Matrix rescoring"})),
        post("/api/v1/bids/{id}/consensus", Evaluation, panel(403, 204)).json(
            |_| json!({"question_id": "Q1", "score": 70, "justification": "Matrix consensus"}),
        ),
        get("/api/v1/contracts", Delivering, any_token),
        get("/api/v1/contracts/{id}", Delivering, contract_read),
        post("/api/v1/contracts/{id}/claims", Delivering, claim_add).json(|_| claim_json()),
        row(
            M::PUT,
            "/api/v1/contracts/{id}/claims/{claim_id}",
            Delivering,
            is([401, 403, 403, 403, 403, 403, 200, 403, 404]),
        )
        .json(|_| claim_json()),
        post(
            "/api/v1/contracts/{id}/claims/{claim_id}/review",
            Delivering,
            claim_review,
        )
        .json(|_| json!({"decision": "query", "note": "Please add the start dates"})),
        // Tender pages (session cookie).
        get("/tenders", Open, page(any_token)),
        post("/tenders", Draft, create_page).form(|_| owned(&tender_form("6", "4", "40"))),
        get("/tenders/{id}", Open, page(tender_read)),
        post("/tenders/{id}/status", Draft, form(buyer_edit_draft, 200))
            .form(|_| owned(&[("status", "open")])),
        get("/tenders/{id}/edit", Draft, page(buyer_edit_draft)),
        post("/tenders/{id}/edit", Draft, form(buyer_edit_draft, 200))
            .form(|_| owned(&tender_form("6", "4", "40"))),
        post("/tenders/{id}/invitations", Open, form(buyer_edit, 200))
            .form(|c| vec![("organisation_id".to_owned(), c.supplier_b.to_string())]),
        post(
            "/tenders/{id}/panel",
            Evaluation,
            form(buyer_admin(200), 200),
        )
        .form(|c| {
            vec![
                ("user_id".to_owned(), c.evaluator.to_string()),
                ("role".to_owned(), "moderator".to_owned()),
                ("action".to_owned(), "add".to_owned()),
            ]
        }),
        get("/tenders/{id}/bid", Open, page(supplier_read)),
        post("/tenders/{id}/bid", Open, form(supplier_edit, 200))
            .form(|_| owned(&bid_form("850000", "save"))),
        post("/tenders/{id}/bid/submit", Open, form(supplier_edit, 200)),
        post(
            "/tenders/{id}/bid/withdraw",
            Submitted,
            form(supplier_edit, 200),
        ),
        get("/tenders/{id}/evaluate", Evaluation, evaluate_page),
        post("/bids/{bid_id}/score", Evaluation, score_page)
            .form(|_| panel_form("rationale", "Matrix rescoring")),
        get("/tenders/{id}/moderate", Evaluation, moderate_page),
        post("/bids/{bid_id}/consensus", Evaluation, consensus_page)
            .form(|_| panel_form("justification", "Matrix consensus")),
        get("/tenders/{id}/results", Moderated, page(buyer_read)),
        post(
            "/tenders/{id}/award",
            Moderated,
            form(buyer_admin(201), 201),
        )
        .form(|c| {
            vec![(
                "bid_id".to_owned(),
                c.tender.bid_b.map(|b| b.to_string()).unwrap_or_default(),
            )]
        }),
        // Contract pages.
        get("/contracts", Delivering, page(any_token)),
        get("/contracts/{id}", Delivering, page(contract_read)),
        post("/contracts/{id}/claims", Delivering, form(claim_add, 201))
            .form(|_| owned_strings(claim_form("2"))),
        get(
            "/contracts/{id}/claims/{claim_id}",
            Delivering,
            page(contract_read),
        ),
        post(
            "/contracts/{id}/claims/{claim_id}",
            Delivering,
            claim_edit_page,
        )
        .form(|_| owned_strings(claim_form("3"))),
        post(
            "/contracts/{id}/claims/{claim_id}/review",
            Delivering,
            form(claim_review, 200),
        )
        .form(|_| {
            owned(&[
                ("decision", "query"),
                ("note", "Please add the start dates"),
            ])
        }),
        post(
            "/contracts/{id}/claims/{claim_id}/evidence",
            Delivering,
            claim_edit_page,
        )
        .multipart(|_| ("register.pdf".to_owned(), b"%PDF-1.4 register".to_vec())),
        get(
            "/contracts/{id}/evidence/{file_id}",
            Delivering,
            page(contract_read),
        ),
        // Local spend.
        get("/api/v1/contracts/{id}/spend", Delivering, contract_read),
        get(
            "/api/v1/contracts/{id}/report.pdf",
            Delivering,
            with(contract_read, 200, PDF),
        ),
        get(
            "/contracts/{id}/report.pdf",
            Delivering,
            page(with(contract_read, 200, PDF)),
        ),
        post("/api/v1/contracts/{id}/spend", Delivering, claim_add)
            .json(|_| json!({"lines": [spend_json()]})),
        row(
            M::DELETE,
            "/api/v1/contracts/{id}/spend/{spend_id}",
            Delivering,
            with(claim_add, 201, 204),
        ),
        get("/contracts/{id}/spend", Delivering, page(contract_read)),
        post("/contracts/{id}/spend", Delivering, form(claim_add, 201)).form(|_| {
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
        post(
            "/contracts/{id}/spend/{spend_id}/delete",
            Delivering,
            form(claim_add, 201),
        ),
        // Open opportunities: public to read; suppliers that are not invited ask to bid (the
        // invited supplier's editor gets 409); the buyer lists and decides.
        get("/api/v1/opportunities", Open, [Is(200); 9]),
        get("/api/v1/opportunities/{id}", Open, [Is(200); 9]),
        get("/opportunities", Open, [Is(200); 9]),
        get("/opportunities/{id}", Open, [Is(200); 9]),
        post("/api/v1/opportunities/{id}/requests", Open, ask_to_bid)
            .json(|_| json!({"message": "Matrix request"})),
        post("/opportunities/{id}/requests", Open, form(ask_to_bid, 201))
            .form(|_| owned(&[("message", "Matrix request")])),
        row(M::PUT, "/api/v1/tenders/{id}/listing", Open, buyer_edit)
            .json(|_| json!({"listed": false})),
        post("/tenders/{id}/listing", Open, form(buyer_edit, 200))
            .form(|_| owned(&[("listed", "no")])),
        get("/api/v1/tenders/{id}/requests", Submitted, buyer_read),
        post(
            "/api/v1/tenders/{id}/requests/{organisation_id}/decision",
            Submitted,
            buyer_edit,
        )
        .json(|_| json!({"decision": "accept"})),
        post(
            "/tenders/{id}/requests/{organisation_id}/decision",
            Submitted,
            form(buyer_edit, 200),
        )
        .form(|_| owned(&[("decision", "decline"), ("note", "Matrix decline")])),
        // Transparency: public once the buyer publishes it (the matrix buyer does); the
        // buyer's admin switches it.
        get("/transparency", Delivering, [Is(200); 9]),
        get("/transparency/{id}", Delivering, [Is(200); 9]),
        get("/api/v1/transparency/{id}", Delivering, [Is(200); 9]),
        post(
            "/organisations/{id}/transparency",
            Delivering,
            page(is([401, 403, 403, 303, 403, 403, 404, 404, 404])),
        )
        .form(|_| vec![("publish".to_owned(), "yes".to_owned())]),
    ]
}

/// A panel member's score of 80 on Q1 with its reason under `key`, as the page forms take it.
fn panel_form(key: &str, reason: &str) -> Vec<(String, String)> {
    owned(&[("question_id", "Q1"), ("score", "80"), (key, reason)])
}

/// Form fields with owned values as owned pairs.
fn owned_strings(pairs: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A commitments CSV that fits the matrix tender.
fn commitments_file() -> (String, Vec<u8>) {
    (
        "commitments.csv".into(),
        b"criterion,description,target,unit\nMAC 2.2,Apprentices,6,apprenticeships\n".to_vec(),
    )
}

/// The personas' organisations, fixed per backend, and the tender GET rows read at each stage.
pub struct Procurement {
    read_only: BTreeMap<Stage, Ctx>,
    buyer_org: Uuid,
    supplier_b_org: Uuid,
    outsider_org: Uuid,
    evaluator: Uuid,
}

impl Matrix for Procurement {
    type Ctx = Ctx;
    type Prep = Stage;
    const NAME: &'static str = "procurement matrix";

    fn table() -> Vec<Row> {
        table()
    }

    fn columns(p: &People) -> Vec<(&'static str, Option<Persona>)> {
        vec![
            ("anonymous", None),
            ("buyer viewer", Some(p.buyer_viewer.clone())),
            ("buyer editor", Some(p.buyer_editor.clone())),
            ("buyer admin", Some(p.buyer_admin.clone())),
            ("evaluator", Some(p.evaluator.clone())),
            ("moderator", Some(p.moderator.clone())),
            ("supplier editor", Some(p.supplier_editor.clone())),
            ("supplier viewer", Some(p.supplier_viewer.clone())),
            ("outsider", Some(p.outsider.clone())),
        ]
    }

    async fn setup(t: &TestApp) -> Self {
        let p = &t.people;
        let buyer_org = p.buyer_admin.organisation_id;
        t.store
            .set_transparency("matrix", buyer_org, true)
            .await
            .expect("publish");
        Procurement {
            read_only: BTreeMap::new(),
            buyer_org,
            supplier_b_org: p.supplier_b.organisation_id,
            outsider_org: p.outsider.organisation_id,
            evaluator: p.evaluator.user_id,
        }
    }

    /// A fresh tender at the row's stage, made through the store; a GET row's cells share one.
    async fn prepare(&mut self, t: &TestApp, row: &Row, _actor: &Actor) -> Ctx {
        let read_only = row.method == Method::GET;
        if let Some(c) = self.read_only.get(&row.prep).filter(|_| read_only) {
            return *c;
        }
        let c = Ctx {
            tender: tender_at(&t.store, &t.people, row.prep).await,
            buyer: self.buyer_org,
            supplier_b: self.supplier_b_org,
            evaluator: self.evaluator,
            outsider_org: self.outsider_org,
        };
        if read_only {
            self.read_only.insert(row.prep, c);
        }
        c
    }

    fn fill(&self, template: &str, c: &Ctx) -> Result<String, String> {
        matrix::fill(template, |name| {
            let missing = || format!("the stage of {template} has no {{{name}}}");
            Ok(match name {
                "id" if template.contains("/bids/") => {
                    c.tender.bid_a.ok_or_else(missing)?.to_string()
                }
                "id" if template.contains("/contracts/") => {
                    c.tender.contract.ok_or_else(missing)?.to_string()
                }
                "id" if template.contains("transparency") => c.buyer.to_string(),
                "id" => c.tender.id.to_string(),
                "spend_id" => c.tender.spend.ok_or_else(missing)?.to_string(),
                "bid_id" => c.tender.bid_a.ok_or_else(missing)?.to_string(),
                "contract_id" => c.tender.contract.ok_or_else(missing)?.to_string(),
                "claim_id" => c.tender.claim.ok_or_else(missing)?.to_string(),
                "file_id" => c.tender.file.ok_or_else(missing)?.to_string(),
                "organisation_id" => c.outsider_org.to_string(),
                other => return Err(matrix::unfilled(other, template)),
            })
        })
    }

    /// The outsider never sees the buyer's tender, but where the buyer makes it public: the
    /// tender lists, transparency and a listed open opportunity.
    fn leak(&self, row: &Row, actor: &Actor, answer: &Answer) -> Option<String> {
        let public = row.path == "/api/v1/tenders"
            || row.path == "/tenders"
            || row.path.contains("transparency")
            || row.path.contains("opportunities");
        (actor.column == OUTSIDER && !public && answer.text().contains(SECRET))
            .then(|| format!("the buyer's tender {SECRET:?}"))
    }
}

#[tokio::test]
async fn every_procurement_route_answers_each_persona_as_the_matrix_says() {
    matrix::run::<Procurement>().await;
}
