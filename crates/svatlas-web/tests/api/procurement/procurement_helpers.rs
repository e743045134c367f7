//! Fixtures for procurement tests: a tender shaped like METHOD.md §11 Example 5 (price 40,
//! quality 50, social value 6% + 4%), bids, claims and spend as the API takes them, and the
//! tender taken through the API by the people of [`crate::platform::app`].

use axum::Router;
use axum::http::Method;
use serde_json::{Value, json};

use crate::platform::app::{People, Persona, expect};

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

/// Example 5's tender created as a draft by the buyer's editor through the API: its id.
pub async fn draft_tender(app: &Router, p: &People) -> String {
    expect(
        app,
        Method::POST,
        "/api/v1/tenders",
        &p.buyer_editor,
        Some(tender_json()),
        201,
    )
    .await
    .json()["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// [`draft_tender`] with Supplier A invited, opened for bids: its id.
pub async fn open_tender(app: &Router, p: &People) -> String {
    let id = draft_tender(app, p).await;
    expect(
        app,
        Method::POST,
        &format!("/api/v1/tenders/{id}/invitations"),
        &p.buyer_editor,
        Some(json!({"organisation_id": p.supplier_editor.organisation_id})),
        200,
    )
    .await;
    expect(
        app,
        Method::POST,
        &format!("/api/v1/tenders/{id}/status"),
        &p.buyer_editor,
        Some(json!({"status": "open"})),
        200,
    )
    .await;
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
pub async fn to_evaluation(app: &Router, p: &People) -> Ids {
    to_evaluation_with(app, p, tender_json()).await
}

/// [`to_evaluation`] for the tender `tender_json`.
pub async fn to_evaluation_with(app: &Router, p: &People, tender_json: Value) -> Ids {
    let tender = expect(
        app,
        Method::POST,
        "/api/v1/tenders",
        &p.buyer_editor,
        Some(tender_json),
        201,
    )
    .await
    .json()["id"]
        .as_str()
        .expect("id")
        .to_owned();
    for s in [&p.supplier_editor, &p.supplier_b] {
        expect(
            app,
            Method::POST,
            &format!("/api/v1/tenders/{tender}/invitations"),
            &p.buyer_editor,
            Some(json!({"organisation_id": s.organisation_id})),
            200,
        )
        .await;
    }
    let status = |s: &str| json!({ "status": s });
    expect(
        app,
        Method::POST,
        &format!("/api/v1/tenders/{tender}/status"),
        &p.buyer_editor,
        Some(status("open")),
        200,
    )
    .await;
    let bid = |s: &Persona, price: f64| {
        let uri = format!("/api/v1/tenders/{tender}/bid");
        let s = s.clone();
        async move {
            let id = expect(app, Method::PUT, &uri, &s, Some(bid_json(price, 6.0)), 200)
                .await
                .json()["id"]
                .as_str()
                .expect("bid id")
                .to_owned();
            expect(app, Method::POST, &format!("{uri}/submit"), &s, None, 200).await;
            id
        }
    };
    let bid_a = bid(&p.supplier_editor, 900_000.0).await;
    let bid_b = bid(&p.supplier_b, 1_000_000.0).await;
    expect(
        app,
        Method::POST,
        &format!("/api/v1/tenders/{tender}/status"),
        &p.buyer_editor,
        Some(status("evaluation")),
        200,
    )
    .await;
    for (who, role) in [
        (&p.evaluator, "evaluator"),
        (&p.evaluator2, "evaluator"),
        (&p.moderator, "moderator"),
    ] {
        expect(
            app,
            Method::POST,
            &format!("/api/v1/tenders/{tender}/panel"),
            &p.buyer_admin,
            Some(json!({"user_id": who.user_id, "role": role})),
            200,
        )
        .await;
    }
    Ids {
        tender,
        bid_a,
        bid_b,
    }
}

/// Both evaluators score every question, then the moderator records Example 5's consensus.
pub async fn evaluate(app: &Router, p: &People, ids: &Ids) {
    evaluate_to(app, p, ids, CONSENSUS).await;
}

/// [`evaluate`] with the consensus scores `consensus` (bid A first).
pub async fn evaluate_to(
    app: &Router,
    p: &People,
    ids: &Ids,
    consensus: [(&str, [(&str, f64); 3]); 2],
) {
    for (bid, (_, scores)) in [&ids.bid_a, &ids.bid_b].into_iter().zip(consensus) {
        for (q, s) in scores {
            for (who, delta) in [(&p.evaluator, 0.0), (&p.evaluator2, 5.0)] {
                expect(
                    app,
                    Method::POST,
                    &format!("/api/v1/bids/{bid}/scores"),
                    who,
                    Some(json!({"question_id": q, "score": (s + delta).min(100.0),
                                "rationale": format!("{} on {q}", who.email)})),
                    204,
                )
                .await;
            }
            expect(
                app,
                Method::POST,
                &format!("/api/v1/bids/{bid}/consensus"),
                &p.moderator,
                Some(json!({"question_id": q, "score": s, "justification": format!("Agreed {s} on {q}")})),
                204,
            )
            .await;
        }
    }
}

pub fn claim_json() -> Value {
    json!({"kpi_id": "K1", "period_start": "2027-04-01", "period_end": "2027-06-30",
           "quantity": 2, "note": "Two apprentices started", "beneficiary_ref": "P-7"})
}

pub fn spend_json() -> Value {
    json!({"supplier": "Tamar Bakery", "amount_gbp": 1250, "date": "2027-06-30", "area": "E01015023", "sme": true})
}
