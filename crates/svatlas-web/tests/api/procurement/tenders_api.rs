//! The procurement JSON API end to end: a buyer's tender, invited suppliers' bids, two
//! evaluators and a moderator, METHOD.md §11 Example 5's results, award, delivery claims and
//! their review, and the rules on who sees what. SQLite and PostgreSQL.

use axum::http::Method;
use serde_json::{Value, json};
use svatlas_domain::procurement::bid::BidDetails;
use svatlas_domain::procurement::tender::TenderDetails;

use crate::platform::app::{Persona, call};
use crate::platform::helpers::{assert_close, assert_contains};
use crate::procurement::procurement_helpers::{
    CONSENSUS, bid_json, decision, evaluate, id_of, import_bid, import_refused, invite,
    open_tender, set_status, status, tender_json, to_evaluation,
};

/// An evaluator's score of question `q`.
fn score(q: &str, score: f64, rationale: &str) -> Value {
    json!({"question_id": q, "score": score, "rationale": rationale})
}

/// A moderator's consensus score of question `q`.
fn consensus(q: &str, score: f64, justification: &str) -> Value {
    json!({"question_id": q, "score": score, "justification": justification})
}

backends_test!(
    tender_to_verified_delivery_reproduces_example_5_and_keeps_scores_sealed,
    |t, p| {
        let ids = to_evaluation(&t).await;
        let tender = &ids.tender;
        let (scores_a, consensus_a, consensus_b) = (
            format!("/api/v1/bids/{}/scores", ids.bid_a),
            format!("/api/v1/bids/{}/consensus", ids.bid_a),
            format!("/api/v1/bids/{}/consensus", ids.bid_b),
        );
        let (scores, results_uri, award_uri) = (
            format!("/api/v1/tenders/{tender}/scores"),
            format!("/api/v1/tenders/{tender}/results"),
            format!("/api/v1/tenders/{tender}/award"),
        );

        // Evaluators score independently: before moderation each sees only their own.
        let clear = score("Q1", 70.0, "Clear fleet plan");
        t.post(&p.evaluator, &scores_a, clear, 204).await;
        let costly = score("Q1", 75.0, "Strong but costly");
        t.post(&p.evaluator2, &scores_a, costly, 204).await;
        let seen = t.get(&p.evaluator, &scores, 200).await;
        let own = seen.json()["scores"].as_array().expect("scores").clone();
        assert_eq!(
            own.len(),
            1,
            "{}: evaluator 1 sees only their score: {own:?}",
            t.label
        );
        assert_eq!(own[0]["rationale"], "Clear fleet plan");
        assert!(!seen.text().contains("Strong but costly"), "{}", t.label);
        let count = |answer: &Value, key: &str| answer[key].as_array().map(Vec::len);
        let moderator_view = t.get(&p.moderator, &scores, 200).await.json();
        assert_eq!(count(&moderator_view, "scores"), Some(2), "{}", t.label);
        // A buyer member off the panel sees no individual scores before award.
        let viewer = t.get(&p.buyer_viewer, &scores, 200).await.json();
        assert_eq!(count(&viewer, "scores"), Some(0), "{}", t.label);

        // Off-scale scores, missing rationales and the wrong people are refused.
        let off = t
            .post(&p.evaluator, &scores_a, score("Q1", 72.0, "x"), 422)
            .await;
        assert_eq!(off.json()["error"]["field"], "score", "{}", t.label);
        t.post(&p.moderator, &scores_a, score("Q1", 70.0, "x"), 403)
            .await;
        t.post(&p.evaluator, &consensus_a, consensus("Q1", 70.0, "x"), 403)
            .await;
        let mine = score("Q1", 100.0, "mine");
        t.post(&p.supplier_editor, &scores_a, mine, 404).await;
        let unscored = consensus("SV2", 50.0, "x");
        let no_score = t.post(&p.moderator, &consensus_b, unscored, 409).await;
        assert!(
            no_score.text().contains("no evaluator has scored"),
            "{}",
            t.label
        );

        // Results wait for every consensus score and say which are missing.
        let waiting = t.get(&p.buyer_viewer, &results_uri, 409).await;
        assert!(
            waiting.text().contains("Supplier A: Q1, SV1, SV2"),
            "{}: {}",
            t.label,
            waiting.text()
        );
        let to_b = json!({"bid_id": ids.bid_b});
        t.post(&p.buyer_admin, &award_uri, to_b.clone(), 409).await;

        evaluate(&t, &ids).await;
        // Once moderated, individual scores of that question are closed...
        let late = score("Q1", 100.0, "late change");
        let closed = t.post(&p.evaluator, &scores_a, late, 409).await;
        assert!(closed.text().contains("moderated already"), "{}", t.label);
        // ...and evaluators see each other's scores of it.
        let after = t.get(&p.evaluator, &scores, 200).await.json();
        assert_eq!(count(&after, "scores"), Some(12), "{}", t.label);
        assert_eq!(count(&after, "consensus"), Some(6), "{}", t.label);

        // METHOD.md §11 Example 5: A 40.0 + 35.0 + 8.0 = 83.0; B 36.0 + 42.5 + 5.0 = 83.5 wins.
        let results = t.get(&p.buyer_viewer, &results_uri, 200).await.json();
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
        t.get(&p.supplier_b, &results_uri, 403).await;

        // Award: a buyer editor may not; the admin may; B's commitment becomes KPI K1.
        t.post(&p.buyer_editor, &award_uri, to_b.clone(), 403).await;
        let contract = t.post(&p.buyer_admin, &award_uri, to_b, 201).await.json();
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
        let tender_uri = format!("/api/v1/tenders/{tender}");
        let tender_now = t.get(&p.supplier_b, &tender_uri, 200).await.json();
        assert_eq!(tender_now["status"], "awarded");

        // Delivery: the supplier reports, the buyer queries, the supplier amends, the buyer verifies.
        let claims = format!("/api/v1/contracts/{contract_id}/claims");
        let claim = |q: f64, end: &str, r: &str| {
            json!({"kpi_id": "K1", "period_start": "2027-04-01", "period_end": end,
            "quantity": q, "note": "Apprentices started", "links": ["https://example.org/register"], "beneficiary_ref": r})
        };
        let p1 = claim(2.0, "2027-06-30", "P-1");
        t.post(&p.buyer_editor, &claims, p1.clone(), 403).await;
        t.post(&p.supplier_editor, &claims, p1.clone(), 404).await;
        let wrong = json!({"kpi_id": "K9", "period_start": "2027-04-01",
                           "period_end": "2027-03-01", "quantity": 0});
        let bad = t.post(&p.supplier_b, &claims, wrong, 422).await.json();
        assert_eq!(bad["error"]["field"], "kpi_id", "{}", t.label);
        assert_eq!(
            bad["error"]["others"].as_array().map(Vec::len),
            Some(2),
            "{}: {bad}",
            t.label
        );
        let first = t.post(&p.supplier_b, &claims, p1.clone(), 201).await.json();
        let first_id = first["id"].as_str().expect("claim id").to_owned();
        assert_eq!(first["status"], "reported");
        let again_p1 = claim(1.0, "2027-09-30", "p-1");
        let second = t.post(&p.supplier_b, &claims, again_p1, 201).await.json();
        let review = format!("{claims}/{first_id}/review");
        let query = decision("query", None);
        let no_note = t.post(&p.buyer_editor, &review, query, 422).await.json();
        assert_eq!(no_note["error"]["field"], "note");
        t.post(&p.supplier_b, &review, decision("verify", None), 403)
            .await;
        let query = decision("query", Some("Please attach the start dates"));
        let queried = t.post(&p.buyer_editor, &review, query, 200).await.json();
        assert_eq!(queried["status"], "queried");
        let first_uri = format!("{claims}/{first_id}");
        let amended = t.put(&p.supplier_b, &first_uri, p1, 200).await.json();
        assert_eq!(amended["status"], "reported");
        t.post(&p.buyer_editor, &review, decision("verify", None), 200)
            .await;
        let reject = decision("reject", Some("no"));
        let again = t.post(&p.buyer_editor, &review, reject, 409).await;
        assert!(again.text().contains("verified already"), "{}", t.label);
        let more = claim(3.0, "2027-06-30", "P-1");
        t.put(&p.supplier_b, &first_uri, more, 409).await;

        // The dashboard counts only verified delivery, and flags P-1 claimed twice for K1.
        let contract_uri = format!("/api/v1/contracts/{contract_id}");
        let view = t.get(&p.buyer_viewer, &contract_uri, 200).await.json();
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
        let list = t.get(&p.supplier_b, "/api/v1/contracts", 200).await.json();
        assert_eq!(list["contracts"][0]["your_side"], "supplier");
        assert_eq!(list["contracts"][0]["claims_awaiting_review"], 1);
        for stranger in [&p.outsider, &p.supplier_editor] {
            t.get(stranger, &contract_uri, 404).await;
        }
    }
);

backends_test!(
    tenders_are_hidden_from_strangers_and_bids_sealed_until_close,
    |t, p| {
        let tenders = "/api/v1/tenders";
        let created = t.post(&p.buyer_editor, tenders, tender_json(), 201).await;
        let id = id_of(&created);
        let created = created.json();
        assert_eq!(created["status"], "draft");
        assert_eq!(created["social_value_weight"], 10.0);
        assert_eq!(created["buyer"], "Plymouth City Council");
        let uri = format!("/api/v1/tenders/{id}");
        // A viewer cannot create; weights under 10% social value are refused with the reason.
        t.post(&p.buyer_viewer, tenders, tender_json(), 403).await;
        let mut low = tender_json();
        low["questions"][2]["weight"] = json!(2);
        low["price_weight"] = json!(42);
        let refused = t.post(&p.buyer_editor, tenders, low, 422).await.json();
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
        let warned = t.post(&p.buyer_editor, tenders, high, 201).await.json();
        assert_eq!(
            warned["warnings"][0]["code"], "social_value_weight_high",
            "{}",
            t.label
        );

        // A draft is the buyer's alone; invited suppliers see it once open; strangers never.
        let invitations = format!("{uri}/invitations");
        let a = invite(&p.supplier_editor);
        t.post(&p.buyer_editor, &invitations, a, 200).await;
        t.get(&p.supplier_editor, &uri, 404).await;
        t.get(&p.outsider, &uri, 404).await;
        let nobody = json!({"organisation_id": uuid::Uuid::new_v4()});
        let unknown = t.post(&p.buyer_editor, &invitations, nobody, 422).await;
        assert_eq!(unknown.json()["error"]["field"], "organisation_id");
        let mut edited = tender_json();
        edited["title"] = json!("Community transport, Plymouth (revised)");
        t.put(&p.buyer_editor, &uri, edited.clone(), 200).await;
        set_status(&t, &id, "open").await;
        let seen = t.get(&p.supplier_editor, &uri, 200).await.json();
        assert_eq!(seen["your_side"], "supplier");
        assert_eq!(seen["title"], "Community transport, Plymouth (revised)");
        assert_eq!(
            seen["invitations"].as_array().map(Vec::len),
            Some(0),
            "suppliers do not see who else is invited"
        );
        t.get(&p.supplier_b, &uri, 404).await;
        t.put(&p.buyer_editor, &uri, edited, 409).await;
        let listed = t.get(&p.supplier_editor, tenders, 200).await.json();
        let count = |key: &str| listed[key].as_array().map(Vec::len);
        assert_eq!(count("invited"), Some(1), "{}", t.label);
        assert_eq!(count("buying"), Some(0), "{}", t.label);

        // Bidding: viewers and the buyer cannot; a draft bid may be partial; submitting needs all answers.
        let bid_uri = format!("{uri}/bid");
        let submit = format!("{bid_uri}/submit");
        let bid = bid_json(900_000.0, 6.0);
        t.put(&p.supplier_viewer, &bid_uri, bid.clone(), 403).await;
        t.put(&p.buyer_editor, &bid_uri, bid.clone(), 403).await;
        let mut partial = bid.clone();
        partial["answers"].as_array_mut().expect("answers").pop();
        let saved = t
            .put(&p.supplier_editor, &bid_uri, partial, 200)
            .await
            .json();
        assert_eq!(saved["status"], "draft");
        assert_eq!(
            saved["commitments"][0]["unit"], "apprenticeships",
            "unit filled from the metric"
        );
        assert_eq!(saved["estimated_values"][0]["kind"], "economic");
        let incomplete = t.post(&p.supplier_editor, &submit, None, 422).await;
        assert!(incomplete.text().contains("SV2"), "{}", incomplete.text());
        let mut wrong = bid.clone();
        wrong["commitments"][0]["criterion"] = json!("MAC 4.1");
        let off_scope = t.put(&p.supplier_editor, &bid_uri, wrong, 422).await.json();
        assert_eq!(off_scope["error"]["field"], "commitments[0].criterion");
        t.put(&p.supplier_editor, &bid_uri, bid, 200).await;
        t.post(&p.supplier_editor, &submit, None, 200).await;
        let cheaper = bid_json(800_000.0, 6.0);
        t.put(&p.supplier_editor, &bid_uri, cheaper, 409).await;
        // Sealed: the buyer sees no bid before close.
        let bids_uri = format!("{uri}/bids");
        t.get(&p.buyer_admin, &bids_uri, 409).await;
        t.get(&p.supplier_editor, &bids_uri, 403).await;
        set_status(&t, &id, "evaluation").await;
        let bids = t.get(&p.buyer_viewer, &bids_uri, 200).await.json();
        assert_eq!(bids.as_array().map(Vec::len), Some(1), "{}", t.label);
        assert_eq!(bids[0]["price_gbp"], 900_000.0);
        let withdraw = format!("{bid_uri}/withdraw");
        t.post(&p.supplier_editor, &withdraw, None, 409).await;
        let status_uri = format!("{uri}/status");
        let back = t
            .post(&p.buyer_editor, &status_uri, status("open"), 409)
            .await;
        assert!(
            back.text().contains("cannot go from evaluation"),
            "{}",
            back.text()
        );
        // The panel is the admin's to name, from the buyer's own members.
        let panel = format!("{uri}/panel");
        let member = |who: &Persona| json!({"user_id": who.user_id, "role": "evaluator"});
        t.post(&p.buyer_editor, &panel, member(&p.evaluator), 403)
            .await;
        t.post(&p.buyer_admin, &panel, member(&p.supplier_editor), 422)
            .await;
        let no_token = call(&t.app, Method::GET, &uri, None, None).await;
        assert_eq!(no_token.status, 401);
    }
);

backends_test!(
    bids_drafted_offline_import_whole_or_not_at_all_with_located_errors,
    |t, p| {
        let id = open_tender(&t).await;
        let supplier = &p.supplier_editor;
        let tender: TenderDetails = serde_json::from_value(tender_json()).expect("tender");
        let (xlsx, csv_uri) = (
            format!("/api/v1/tenders/{id}/bid.xlsx"),
            format!("/api/v1/tenders/{id}/bid.csv"),
        );

        // The blank workbook downloads for the supplier, not for the buyer.
        let blank = t.get(supplier, &xlsx, 200).await;
        assert!(
            blank.body.starts_with(b"PK"),
            "{}: an xlsx is a zip",
            t.label
        );
        t.get(&p.buyer_editor, &xlsx, 403).await;
        // A CSV needs a draft to add its commitments to.
        let csv = "criterion,description,target,unit\nMAC 2.2,Apprentices,6,apprenticeships\n";
        let early = import_bid(&t, &id, supplier, "c.csv", csv.as_bytes()).await;
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
        let error = import_refused(&t, &id, supplier, &file, "Commitments!2:target").await;
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
        t.get(supplier, &format!("/api/v1/tenders/{id}/bid"), 404)
            .await;

        // A good workbook makes the draft; its own download reads back the same bid.
        let good: BidDetails = serde_json::from_value(bid_json(900_000.0, 6.0)).expect("bid");
        let file =
            svatlas_report::bid_file::bid_workbook("x", &tender, Some(&good)).expect("workbook");
        let imported = import_bid(&t, &id, supplier, "our-bid.xlsx", &file).await;
        assert_eq!(imported.status, 200, "{}: {}", t.label, imported.text());
        let bid = imported.json();
        assert_eq!(bid["status"], "draft");
        assert_eq!(bid["price_gbp"], 900_000.0);
        assert_eq!(bid["answers"].as_array().map(Vec::len), Some(3));
        assert_eq!(bid["commitments"][0]["milestones"][1]["target"], 4.0);
        let again = t.get(supplier, &xlsx, 200).await;
        let round = svatlas_report::bid_file::read_bid_workbook("again.xlsx", &again.body, &tender)
            .expect("reads back");
        assert_eq!(round, good.normalised(&tender), "{}", t.label);

        // A CSV replaces only the commitments; a bad one changes nothing.
        let bad_csv =
            "criterion,description,target,unit\nMAC 2.2,Apprentices,lots,apprenticeships\n";
        let refused = import_bid(&t, &id, supplier, "c.csv", bad_csv.as_bytes()).await;
        assert_eq!(refused.json()["error"]["field"], "2:target", "{}", t.label);
        let ok = import_bid(&t, &id, supplier, "c.csv", csv.as_bytes()).await;
        assert_eq!(ok.status, 200, "{}: {}", t.label, ok.text());
        let now = ok.json();
        assert_eq!(now["price_gbp"], 900_000.0, "price kept");
        assert_eq!(now["commitments"].as_array().map(Vec::len), Some(1));
        assert_eq!(now["commitments"][0]["description"], "Apprentices");
        let csv_back = t.get(supplier, &csv_uri, 200).await.text();
        assert!(
            csv_back.starts_with("criterion,metric_id,description,target"),
            "{csv_back}"
        );
        assert_contains(&csv_back, &["MAC 2.2,,Apprentices,6,apprenticeships"]);
        let viewer = import_bid(&t, &id, &p.supplier_viewer, "c.csv", csv.as_bytes()).await;
        assert_eq!(viewer.status, 403);
        let wrong = import_bid(&t, &id, supplier, "bid.pdf", b"%PDF-1.4").await;
        assert_eq!(wrong.status, 422);
    }
);
