//! Fixtures for procurement tests: a tender shaped like METHOD.md §11 Example 5 (price 40,
//! quality 50, social value 6% + 4%), bids, claims and spend as the API takes them, and the
//! tender taken through the API by the people of [`crate::platform::app`].

use axum::http::header;
use serde_json::{Value, json};

use crate::platform::app::{Persona, TestApp};
use crate::platform::helpers::{Answer, multipart, send};

/// A scale of 0 to 100 in steps of 5, so Example 5's 70 and 85 are on it.
pub fn five_point_steps() -> Value {
    Value::Array(
        (0..=20)
            .map(|i| json!({"score": i * 5, "descriptor": format!("{} of 100", i * 5)}))
            .collect(),
    )
}

/// Example 5's tender as the API takes it.
pub fn tender_json() -> Value {
    json!({
        "title": "Community transport, Plymouth",
        "description": "Door-to-door transport for older and disabled residents.",
        "contract_value_gbp": 1_000_000,
        "closing_date": "2027-01-31",
        "start_date": "2027-04-01",
        "end_date": "2030-03-31",
        "areas": ["E06000026"],
        "edition": "2020",
        "criteria": ["MAC 2.2", "MAC 8.1"],
        "method": "weighted_score",
        "price_weight": 40,
        "questions": [
            {"id": "Q1", "kind": "quality", "text": "How will you run the service?", "weight": 50},
            {"id": "SV1", "kind": "social_value", "text": "Jobs and apprenticeships for local people", "weight": 6, "criterion": "MAC 2.2"},
            {"id": "SV2", "kind": "social_value", "text": "Co-design with service users", "weight": 4, "criterion": "MAC 8.1"}
        ],
        "scale": five_point_steps()
    })
}

/// A complete bid at `price` with one apprenticeship commitment of `target`.
pub fn bid_json(price: f64, target: f64) -> Value {
    json!({
        "price_gbp": price,
        "answers": [
            {"question_id": "Q1", "text": "A fleet of six accessible minibuses."},
            {"question_id": "SV1", "text": "Apprenticeships for Plymouth residents."},
            {"question_id": "SV2", "text": "A users' panel meeting quarterly."}
        ],
        "commitments": [{
            "criterion": "MAC 2.2",
            "metric_id": "SVM20-2.2-c",
            "description": "Apprenticeships for Plymouth residents",
            "target": target,
            "start_date": "2027-04-01",
            "end_date": "2030-03-31",
            "area": "E06000026",
            "milestones": [
                {"due": "2028-03-31", "target": 2, "description": "Year 1"},
                {"due": "2029-03-31", "target": 4, "description": "Year 2"}
            ],
            "partners": ["Plymouth Skills Hub"],
            "estimated_value_gbp": 12000,
            "value_kind": "economic",
            "value_basis": "Apprentice wages above the alternative"
        }]
    })
}

/// The `id` of a JSON answer.
pub fn id_of(answer: &Answer) -> String {
    answer.json()["id"].as_str().expect("id").to_owned()
}

/// `{"status": status}`, as the status endpoints take it.
pub fn status(status: &str) -> Value {
    json!({ "status": status })
}

/// A decision (on a claim or a request to bid) with an optional note.
pub fn decision(decision: &str, note: Option<&str>) -> Value {
    match note {
        Some(note) => json!({"decision": decision, "note": note}),
        None => json!({ "decision": decision }),
    }
}

/// `{"organisation_id": who's organisation}`, as the invitations endpoint takes it.
pub fn invite(who: &Persona) -> Value {
    json!({"organisation_id": who.organisation_id})
}

/// Example 5's tender created as a draft by the buyer's editor through the API: its id.
pub async fn draft_tender(t: &TestApp) -> String {
    draft_tender_with(t, tender_json()).await
}

/// [`draft_tender`] for the tender `tender_json`.
pub async fn draft_tender_with(t: &TestApp, tender_json: Value) -> String {
    let editor = &t.people.buyer_editor;
    id_of(&t.post(editor, "/api/v1/tenders", tender_json, 201).await)
}

/// The buyer's editor invites `suppliers` to tender `id`.
pub async fn invite_all(t: &TestApp, id: &str, suppliers: &[&Persona]) {
    let uri = format!("/api/v1/tenders/{id}/invitations");
    for s in suppliers {
        t.post(&t.people.buyer_editor, &uri, invite(s), 200).await;
    }
}

/// The buyer's editor moves tender `id` to `to`.
pub async fn set_status(t: &TestApp, id: &str, to: &str) {
    let uri = format!("/api/v1/tenders/{id}/status");
    t.post(&t.people.buyer_editor, &uri, status(to), 200).await;
}

/// [`draft_tender`] with Supplier A invited, opened for bids: its id.
pub async fn open_tender(t: &TestApp) -> String {
    let id = draft_tender(t).await;
    invite_all(t, &id, &[&t.people.supplier_editor]).await;
    set_status(t, &id, "open").await;
    id
}

/// Example 5's consensus scores: A quality 70 and social value 80; B 85 and 50.
pub const CONSENSUS: [(&str, [(&str, f64); 3]); 2] = [
    ("Supplier A", [("Q1", 70.0), ("SV1", 80.0), ("SV2", 80.0)]),
    ("Supplier B", [("Q1", 85.0), ("SV1", 50.0), ("SV2", 50.0)]),
];

/// Ids made along the way.
pub struct Ids {
    pub tender: String,
    pub bid_a: String,
    pub bid_b: String,
}

/// Runs a tender through the API up to closing for evaluation, with both suppliers' bids
/// submitted and the panel named.
pub async fn to_evaluation(t: &TestApp) -> Ids {
    to_evaluation_with(t, tender_json()).await
}

/// `who` saves and submits a bid at `price` to tender `id`: the bid's id.
pub async fn submit_bid(t: &TestApp, id: &str, who: &Persona, price: f64) -> String {
    let uri = format!("/api/v1/tenders/{id}/bid");
    let bid = id_of(&t.put(who, &uri, bid_json(price, 6.0), 200).await);
    t.post(who, &format!("{uri}/submit"), None, 200).await;
    bid
}

/// [`to_evaluation`] for the tender `tender_json`.
pub async fn to_evaluation_with(t: &TestApp, tender_json: Value) -> Ids {
    let p = &t.people;
    let tender = draft_tender_with(t, tender_json).await;
    invite_all(t, &tender, &[&p.supplier_editor, &p.supplier_b]).await;
    set_status(t, &tender, "open").await;
    let bid_a = submit_bid(t, &tender, &p.supplier_editor, 900_000.0).await;
    let bid_b = submit_bid(t, &tender, &p.supplier_b, 1_000_000.0).await;
    set_status(t, &tender, "evaluation").await;
    let panel = format!("/api/v1/tenders/{tender}/panel");
    for (who, role) in [
        (&p.evaluator, "evaluator"),
        (&p.evaluator2, "evaluator"),
        (&p.moderator, "moderator"),
    ] {
        let member = json!({"user_id": who.user_id, "role": role});
        t.post(&p.buyer_admin, &panel, member, 200).await;
    }
    Ids {
        tender,
        bid_a,
        bid_b,
    }
}

/// Both evaluators score every question, then the moderator records Example 5's consensus.
pub async fn evaluate(t: &TestApp, ids: &Ids) {
    evaluate_to(t, ids, CONSENSUS).await;
}

/// [`evaluate`] with the consensus scores `consensus` (bid A first).
pub async fn evaluate_to(t: &TestApp, ids: &Ids, consensus: [(&str, [(&str, f64); 3]); 2]) {
    let p = &t.people;
    for (bid, (_, scores)) in [&ids.bid_a, &ids.bid_b].into_iter().zip(consensus) {
        let (scores_uri, consensus_uri) = (
            format!("/api/v1/bids/{bid}/scores"),
            format!("/api/v1/bids/{bid}/consensus"),
        );
        for (q, s) in scores {
            for (who, delta) in [(&p.evaluator, 0.0), (&p.evaluator2, 5.0)] {
                let score = json!({"question_id": q, "score": (s + delta).min(100.0),
                                   "rationale": format!("{} on {q}", who.email)});
                t.post(who, &scores_uri, score, 204).await;
            }
            let agreed = json!({"question_id": q, "score": s, "justification": format!("Agreed {s} on {q}")});
            t.post(&p.moderator, &consensus_uri, agreed, 204).await;
        }
    }
}

/// `who` uploads the file `name` to tender `id`'s bid import.
pub async fn import_bid(t: &TestApp, id: &str, who: &Persona, name: &str, bytes: &[u8]) -> Answer {
    let uri = format!("/api/v1/tenders/{id}/bid/import");
    let mut request = multipart(&uri, name, bytes);
    let bearer = format!("Bearer {}", who.token).parse().expect("header");
    request.headers_mut().insert(header::AUTHORIZATION, bearer);
    send(&t.app, request).await
}

/// `who` imports the workbook `file` to tender `id`'s bid, which is refused whole: the error,
/// once asserted to name `field` first.
pub async fn import_refused(
    t: &TestApp,
    id: &str,
    who: &Persona,
    file: &[u8],
    field: &str,
) -> Value {
    let refused = import_bid(t, id, who, "our-bid.xlsx", file).await;
    assert_eq!(refused.status, 422, "{}: {}", t.label, refused.text());
    let error = refused.json()["error"].clone();
    assert_eq!(error["field"], field, "{}: {error}", t.label);
    error
}

/// The buyer's admin awards `tender` to `bid`: the contract as JSON.
pub async fn award(t: &TestApp, tender: &str, bid: &str) -> Value {
    let uri = format!("/api/v1/tenders/{tender}/award");
    let chosen = json!({ "bid_id": bid });
    t.post(&t.people.buyer_admin, &uri, chosen, 201)
        .await
        .json()
}

pub fn claim_json() -> Value {
    json!({"kpi_id": "K1", "period_start": "2027-04-01", "period_end": "2027-06-30",
           "quantity": 2, "note": "Two apprentices started", "beneficiary_ref": "P-7"})
}

pub fn spend_json() -> Value {
    json!({"supplier": "Tamar Bakery", "amount_gbp": 1250, "date": "2027-06-30", "area": "E01015023", "sme": true})
}
