//! The procurement pages: a buyer creates a tender through the form, invites suppliers and
//! names the panel; suppliers bid through the bid form; evaluators score, the moderator agrees
//! the consensus, the results rank the bids and the award makes a contract. Each step goes
//! through the page forms with signed-in browsers; who may see and do what is checked too.

use crate::platform::helpers::assert_contains;
use axum::http::StatusCode;
use svatlas_store::testing::all_backends;

use crate::accounts::accounts_web::{Browser, location};
use crate::need::area_helpers::area_app;
use crate::platform::app::people;

/// Example 5's tender as the form sends it: price 40, Q1 quality 50, SV1 6% and SV2 4%.
pub(crate) fn tender_form(
    sv1: &'static str,
    sv2: &'static str,
    price: &'static str,
) -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Community transport, Plymouth"),
        (
            "description",
            "Door-to-door transport for older and disabled residents.",
        ),
        ("contract_value", "£1,000,000"),
        ("closing_date", "2027-01-31"),
        ("start_date", "2027-04-01"),
        ("end_date", "2030-03-31"),
        ("areas", "e06000026"),
        ("edition", "2020"),
        ("criteria", "MAC 2.2"),
        ("criteria", "MAC 8.1"),
        ("method", "weighted_score"),
        ("price_weight", price),
        ("q0_id", "Q1"),
        ("q0_kind", "quality"),
        ("q0_text", "How will you run the service?"),
        ("q0_weight", "50"),
        ("q0_criterion", ""),
        ("q1_id", "SV1"),
        ("q1_kind", "social_value"),
        ("q1_text", "Jobs and apprenticeships for local people"),
        ("q1_weight", sv1),
        ("q1_criterion", "MAC 2.2"),
        ("q2_id", "SV2"),
        ("q2_kind", "social_value"),
        ("q2_text", "Co-design with service users"),
        ("q2_weight", sv2),
        ("q2_criterion", "MAC 8.1"),
        // Blank rows, as the browser sends them.
        ("q3_id", ""),
        ("q3_kind", "social_value"),
        ("q3_text", ""),
        ("q3_weight", ""),
        ("q3_criterion", ""),
    ]
}

/// A panel member's `score` on question `q` with its rationale, as the evaluation form sends it.
fn score_form<'a>(q: &'a str, score: &'a str, rationale: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("question_id", q),
        ("score", score),
        ("rationale", rationale),
    ]
}

/// The moderator's consensus `score` on question `q` with its justification.
fn consensus_form<'a>(q: &'a str, score: &'a str, why: &'a str) -> [(&'a str, &'a str); 3] {
    [("question_id", q), ("score", score), ("justification", why)]
}

/// A complete bid through the form, at `price`.
pub(crate) fn bid_form(
    price: &'static str,
    then: &'static str,
) -> Vec<(&'static str, &'static str)> {
    vec![
        ("price", price),
        ("answer_0", "A fleet of six accessible minibuses."),
        ("answer_1", "Six apprenticeships for Plymouth residents."),
        ("answer_2", "A users' panel meeting quarterly."),
        ("c0_criterion", "MAC 2.2"),
        ("c0_metric", "SVM20-2.2-c"),
        ("c0_description", "Apprenticeships for Plymouth residents"),
        ("c0_target", "6"),
        ("c0_unit", ""),
        ("c0_start_date", "2027-04-01"),
        ("c0_end_date", "2030-03-31"),
        ("c0_area", "E06000026"),
        ("c0_partners", "Plymouth Skills Hub, Youth Trust"),
        ("c0_value", "12,000"),
        ("c0_value_kind", "economic"),
        ("c0_value_basis", "Apprentice wages above the alternative"),
        (
            "c0_milestones",
            "2028-03-31, 2, Year 1\r\n2029-03-31, 4, Year 2",
        ),
        ("c1_criterion", ""),
        ("c1_description", ""),
        ("then", then),
    ]
}

/// The bid ids a page's forms post to (`/bids/{id}/{what}`), in page order, each once.
fn bid_ids(html: &str, what: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in html.match_indices("action=\"/bids/") {
        let rest = &html[at + "action=\"/bids/".len()..];
        let id = &rest[..36];
        assert!(
            rest[36..].starts_with(&format!("/{what}\"")),
            "{}",
            &rest[..60]
        );
        if !out.iter().any(|x| x == id) {
            out.push(id.to_owned());
        }
    }
    out
}

pub(crate) async fn post_ok(browser: &mut Browser, uri: &str, fields: &[(&str, &str)]) -> String {
    let answer = browser.expecting(303).post(uri, fields).await;
    location(&answer).to_owned()
}

/// Asserts the results page `html` shows every line of `expected`.
fn assert_results_show(html: &str, label: &str, expected: &[&str]) {
    for expected in expected {
        assert!(
            html.contains(expected),
            "{label}: results lack {expected}: {html}"
        );
    }
}

/// Where the results table's row of `supplier` starts in `html`.
fn row_at(html: &str, supplier: &str) -> usize {
    let header = format!("<th scope=\"row\" class=\"govuk-table__header\">{supplier}");
    html.find(&header)
        .unwrap_or_else(|| panic!("no row of {supplier}"))
}

backends_test!(
    a_tender_runs_from_the_form_to_award_through_the_pages,
    |t, p| {
        let mut admin = t.signed_in(&p.buyer_admin).await;

        let list = admin.get_is("/tenders", 200).await;
        let html = list.text();
        assert_contains(&html, &["Create a tender", "MAC 8.1"]);
        assert!(
            html.contains("Excellent: fully meets the criteria"),
            "the scale is shown"
        );
        assert_eq!(html.matches("<h1").count(), 1);

        // Social value weighted 5% + 3% = 8%: refused, the page names the problem and keeps
        // what was typed.
        let refused = admin.post("/tenders", &tender_form("5", "3", "42")).await;
        let html = refused.text_if(StatusCode::UNPROCESSABLE_ENTITY, t.label);
        assert_contains(&html, &["govuk-error-summary"]);
        assert!(html.contains(r##"<a href="#t-questions">"##), "{html}");
        assert_contains(&html, &["at least 10%", "8%"]);
        assert!(html.contains(r#"value="Community transport, Plymouth""#));
        assert!(
            html.contains(r#"value="MAC 2.2" checked"#),
            "ticked criteria kept"
        );

        let tender = post_ok(&mut admin, "/tenders", &tender_form("6", "4", "40")).await;
        assert!(tender.starts_with("/tenders/"), "{tender}");
        let html = admin.get_is(&tender, 200).await.text();
        assert_contains(
            &html,
            &[
                "Draft",
                "£1,000,000.00",
                "W_sv",
                "at least 10%",
                "MAC 2.2",
                "Jobs and apprenticeships for local people",
                "Satisfactory: meets the criteria in the main",
                "E06000026",
                "Open for bids",
                "Invite supplier",
                "Add to the panel",
            ],
        );
        assert_eq!(html.matches("<h1").count(), 1);

        // Suppliers are invited by organisation id; nonsense is shown beside the field.
        let invitations = format!("{tender}/invitations");
        let nonsense = [("organisation_id", "not an id")];
        let bad = admin.post(&invitations, &nonsense).await;
        bad.assert_says(422, r##"<a href="#invite-organisation_id">"##);
        for s in [&p.supplier_editor, &p.supplier_b] {
            let id = s.organisation_id.to_string();
            post_ok(&mut admin, &invitations, &[("organisation_id", &id)]).await;
        }
        let html = admin.get(&tender).await.text();
        assert!(html.contains("Supplier A") && html.contains("Supplier B"));

        // Suppliers do not see a draft.
        let mut supplier_a = t.signed_in(&p.supplier_editor).await;
        supplier_a.get_is(&tender, 404).await;
        post_ok(
            &mut admin,
            &format!("{tender}/status"),
            &[("status", "open")],
        )
        .await;
        assert!(admin.get(&tender).await.text().contains("Open for bids"));

        // Supplier A saves a draft, then submits it.
        let page = supplier_a.get_is(&tender, 200).await;
        assert!(page.text().contains("/bid\""), "link to the bid");
        assert!(
            !page.text().contains("Invite supplier"),
            "buyer controls hidden"
        );
        let html = supplier_a
            .get_is(&format!("{tender}/bid"), 200)
            .await
            .text();
        assert_contains(&html, &["Save as draft", "SVM20-2.2-c"]);
        assert!(html.contains("weighting 6% of the total score"));
        let saved = post_ok(
            &mut supplier_a,
            &format!("{tender}/bid"),
            &bid_form("900,000", ""),
        )
        .await;
        assert_eq!(saved, format!("{tender}/bid"));
        let html = supplier_a.get(&saved).await.text();
        assert!(
            html.contains("Draft") && html.contains(r#"value="900000""#),
            "{html}"
        );
        // A bad commitment is named beside its field.
        let mut broken = bid_form("900,000", "");
        broken.retain(|(k, _)| *k != "c0_value_kind");
        let refused = supplier_a
            .expecting(422)
            .post(&format!("{tender}/bid"), &broken)
            .await;
        assert!(
            refused.text().contains(r##"<a href="#b-c0-value_kind">"##),
            "{}",
            refused.text()
        );
        post_ok(&mut supplier_a, &format!("{tender}/bid/submit"), &[]).await;
        let html = supplier_a.get(&format!("{tender}/bid")).await.text();
        assert_contains(&html, &["Submitted"]);
        assert!(!html.contains("Save as draft"), "read-only once submitted");
        assert_contains(&html, &["Economic value (estimate)", "£12,000.00"]);
        assert!(html.contains("£12,000.00 (an estimate by the bidder of economic value)"));
        assert!(
            html.contains("Year 1") && html.contains("2029-03-31"),
            "milestones typed in the form are kept: {html}"
        );

        // Supplier B saves and submits in one go.
        let mut supplier_b = t.signed_in(&p.supplier_b).await;
        post_ok(
            &mut supplier_b,
            &format!("{tender}/bid"),
            &bid_form("1,000,000", "submit"),
        )
        .await;
        assert!(
            supplier_b
                .get(&format!("{tender}/bid"))
                .await
                .text()
                .contains("Submitted")
        );

        // Bids close; the buyer names the panel.
        post_ok(
            &mut admin,
            &format!("{tender}/status"),
            &[("status", "evaluation")],
        )
        .await;
        supplier_a
            .expecting(409)
            .post(&format!("{tender}/bid"), &bid_form("800,000", ""))
            .await;
        for (who, role) in [
            (&p.evaluator, "evaluator"),
            (&p.evaluator2, "evaluator"),
            (&p.moderator, "moderator"),
        ] {
            let user = who.user_id.to_string();
            let back = post_ok(
                &mut admin,
                &format!("{tender}/panel"),
                &[("user_id", &user), ("role", role), ("action", "add")],
            )
            .await;
            assert_eq!(back, format!("{tender}#panel"));
        }
        let html = admin.get(&tender).await.text();
        assert!(html.contains("eval1@council.example") && html.contains("Moderator"));
        assert!(html.contains(&format!("{tender}/results")), "results link");

        // Evaluators score independently. Supplier A (£900,000): Q1 80, SV 80; Supplier B
        // (£1,000,000): Q1 100, SV 50. Evaluator 2 scores A's Q1 20, far from evaluator 1.
        let mut eval1 = t.signed_in(&p.evaluator).await;
        let mut eval2 = t.signed_in(&p.evaluator2).await;
        let html = eval1
            .get_is(&format!("{tender}/evaluate"), 200)
            .await
            .text();
        assert!(
            html.contains("A fleet of six accessible minibuses."),
            "answers shown"
        );
        assert!(html.contains("80 – Good: meets the criteria with minor gaps"));
        let bids = bid_ids(&html, "score");
        assert_eq!(bids.len(), 2, "{html}");
        let plan = [
            (
                &bids[0],
                [("Q1", "80", "20"), ("SV1", "80", "80"), ("SV2", "80", "80")],
            ),
            (
                &bids[1],
                [
                    ("Q1", "100", "100"),
                    ("SV1", "50", "50"),
                    ("SV2", "50", "50"),
                ],
            ),
        ];
        let score_a = format!("/bids/{}/score", bids[0]);
        let no_reason = eval1.post(&score_a, &score_form("Q1", "80", " ")).await;
        no_reason.assert_says(422, "Give the rationale for the score");
        let off_scale = eval1.post(&score_a, &score_form("Q1", "70", "Good")).await;
        off_scale.assert_says(422, "0, 20, 50, 80 or 100");
        for (bid, items) in &plan {
            for (q, s1, s2) in items {
                let r1 = format!("Evaluator one on {q}: solid plan");
                let r2 = format!("Evaluator two on {q}: thin evidence");
                let uri = format!("/bids/{bid}/score");
                let back = post_ok(&mut eval1, &uri, &score_form(q, s1, &r1)).await;
                assert!(
                    back.starts_with(&format!("{tender}/evaluate#bid-{bid}-q")),
                    "{back}"
                );
                post_ok(&mut eval2, &uri, &score_form(q, s2, &r2)).await;
            }
        }
        let html = eval1.get(&format!("{tender}/evaluate")).await.text();
        assert!(html.contains("Evaluator one on Q1: solid plan"));
        assert!(
            !html.contains("Evaluator two"),
            "evaluator 1 sees only their own scores"
        );
        let html = eval2.get(&format!("{tender}/evaluate")).await.text();
        assert!(html.contains("Evaluator two on SV1") && !html.contains("Evaluator one"));
        // Only the moderator moderates; evaluators are not the moderator.
        eval1.get_is(&format!("{tender}/moderate"), 403).await;

        let mut moderator = t.signed_in(&p.moderator).await;
        assert_eq!(
            moderator.get(&format!("{tender}/evaluate")).await.status,
            StatusCode::FORBIDDEN,
            "the moderator is not an evaluator"
        );
        let html = moderator
            .get_is(&format!("{tender}/moderate"), 200)
            .await
            .text();
        assert!(html.contains("Evaluator one on Q1: solid plan"));
        assert!(html.contains("Evaluator two on Q1: thin evidence"));
        assert_contains(
            &html,
            &["Lowest 20, highest 80, mean 50.0 from 2 evaluators"],
        );
        assert!(
            html.contains("differ by more than one step"),
            "80 and 20 are two steps apart"
        );
        assert_eq!(bid_ids(&html, "consensus"), bids);

        // Results before every consensus is in: listed, not an error.
        let consensus = [
            (&bids[0], [("Q1", "80"), ("SV1", "80"), ("SV2", "80")]),
            (&bids[1], [("Q1", "100"), ("SV1", "50"), ("SV2", "50")]),
        ];
        let agreed = consensus_form("Q1", "80", "Agreed after discussion");
        post_ok(
            &mut moderator,
            &format!("/bids/{}/consensus", bids[0]),
            &agreed,
        )
        .await;
        let html = admin.get_is(&format!("{tender}/results"), 200).await.text();
        assert_contains(
            &html,
            &[
                "Consensus scores still missing",
                "Supplier A: SV1, SV2",
                "Supplier B: Q1, SV1, SV2",
            ],
        );
        assert!(!html.contains("Award the tender"));
        // A moderated question is closed to evaluators, who now see the consensus.
        let html = eval1.get(&format!("{tender}/evaluate")).await.text();
        assert!(html.contains("Agreed after discussion") && html.contains("Moderated"));
        assert!(
            !html.contains("Evaluator two"),
            "still only their own scores after moderation"
        );
        let late = score_form("Q1", "50", "Changed my mind");
        eval1.expecting(409).post(&score_a, &late).await;

        for (bid, items) in &consensus {
            for (q, s) in items {
                let agreed = consensus_form(q, s, "Agreed by the panel");
                let uri = format!("/bids/{bid}/consensus");
                let back = post_ok(&mut moderator, &uri, &agreed).await;
                assert!(
                    back.starts_with(&format!("{tender}/moderate#bid-{bid}-q")),
                    "{back}"
                );
            }
        }

        // A: 40 × 900,000 ÷ 900,000 = 40 + 40 + 8 = 88; B: 36 + 50 + 5 = 91, rank 1.
        let html = admin.get_is(&format!("{tender}/results"), 200).await.text();
        assert_results_show(
            &html,
            t.label,
            &[
                "91.00",
                "88.00",
                "36.00",
                "Highest ranked",
                "Award the tender",
                "Price score = 40% × lowest price £900,000.00 ÷ this price £1,000,000.00 = 36.00",
                "Q1 (quality): 50% × 100 ÷ 100 = 50.00",
            ],
        );
        let (b_at, a_at) = (row_at(&html, "Supplier B"), row_at(&html, "Supplier A"));
        assert!(b_at < a_at, "the winner is listed first");
        assert_eq!(html.matches("<h1").count(), 1);

        // Suppliers never see the results; the award needs the buyer's admin.
        supplier_a.get_is(&format!("{tender}/results"), 403).await;
        let mut editor = t.signed_in(&p.buyer_editor).await;
        editor
            .expecting(403)
            .post(&format!("{tender}/award"), &[("bid_id", &bids[1])])
            .await;
        let contract = post_ok(
            &mut admin,
            &format!("{tender}/award"),
            &[("bid_id", &bids[1])],
        )
        .await;
        assert!(contract.starts_with("/contracts/"), "{contract}");
        let html = admin.get(&tender).await.text();
        assert_contains(&html, &["Awarded", &contract]);
        let html = supplier_b.get(&tender).await.text();
        assert!(html.contains(&contract), "the winner links to its contract");
    }
);

backends_test!(who_sees_and_does_what_on_the_tender_pages, |t| {
    let (app, p) = (&t.app, &t.people);
    let mut admin = t.signed_in(&p.buyer_admin).await;
    let tender = post_ok(&mut admin, "/tenders", &tender_form("6", "4", "40")).await;
    let a = p.supplier_editor.organisation_id.to_string();
    post_ok(
        &mut admin,
        &format!("{tender}/invitations"),
        &[("organisation_id", &a)],
    )
    .await;
    post_ok(
        &mut admin,
        &format!("{tender}/status"),
        &[("status", "open")],
    )
    .await;

    // Signed out: to the sign-in page, back here afterwards.
    let mut anonymous = Browser::new(app);
    let answer = anonymous.get_is(&tender, 303).await;
    assert!(
        location(&answer).starts_with("/login"),
        "{}",
        location(&answer)
    );
    let answer = anonymous
        .post("/tenders", &tender_form("6", "4", "40"))
        .await;
    assert_eq!(location(&answer), "/login");

    // An outsider cannot tell the tender exists.
    let mut outsider = t.signed_in(&p.outsider).await;
    for page in ["", "/bid", "/results", "/evaluate", "/moderate"] {
        let answer = outsider.get_is(&format!("{tender}{page}"), 404).await;
        assert!(!answer.text().contains("Community transport"));
    }
    outsider
        .expecting(404)
        .post(&format!("{tender}/status"), &[("status", "cancelled")])
        .await;
    assert!(
        !outsider
            .get("/tenders")
            .await
            .text()
            .contains("Community transport")
    );

    // The buyer's viewer reads but does not change; the buyer does not bid.
    let mut viewer = t.signed_in(&p.buyer_viewer).await;
    let html = viewer.get(&tender).await.text();
    assert!(html.contains("Community transport") && !html.contains("Invite supplier"));
    viewer
        .expecting(403)
        .post(&format!("{tender}/status"), &[("status", "cancelled")])
        .await;
    viewer.get_is(&format!("{tender}/bid"), 403).await;
    assert_eq!(
        viewer.get(&format!("{tender}/results")).await.status,
        StatusCode::CONFLICT,
        "bids are sealed while open"
    );
    let mut editor = t.signed_in(&p.buyer_editor).await;
    let user = p.evaluator.user_id.to_string();
    assert_eq!(
        editor
            .post(
                &format!("{tender}/panel"),
                &[("user_id", &user), ("role", "evaluator")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "the panel is for admins"
    );
    // Opening twice is a state conflict.
    editor
        .expecting(409)
        .post(&format!("{tender}/status"), &[("status", "open")])
        .await;

    // The supplier's viewer reads the bid page but cannot save; suppliers see no results.
    let mut supplier_viewer = t.signed_in(&p.supplier_viewer).await;
    let page = supplier_viewer.get(&format!("{tender}/bid")).await;
    page.assert_says(200, "Your role in your organisation is viewer");
    supplier_viewer
        .expecting(403)
        .post(&format!("{tender}/bid"), &bid_form("900000", ""))
        .await;
    let mut supplier = t.signed_in(&p.supplier_editor).await;
    supplier.get_is(&format!("{tender}/results"), 403).await;
    supplier.get_is(&format!("{tender}/evaluate"), 403).await;
    // Submitting needs every answer: the missing ones are named.
    let mut partial = bid_form("900000", "");
    partial.retain(|(k, _)| *k != "answer_2");
    post_ok(&mut supplier, &format!("{tender}/bid"), &partial).await;
    let refused = supplier.post(&format!("{tender}/bid/submit"), &[]).await;
    let html = refused.text_if(StatusCode::UNPROCESSABLE_ENTITY, "refused");
    assert!(
        html.contains(r##"<a href="#b-answer-2">"##)
            && html.contains("Question SV2 has no answer yet"),
        "{html}"
    );
    // Withdrawing a draft is a state conflict; the supplier's bid stays theirs.
    supplier
        .expecting(409)
        .post(&format!("{tender}/bid/withdraw"), &[])
        .await;
    outsider.get_is(&format!("{tender}/bid"), 404).await;
});

#[tokio::test]
async fn the_tender_page_shows_what_its_areas_most_need() {
    let t = all_backends().await.into_iter().next().expect("a backend");
    let app = area_app(&t);
    let p = people(&t.store).await;
    let mut admin = crate::accounts::accounts_web::signed_in(&app, &p.buyer_admin.email).await;
    let tender = post_ok(&mut admin, "/tenders", &tender_form("6", "4", "40")).await;
    let html = admin.get(&tender).await.text();
    assert_contains(
        &html,
        &["What these areas most need", "Plymouth (E06000026)"],
    );
    assert!(html.contains("national decile"), "evidence shown");
    assert!(
        html.contains("<strong>1. MAC "),
        "a 2020 criterion ranked first: {html}"
    );
    // Without area data the panel is left out, not an error.
    let plain = crate::platform::helpers::app(&t);
    let mut admin = admin.on(&plain);
    let page = admin.get_is(&tender, 200).await;
    assert!(!page.text().contains("What these areas most need"));
}

backends_test!(
    price_per_quality_point_results_show_example_5_figures,
    |t| {
        use crate::procurement::procurement_helpers::{
            evaluate_to, tender_json, to_evaluation_with,
        };
        let p = &t.people;
        // Example 5 under price per quality point: questions carry all 100 points (90 + 5 + 5)
        // and every question scores 70 (A) or 85 (B), so the totals are 70 and 85 points.
        let mut tender = tender_json();
        tender["method"] = "price_per_quality_point".into();
        tender["price_weight"] = 0.into();
        for (q, w) in tender["questions"]
            .as_array_mut()
            .expect("questions")
            .iter_mut()
            .zip([90, 5, 5])
        {
            q["weight"] = w.into();
        }
        let ids = to_evaluation_with(&t, tender).await;
        evaluate_to(
            &t,
            &ids,
            [
                ("Supplier A", [("Q1", 70.0), ("SV1", 70.0), ("SV2", 70.0)]),
                ("Supplier B", [("Q1", 85.0), ("SV1", 85.0), ("SV2", 85.0)]),
            ],
        )
        .await;

        let mut admin = t.signed_in(&p.buyer_admin).await;
        let page = admin
            .get_is(&format!("/tenders/{}/results", ids.tender), 200)
            .await;
        let html = page.text();
        assert_results_show(
            &html,
            t.label,
            &[
                "Price per quality point",
                "Total quality points = 63.00 quality + 7.00 social value = 70.00. Price per quality point = £900,000.00 ÷ 70.00 = £12,857.14; the lowest wins.",
                "Total quality points = 76.50 quality + 8.50 social value = 85.00. Price per quality point = £1,000,000.00 ÷ 85.00 = £11,764.71; the lowest wins.",
            ],
        );
        // The lower price per point wins although its price is higher.
        let (b_at, a_at) = (row_at(&html, "Supplier B"), row_at(&html, "Supplier A"));
        assert!(b_at < a_at, "{}: the winner is listed first", t.label);
        assert!(!html.contains("Price score ="), "no price score under PQP");
    }
);
