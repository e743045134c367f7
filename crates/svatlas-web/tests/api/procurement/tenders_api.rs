//! The procurement JSON API end to end: a buyer's tender, invited suppliers' bids, two
//! evaluators and a moderator, METHOD.md §11 Example 5's results, award, delivery claims and
//! their review, and the rules on who sees what. SQLite and PostgreSQL.

use axum::http::Method;
use serde_json::json;

use crate::platform::app::{TestApp, call, expect};
use crate::platform::helpers::assert_close;
use crate::procurement::procurement_helpers::{
    CONSENSUS, bid_json, evaluate, tender_json, to_evaluation,
};

#[tokio::test]
async fn tender_to_verified_delivery_reproduces_example_5_and_keeps_scores_sealed() {
    for t in TestApp::all_backends().await {
        let (app, p) = (&t.app, &t.people);
        let ids = to_evaluation(app, p).await;
        let tender = &ids.tender;

        // Evaluators score independently: before moderation each sees only their own.
        expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/scores", ids.bid_a),
            &p.evaluator,
            Some(json!({"question_id": "Q1", "score": 70, "rationale": "Clear fleet plan"})),
            204,
        )
        .await;
        expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/scores", ids.bid_a),
            &p.evaluator2,
            Some(json!({"question_id": "Q1", "score": 75, "rationale": "Strong but costly"})),
            204,
        )
        .await;
        let seen = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}/scores"),
            &p.evaluator,
            None,
            200,
        )
        .await;
        let scores = seen.json()["scores"].as_array().expect("scores").clone();
        assert_eq!(
            scores.len(),
            1,
            "{}: evaluator 1 sees only their score: {scores:?}",
            t.label
        );
        assert_eq!(scores[0]["rationale"], "Clear fleet plan");
        assert!(!seen.text().contains("Strong but costly"), "{}", t.label);
        let moderator_view = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}/scores"),
            &p.moderator,
            None,
            200,
        )
        .await;
        assert_eq!(
            moderator_view.json()["scores"].as_array().map(Vec::len),
            Some(2),
            "{}",
            t.label
        );
        // A buyer member off the panel sees no individual scores before award.
        let viewer = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}/scores"),
            &p.buyer_viewer,
            None,
            200,
        )
        .await;
        assert_eq!(
            viewer.json()["scores"].as_array().map(Vec::len),
            Some(0),
            "{}",
            t.label
        );

        // Off-scale scores, missing rationales and the wrong people are refused.
        let off = expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/scores", ids.bid_a),
            &p.evaluator,
            Some(json!({"question_id": "Q1", "score": 72, "rationale": "x"})),
            422,
        )
        .await;
        assert_eq!(off.json()["error"]["field"], "score", "{}", t.label);
        expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/scores", ids.bid_a),
            &p.moderator,
            Some(json!({"question_id": "Q1", "score": 70, "rationale": "x"})),
            403,
        )
        .await;
        expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/consensus", ids.bid_a),
            &p.evaluator,
            Some(json!({"question_id": "Q1", "score": 70, "justification": "x"})),
            403,
        )
        .await;
        expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/scores", ids.bid_a),
            &p.supplier_editor,
            Some(json!({"question_id": "Q1", "score": 100, "rationale": "mine"})),
            404,
        )
        .await;
        let no_score = expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/consensus", ids.bid_b),
            &p.moderator,
            Some(json!({"question_id": "SV2", "score": 50, "justification": "x"})),
            409,
        )
        .await;
        assert!(
            no_score.text().contains("no evaluator has scored"),
            "{}",
            t.label
        );

        // Results wait for every consensus score and say which are missing.
        let waiting = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}/results"),
            &p.buyer_viewer,
            None,
            409,
        )
        .await;
        assert!(
            waiting.text().contains("Supplier A: Q1, SV1, SV2"),
            "{}: {}",
            t.label,
            waiting.text()
        );
        expect(
            app,
            Method::POST,
            &format!("/api/v1/tenders/{tender}/award"),
            &p.buyer_admin,
            Some(json!({"bid_id": ids.bid_b})),
            409,
        )
        .await;

        evaluate(app, p, &ids).await;
        // Once moderated, individual scores of that question are closed...
        let closed = expect(
            app,
            Method::POST,
            &format!("/api/v1/bids/{}/scores", ids.bid_a),
            &p.evaluator,
            Some(json!({"question_id": "Q1", "score": 100, "rationale": "late change"})),
            409,
        )
        .await;
        assert!(closed.text().contains("moderated already"), "{}", t.label);
        // ...and evaluators see each other's scores of it.
        let after = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}/scores"),
            &p.evaluator,
            None,
            200,
        )
        .await;
        assert_eq!(
            after.json()["scores"].as_array().map(Vec::len),
            Some(12),
            "{}",
            t.label
        );
        assert_eq!(
            after.json()["consensus"].as_array().map(Vec::len),
            Some(6),
            "{}",
            t.label
        );

        // METHOD.md §11 Example 5: A 40.0 + 35.0 + 8.0 = 83.0; B 36.0 + 42.5 + 5.0 = 83.5 wins.
        let results = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}/results"),
            &p.buyer_viewer,
            None,
            200,
        )
        .await
        .json();
        assert_eq!(results["method"], "weighted_score");
        let bids = results["bids"].as_array().expect("bids");
        let by_name = |n: &str| {
            bids.iter()
                .find(|b| b["name"] == n)
                .unwrap_or_else(|| panic!("{n}: {bids:?}"))
        };
        let (a, b) = (by_name(CONSENSUS[0].0), by_name(CONSENSUS[1].0));
        for (bid, price, quality, sv, total, rank) in
            [(a, 40.0, 35.0, 8.0, 83.0, 2), (b, 36.0, 42.5, 5.0, 83.5, 1)]
        {
            assert_close("price_score", &bid["price_score"], price, 1e-9);
            assert_close("quality_score", &bid["quality_score"], quality, 1e-9);
            assert_close("social_value_score", &bid["social_value_score"], sv, 1e-9);
            assert_close("total", &bid["total"], total, 1e-9);
            assert_eq!(bid["rank"], rank, "{}", t.label);
        }
        assert_close(
            "A's social value points",
            &a["social_value_points"],
            8.0,
            1e-9,
        );
        assert_eq!(b["bid_id"], ids.bid_b.as_str());
        expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}/results"),
            &p.supplier_b,
            None,
            403,
        )
        .await;

        // Award: a buyer editor may not; the admin may; B's commitment becomes KPI K1.
        expect(
            app,
            Method::POST,
            &format!("/api/v1/tenders/{tender}/award"),
            &p.buyer_editor,
            Some(json!({"bid_id": ids.bid_b})),
            403,
        )
        .await;
        let contract = expect(
            app,
            Method::POST,
            &format!("/api/v1/tenders/{tender}/award"),
            &p.buyer_admin,
            Some(json!({"bid_id": ids.bid_b})),
            201,
        )
        .await
        .json();
        assert_eq!(contract["supplier"], "Supplier B");
        let kpi = &contract["kpis"][0];
        assert_eq!(
            (
                kpi["id"].as_str(),
                kpi["criterion"].as_str(),
                kpi["unit"].as_str()
            ),
            (Some("K1"), Some("MAC 2.2"), Some("apprenticeships")),
            "{}",
            t.label
        );
        assert_eq!(kpi["theme"], "Tackling economic inequality");
        assert_eq!(kpi["target"], 6.0);
        let contract_id = contract["id"].as_str().expect("contract id").to_owned();
        let tender_now = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{tender}"),
            &p.supplier_b,
            None,
            200,
        )
        .await
        .json();
        assert_eq!(tender_now["status"], "awarded");

        // Delivery: the supplier reports, the buyer queries, the supplier amends, the buyer verifies.
        let claims = format!("/api/v1/contracts/{contract_id}/claims");
        let claim = |q: f64, end: &str, r: &str| {
            json!({"kpi_id": "K1", "period_start": "2027-04-01", "period_end": end,
            "quantity": q, "note": "Apprentices started", "links": ["https://example.org/register"], "beneficiary_ref": r})
        };
        expect(
            app,
            Method::POST,
            &claims,
            &p.buyer_editor,
            Some(claim(2.0, "2027-06-30", "P-1")),
            403,
        )
        .await;
        expect(
            app,
            Method::POST,
            &claims,
            &p.supplier_editor,
            Some(claim(2.0, "2027-06-30", "P-1")),
            404,
        )
        .await;
        let bad = expect(
            app,
            Method::POST,
            &claims,
            &p.supplier_b,
            Some(json!({"kpi_id": "K9", "period_start": "2027-04-01",
            "period_end": "2027-03-01", "quantity": 0})),
            422,
        )
        .await
        .json();
        assert_eq!(bad["error"]["field"], "kpi_id", "{}", t.label);
        assert_eq!(
            bad["error"]["others"].as_array().map(Vec::len),
            Some(2),
            "{}: {bad}",
            t.label
        );
        let first = expect(
            app,
            Method::POST,
            &claims,
            &p.supplier_b,
            Some(claim(2.0, "2027-06-30", "P-1")),
            201,
        )
        .await
        .json();
        let first_id = first["id"].as_str().expect("claim id").to_owned();
        assert_eq!(first["status"], "reported");
        let second = expect(
            app,
            Method::POST,
            &claims,
            &p.supplier_b,
            Some(claim(1.0, "2027-09-30", "p-1")),
            201,
        )
        .await
        .json();
        let review = |id: &str| format!("{claims}/{id}/review");
        let no_note = expect(
            app,
            Method::POST,
            &review(&first_id),
            &p.buyer_editor,
            Some(json!({"decision": "query"})),
            422,
        )
        .await
        .json();
        assert_eq!(no_note["error"]["field"], "note");
        expect(
            app,
            Method::POST,
            &review(&first_id),
            &p.supplier_b,
            Some(json!({"decision": "verify"})),
            403,
        )
        .await;
        let queried = expect(
            app,
            Method::POST,
            &review(&first_id),
            &p.buyer_editor,
            Some(json!({"decision": "query", "note": "Please attach the start dates"})),
            200,
        )
        .await
        .json();
        assert_eq!(queried["status"], "queried");
        let amended = expect(
            app,
            Method::PUT,
            &format!("{claims}/{first_id}"),
            &p.supplier_b,
            Some(claim(2.0, "2027-06-30", "P-1")),
            200,
        )
        .await
        .json();
        assert_eq!(amended["status"], "reported");
        expect(
            app,
            Method::POST,
            &review(&first_id),
            &p.buyer_editor,
            Some(json!({"decision": "verify"})),
            200,
        )
        .await;
        let again = expect(
            app,
            Method::POST,
            &review(&first_id),
            &p.buyer_editor,
            Some(json!({"decision": "reject", "note": "no"})),
            409,
        )
        .await;
        assert!(again.text().contains("verified already"), "{}", t.label);
        expect(
            app,
            Method::PUT,
            &format!("{claims}/{first_id}"),
            &p.supplier_b,
            Some(claim(3.0, "2027-06-30", "P-1")),
            409,
        )
        .await;

        // The dashboard counts only verified delivery, and flags P-1 claimed twice for K1.
        let view = expect(
            app,
            Method::GET,
            &format!("/api/v1/contracts/{contract_id}"),
            &p.buyer_viewer,
            None,
            200,
        )
        .await
        .json();
        let k1 = &view["progress"]["kpis"][0];
        assert_eq!(
            (
                k1["committed"].as_f64(),
                k1["reported"].as_f64(),
                k1["verified"].as_f64()
            ),
            (Some(6.0), Some(3.0), Some(2.0)),
            "{}: {view}",
            t.label
        );
        assert_close("verified share", &k1["verified_share"], 2.0 / 6.0, 1e-12);
        assert_eq!(
            view["progress"]["milestones"][0]["state"], "met",
            "{}",
            t.label
        );
        let dups = view["duplicate_beneficiaries"]
            .as_array()
            .expect("duplicates");
        assert_eq!(dups.len(), 1, "{}", t.label);
        assert_eq!(dups[0]["beneficiary_ref"], "P-1");
        assert_eq!(dups[0]["kind"], "repeated");
        assert_eq!(view["claims"][1]["id"], second["id"]);
        let list = expect(
            app,
            Method::GET,
            "/api/v1/contracts",
            &p.supplier_b,
            None,
            200,
        )
        .await
        .json();
        assert_eq!(list["contracts"][0]["your_side"], "supplier");
        assert_eq!(list["contracts"][0]["claims_awaiting_review"], 1);
        expect(
            app,
            Method::GET,
            &format!("/api/v1/contracts/{contract_id}"),
            &p.outsider,
            None,
            404,
        )
        .await;
        expect(
            app,
            Method::GET,
            &format!("/api/v1/contracts/{contract_id}"),
            &p.supplier_editor,
            None,
            404,
        )
        .await;
        t.finish().await;
    }
}

#[tokio::test]
async fn tenders_are_hidden_from_strangers_and_bids_sealed_until_close() {
    for t in TestApp::all_backends().await {
        let (app, p) = (&t.app, &t.people);
        let created = expect(
            app,
            Method::POST,
            "/api/v1/tenders",
            &p.buyer_editor,
            Some(tender_json()),
            201,
        )
        .await
        .json();
        let id = created["id"].as_str().expect("id").to_owned();
        assert_eq!(created["status"], "draft");
        assert_eq!(created["social_value_weight"], 10.0);
        assert_eq!(created["buyer"], "Plymouth City Council");
        let uri = format!("/api/v1/tenders/{id}");
        // A viewer cannot create; weights under 10% social value are refused with the reason.
        expect(
            app,
            Method::POST,
            "/api/v1/tenders",
            &p.buyer_viewer,
            Some(tender_json()),
            403,
        )
        .await;
        let mut low = tender_json();
        low["questions"][2]["weight"] = json!(2);
        low["price_weight"] = json!(42);
        let refused = expect(
            app,
            Method::POST,
            "/api/v1/tenders",
            &p.buyer_editor,
            Some(low),
            422,
        )
        .await
        .json();
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("at least 10%"),
            "{refused}"
        );
        let mut high = tender_json();
        high["questions"][1]["weight"] = json!(36);
        high["price_weight"] = json!(10);
        let warned = expect(
            app,
            Method::POST,
            "/api/v1/tenders",
            &p.buyer_editor,
            Some(high),
            201,
        )
        .await
        .json();
        assert_eq!(
            warned["warnings"][0]["code"], "social_value_weight_high",
            "{}",
            t.label
        );

        // A draft is the buyer's alone; invited suppliers see it once open; strangers never.
        expect(
            app,
            Method::POST,
            &format!("{uri}/invitations"),
            &p.buyer_editor,
            Some(json!({"organisation_id": p.supplier_editor.organisation_id})),
            200,
        )
        .await;
        expect(app, Method::GET, &uri, &p.supplier_editor, None, 404).await;
        expect(app, Method::GET, &uri, &p.outsider, None, 404).await;
        let unknown = expect(
            app,
            Method::POST,
            &format!("{uri}/invitations"),
            &p.buyer_editor,
            Some(json!({"organisation_id": uuid::Uuid::new_v4()})),
            422,
        )
        .await
        .json();
        assert_eq!(unknown["error"]["field"], "organisation_id");
        let mut edited = tender_json();
        edited["title"] = json!("Community transport, Plymouth (revised)");
        expect(
            app,
            Method::PUT,
            &uri,
            &p.buyer_editor,
            Some(edited.clone()),
            200,
        )
        .await;
        expect(
            app,
            Method::POST,
            &format!("{uri}/status"),
            &p.buyer_editor,
            Some(json!({"status": "open"})),
            200,
        )
        .await;
        let seen = expect(app, Method::GET, &uri, &p.supplier_editor, None, 200)
            .await
            .json();
        assert_eq!(seen["your_side"], "supplier");
        assert_eq!(seen["title"], "Community transport, Plymouth (revised)");
        assert_eq!(
            seen["invitations"].as_array().map(Vec::len),
            Some(0),
            "suppliers do not see who else is invited"
        );
        expect(app, Method::GET, &uri, &p.supplier_b, None, 404).await;
        expect(app, Method::PUT, &uri, &p.buyer_editor, Some(edited), 409).await;
        let listed = expect(
            app,
            Method::GET,
            "/api/v1/tenders",
            &p.supplier_editor,
            None,
            200,
        )
        .await
        .json();
        assert_eq!(
            listed["invited"].as_array().map(Vec::len),
            Some(1),
            "{}",
            t.label
        );
        assert_eq!(
            listed["buying"].as_array().map(Vec::len),
            Some(0),
            "{}",
            t.label
        );

        // Bidding: viewers and the buyer cannot; a draft bid may be partial; submitting needs all answers.
        let bid_uri = format!("{uri}/bid");
        expect(
            app,
            Method::PUT,
            &bid_uri,
            &p.supplier_viewer,
            Some(bid_json(900_000.0, 6.0)),
            403,
        )
        .await;
        expect(
            app,
            Method::PUT,
            &bid_uri,
            &p.buyer_editor,
            Some(bid_json(900_000.0, 6.0)),
            403,
        )
        .await;
        let mut partial = bid_json(900_000.0, 6.0);
        partial["answers"].as_array_mut().expect("answers").pop();
        let saved = expect(
            app,
            Method::PUT,
            &bid_uri,
            &p.supplier_editor,
            Some(partial),
            200,
        )
        .await
        .json();
        assert_eq!(saved["status"], "draft");
        assert_eq!(
            saved["commitments"][0]["unit"], "apprenticeships",
            "unit filled from the metric"
        );
        assert_eq!(saved["estimated_values"][0]["kind"], "economic");
        let incomplete = expect(
            app,
            Method::POST,
            &format!("{bid_uri}/submit"),
            &p.supplier_editor,
            None,
            422,
        )
        .await;
        assert!(incomplete.text().contains("SV2"), "{}", incomplete.text());
        let mut wrong = bid_json(900_000.0, 6.0);
        wrong["commitments"][0]["criterion"] = json!("MAC 4.1");
        let off_scope = expect(
            app,
            Method::PUT,
            &bid_uri,
            &p.supplier_editor,
            Some(wrong),
            422,
        )
        .await
        .json();
        assert_eq!(off_scope["error"]["field"], "commitments[0].criterion");
        expect(
            app,
            Method::PUT,
            &bid_uri,
            &p.supplier_editor,
            Some(bid_json(900_000.0, 6.0)),
            200,
        )
        .await;
        expect(
            app,
            Method::POST,
            &format!("{bid_uri}/submit"),
            &p.supplier_editor,
            None,
            200,
        )
        .await;
        expect(
            app,
            Method::PUT,
            &bid_uri,
            &p.supplier_editor,
            Some(bid_json(800_000.0, 6.0)),
            409,
        )
        .await;
        // Sealed: the buyer sees no bid before close.
        expect(
            app,
            Method::GET,
            &format!("{uri}/bids"),
            &p.buyer_admin,
            None,
            409,
        )
        .await;
        expect(
            app,
            Method::GET,
            &format!("{uri}/bids"),
            &p.supplier_editor,
            None,
            403,
        )
        .await;
        expect(
            app,
            Method::POST,
            &format!("{uri}/status"),
            &p.buyer_editor,
            Some(json!({"status": "evaluation"})),
            200,
        )
        .await;
        let bids = expect(
            app,
            Method::GET,
            &format!("{uri}/bids"),
            &p.buyer_viewer,
            None,
            200,
        )
        .await
        .json();
        assert_eq!(bids.as_array().map(Vec::len), Some(1), "{}", t.label);
        assert_eq!(bids[0]["price_gbp"], 900_000.0);
        expect(
            app,
            Method::POST,
            &format!("{bid_uri}/withdraw"),
            &p.supplier_editor,
            None,
            409,
        )
        .await;
        let back = expect(
            app,
            Method::POST,
            &format!("{uri}/status"),
            &p.buyer_editor,
            Some(json!({"status": "open"})),
            409,
        )
        .await;
        assert!(
            back.text().contains("cannot go from evaluation"),
            "{}",
            back.text()
        );
        // The panel is the admin's to name, from the buyer's own members.
        expect(
            app,
            Method::POST,
            &format!("{uri}/panel"),
            &p.buyer_editor,
            Some(json!({"user_id": p.evaluator.user_id, "role": "evaluator"})),
            403,
        )
        .await;
        expect(
            app,
            Method::POST,
            &format!("{uri}/panel"),
            &p.buyer_admin,
            Some(json!({"user_id": p.supplier_editor.user_id, "role": "evaluator"})),
            422,
        )
        .await;
        let no_token = call(app, Method::GET, &uri, None, None).await;
        assert_eq!(no_token.status, 401);
        t.finish().await;
    }
}

/// A multipart upload of one file in the field `file`.
pub(crate) async fn upload(
    app: &axum::Router,
    uri: &str,
    token: &str,
    name: &str,
    bytes: &[u8],
) -> crate::platform::helpers::Answer {
    use axum::body::Body;
    use axum::http::{Request, header};
    let boundary = "bidfileboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    crate::platform::helpers::send(app, request).await
}

#[tokio::test]
async fn bids_drafted_offline_import_whole_or_not_at_all_with_located_errors() {
    use svatlas_domain::procurement::bid::BidDetails;
    use svatlas_domain::procurement::tender::TenderDetails;
    for t in TestApp::all_backends().await {
        let (app, p) = (&t.app, &t.people);
        let id = expect(
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
            .to_owned();
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
        let import = format!("/api/v1/tenders/{id}/bid/import");
        let tender: TenderDetails = serde_json::from_value(tender_json()).expect("tender");

        // The blank workbook downloads for the supplier, not for the buyer.
        let blank = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{id}/bid.xlsx"),
            &p.supplier_editor,
            None,
            200,
        )
        .await;
        assert!(
            blank.body.starts_with(b"PK"),
            "{}: an xlsx is a zip",
            t.label
        );
        expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{id}/bid.xlsx"),
            &p.buyer_editor,
            None,
            403,
        )
        .await;
        // A CSV needs a draft to add its commitments to.
        let csv = "criterion,description,target,unit\nMAC 2.2,Apprentices,6,apprenticeships\n";
        let early = upload(
            app,
            &import,
            &p.supplier_editor.token,
            "c.csv",
            csv.as_bytes(),
        )
        .await;
        assert_eq!(early.status, 409, "{}: {}", t.label, early.text());

        // A workbook with two bad rows is refused whole, each problem located.
        let mut bad: BidDetails = serde_json::from_value(bid_json(900_000.0, 6.0)).expect("bid");
        let mut second = bad.commitments[0].clone();
        second.criterion = "MAC 4.1".into();
        bad.commitments.push(second);
        bad.commitments[0].target = -3.0;
        bad.commitments[0].milestones.clear();
        let file =
            svatlas_report::bid_file::bid_workbook("x", &tender, Some(&bad)).expect("workbook");
        let refused = upload(
            app,
            &import,
            &p.supplier_editor.token,
            "our-bid.xlsx",
            &file,
        )
        .await;
        assert_eq!(refused.status, 422, "{}: {}", t.label, refused.text());
        let error = &refused.json()["error"];
        assert_eq!(
            error["field"], "Commitments!2:target",
            "{}: {error}",
            t.label
        );
        assert_eq!(
            error["others"][0]["field"], "Commitments!3:criterion",
            "{error}"
        );
        assert!(
            error["message"]
                .as_str()
                .unwrap_or("")
                .starts_with("our-bid.xlsx, sheet \"Commitments\", row 2, column target"),
            "{error}"
        );
        expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{id}/bid"),
            &p.supplier_editor,
            None,
            404,
        )
        .await;

        // A good workbook makes the draft; its own download reads back the same bid.
        let good: BidDetails = serde_json::from_value(bid_json(900_000.0, 6.0)).expect("bid");
        let file =
            svatlas_report::bid_file::bid_workbook("x", &tender, Some(&good)).expect("workbook");
        let imported = upload(
            app,
            &import,
            &p.supplier_editor.token,
            "our-bid.xlsx",
            &file,
        )
        .await;
        assert_eq!(imported.status, 200, "{}: {}", t.label, imported.text());
        let bid = imported.json();
        assert_eq!(bid["status"], "draft");
        assert_eq!(bid["price_gbp"], 900_000.0);
        assert_eq!(bid["answers"].as_array().map(Vec::len), Some(3));
        assert_eq!(bid["commitments"][0]["milestones"][1]["target"], 4.0);
        let again = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{id}/bid.xlsx"),
            &p.supplier_editor,
            None,
            200,
        )
        .await;
        let round = svatlas_report::bid_file::read_bid_workbook("again.xlsx", &again.body, &tender)
            .expect("reads back");
        assert_eq!(round, good.normalised(&tender), "{}", t.label);

        // A CSV replaces only the commitments; a bad one changes nothing.
        let bad_csv =
            "criterion,description,target,unit\nMAC 2.2,Apprentices,lots,apprenticeships\n";
        let refused = upload(
            app,
            &import,
            &p.supplier_editor.token,
            "c.csv",
            bad_csv.as_bytes(),
        )
        .await;
        assert_eq!(refused.json()["error"]["field"], "2:target", "{}", t.label);
        let ok = upload(
            app,
            &import,
            &p.supplier_editor.token,
            "c.csv",
            csv.as_bytes(),
        )
        .await;
        assert_eq!(ok.status, 200, "{}: {}", t.label, ok.text());
        let now = ok.json();
        assert_eq!(now["price_gbp"], 900_000.0, "price kept");
        assert_eq!(now["commitments"].as_array().map(Vec::len), Some(1));
        assert_eq!(now["commitments"][0]["description"], "Apprentices");
        let csv_back = expect(
            app,
            Method::GET,
            &format!("/api/v1/tenders/{id}/bid.csv"),
            &p.supplier_editor,
            None,
            200,
        )
        .await;
        assert!(
            csv_back
                .text()
                .starts_with("criterion,metric_id,description,target"),
            "{}",
            csv_back.text()
        );
        assert!(
            csv_back
                .text()
                .contains("MAC 2.2,,Apprentices,6,apprenticeships"),
            "{}",
            csv_back.text()
        );
        let viewer = upload(
            app,
            &import,
            &p.supplier_viewer.token,
            "c.csv",
            csv.as_bytes(),
        )
        .await;
        assert_eq!(viewer.status, 403);
        let wrong = upload(
            app,
            &import,
            &p.supplier_editor.token,
            "bid.pdf",
            b"%PDF-1.4",
        )
        .await;
        assert_eq!(wrong.status, 422);
        t.finish().await;
    }
}
