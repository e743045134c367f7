//! Procurement contract tests, on every available backend (SQLite always, PostgreSQL when
//! `SVATLAS_TEST_POSTGRES_URL` is set): a tender from draft to award with METHOD.md Example 5's
//! figures, the life-cycle rules the store keeps whoever calls, delivery claims and their
//! review, the audit trail of buyer and supplier, and who sees which tenders and contracts.

mod common;

use common::procurement::*;
use common::{audit_entities, audit_log, is_invalid, is_refused};

use svatlas_domain::procurement::bid::BidStatus;
use svatlas_domain::procurement::delivery::{ClaimDetails, ClaimStatus, Frequency, Review};
use svatlas_domain::procurement::evaluation::PanelRole;
use svatlas_domain::procurement::opportunity::{Decision, RequestStatus};
use svatlas_domain::procurement::scoring::{BidScore, Method, WeightedBidScore};
use svatlas_domain::procurement::spend::SpendLine;
use svatlas_domain::procurement::tender::TenderStatus;
use svatlas_store::StoreError;
use svatlas_store::procurement::TenderRecord;
use svatlas_store::testing::all_backends;
use uuid::Uuid;

fn close(a: f64, b: f64, what: &str, label: &str) {
    assert!((a - b).abs() < 1e-9, "{label}: {what}: {a} != {b}");
}

fn has(audit: &[(String, String)], action: &str, entity: &str) -> bool {
    audit.iter().any(|(a, e)| a == action && e == entity)
}

/// Asserts `whose` audit has every (action, entity) of `wanted`.
fn assert_has_all(audit: &[(String, String)], wanted: &[(&str, &str)], whose: &str, label: &str) {
    for (action, entity) in wanted {
        assert!(
            has(audit, action, entity),
            "{label}: {whose} audit misses {action} {entity}: {audit:?}"
        );
    }
}

#[tokio::test]
async fn a_tender_goes_from_draft_to_award_with_the_example_5_ranking() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let details = tender_details();
        let tender = s
            .create_tender(BUYER, w.buyer, Some(w.buyer_admin), &details)
            .await
            .unwrap();
        assert_eq!(tender.status, TenderStatus::Draft, "{}", t.label);
        assert_eq!(tender.details, details, "{}", t.label);
        assert_eq!(tender.organisation_id, w.buyer, "{}", t.label);
        assert_eq!(
            tender.organisation_name, "Plymouth City Council",
            "{}",
            t.label
        );
        assert_eq!(s.tender(tender.id).await.unwrap(), tender, "{}", t.label);

        s.invite_supplier(BUYER, tender.id, w.supplier_a)
            .await
            .unwrap();
        s.invite_supplier(BUYER, tender.id, w.supplier_b)
            .await
            .unwrap();
        // Inviting again is harmless; the buyer cannot invite itself.
        s.invite_supplier(BUYER, tender.id, w.supplier_a)
            .await
            .unwrap();
        let own = s.invite_supplier(BUYER, tender.id, w.buyer).await;
        assert!(is_refused(&own), "{}: {own:?}", t.label);
        let invited: Vec<(Uuid, String)> = s
            .invitations(tender.id)
            .await
            .unwrap()
            .into_iter()
            .map(|i| (i.organisation_id, i.organisation_name))
            .collect();
        assert_eq!(
            invited,
            vec![
                (w.supplier_a, "Supplier A".to_string()),
                (w.supplier_b, "Supplier B".to_string())
            ],
            "{}",
            t.label
        );
        assert!(
            s.is_invited(tender.id, w.supplier_a).await.unwrap(),
            "{}",
            t.label
        );
        assert!(
            !s.is_invited(tender.id, w.outsider).await.unwrap(),
            "{}",
            t.label
        );

        // A bid before the tender is open is refused, and nothing is stored.
        let early = w.bid_a(s, tender.id).await;
        assert!(
            matches!(&early, Err(StoreError::Refused(m)) if m.contains("open")),
            "{}: {early:?}",
            t.label
        );
        assert!(
            s.bid_of(tender.id, w.supplier_a).await.unwrap().is_none(),
            "{}",
            t.label
        );

        let opened = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Open)
            .await
            .unwrap();
        assert_eq!(opened.status, TenderStatus::Open, "{}", t.label);

        let a = w.bid_a(s, tender.id).await.unwrap();
        let b = w.bid_b(s, tender.id).await.unwrap();
        assert_eq!(
            (a.status, a.submitted_at),
            (BidStatus::Draft, None),
            "{}",
            t.label
        );
        assert_eq!(a.organisation_name, "Supplier A", "{}", t.label);
        assert_eq!(a.details.price_gbp, 900_000.0, "{}", t.label);
        assert_eq!(
            a.details.commitments[0].unit, "apprenticeships",
            "{}: the metric's unit fills an empty unit",
            t.label
        );
        assert_eq!(
            a.details.answers,
            bid_details(900_000.0, "A").answers,
            "{}",
            t.label
        );
        assert_eq!(
            s.bid_of(tender.id, w.supplier_b).await.unwrap(),
            Some(b.clone()),
            "{}",
            t.label
        );

        // An uninvited organisation's bid: not found, and nothing stored.
        let uninvited = s
            .save_bid(
                OUTSIDER,
                tender.id,
                w.outsider,
                &bid_details(800_000.0, "O"),
            )
            .await;
        assert!(
            matches!(uninvited, Err(StoreError::NotFound)),
            "{}: {uninvited:?}",
            t.label
        );
        assert!(
            s.bid_of(tender.id, w.outsider).await.unwrap().is_none(),
            "{}",
            t.label
        );

        let a = s.submit_bid(SUPPLIER_A, a.id).await.unwrap();
        let b = s.submit_bid(SUPPLIER_B, b.id).await.unwrap();
        assert_eq!(a.status, BidStatus::Submitted, "{}", t.label);
        assert!(a.submitted_at.is_some(), "{}", t.label);
        assert_eq!(b.status, BidStatus::Submitted, "{}", t.label);

        // A submitted bid does not change by saving.
        let again = s
            .save_bid(
                SUPPLIER_A,
                tender.id,
                w.supplier_a,
                &bid_details(850_000.0, "A"),
            )
            .await;
        assert!(is_refused(&again), "{}: {again:?}", t.label);
        let stored = s.bid(a.id).await.unwrap();
        assert_eq!(
            (stored.status, stored.details.price_gbp),
            (BidStatus::Submitted, 900_000.0),
            "{}",
            t.label
        );
        let resubmit = s.submit_bid(SUPPLIER_A, a.id).await;
        assert!(is_refused(&resubmit), "{}: {resubmit:?}", t.label);

        let closed = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Evaluation)
            .await
            .unwrap();
        assert_eq!(closed.status, TenderStatus::Evaluation, "{}", t.label);
        // Bids are closed now.
        let late = s.submit_bid(SUPPLIER_A, a.id).await;
        assert!(is_refused(&late), "{}: {late:?}", t.label);
        // A supplier invited now could read the tender but never bid: refused.
        let late_invite = s.invite_supplier(BUYER, tender.id, w.outsider).await;
        assert!(is_refused(&late_invite), "{}: {late_invite:?}", t.label);
        assert_eq!(
            s.bids_of_tender(tender.id, BidStatus::Submitted)
                .await
                .unwrap()
                .iter()
                .map(|b| b.id)
                .collect::<Vec<_>>(),
            vec![a.id, b.id],
            "{}",
            t.label
        );

        for (user, role) in [
            (w.evaluator_1, PanelRole::Evaluator),
            (w.evaluator_2, PanelRole::Evaluator),
            (w.moderator, PanelRole::Moderator),
        ] {
            s.set_panel_member(BUYER, tender.id, user, role, true)
                .await
                .unwrap();
        }
        // Only members of the buyer organisation sit on its panel.
        let stranger = s
            .set_panel_member(
                BUYER,
                tender.id,
                w.supplier_a_user,
                PanelRole::Evaluator,
                true,
            )
            .await;
        assert!(is_invalid(&stranger), "{}: {stranger:?}", t.label);
        let panel: Vec<(Uuid, PanelRole)> = s
            .panel(tender.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.user_id, m.role))
            .collect();
        assert_eq!(
            panel,
            vec![
                (w.moderator, PanelRole::Moderator),
                (w.evaluator_2, PanelRole::Evaluator),
                (w.evaluator_1, PanelRole::Evaluator),
            ],
            "{}: moderators first, then by name (Evan before Eve)",
            t.label
        );

        // No consensus before any evaluator has scored the question.
        let premature = s
            .record_consensus(MODERATOR, a.id, "Q1", w.moderator, &score(70.0, "Agreed"))
            .await;
        assert!(
            matches!(&premature, Err(StoreError::Refused(m)) if m.contains("Q1")),
            "{}: {premature:?}",
            t.label
        );
        assert!(
            s.consensus_of_tender(tender.id).await.unwrap().is_empty(),
            "{}",
            t.label
        );

        // Scores off the scale, or by someone not evaluating, are refused.
        let off_scale = s
            .record_score(EVALUATOR_1, a.id, "Q1", w.evaluator_1, &score(72.0, "x"))
            .await;
        assert!(is_invalid(&off_scale), "{}: {off_scale:?}", t.label);
        let by_moderator = s
            .record_score(MODERATOR, a.id, "Q1", w.moderator, &score(70.0, "x"))
            .await;
        assert!(is_refused(&by_moderator), "{}: {by_moderator:?}", t.label);

        for (bid, consensus) in [(a.id, CONSENSUS_A), (b.id, CONSENSUS_B)] {
            for (q, c) in consensus {
                evaluators_score(s, &w, bid, q, c).await;
            }
        }
        let scores = s.scores_of_tender(tender.id).await.unwrap();
        assert_eq!(scores.len(), 12, "{}", t.label);
        let evan_a_q1 = scores
            .iter()
            .find(|r| r.bid_id == a.id && r.question_id == "Q1" && r.evaluator_id == w.evaluator_2)
            .unwrap();
        assert_eq!(evan_a_q1.score, score(65.0, "Evan's view"), "{}", t.label);
        assert_eq!(evan_a_q1.evaluator_name, "Evan Evaluator", "{}", t.label);

        for (bid, consensus) in [(a.id, CONSENSUS_A), (b.id, CONSENSUS_B)] {
            for (q, c) in consensus {
                s.record_consensus(MODERATOR, bid, q, w.moderator, &score(c, "Agreed"))
                    .await
                    .unwrap();
            }
        }

        // Once moderated, individual scores of that question are closed.
        let after = s
            .record_score(EVALUATOR_1, a.id, "Q1", w.evaluator_1, &score(50.0, "x"))
            .await;
        assert!(is_refused(&after), "{}: {after:?}", t.label);
        let eve_a_q1 = s
            .scores_of_tender(tender.id)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.bid_id == a.id && r.question_id == "Q1" && r.evaluator_id == w.evaluator_1)
            .unwrap();
        assert_eq!(eve_a_q1.score.score, 70.0, "{}", t.label);

        // Only the moderator records consensus.
        let not_moderator = s
            .record_consensus(
                EVALUATOR_1,
                a.id,
                "Q1",
                w.evaluator_1,
                &score(100.0, "Mine"),
            )
            .await;
        assert!(is_refused(&not_moderator), "{}: {not_moderator:?}", t.label);

        let consensus = s.consensus_of_tender(tender.id).await.unwrap();
        assert_eq!(consensus.len(), 6, "{}", t.label);
        for (bid, expected) in [(a.id, CONSENSUS_A), (b.id, CONSENSUS_B)] {
            for (q, c) in expected {
                let r = consensus
                    .iter()
                    .find(|r| r.bid_id == bid && r.question_id == q)
                    .unwrap_or_else(|| panic!("{}: no consensus for {q}", t.label));
                assert_eq!(r.score, score(c, "Agreed"), "{}: {q}", t.label);
                assert_eq!(r.moderator_id, Some(w.moderator), "{}", t.label);
            }
        }

        let (bids, results) = s.tender_results(tender.id).await.unwrap();
        assert_eq!(
            bids.iter().map(|b| b.id).collect::<Vec<_>>(),
            vec![a.id, b.id],
            "{}",
            t.label
        );
        let results = results.unwrap_or_else(|e| panic!("{}: {e}", t.label));
        assert_eq!(results.method, Method::WeightedScore, "{}", t.label);
        assert_eq!(results.bids.len(), 2, "{}", t.label);
        let weighted = |i: usize| match &results.bids[i].score {
            BidScore::Weighted(w) => w.clone(),
            other => panic!("{}: {other:?}", t.label),
        };
        let WeightedBidScore {
            price_score,
            quality_score,
            social_value_score,
            total,
            rank,
            ..
        } = weighted(0);
        assert_eq!(results.bids[0].name, "Supplier A", "{}", t.label);
        close(price_score, 40.0, "A price score", t.label);
        close(quality_score, 35.0, "A quality score", t.label);
        close(social_value_score, 8.0, "A social value score", t.label);
        close(total, 83.0, "A total", t.label);
        assert_eq!(rank, 2, "{}", t.label);
        let wb = weighted(1);
        assert_eq!(results.bids[1].name, "Supplier B", "{}", t.label);
        close(wb.price_score, 36.0, "B price score", t.label);
        close(wb.quality_score, 42.5, "B quality score", t.label);
        close(wb.social_value_score, 5.0, "B social value score", t.label);
        close(wb.total, 83.5, "B total", t.label);
        assert_eq!(wb.rank, 1, "{}", t.label);
        close(results.bids[0].quality_points, 35.0, "A points", t.label);
        close(results.bids[0].social_value_points, 8.0, "A SV", t.label);
        close(results.bids[1].social_value_points, 5.0, "B SV", t.label);

        let contract = s.award_tender(BUYER, tender.id, b.id).await.unwrap();
        assert_eq!(contract.tender_id, tender.id, "{}", t.label);
        assert_eq!(contract.bid_id, b.id, "{}", t.label);
        assert_eq!(contract.buyer_organisation_id, w.buyer, "{}", t.label);
        assert_eq!(
            contract.supplier_organisation_id, w.supplier_b,
            "{}",
            t.label
        );
        assert_eq!(contract.buyer_name, "Plymouth City Council", "{}", t.label);
        assert_eq!(contract.supplier_name, "Supplier B", "{}", t.label);
        assert_eq!(contract.title, "Community transport", "{}", t.label);
        assert_eq!(contract.kpis.len(), 1, "{}", t.label);
        let k = &contract.kpis[0];
        assert_eq!(k.id, "K1", "{}", t.label);
        assert_eq!(k.criterion, "MAC 2.2", "{}", t.label);
        assert_eq!(k.metric_id.as_deref(), Some("SVM20-2.2-c"), "{}", t.label);
        assert_eq!(k.unit, "apprenticeships", "{}", t.label);
        assert_eq!(k.theme, "Tackling economic inequality", "{}", t.label);
        assert_eq!(k.target, 6.0, "{}", t.label);
        assert_eq!(k.frequency, Frequency::Quarterly, "{}", t.label);
        assert_eq!(k.milestones, commitment().milestones, "{}", t.label);
        assert_eq!(k.area.as_deref(), Some("E06000026"), "{}", t.label);
        assert_eq!(
            s.contract(contract.id).await.unwrap(),
            contract,
            "{}",
            t.label
        );
        assert_eq!(
            s.contract_of_tender(tender.id).await.unwrap(),
            Some(contract.clone()),
            "{}",
            t.label
        );
        assert_eq!(
            s.tender(tender.id).await.unwrap().status,
            TenderStatus::Awarded,
            "{}",
            t.label
        );

        // Awarding again is refused and makes no second contract.
        let twice = s.award_tender(BUYER, tender.id, a.id).await;
        assert!(is_refused(&twice), "{}: {twice:?}", t.label);
        assert_eq!(
            s.contracts_of(&[w.buyer]).await.unwrap(),
            vec![contract],
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn award_is_refused_while_a_consensus_score_is_missing() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let tender = draft_tender(s, &w).await;
        invite_and_open(s, &w, tender.id).await;
        let (a, b) = submit_bids(s, &w, tender.id).await;
        close_with_panel(s, &w, tender.id).await;
        moderate(s, &w, a.id, &CONSENSUS_A).await;
        moderate(s, &w, b.id, &CONSENSUS_B[..2]).await;
        // B's SV2 is scored by an evaluator but not moderated.
        s.record_score(EVALUATOR_1, b.id, "SV2", w.evaluator_1, &score(50.0, "Eve"))
            .await
            .unwrap();

        let (_, results) = s.tender_results(tender.id).await.unwrap();
        assert!(results.is_err(), "{}: {results:?}", t.label);
        let refused = s.award_tender(BUYER, tender.id, b.id).await;
        assert!(
            matches!(&refused, Err(StoreError::Refused(m))
                if m.contains("missing") && m.contains("Supplier B") && m.contains("SV2")),
            "{}: {refused:?}",
            t.label
        );
        assert_eq!(
            s.tender(tender.id).await.unwrap().status,
            TenderStatus::Evaluation,
            "{}",
            t.label
        );
        assert_eq!(
            s.contract_of_tender(tender.id).await.unwrap(),
            None,
            "{}",
            t.label
        );

        // With the last consensus in, the same award goes through.
        s.record_consensus(MODERATOR, b.id, "SV2", w.moderator, &score(50.0, "Agreed"))
            .await
            .unwrap();
        let contract = s.award_tender(BUYER, tender.id, b.id).await.unwrap();
        assert_eq!(contract.bid_id, b.id, "{}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn delivery_claims_are_reviewed_once_with_their_evidence() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let Awarded {
            tender,
            bid_a,
            bid_b,
            contract,
        } = awarded(s, &w).await;
        assert_eq!(tender.status, TenderStatus::Awarded, "{}", t.label);
        assert_eq!(
            (contract.tender_id, contract.bid_id),
            (tender.id, bid_b.id),
            "{}",
            t.label
        );
        assert_eq!(bid_a.organisation_id, w.supplier_a, "{}", t.label);
        let other = awarded(s, &w).await.contract;
        assert_ne!(other.id, contract.id, "{}", t.label);

        let details = ClaimDetails {
            kpi_id: "K1".into(),
            period_start: "2027-04-01".into(),
            period_end: "2027-06-30".into(),
            quantity: 2.0,
            note: "Two apprentices started".into(),
            links: vec!["https://example.org/register".into()],
            beneficiary_ref: Some("p-1".into()),
        };
        let claim = s
            .add_claim(SUPPLIER_B, contract.id, &details)
            .await
            .unwrap();
        assert_eq!(claim.contract_id, contract.id, "{}", t.label);
        assert_eq!(claim.status, ClaimStatus::Reported, "{}", t.label);
        assert_eq!(claim.details, details, "{}", t.label);
        assert_eq!(claim.created_by.as_deref(), Some(SUPPLIER_B), "{}", t.label);
        assert_eq!(
            (&claim.review_note, &claim.reviewed_by, claim.reviewed_at),
            (&None, &None, None),
            "{}",
            t.label
        );

        // A claim against a KPI the contract does not have is refused.
        let unknown = s
            .add_claim(
                SUPPLIER_B,
                contract.id,
                &ClaimDetails {
                    kpi_id: "K9".into(),
                    ..details.clone()
                },
            )
            .await;
        assert!(
            matches!(&unknown, Err(StoreError::Invalid(m)) if m.contains("K9")),
            "{}: {unknown:?}",
            t.label
        );
        assert_eq!(
            s.claims_of_contract(contract.id).await.unwrap().len(),
            1,
            "{}",
            t.label
        );
        // A claim is found only through its own contract.
        assert!(
            matches!(s.claim(other.id, claim.id).await, Err(StoreError::NotFound)),
            "{}",
            t.label
        );

        // Evidence round-trips byte for byte, with its SHA-256.
        let bytes = b"%PDF-1.4 apprenticeship register".to_vec();
        let file = s
            .add_claim_evidence(
                SUPPLIER_B,
                contract.id,
                claim.id,
                "../../register.pdf",
                "application/pdf",
                &bytes,
            )
            .await
            .unwrap();
        assert_eq!(file.claim_id, claim.id, "{}", t.label);
        assert_eq!(file.file_name, "register.pdf", "{}", t.label);
        assert_eq!(file.size_bytes, 32, "{}", t.label);
        assert_eq!(
            file.sha256, "8d9b940d38a6fda1cc9ec8ca777f43e6c429e829012709e40c53c76e67e8522f",
            "{}",
            t.label
        );
        assert_eq!(file.uploaded_by.as_deref(), Some(SUPPLIER_B), "{}", t.label);
        assert_eq!(
            s.claim_evidence_of(contract.id).await.unwrap(),
            vec![file.clone()],
            "{}",
            t.label
        );
        assert!(
            s.claim_evidence_of(other.id).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        let (meta, content) = s.claim_evidence_file(contract.id, file.id).await.unwrap();
        assert_eq!(
            (meta, content),
            (file.clone(), bytes.clone()),
            "{}",
            t.label
        );
        let elsewhere = s.claim_evidence_file(other.id, file.id).await;
        assert!(
            matches!(elsewhere, Err(StoreError::NotFound)),
            "{}: {elsewhere:?}",
            t.label
        );

        // A query must say why.
        let silent = s
            .review_claim(BUYER, contract.id, claim.id, Review::Query, "  ")
            .await;
        assert!(is_invalid(&silent), "{}: {silent:?}", t.label);
        assert_eq!(
            s.claim(contract.id, claim.id).await.unwrap().status,
            ClaimStatus::Reported,
            "{}",
            t.label
        );
        let queried = s
            .review_claim(
                BUYER,
                contract.id,
                claim.id,
                Review::Query,
                "Which cohort are these?",
            )
            .await
            .unwrap();
        assert_eq!(queried.status, ClaimStatus::Queried, "{}", t.label);
        assert_eq!(
            queried.review_note.as_deref(),
            Some("Which cohort are these?"),
            "{}",
            t.label
        );
        assert_eq!(queried.reviewed_by.as_deref(), Some(BUYER), "{}", t.label);
        assert!(queried.reviewed_at.is_some(), "{}", t.label);
        assert_eq!(queried.details, details, "{}", t.label);

        // The supplier answers by amending: back to awaiting review.
        let amended_details = ClaimDetails {
            quantity: 3.0,
            note: "Three apprentices started (April cohort)".into(),
            ..details.clone()
        };
        let amended = s
            .amend_claim(SUPPLIER_B, contract.id, claim.id, &amended_details)
            .await
            .unwrap();
        assert_eq!(amended.status, ClaimStatus::Reported, "{}", t.label);
        assert_eq!(amended.details, amended_details, "{}", t.label);
        assert_eq!(
            amended.review_note.as_deref(),
            Some("Which cohort are these?"),
            "{}: the last review's note stays readable",
            t.label
        );

        let verified = s
            .review_claim(
                BUYER,
                contract.id,
                claim.id,
                Review::Verify,
                "Register checked",
            )
            .await
            .unwrap();
        assert_eq!(verified.status, ClaimStatus::Verified, "{}", t.label);
        assert_eq!(
            verified.review_note.as_deref(),
            Some("Register checked"),
            "{}",
            t.label
        );
        assert_eq!(verified.details, amended_details, "{}", t.label);

        // Reviewed once: no second review, no amendment, no more evidence.
        let again = s
            .review_claim(BUYER, contract.id, claim.id, Review::Reject, "Changed mind")
            .await;
        assert!(is_refused(&again), "{}: {again:?}", t.label);
        let amend_verified = s
            .amend_claim(SUPPLIER_B, contract.id, claim.id, &details)
            .await;
        assert!(
            is_refused(&amend_verified),
            "{}: {amend_verified:?}",
            t.label
        );
        let more = s
            .add_claim_evidence(
                SUPPLIER_B,
                contract.id,
                claim.id,
                "more.pdf",
                "application/pdf",
                &bytes,
            )
            .await;
        assert!(is_refused(&more), "{}: {more:?}", t.label);
        let stored = s.claim(contract.id, claim.id).await.unwrap();
        assert_eq!(stored, verified, "{}", t.label);

        // A rejected claim is left out of the double-counting guard; references read upper case.
        let second = s
            .add_claim(
                SUPPLIER_B,
                contract.id,
                &ClaimDetails {
                    beneficiary_ref: Some(" p-2 ".into()),
                    period_start: "2027-07-01".into(),
                    period_end: "2027-09-30".into(),
                    ..details.clone()
                },
            )
            .await
            .unwrap();
        let rejected = s
            .review_claim(
                BUYER,
                contract.id,
                second.id,
                Review::Reject,
                "No register attached",
            )
            .await
            .unwrap();
        assert_eq!(rejected.status, ClaimStatus::Rejected, "{}", t.label);
        let expected = vec![(contract.id, "K1".to_string(), claim.id, "P-1".to_string())];
        assert_eq!(
            s.beneficiary_claims(&[w.supplier_b]).await.unwrap(),
            expected,
            "{}",
            t.label
        );
        assert_eq!(
            s.beneficiary_claims(&[w.buyer]).await.unwrap(),
            expected,
            "{}",
            t.label
        );
        assert!(
            s.beneficiary_claims(&[w.supplier_a])
                .await
                .unwrap()
                .is_empty(),
            "{}",
            t.label
        );

        assert_eq!(
            s.claims_of_contract(contract.id).await.unwrap(),
            vec![verified, rejected],
            "{}",
            t.label
        );
        assert!(
            s.claims_of_contract(other.id).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn claims_of_many_contracts_come_in_one_call() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let first = awarded(s, &w).await.contract;
        let second = awarded(s, &w).await.contract;
        let quiet = awarded(s, &w).await.contract;
        let claim = |quantity: f64| ClaimDetails {
            kpi_id: "K1".into(),
            period_start: "2027-04-01".into(),
            period_end: "2027-06-30".into(),
            quantity,
            note: "Apprentices started".into(),
            links: vec![],
            beneficiary_ref: None,
        };
        for (contract, quantity) in [(first.id, 1.0), (second.id, 2.0), (first.id, 3.0)] {
            s.add_claim(SUPPLIER_B, contract, &claim(quantity))
                .await
                .unwrap();
        }

        let all = s
            .claims_of_contracts(&[first.id, second.id, quiet.id])
            .await
            .unwrap();
        assert_eq!(all.len(), 3, "{}", t.label);
        for c in [&first, &second, &quiet] {
            assert_eq!(
                all[&c.id],
                s.claims_of_contract(c.id).await.unwrap(),
                "{}",
                t.label
            );
        }
        let quantities = |id: Uuid| {
            all[&id]
                .iter()
                .map(|c| c.details.quantity)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            quantities(first.id),
            vec![1.0, 3.0],
            "{}: oldest first",
            t.label
        );
        assert_eq!(quantities(second.id), vec![2.0], "{}", t.label);
        assert!(all[&quiet.id].is_empty(), "{}", t.label);

        let one = s.claims_of_contracts(&[second.id]).await.unwrap();
        assert_eq!(
            one.keys().collect::<Vec<_>>(),
            vec![&second.id],
            "{}",
            t.label
        );
        assert!(
            s.claims_of_contracts(&[]).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn tenders_and_spend_of_many_contracts_come_in_one_call() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let first = awarded(s, &w).await;
        let second = awarded(s, &w).await;
        let line = |supplier: &str, amount_gbp: f64| SpendLine {
            supplier: supplier.into(),
            amount_gbp,
            date: "2027-05-01".into(),
            postcode: Some("PL1 2AA".into()),
            area: None,
            sme: true,
            vcse: false,
            description: String::new(),
        };
        s.add_spend(
            SUPPLIER_B,
            first.contract.id,
            &[line("Bakery", 100.0), line("Printer", 250.0)],
        )
        .await
        .unwrap();

        let ids = [first.contract.id, second.contract.id];
        let spend = s.spend_of_contracts(&ids).await.unwrap();
        assert_eq!(spend.len(), 2, "{}", t.label);
        for id in ids {
            assert_eq!(
                spend[&id],
                s.spend_of_contract(id).await.unwrap(),
                "{}",
                t.label
            );
        }
        let suppliers: Vec<&str> = spend[&first.contract.id]
            .iter()
            .map(|r| r.line.supplier.as_str())
            .collect();
        assert_eq!(suppliers, ["Bakery", "Printer"], "{}: in order", t.label);
        assert!(spend[&second.contract.id].is_empty(), "{}", t.label);
        assert!(
            s.spend_of_contracts(&[]).await.unwrap().is_empty(),
            "{}",
            t.label
        );

        let tenders = s
            .tenders_by_id(&[first.tender.id, second.tender.id, Uuid::new_v4()])
            .await
            .unwrap();
        assert_eq!(tenders.len(), 2, "{}: an unknown id is left out", t.label);
        assert_eq!(tenders[&first.tender.id], first.tender, "{}", t.label);
        assert_eq!(tenders[&second.tender.id], second.tender, "{}", t.label);
        assert!(
            s.tenders_by_id(&[]).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn procurement_changes_are_audited_for_the_organisations_concerned() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let tender = draft_tender(s, &w).await;
        invite_and_open(s, &w, tender.id).await;
        // A first draft, then the bid saved again (an update) and submitted.
        s.save_bid(
            SUPPLIER_A,
            tender.id,
            w.supplier_a,
            &bid_details(950_000.0, "A"),
        )
        .await
        .unwrap();
        let (a, b) = submit_bids(s, &w, tender.id).await;
        close_with_panel(s, &w, tender.id).await;
        moderate(s, &w, a.id, &CONSENSUS_A).await;
        moderate(s, &w, b.id, &CONSENSUS_B).await;
        let contract = s.award_tender(BUYER, tender.id, b.id).await.unwrap();

        let buyer = audit_entities(s, w.buyer).await;
        let wanted = [
            ("create", "tender"),
            ("invite", "tender"),
            ("status", "tender"),
            ("panel_add", "tender"),
            ("submitted", "bid"),
            ("score", "bid_question"),
            ("moderate", "bid_question"),
            ("award", "tender"),
        ];
        assert_has_all(&buyer, &wanted, "buyer", t.label);
        // The supplier's drafts are its own business.
        assert!(
            !has(&buyer, "create", "bid") && !has(&buyer, "update", "bid"),
            "{}: buyer audit shows draft saves: {buyer:?}",
            t.label
        );

        let supplier_a = audit_entities(s, w.supplier_a).await;
        let wanted = [
            ("invited", "tender"),
            ("create", "bid"),
            ("update", "bid"),
            ("submitted", "bid"),
        ];
        assert_has_all(&supplier_a, &wanted, "supplier A", t.label);
        // An invitation names the buyer only: the tender was still a draft.
        let invited = audit_log(s, w.supplier_a)
            .await
            .into_iter()
            .find(|e| e.action == "invited")
            .expect("invited entry");
        let after = invited.after.expect("after");
        assert!(after.get("buyer").is_some(), "{}: {after}", t.label);
        assert!(
            !after.to_string().contains("Community transport"),
            "{}: the draft's title reached the supplier: {after}",
            t.label
        );
        assert!(
            !has(&supplier_a, "award", "tender"),
            "{}: the losing supplier's audit shows the award: {supplier_a:?}",
            t.label
        );

        let supplier_b = audit_entities(s, w.supplier_b).await;
        let wanted = [("submitted", "bid"), ("award", "tender")];
        assert_has_all(&supplier_b, &wanted, "supplier B", t.label);
        // Evaluation stays with the buyer.
        assert!(
            !has(&supplier_b, "score", "bid_question")
                && !has(&supplier_b, "moderate", "bid_question"),
            "{}: supplier audit shows scoring: {supplier_b:?}",
            t.label
        );

        let entries = audit_log(s, w.supplier_b).await;
        let award = entries
            .iter()
            .find(|e| e.action == "award" && e.entity == "tender")
            .unwrap();
        assert_eq!(award.entity_id, tender.id.to_string(), "{}", t.label);
        assert_eq!(award.actor, BUYER, "{}", t.label);
        assert_eq!(
            award.after.as_ref().unwrap()["contract_id"],
            contract.id.to_string(),
            "{}",
            t.label
        );
        let submitted = entries
            .iter()
            .find(|e| e.action == "submitted" && e.entity == "bid")
            .unwrap();
        assert_eq!(submitted.entity_id, b.id.to_string(), "{}", t.label);

        let buyer_entries = audit_log(s, w.buyer).await;
        let moderation = buyer_entries
            .iter()
            .find(|e| e.action == "moderate" && e.entity_id == format!("{}/Q1", a.id))
            .unwrap();
        assert_eq!(
            moderation.after.as_ref().unwrap()["consensus"],
            70.0,
            "{}",
            t.label
        );
        // Neither supplier sees the other's submission.
        assert!(
            !entries
                .iter()
                .any(|e| e.entity == "bid" && e.entity_id == a.id.to_string()),
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn tender_settings_change_in_draft_and_status_moves_forward_only() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let tender = draft_tender(s, &w).await;

        let mut changed = tender_details();
        changed.title = "Community transport 2027-2030".into();
        changed.contract_value_gbp = 1_200_000.0;
        let updated = s.update_tender(BUYER, tender.id, &changed).await.unwrap();
        assert_eq!(updated.details, changed, "{}", t.label);
        assert_eq!(updated.status, TenderStatus::Draft, "{}", t.label);
        assert_eq!(
            s.tender(tender.id).await.unwrap().details,
            changed,
            "{}",
            t.label
        );

        // Invalid settings are refused even in draft.
        let mut bad = changed.clone();
        bad.price_weight = 45.0;
        let invalid = s.update_tender(BUYER, tender.id, &bad).await;
        assert!(
            matches!(&invalid, Err(StoreError::Invalid(m)) if m.contains("100")),
            "{}: {invalid:?}",
            t.label
        );

        // Awarded only through award_tender; drafts cannot skip to evaluation.
        let award_draft = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Awarded)
            .await;
        assert!(is_refused(&award_draft), "{}: {award_draft:?}", t.label);
        let skip = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Evaluation)
            .await;
        assert!(is_refused(&skip), "{}: {skip:?}", t.label);

        s.set_tender_status(BUYER, tender.id, TenderStatus::Open)
            .await
            .unwrap();
        let mut later = changed.clone();
        later.title = "Changed after opening".into();
        let frozen = s.update_tender(BUYER, tender.id, &later).await;
        assert!(is_refused(&frozen), "{}: {frozen:?}", t.label);
        assert_eq!(
            s.tender(tender.id).await.unwrap().details,
            changed,
            "{}: settings stay as bidders saw them",
            t.label
        );

        let back = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Draft)
            .await;
        assert!(is_refused(&back), "{}: {back:?}", t.label);
        assert_eq!(
            s.tender(tender.id).await.unwrap().status,
            TenderStatus::Open,
            "{}",
            t.label
        );

        s.set_tender_status(BUYER, tender.id, TenderStatus::Evaluation)
            .await
            .unwrap();
        // Evaluation → awarded is a forward move, but not through set_tender_status.
        let award = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Awarded)
            .await;
        assert!(is_refused(&award), "{}: {award:?}", t.label);
        let reopen = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Open)
            .await;
        assert!(is_refused(&reopen), "{}: {reopen:?}", t.label);
        assert_eq!(
            s.tender(tender.id).await.unwrap().status,
            TenderStatus::Evaluation,
            "{}",
            t.label
        );
        assert_eq!(
            s.contract_of_tender(tender.id).await.unwrap(),
            None,
            "{}",
            t.label
        );

        let cancelled = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Cancelled)
            .await
            .unwrap();
        assert_eq!(cancelled.status, TenderStatus::Cancelled, "{}", t.label);
        let revive = s
            .set_tender_status(BUYER, tender.id, TenderStatus::Open)
            .await;
        assert!(is_refused(&revive), "{}: {revive:?}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn tenders_and_contracts_are_listed_for_the_organisations_involved() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let tender = draft_tender(s, &w).await;
        s.invite_supplier(BUYER, tender.id, w.supplier_a)
            .await
            .unwrap();

        let ids = |v: Vec<TenderRecord>| v.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(
            ids(s.tenders_of(&[w.buyer]).await.unwrap()),
            vec![tender.id],
            "{}",
            t.label
        );
        assert!(
            s.tenders_of(&[w.supplier_a]).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        assert!(
            s.tenders_invited(&[w.supplier_a]).await.unwrap().is_empty(),
            "{}: a draft is the buyer's alone",
            t.label
        );

        s.set_tender_status(BUYER, tender.id, TenderStatus::Open)
            .await
            .unwrap();
        let invited = s.tenders_invited(&[w.supplier_a]).await.unwrap();
        assert_eq!(
            invited.iter().map(|t| (t.id, t.status)).collect::<Vec<_>>(),
            vec![(tender.id, TenderStatus::Open)],
            "{}",
            t.label
        );
        assert!(
            s.tenders_invited(&[w.supplier_b]).await.unwrap().is_empty(),
            "{}: not invited yet",
            t.label
        );
        assert!(
            s.tenders_invited(&[w.outsider]).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        // Asked for several organisations at once, a tender is listed once.
        s.invite_supplier(BUYER, tender.id, w.supplier_b)
            .await
            .unwrap();
        assert_eq!(
            ids(s
                .tenders_invited(&[w.supplier_a, w.supplier_b])
                .await
                .unwrap()),
            vec![tender.id],
            "{}",
            t.label
        );

        let (a, b) = submit_bids(s, &w, tender.id).await;
        close_with_panel(s, &w, tender.id).await;
        moderate(s, &w, a.id, &CONSENSUS_A).await;
        moderate(s, &w, b.id, &CONSENSUS_B).await;
        let contract = s.award_tender(BUYER, tender.id, b.id).await.unwrap();

        let mine = ids(s.tenders_of(&[w.buyer]).await.unwrap());
        assert_eq!(mine, vec![tender.id], "{}", t.label);
        assert_eq!(
            s.tenders_invited(&[w.supplier_b]).await.unwrap()[0].status,
            TenderStatus::Awarded,
            "{}",
            t.label
        );
        assert_eq!(
            s.contracts_of(&[w.supplier_b]).await.unwrap(),
            vec![contract.clone()],
            "{}",
            t.label
        );
        assert_eq!(
            s.contracts_of(&[w.buyer]).await.unwrap(),
            vec![contract.clone()],
            "{}",
            t.label
        );
        assert_eq!(
            s.contracts_of(&[w.buyer, w.supplier_b]).await.unwrap(),
            vec![contract],
            "{}: listed once",
            t.label
        );
        assert!(
            s.contracts_of(&[w.outsider]).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        assert!(
            s.contracts_of(&[w.supplier_a]).await.unwrap().is_empty(),
            "{}: the losing bidder has no contract",
            t.label
        );

        // A second tender of the same buyer: listed newest change first.
        let second = draft_tender(s, &w).await;
        assert_eq!(
            ids(s.tenders_of(&[w.buyer]).await.unwrap()),
            vec![second.id, tender.id],
            "{}",
            t.label
        );
        assert!(
            ids(s.tenders_invited(&[w.supplier_a]).await.unwrap()) == vec![tender.id],
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn a_listed_open_tender_takes_requests_and_acceptance_invites_the_supplier() {
    for t in all_backends().await {
        let s = &t.store;
        let w = world(s).await;
        let label = &t.label;
        let tender = draft_tender(s, &w).await.id;
        // Listed while a draft: not an opportunity until it opens.
        assert!(s.set_listing(BUYER, tender, true).await.unwrap());
        assert!(s.is_listed(tender).await.unwrap());
        assert!(s.opportunities().await.unwrap().is_empty(), "{label}");
        assert!(matches!(
            s.request_to_bid(SUPPLIER_B, tender, w.supplier_b, None, "")
                .await,
            Err(StoreError::NotFound)
        ));
        s.invite_supplier(BUYER, tender, w.supplier_a)
            .await
            .unwrap();
        s.set_tender_status(BUYER, tender, TenderStatus::Open)
            .await
            .unwrap();
        let open = s.opportunities().await.unwrap();
        assert_eq!(open.len(), 1, "{label}");
        assert_eq!(open[0].id, tender);

        // The buyer and an invited supplier cannot ask; a stranger can, once.
        assert!(is_refused(
            &s.request_to_bid(BUYER, tender, w.buyer, None, "").await
        ));
        assert!(is_refused(
            &s.request_to_bid(SUPPLIER_A, tender, w.supplier_a, None, "")
                .await
        ));
        assert!(is_invalid(
            &s.request_to_bid(SUPPLIER_B, tender, w.supplier_b, None, &"x".repeat(2_001))
                .await
        ));
        let asked = s
            .request_to_bid(
                SUPPLIER_B,
                tender,
                w.supplier_b,
                None,
                " Minibuses in Devon ",
            )
            .await
            .unwrap();
        assert_eq!(asked.status, RequestStatus::Requested, "{label}");
        assert_eq!(asked.message, "Minibuses in Devon");
        assert_eq!(asked.organisation_name, "Supplier B");
        assert!(is_refused(
            &s.request_to_bid(SUPPLIER_B, tender, w.supplier_b, None, "again")
                .await
        ));
        let other = s
            .request_to_bid(OUTSIDER, tender, w.outsider, None, "")
            .await
            .unwrap();
        assert_eq!(other.status, RequestStatus::Requested);
        assert_eq!(s.tender_requests(tender).await.unwrap().len(), 2, "{label}");
        assert!(!s.is_invited(tender, w.supplier_b).await.unwrap());

        // A decline needs its reason; accepting invites; nothing is answered twice.
        assert!(is_invalid(
            &s.decide_request(BUYER, tender, w.outsider, Decision::Decline, " ")
                .await
        ));
        let declined = s
            .decide_request(
                BUYER,
                tender,
                w.outsider,
                Decision::Decline,
                "Not in the region",
            )
            .await
            .unwrap();
        assert_eq!(declined.status, RequestStatus::Declined);
        assert_eq!(declined.note, "Not in the region");
        assert!(declined.decided_at.is_some());
        assert!(!s.is_invited(tender, w.outsider).await.unwrap());
        let refused = s
            .request_to_bid(OUTSIDER, tender, w.outsider, None, "")
            .await;
        assert!(
            matches!(&refused, Err(StoreError::Refused(m)) if m.contains("Not in the region")),
            "{label}: {refused:?}"
        );
        let accepted = s
            .decide_request(BUYER, tender, w.supplier_b, Decision::Accept, "")
            .await
            .unwrap();
        assert_eq!(accepted.status, RequestStatus::Accepted, "{label}");
        assert!(s.is_invited(tender, w.supplier_b).await.unwrap());
        assert!(is_refused(
            &s.decide_request(BUYER, tender, w.supplier_b, Decision::Decline, "late")
                .await
        ));
        // The accepted supplier now bids like any invited one.
        s.save_bid(
            SUPPLIER_B,
            tender,
            w.supplier_b,
            &bid_details(950_000.0, "B"),
        )
        .await
        .unwrap();
        let buyer_log = audit_entities(s, w.buyer).await;
        for action in ["list", "request", "decide_request"] {
            assert!(has(&buyer_log, action, "tender"), "{label}: {action}");
        }
        let supplier_log = audit_entities(s, w.supplier_b).await;
        assert!(has(&supplier_log, "requested", "tender"), "{label}");
        assert!(has(&supplier_log, "request_decided", "tender"), "{label}");

        // Off the list: no longer an opportunity; once closed it cannot be listed again.
        assert!(!s.set_listing(BUYER, tender, false).await.unwrap());
        assert!(s.opportunities().await.unwrap().is_empty());
        assert!(matches!(
            s.opportunity(tender).await,
            Err(StoreError::NotFound)
        ));
        s.set_tender_status(BUYER, tender, TenderStatus::Evaluation)
            .await
            .unwrap();
        assert!(is_refused(&s.set_listing(BUYER, tender, true).await));
        t.finish().await;
    }
}
