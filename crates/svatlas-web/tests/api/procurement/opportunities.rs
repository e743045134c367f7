//! Open opportunities (self-registration): a buyer lists its tender, a supplier it did not
//! invite finds it on the public list and asks to bid, the buyer declines one request with a
//! reason and accepts another, and the accepted supplier then bids like an invited one. Through
//! the JSON API and through the pages, on every backend.

use crate::platform::helpers::assert_contains;
use axum::http::StatusCode;
use serde_json::{Value, json};
use svatlas_store::testing::all_backends;

use crate::accounts::accounts_web::{Browser, location};
use crate::platform::app::TestApp;
use crate::procurement::procurement_helpers::{
    bid_json, decision, draft_tender, invite_all, set_status,
};

/// `{"listed": listed}`, as the listing endpoint takes it.
fn listed(listed: bool) -> Value {
    json!({ "listed": listed })
}

backends_test!(
    a_listed_tender_takes_requests_to_bid_and_acceptance_lets_the_supplier_bid,
    |t| {
        let (app, p) = (&t.app, &t.people);
        let label = &t.label;
        let id = draft_tender(&t).await;
        let listing = format!("/api/v1/tenders/{id}/listing");
        let public = format!("/api/v1/opportunities/{id}");
        let ask = format!("/api/v1/opportunities/{id}/requests");
        let tender = format!("/api/v1/tenders/{id}");

        // Listed as a draft: not yet on the public list; viewers cannot list.
        t.put(&p.buyer_viewer, &listing, listed(true), 403).await;
        let l = t.put(&p.buyer_editor, &listing, listed(true), 200).await;
        assert_eq!(
            l.json(),
            json!({"listed": true, "visible": false, "url": format!("/opportunities/{id}")}),
            "{label}"
        );
        let anon = Browser::new(app).get(&public).await;
        assert_eq!(anon.status, StatusCode::NOT_FOUND, "{label}");
        invite_all(&t, &id, &[&p.supplier_editor]).await;
        set_status(&t, &id, "open").await;

        // Open: anyone reads it, with its weightings, without a token.
        let list = Browser::new(app).get("/api/v1/opportunities").await;
        let list = list.json_if(StatusCode::OK, "list");
        assert_eq!(list["total"], 1, "{label}: {list}");
        assert_eq!(list["items"][0]["id"], id.as_str());
        assert_eq!(list["items"][0]["social_value_weight"], 10.0);
        assert_eq!(list["items"][0]["buyer"], "Plymouth City Council");
        let bad_page = Browser::new(app).get("/api/v1/opportunities?page=0").await;
        assert_eq!(bad_page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let one = Browser::new(app).get(&public).await.json();
        assert_eq!(one["title"], "Community transport, Plymouth", "{label}");

        // Who may ask: not the buyer, not an invited supplier, not a viewer.
        let message = json!({"message": "We run accessible minibuses across Devon."});
        t.post(&p.buyer_editor, &ask, message.clone(), 403).await;
        t.post(&p.supplier_editor, &ask, message.clone(), 409).await;
        t.post(&p.supplier_viewer, &ask, message.clone(), 403).await;
        let too_long = json!({"message": "x".repeat(2_001)});
        let e = t.post(&p.supplier_b, &ask, too_long, 422).await.json();
        assert_eq!(e["error"]["field"], "message", "{e}");
        assert_eq!(
            e["error"]["message"],
            "message must be at most 2000 characters"
        );
        // Before it is accepted, the outsider cannot see the tender itself.
        t.get(&p.supplier_b, &tender, 404).await;
        let r = t
            .post(&p.supplier_b, &ask, message.clone(), 201)
            .await
            .json();
        assert_eq!(r["status"], "requested", "{label}");
        assert_eq!(r["organisation"], "Supplier B");
        assert_eq!(r["message"], "We run accessible minibuses across Devon.");
        t.post(&p.supplier_b, &ask, message, 409).await;
        t.post(&p.outsider, &ask, json!({}), 201).await;

        // The buyer reads requests; suppliers do not.
        let requests = format!("/api/v1/tenders/{id}/requests");
        let all = t.get(&p.buyer_viewer, &requests, 200).await.json();
        assert_eq!(all.as_array().unwrap().len(), 2, "{label}: {all}");
        t.get(&p.supplier_editor, &requests, 403).await;
        t.get(&p.outsider, &requests, 404).await;

        // A decline needs its reason; then accept B, decline X.
        let decide = |org: uuid::Uuid| format!("/api/v1/tenders/{id}/requests/{org}/decision");
        let (on_x, on_b) = (
            decide(p.outsider.organisation_id),
            decide(p.supplier_b.organisation_id),
        );
        let no_reason = decision("decline", None);
        let e = t.post(&p.buyer_editor, &on_x, no_reason, 422).await.json();
        assert_eq!(e["error"]["field"], "note", "{e}");
        t.post(&p.buyer_viewer, &on_x, decision("accept", None), 403)
            .await;
        let decline = decision("decline", Some("The lot covers Plymouth only"));
        let d = t.post(&p.buyer_editor, &on_x, decline, 200).await.json();
        assert_eq!(
            (d["status"].as_str(), d["note"].as_str()),
            (Some("declined"), Some("The lot covers Plymouth only"))
        );
        let accept = decision("accept", None);
        let a = t.post(&p.buyer_editor, &on_b, accept.clone(), 200).await;
        assert_eq!(a.json()["status"], "accepted", "{label}");
        let change = decision("decline", Some("changed our mind"));
        t.post(&p.buyer_editor, &on_b, change, 409).await;
        let on_buyer = decide(p.buyer_viewer.organisation_id);
        t.post(&p.buyer_editor, &on_buyer, accept, 404).await;

        // Accepted: B sees the tender and bids; the declined organisation still cannot.
        t.get(&p.supplier_b, &tender, 200).await;
        let bid = bid_json(950_000.0, 4.0);
        t.put(&p.supplier_b, &format!("{tender}/bid"), bid, 200)
            .await;
        t.get(&p.outsider, &tender, 404).await;
        let again = t.post(&p.outsider, &ask, json!({}), 409).await;
        assert!(
            again.text().contains("The lot covers Plymouth only"),
            "{}",
            again.text()
        );

        // Taken off the list: gone from the public list and its page.
        let l = t.put(&p.buyer_editor, &listing, listed(false), 200).await;
        assert_eq!(l.json()["visible"], false);
        assert_eq!(
            Browser::new(app).get("/api/v1/opportunities").await.json()["total"],
            0
        );
        assert_eq!(
            Browser::new(app).get(&public).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

backends_test!(
    suppliers_ask_to_bid_and_buyers_decide_through_the_pages,
    |t| {
        let (app, p) = (&t.app, &t.people);
        let id = draft_tender(&t).await;
        let mut buyer = t.signed_in(&p.buyer_editor).await;
        let tender_page = format!("/tenders/{id}");
        let html = buyer.get(&tender_page).await.text();
        assert_contains(&html, &["Not listed", "List as an open opportunity"]);
        let to = buyer
            .expecting(303)
            .post(&format!("/tenders/{id}/listing"), &[("listed", "yes")])
            .await;
        assert_eq!(location(&to), format!("/tenders/{id}#listing"));
        let html = buyer.get(&tender_page).await.text();
        assert_contains(&html, &["It shows on the list once it is open"]);
        buyer
            .expecting(422)
            .post(&format!("/tenders/{id}/listing"), &[("listed", "maybe")])
            .await;
        buyer
            .expecting(303)
            .post(&format!("/tenders/{id}/status"), &[("status", "open")])
            .await;

        // Anyone finds it; signed out, the page offers to sign in.
        let mut visitor = Browser::new(app);
        let html = visitor.get_is("/opportunities", 200).await.text();
        assert_contains(
            &html,
            &[
                "Community transport, Plymouth",
                "1 open opportunity",
                "10%",
                "E06000026",
            ],
        );
        let page = format!("/opportunities/{id}");
        let html = visitor.get(&page).await.text();
        assert_contains(
            &html,
            &["Sign in", "Jobs and apprenticeships for local people"],
        );
        assert!(!html.contains("Ask to bid</button>"), "{html}");

        // The outsider asks with a message; too long a message is refused and kept.
        let mut outsider = t.signed_in(&p.outsider).await;
        let html = outsider.get(&page).await.text();
        assert_contains(&html, &["You ask for <strong>Org X</strong>"]);
        let long = "y".repeat(2_001);
        let refused = outsider
            .expecting(422)
            .post(&format!("{page}/requests"), &[("message", long.as_str())])
            .await;
        let html = refused.text();
        assert_contains(&html, &["There is a problem", "request-message"]);
        assert!(html.contains(&long));
        let sent = outsider
            .expecting(303)
            .post(
                &format!("{page}/requests"),
                &[("message", "Accessible minibuses, Devon-wide")],
            )
            .await;
        assert_eq!(location(&sent), format!("{page}#request"));
        let html = outsider.get(&page).await.text();
        assert_contains(&html, &["Org X: <strong>Awaiting the buyer</strong>"]);
        outsider
            .expecting(409)
            .post(&format!("{page}/requests"), &[("message", "again")])
            .await;

        // The buyer sees it; a decline without a reason shows the error beside the request.
        let html = buyer.get(&tender_page).await.text();
        assert_contains(
            &html,
            &["Accessible minibuses, Devon-wide", "Accept and invite"],
        );
        let decide = format!(
            "/tenders/{id}/requests/{}/decision",
            p.outsider.organisation_id
        );
        let bad = buyer
            .expecting(422)
            .post(&decide, &[("decision", "decline"), ("note", "")])
            .await;
        let html = bad.text();
        let field = format!("request-{}-note", p.outsider.organisation_id);
        assert!(
            html.contains("There is a problem") && html.contains(&format!("href=\"#{field}\"")),
            "{html}"
        );
        buyer
            .expecting(303)
            .post(&decide, &[("decision", "accept"), ("note", "Welcome")])
            .await;
        let html = buyer.get(&tender_page).await.text();
        assert_contains(&html, &["Accepted: invited to bid", "Org X"]);
        assert!(!html.contains("Accept and invite"), "{html}");

        // Accepted: the outsider is now an invited supplier, with its bid a click away.
        let html = outsider.get(&page).await.text();
        assert!(
            html.contains("Invited to bid") && html.contains(&format!("/tenders/{id}/bid")),
            "{html}"
        );
        outsider.get_is(&tender_page, 200).await;
        outsider.get_is(&format!("/tenders/{id}/bid"), 200).await;
        let tenders = outsider.get("/tenders").await.text();
        assert_contains(&tenders, &["Community transport, Plymouth"]);
    }
);

#[tokio::test]
async fn opportunities_are_found_by_words_and_by_place() {
    let t = all_backends().await.into_iter().next().expect("a backend");
    let t = TestApp::with_areas(t).await;
    let app = t.app.clone();
    let id = draft_tender(&t).await;
    let listing = format!("/api/v1/tenders/{id}/listing");
    t.put(&t.people.buyer_editor, &listing, listed(true), 200)
        .await;
    set_status(&t, &id, "open").await;
    let total = |uri: &'static str| {
        let app = app.clone();
        async move {
            Browser::new(&app).get(uri).await.json()["total"]
                .as_u64()
                .unwrap()
        }
    };
    // Words in the title, description or buyer's name, in any case and order.
    assert_eq!(total("/api/v1/opportunities?q=TRANSPORT+plymouth").await, 1);
    assert_eq!(total("/api/v1/opportunities?q=older+council").await, 1);
    assert_eq!(total("/api/v1/opportunities?q=catering").await, 0);
    // The district served, an LSOA inside it, and the region containing it find the tender;
    // another district does not.
    assert_eq!(total("/api/v1/opportunities?area=e06000026").await, 1);
    assert_eq!(total("/api/v1/opportunities?area=E01015023").await, 1);
    assert_eq!(total("/api/v1/opportunities?area=E12000009").await, 1);
    assert_eq!(total("/api/v1/opportunities?area=E06000009").await, 0);
    // The page keeps the search in its form and says when nothing matches.
    let html = Browser::new(&app)
        .get("/opportunities?q=catering&area=E06000026")
        .await
        .text();
    assert_contains(
        &html,
        &[
            "No open opportunity matches this search",
            "value=\"catering\"",
            "Show all",
        ],
    );
    let html = Browser::new(&app)
        .get("/opportunities?area=E01015023")
        .await
        .text();
    assert_contains(&html, &["1 open opportunity found"]);
    t.finish().await;
}
