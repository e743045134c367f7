//! PDF routes in both builds. Without the `pdf` feature (typst left out) they stay, with the
//! same URLs and API description, check access as before and answer 501 with a message saying
//! what to download instead, and report pages offer no PDF link.

use svatlas_store::testing::all_backends;

use crate::platform::helpers::{app, get};

/// The API description is the same in both builds: every PDF route is listed, with its 501.
#[tokio::test]
async fn the_api_description_keeps_the_pdf_routes() {
    let t = all_backends().await.remove(0);
    let doc = get(&app(&t), "/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/projects/{id}/report.pdf",
        "/projects/{id}/report.pdf",
        "/projects/{id}/versions/{number}/report.pdf",
        "/api/v1/contracts/{id}/report.pdf",
        "/contracts/{id}/report.pdf",
    ] {
        let responses = &doc["paths"][path]["get"]["responses"];
        assert!(responses["200"].is_object(), "{path} is documented");
        assert!(responses["501"].is_object(), "{path} documents its 501");
    }
}

/// Runs only in a build without the `pdf` feature.
#[cfg(not(feature = "pdf"))]
mod not_in_build {
    use axum::http::{Method, StatusCode};

    use crate::accounts::accounts_web::signed_in;
    use crate::platform::app::TestApp;
    use crate::platform::helpers::assert_contains;
    use crate::sroi::projects_api::{create_example_project, example_input, example_outcome};

    #[tokio::test]
    async fn pdf_routes_answer_501_without_the_pdf_feature() {
        const { assert!(!svatlas_web::platform::PDF_AVAILABLE) };
        for t in TestApp::all_backends().await {
            let (app, c) = (t.app.clone(), &t.people);
            let editor = Some(c.buyer_editor.token.as_str());
            let created = create_example_project(&t, &c.buyer_editor).await;
            let id = created["id"].as_str().expect("id").to_string();
            for (path, body) in [("outcomes", example_outcome()), ("inputs", example_input())] {
                let uri = format!("/api/v1/projects/{id}/{path}");
                t.post(&c.buyer_editor, &uri, body, 201).await;
            }

            // The API: 501 with the usual error shape; the other files still download.
            let pdf = t
                .call(
                    Method::GET,
                    &format!("/api/v1/projects/{id}/report.pdf"),
                    editor,
                    None,
                )
                .await;
            assert_eq!(pdf.status, StatusCode::NOT_IMPLEMENTED, "{}", t.label);
            assert!(
                pdf.headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("application/json")
            );
            let error = &pdf.json()["error"];
            assert_eq!(error["code"], "not_implemented");
            let message = error["message"].as_str().expect("message");
            assert_contains(message, &["not included in this build", "Excel or CSV"]);
            for ext in ["xlsx", "csv"] {
                let file = t
                    .call(
                        Method::GET,
                        &format!("/api/v1/projects/{id}/report.{ext}"),
                        editor,
                        None,
                    )
                    .await;
                assert_eq!(file.status, StatusCode::OK, "{ext}");
            }
            // Access is still checked first: strangers learn nothing.
            let outsider = t
                .call(
                    Method::GET,
                    &format!("/api/v1/projects/{id}/report.pdf"),
                    Some(c.outsider.token.as_str()),
                    None,
                )
                .await;
            assert_eq!(outsider.status, StatusCode::NOT_FOUND);

            // Pages: an error page with the same message, for the report and a frozen version.
            let mut browser = signed_in(&app, &c.buyer_editor.email).await;
            let project = format!("/projects/{id}");
            browser
                .expecting(303)
                .post(&format!("{project}/versions"), &[("label", "Board paper")])
                .await;
            for path in [
                format!("{project}/report.pdf"),
                format!("{project}/versions/1/report.pdf"),
            ] {
                let answer = browser.get_is(&path, 501).await;
                let page = answer.text();
                assert!(
                    page.contains("This is not available in this build")
                        && page.contains("not included in this build of sv-atlas"),
                    "{path}: {page}"
                );
            }
            for path in [format!("{project}/report"), format!("{project}/versions/1")] {
                let page = browser.get_is(&path, 200).await;
                let page = page.text();
                assert!(!page.contains("report.pdf"), "{path} links no PDF");
                assert!(page.contains("report.xlsx"), "{path} keeps the workbook");
            }
            let page = browser.get(&project).await.text();
            assert!(page.contains("Excel and CSV downloads") && !page.contains("PDF, Excel"));
        }
    }
}
