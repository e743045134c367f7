//! The page that changes a draft tender's settings: prefilled with the tender, saved through
//! the same store call as `PUT /api/v1/tenders/{id}`, problems shown beside the fields, and
//! closed (409) once the tender is open.

use crate::platform::helpers::assert_contains;
use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::accounts::accounts_web::Browser;
use crate::procurement::procurement_helpers::draft_tender;
use crate::procurement::tender_pages::{post_ok, tender_form};

/// The create form's fields with some replaced.
fn changed(
    base: Vec<(&'static str, &'static str)>,
    replace: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    base.into_iter()
        .map(|(k, v)| {
            let v = replace
                .iter()
                .find(|(rk, _)| *rk == k)
                .map_or(v, |(_, rv)| *rv);
            (k, v)
        })
        .collect()
}

/// A page that must answer `status`; answers its HTML.
async fn page(
    browser: &mut Browser,
    method: Method,
    uri: &str,
    fields: &[(&str, &str)],
    status: StatusCode,
) -> String {
    let answer = if method == Method::GET {
        browser.get(uri).await
    } else {
        browser.post(uri, fields).await
    };
    let html = answer.text();
    assert_eq!(answer.status, status, "{method} {uri}: {html}");
    html
}

backends_test!(
    a_buyer_changes_a_draft_tender_through_the_edit_page,
    |t, p| {
        let mut editor = t.signed_in(&p.buyer_editor).await;
        let tender = post_ok(&mut editor, "/tenders", &tender_form("6", "4", "40")).await;
        let id = tender.trim_start_matches("/tenders/").to_owned();
        let edit = format!("{tender}/edit");
        let api = format!("/api/v1/tenders/{id}");

        // The tender page links to the form while the tender is a draft.
        let html = page(&mut editor, Method::GET, &tender, &[], StatusCode::OK).await;
        assert!(
            html.contains(&format!(r#"href="{edit}" id="edit-settings""#)),
            "{}: {html}",
            t.label
        );

        // The form shows the tender as it is.
        let html = page(&mut editor, Method::GET, &edit, &[], StatusCode::OK).await;
        assert!(
            html.contains(r#"<h1 class="govuk-heading-xl">Change the tender's settings</h1>"#),
            "{html}"
        );
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains(&format!(r#"action="{edit}""#)), "{html}");
        assert_contains(&html, &["Save changes"]);
        assert!(
            html.contains(&format!(
                r#"<a class="govuk-link" href="{tender}">Cancel</a>"#
            )),
            "{html}"
        );
        assert!(
            html.contains(r#"value="Community transport, Plymouth""#),
            "{html}"
        );
        assert!(
            html.contains(r#"value="1000000""#),
            "contract value prefilled"
        );
        assert!(html.contains(r#"value="E06000026""#), "areas prefilled");
        assert!(
            html.contains(
                r#"id="t-q1-weight" name="q1_weight" type="text" inputmode="decimal" value="6""#
            ),
            "{html}"
        );
        assert!(
            html.contains(
                r#"id="t-q2-weight" name="q2_weight" type="text" inputmode="decimal" value="4""#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"value="MAC 8.1" checked"#),
            "criteria ticked"
        );
        assert!(
            html.contains(r#"<option value="MAC 2.2" selected>"#),
            "question criterion chosen"
        );
        assert!(
            !html.contains("t-organisation_id"),
            "no organisation choice when editing"
        );

        // Saved: back to the tender, which shows the new settings; so does the API.
        let new = changed(
            tender_form("8", "4", "38"),
            &[
                ("title", "Community transport, Plymouth and Devon"),
                ("contract_value", "1,200,000"),
            ],
        );
        let to = post_ok(&mut editor, &edit, &new).await;
        assert_eq!(to, tender, "{}", t.label);
        let html = page(&mut editor, Method::GET, &tender, &[], StatusCode::OK).await;
        assert!(
            html.contains(
                "<h1 class=\"govuk-heading-xl\">Community transport, Plymouth and Devon</h1>"
            ),
            "{html}"
        );
        assert_contains(&html, &["£1,200,000.00"]);
        assert!(
            html.contains(r#"id="w-sv">12%"#) && html.contains(r#"id="w-price">38%"#),
            "{html}"
        );
        let body = t.get(&p.buyer_editor, &api, 200).await.json();
        assert_eq!(body["title"], "Community transport, Plymouth and Devon");
        assert_eq!(body["contract_value_gbp"], 1_200_000.0);
        assert_eq!(body["price_weight"], 38.0);
        assert_eq!(body["questions"][1]["weight"], 8.0);
        assert_eq!(body["social_value_weight"], 12.0);
        assert_eq!(body["status"], "draft");
        let saved = body;

        // Problems are shown beside their fields with what was typed, and nothing changes.
        let html = page(
            &mut editor,
            Method::POST,
            &edit,
            &changed(
                tender_form("5", "3", "42"),
                &[("title", "Less social value")],
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_contains(&html, &["govuk-error-summary"]);
        assert!(html.contains(r##"<a href="#t-questions">"##), "{html}");
        assert_contains(&html, &["at least 10%", "8%"]);
        assert!(
            html.contains(r#"value="Less social value""#),
            "typed title kept"
        );
        assert!(
            html.contains(
                r#"id="t-q1-weight" name="q1_weight" type="text" inputmode="decimal" value="5""#
            ),
            "{html}"
        );
        assert_contains(&html, &["<title>Error: "]);
        let html = page(
            &mut editor,
            Method::POST,
            &edit,
            &changed(tender_form("6", "4", "40"), &[("contract_value", "abc")]),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(html.contains(r##"<a href="#t-contract_value">"##), "{html}");
        assert!(html.contains(r#"id="t-contract_value-error""#), "{html}");
        assert!(html.contains(r#"value="abc""#), "typed value kept");
        let body = t.get(&p.buyer_editor, &api, 200).await.json();
        assert_eq!(body, saved, "the failed forms changed nothing");

        // A viewer may read the tender but not change it.
        let mut viewer = t.signed_in(&p.buyer_viewer).await;
        page(&mut viewer, Method::GET, &edit, &[], StatusCode::FORBIDDEN).await;
        let html = page(&mut viewer, Method::GET, &tender, &[], StatusCode::OK).await;
        assert!(!html.contains("edit-settings"), "no link for viewers");

        // Once open, the settings are fixed.
        post_ok(
            &mut editor,
            &format!("{tender}/status"),
            &[("status", "open")],
        )
        .await;
        let html = page(&mut editor, Method::GET, &edit, &[], StatusCode::CONFLICT).await;
        assert_contains(&html, &["only while it is a draft"]);
        page(&mut editor, Method::POST, &edit, &new, StatusCode::CONFLICT).await;
        let html = page(&mut editor, Method::GET, &tender, &[], StatusCode::OK).await;
        assert!(!html.contains(r#"id="edit-settings""#), "{html}");
        let body = t.get(&p.buyer_editor, &api, 200).await.json();
        assert_eq!(body["title"], "Community transport, Plymouth and Devon");
    }
);

backends_test!(editing_keeps_the_tenders_own_scale, |t, p| {
    // Made through the API with a 21-level scale, which the form does not show as fields.
    let id = draft_tender(&t).await;
    let created = t
        .get(&p.buyer_editor, &format!("/api/v1/tenders/{id}"), 200)
        .await;
    let created = created.json();
    let scale = created["scale"].clone();
    assert_eq!(scale.as_array().map(Vec::len), Some(21));

    let mut admin = t.signed_in(&p.buyer_admin).await;
    let edit = format!("/tenders/{id}/edit");
    let html = page(&mut admin, Method::GET, &edit, &[], StatusCode::OK).await;
    assert!(
        html.contains("55 of 100"),
        "the tender's own scale is shown: {html}"
    );
    assert!(
        html.contains(">Door-to-door transport for older and disabled residents.</textarea>"),
        "the description is prefilled: {html}"
    );

    let form = changed(
        tender_form("6", "4", "40"),
        &[("title", "Community transport, renamed")],
    );
    assert_eq!(
        post_ok(&mut admin, &edit, &form).await,
        format!("/tenders/{id}")
    );
    let body: Value = t
        .get(&p.buyer_editor, &format!("/api/v1/tenders/{id}"), 200)
        .await
        .json();
    assert_eq!(body["title"], "Community transport, renamed");
    assert_eq!(body["scale"], scale, "the scale is kept");
});
