//! The calculator's JSON API contract: projects, outcomes, inputs, report (JSON, PDF, XLSX,
//! CSV) and proxies, with Bearer tokens, on every available store backend.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::platform::app::{BUYER, Persona, TestApp};
use crate::platform::helpers::{post_json, strings};
use crate::procurement::procurement_helpers::id_of;

/// METHOD.md worked example 1 (employment programme): £2.42 for every £1.
pub fn example_outcome() -> serde_json::Value {
    json!({"description": "Participants into work", "bristol_accord": "thriving",
           "proxy_gbp": 6500, "quantity": 20, "duration_years": 3, "start_year": 1,
           "leakage": 0.05, "deadweight": 0.25, "displacement": 0.10, "attribution": 0.20,
           "dropoff": 0.30, "stakeholder": "Participants"})
}

/// The employment programme, as the projects API takes it.
pub fn example_project() -> serde_json::Value {
    json!({"name": "Employment programme", "mode": "forecast"})
}

/// `who` creates [`example_project`] through the API: the project as JSON.
pub async fn create_example_project(t: &TestApp, who: &Persona) -> serde_json::Value {
    t.post(who, "/api/v1/projects", example_project(), 201)
        .await
        .json()
}

pub fn example_input() -> serde_json::Value {
    json!({"description": "Programme cost", "category": "cash", "value": 56884,
           "volume": 1, "year": 0, "leakage": 0.25})
}

backends_test!(
    a_project_built_through_the_api_reports_like_the_calculator,
    |t| {
        let (app, editor) = (&t.app, &t.people.buyer_editor);
        let project = create_example_project(&t, editor).await;
        let id = project["id"].as_str().expect("id").to_string();
        assert_eq!(project["mode"], "forecast");
        assert_eq!(
            project["organisation_id"],
            editor.organisation_id.to_string()
        );

        let uri = format!("/api/v1/projects/{id}");
        let (outcomes, inputs) = (format!("{uri}/outcomes"), format!("{uri}/inputs"));
        let o = t.post(editor, &outcomes, example_outcome(), 201).await;
        assert!(o.json()["id"].is_string());
        let i = t.post(editor, &inputs, example_input(), 201).await;
        assert_eq!(i.json()["amount"], 56884.0);

        // The report has the same shape and figures as the stateless calculator.
        let report = t.get(editor, &format!("{uri}/report"), 200).await.json();
        let direct = post_json(
            app,
            "/api/v1/sroi/calculate",
            json!({
                "inputs_by_year": {"0": 56884},
                "outcomes": [{"name": "Participants into work", "quantity": 20, "proxy_gbp": 6500,
                    "duration_years": 3, "start_year": 1, "leakage": 0.05, "deadweight": 0.25,
                    "displacement": 0.10, "attribution": 0.20, "dropoff": 0.30,
                    "stakeholder": "participants", "proxy_category": "thriving"}]
            })
            .to_string(),
        )
        .await
        .json();
        for (key, value) in direct.as_object().expect("object") {
            assert_eq!(&report[key], value, "{}: report field {key}", t.label);
        }
        assert_eq!(report["content_hash"].as_str().map(str::len), Some(64));
        assert_eq!(
            svatlas_domain::sroi::format_ratio(report["sroi_ratio"].as_f64().expect("ratio")),
            "£2.42 for every £1"
        );

        // Files (the PDF only in builds with the `pdf` feature; see `pdf_routes`).
        #[cfg(feature = "pdf")]
        {
            let pdf = t.get(editor, &format!("{uri}/report.pdf"), 200).await;
            assert_eq!(pdf.headers["content-type"], "application/pdf");
            assert!(pdf.body.starts_with(b"%PDF"), "{}", t.label);
        }
        let xlsx = t.get(editor, &format!("{uri}/report.xlsx"), 200).await;
        assert!(xlsx.body.starts_with(b"PK"), "an XLSX file is a zip");
        let csv = t.get(editor, &format!("{uri}/report.csv"), 200).await;
        assert!(csv.text().contains("Participants into work"));
        let disposition = csv.headers["content-disposition"].to_str().unwrap();
        assert!(disposition.contains("employment-programme-report.csv"));

        // Read back.
        let got = t.get(editor, &uri, 200).await.json();
        assert_eq!(got["outcomes"][0]["proxy"]["value_gbp"], 6500.0);
        assert_eq!(got["inputs"][0]["category"], "cash");
        let list = t.get(editor, "/api/v1/projects", 200).await.json();
        assert_eq!(list["projects"].as_array().map(Vec::len), Some(1));
    }
);

people_test!(
    other_organisations_get_404_viewers_403_and_no_token_401,
    |t, c| {
        let project = json!({"name": "P", "mode": "evaluative"});
        let created = t
            .post(&c.buyer_admin, "/api/v1/projects", project, 201)
            .await
            .json();
        let id = created["id"].as_str().expect("id").to_string();
        let routes = [
            (Method::GET, format!("/api/v1/projects/{id}"), None),
            (
                Method::POST,
                format!("/api/v1/projects/{id}/outcomes"),
                Some(example_outcome()),
            ),
            (
                Method::POST,
                format!("/api/v1/projects/{id}/inputs"),
                Some(example_input()),
            ),
            (Method::GET, format!("/api/v1/projects/{id}/report"), None),
            (
                Method::GET,
                format!("/api/v1/projects/{id}/report.pdf"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/projects/{id}/report.xlsx"),
                None,
            ),
            (
                Method::GET,
                format!("/api/v1/projects/{id}/report.csv"),
                None,
            ),
        ];
        for (method, uri, body) in &routes {
            let outsider = t
                .call(method.clone(), uri, Some(&c.outsider.token), body.clone())
                .await;
            assert_eq!(
                outsider.status,
                StatusCode::NOT_FOUND,
                "{method} {uri}: {}",
                outsider.text()
            );
            assert!(
                !outsider.text().contains(BUYER),
                "a 404 must not name the owner"
            );
            let anonymous = t.call(method.clone(), uri, None, body.clone()).await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
            assert!(anonymous.headers.contains_key("www-authenticate"));
            let forged = t
                .call(method.clone(), uri, Some("sva_0000"), body.clone())
                .await;
            assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
            let viewer = t
                .call(
                    method.clone(),
                    uri,
                    Some(&c.buyer_viewer.token),
                    body.clone(),
                )
                .await;
            let expected = if *method == Method::POST {
                StatusCode::FORBIDDEN
            } else if uri.ends_with(".pdf") && !cfg!(feature = "pdf") {
                // Readable, but this build has no PDF reports.
                StatusCode::NOT_IMPLEMENTED
            } else {
                StatusCode::OK
            };
            assert_eq!(
                viewer.status,
                expected,
                "viewer {method} {uri}: {}",
                viewer.text()
            );
        }
        // A viewer cannot create projects either; an outsider cannot create in Org A.
        let project = json!({"name": "P", "mode": "forecast"});
        t.post(&c.buyer_viewer, "/api/v1/projects", project, 403)
            .await;
        let o = t.call(Method::POST, "/api/v1/projects", Some(&c.outsider.token), json!({"name": "P", "mode": "forecast", "organisation_id": c.buyer_admin.organisation_id}))
    .await;
        assert_eq!(o.status, StatusCode::NOT_FOUND);
        // The outsider's list does not show it.
        let list = t
            .call(
                Method::GET,
                "/api/v1/projects",
                Some(&c.outsider.token),
                None,
            )
            .await
            .json();
        assert_eq!(list["projects"], json!([]));
    }
);

people_test!(
    bad_entries_get_422_naming_the_field_and_nothing_is_stored,
    |t, c| {
        let editor = &c.buyer_editor;
        let token = Some(editor.token.as_str());
        let p = json!({"name": "P", "mode": "forecast"});
        let id = id_of(&t.post(editor, "/api/v1/projects", p, 201).await);
        let (outcomes, inputs) = (
            format!("/api/v1/projects/{id}/outcomes"),
            format!("/api/v1/projects/{id}/inputs"),
        );
        let cases = [
            (json!({"proxy_id": "GB-QALY"}), "proxy_id"),
            (json!({"proxy_gbp": null}), "proxy_id"),
            (json!({"bristol_accord": "happiness"}), "bristol_accord"),
            (json!({"deadweight": 1.5}), "deadweight"),
            (json!({"quantity": -1}), "quantity"),
            (
                json!({"proxy_gbp": null, "proxy_id": "NLW-2025"}),
                "proxy_id",
            ),
            (
                json!({"proxy_gbp": null, "proxy_id": "NO-SUCH"}),
                "proxy_id",
            ),
        ];
        for (change, field) in cases {
            let mut body = example_outcome();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let answer = t.call(Method::POST, &outcomes, token, body).await;
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{change}: {}",
                answer.text()
            );
            assert_eq!(
                answer.json()["error"]["field"],
                field,
                "{change}: {}",
                answer.text()
            );
        }
        let mut bad_input = example_input();
        bad_input["category"] = json!("gold");
        let answer = t.post(editor, &inputs, bad_input, 422).await;
        assert_eq!(answer.json()["error"]["field"], "category");
        let mut bad_input = example_input();
        bad_input["leakage"] = json!(2);
        let answer = t.post(editor, &inputs, bad_input, 422).await;
        assert_eq!(answer.json()["error"]["field"], "leakage");
        let project_uri = format!("/api/v1/projects/{id}");
        let project = t.get(editor, &project_uri, 200).await.json();
        assert_eq!(project["outcomes"], json!([]));
        assert_eq!(project["inputs"], json!([]));
        // A library proxy is copied onto the outcome with its source.
        let mut body = example_outcome();
        body["proxy_gbp"] = json!(null);
        body["proxy_id"] = json!("GB-QALY");
        body["bristol_accord"] = json!("Well served");
        let added = t.post(editor, &outcomes, body, 201).await.json();
        assert_eq!(added["proxy"]["value_gbp"], 70000.0);
        assert_eq!(added["proxy"]["price_year"], "2020-21");
        assert_eq!(added["bristol_accord"], "well_served");
    }
);

people_test!(proxies_are_searchable_by_words_and_component, |t, c| {
    let token = Some(c.buyer_viewer.token.as_str());
    let found = t
        .call(Method::GET, "/api/v1/proxies?q=robbery", token, None)
        .await;
    let found = found.json_if(StatusCode::OK, "found");
    assert_eq!(found["proxies"].as_array().map(Vec::len), Some(1));
    assert_eq!(found["proxies"][0]["id"], "HO-ROBBERY");
    assert!(
        found["proxies"][0]["licence"]
            .as_str()
            .unwrap()
            .contains("OGL")
    );
    let env = t
        .call(
            Method::GET,
            "/api/v1/proxies?bristol_accord=environmentally_sensitive",
            token,
            None,
        )
        .await
        .json();
    let ids: Vec<&str> = strings(&env["proxies"], "id");
    assert!(
        !ids.is_empty() && ids.iter().all(|id| id.starts_with("DESNZ-")),
        "{ids:?}"
    );
    let bad = t
        .call(
            Method::GET,
            "/api/v1/proxies?bristol_accord=nowhere",
            token,
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let anonymous = t.call(Method::GET, "/api/v1/proxies", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
});
