//! Local spend placed with the shipped open data (postcode lookup, IMD 2025 deciles), its
//! shares, and the buyer's public transparency page. SQLite (the area data is the slow part).

use serde_json::json;
use svatlas_web::{AppState, Config};

use crate::accounts::accounts_web::signed_in;
use crate::platform::app::TestApp;
use crate::platform::helpers::{assert_close, assert_contains, get};
use crate::procurement::procurement_helpers::{award, evaluate, id_of, to_evaluation};

/// The PDF's text (`pdftotext -layout`), or `None` with the reason printed when poppler-utils
/// is missing and SVATLAS_REQUIRE_SERVICES is not set.
#[cfg(feature = "pdf")]
pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = match Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            assert!(
                std::env::var("SVATLAS_REQUIRE_SERVICES").as_deref() != Ok("1"),
                "pdftotext is required (SVATLAS_REQUIRE_SERVICES=1) but could not run: {e}"
            );
            eprintln!(
                "skipping the PDF text check: pdftotext could not run ({e}); install poppler-utils"
            );
            return None;
        }
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("write PDF");
    let out = child.wait_with_output().expect("pdftotext finishes");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    Some(String::from_utf8(out.stdout).expect("UTF-8"))
}

#[tokio::test]
async fn spend_is_placed_by_postcode_and_area_and_the_buyer_publishes_verified_delivery() {
    let t = svatlas_store::testing::sqlite().await;
    let app = svatlas_web::app(
        AppState::with_areas(
            t.store.clone(),
            Config::default(),
            crate::need::area_helpers::frame(),
        )
        .with_postcode_index(crate::need::search::postcodes()),
    );
    let t = TestApp::with_router(t, app).await;
    let (app, p) = (t.app.clone(), &t.people);
    let ids = to_evaluation(&t).await;
    evaluate(&t, &ids).await;
    let contract = award(&t, &ids.tender, &ids.bid_b).await;
    let id = contract["id"].as_str().expect("id").to_owned();
    let spend = format!("/api/v1/contracts/{id}/spend");

    // One bad line refuses the whole batch, naming the line and field.
    let line = |supplier: &str, amount: f64, place: serde_json::Value, sme: bool, vcse: bool| {
        let mut l = json!({"supplier": supplier, "amount_gbp": amount, "date": "2027-06-30", "sme": sme, "vcse": vcse});
        for (k, v) in place.as_object().expect("place").iter() {
            l[k] = v.clone();
        }
        l
    };
    let bakery = line(
        "Tamar Bakery",
        10.0,
        json!({"area": "E01015023"}),
        true,
        false,
    );
    let nameless = line("", -1.0, json!({"postcode": "PL1 2AA"}), false, false);
    let two = json!({"lines": [bakery.clone(), nameless]});
    let bad = t.post(&p.supplier_b, &spend, two, 422).await.json();
    assert_eq!(bad["error"]["field"], "lines[1].supplier", "{bad}");
    let one = json!({ "lines": [bakery] });
    t.post(&p.buyer_editor, &spend, one, 403).await;

    // Plymouth 003A (IMD 2025 decile 2); PL1 2AA -> Plymouth 027E (decile 3); PL4 0WA -> the
    // estimated Plymouth 031G (decile 7); City of London 001A (decile 8); the City of London
    // district (no decile); a postcode the lookup does not have.
    let six = json!({"lines": [
    line("Tamar Bakery", 6_000.0, json!({"area": "E01015023"}), true, false),
    line("Devon Community Foods", 3_000.0, json!({"postcode": "pl12aa"}), false, true),
    line("Drake Print", 1_000.0, json!({"postcode": "PL4 0WA"}), false, false),
    line("City Couriers", 2_000.0, json!({"area": "E01000001"}), false, false),
    line("Square Mile Legal", 8_000.0, json!({"area": "E09000001"}), false, false),
    line("Nowhere Ltd", 500.0, json!({"postcode": "ZZ9 9ZZ"}), false, false)]});
    let added = t.post(&p.supplier_b, &spend, six, 201).await.json();
    let s = &added["summary"];
    assert_eq!(s["lines"], 6);
    assert_eq!(s["total_gbp"], 20_500.0);
    assert_eq!(s["in_contract_area"]["amount_gbp"], 10_000.0, "{s}");
    assert_close(
        "in-area share",
        &s["in_contract_area"]["share"],
        10_000.0 / 20_500.0,
        1e-12,
    );
    assert_eq!(s["in_deprived_areas"]["amount_gbp"], 9_000.0, "{s}");
    assert_eq!(s["with_smes"]["amount_gbp"], 6_000.0);
    assert_eq!(s["with_vcses"]["amount_gbp"], 3_000.0);
    assert_eq!(s["not_located"]["amount_gbp"], 500.0, "{s}");
    assert_eq!(s["located_by_estimate"]["amount_gbp"], 1_000.0, "{s}");
    let lines = added["lines"].as_array().expect("lines");
    assert_eq!(lines[1]["place"]["lsoa"], "E01015156");
    assert_eq!(lines[1]["place"]["lad"], "E06000026");
    assert_eq!(lines[1]["place"]["imd_decile"], 3);
    assert_eq!(lines[2]["place"]["estimate"], true);
    assert_eq!(lines[4]["place"]["lad"], "E09000001");
    assert!(lines[4]["place"]["imd_decile"].is_null());
    assert!(lines[5]["place"].is_null());

    // The buyer downloads the ranked results: Example 5's unrounded totals.
    let mut viewer = signed_in(&app, &p.buyer_viewer.email).await;
    let results = viewer
        .get(&format!("/tenders/{}/results?format=csv", ids.tender))
        .await;
    assert_eq!(results.status, 200);
    let csv = results.text();
    assert_contains(&csv, &["supplier,price_gbp,quality_points"]);
    let b_row = csv
        .lines()
        .find(|l| l.starts_with("Supplier B,"))
        .expect("B's row");
    let cells: Vec<&str> = b_row.split(',').collect();
    assert_eq!(cells[1], "1000000", "{b_row}");
    assert!(
        (cells[7].parse::<f64>().expect("total") - 83.5).abs() < 1e-9,
        "{b_row}"
    );
    assert_eq!(cells[9], "1", "{b_row}");
    let supplier_results = signed_in(&app, &p.supplier_b.email)
        .await
        .get(&format!("/tenders/{}/results?format=csv", ids.tender))
        .await;
    assert_eq!(supplier_results.status, 403);

    // The page shows the same shares and downloads the lines; the supplier may remove a line.
    let mut supplier = signed_in(&app, &p.supplier_b.email).await;
    let page = supplier.get(&format!("/contracts/{id}/spend")).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("£20,500.00"), "total on the page");
    assert!(html.contains("48.8%"), "in-area share on the page");
    assert!(html.contains("Estimate"), "the estimated LSOA is labelled");
    let csv = supplier
        .get(&format!("/contracts/{id}/spend?format=csv"))
        .await
        .text();
    assert_contains(&csv, &["Devon Community Foods,3000"]);
    let refused = supplier
        .post(
            &format!("/contracts/{id}/spend"),
            &[
                ("supplier", "X"),
                ("amount_gbp", "ten"),
                ("date", "2027-06-30"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("Enter the amount in pounds"));
    assert!(
        refused.text().contains("value=\"X\""),
        "what was typed is kept"
    );
    let nowhere = lines[5]["id"].as_str().expect("id");
    let gone = supplier
        .post(&format!("/contracts/{id}/spend/{nowhere}/delete"), &[])
        .await;
    assert_eq!(gone.status, 303);
    let after = t.get(&p.buyer_viewer, &spend, 200).await.json();
    assert_eq!(after["summary"]["total_gbp"], 20_000.0);
    t.get(&p.outsider, &spend, 404).await;

    // The contract report: the same figures as a PDF, for buyer and supplier only.
    let report = format!("/api/v1/contracts/{id}/report.pdf");
    t.get(&p.supplier_editor, &report, 404).await;
    #[cfg(feature = "pdf")]
    {
        let pdf = t.get(&p.buyer_viewer, &report, 200).await;
        assert!(pdf.body.starts_with(b"%PDF-"));
        if let Some(text) = pdf_text(&pdf.body) {
            assert_contains(
                &text,
                &[
                    "Community transport, Plymouth",
                    "Supplier B for Plymouth City Council",
                    "6 apprenticeships",
                    "0 of 1 KPIs fully verified",
                    "In the contract's area",
                    "50.0%",
                    "Only delivery the buyer has verified",
                ],
            );
            assert!(
                !text.contains("-0.0%") && !text.contains(" -0 "),
                "negative zero printed:\n{text}"
            );
        }
    }
    // Without the `pdf` feature: 501 with the error shape, and no PDF link on the pages.
    #[cfg(not(feature = "pdf"))]
    {
        let pdf = t.get(&p.buyer_viewer, &report, 501).await.json();
        assert_eq!(pdf["error"]["code"], "not_implemented");
        let message = pdf["error"]["message"].as_str().expect("message");
        assert_contains(message, &["not included in this build"]);
        let mut viewer = signed_in(&app, &p.buyer_viewer.email).await;
        let page = viewer.get(&format!("/contracts/{id}/report.pdf")).await;
        assert_eq!(page.status, 501);
        assert!(page.text().contains("This is not available in this build"));
        for path in [format!("/contracts/{id}"), format!("/contracts/{id}/spend")] {
            let page = viewer.get(&path).await;
            assert_eq!(page.status, 200, "{path}");
            assert!(!page.text().contains("report.pdf"), "{path} links no PDF");
        }
    }

    // Transparency: nothing public until the buyer's admin publishes it.
    let claims = format!("/api/v1/contracts/{id}/claims");
    let secret = json!({"kpi_id": "K1", "period_start": "2027-04-01",
        "period_end": "2027-06-30", "quantity": 2, "beneficiary_ref": "P-SECRET-9"});
    let claim = t.post(&p.supplier_b, &claims, secret, 201).await;
    let review = format!("{claims}/{}/review", id_of(&claim));
    let verify = json!({"decision": "verify"});
    t.post(&p.buyer_editor, &review, verify, 200).await;
    let org = p.buyer_admin.organisation_id;
    assert_eq!(get(&app, &format!("/transparency/{org}")).await.status, 404);
    // Only the buyer's admin publishes.
    let publish = format!("/organisations/{org}/transparency");
    let mut editor = signed_in(&app, &p.buyer_editor.email).await;
    editor
        .expecting(403)
        .post(&publish, &[("publish", "yes")])
        .await;
    let mut admin = signed_in(&app, &p.buyer_admin.email).await;
    admin
        .expecting(303)
        .post(&publish, &[("publish", "yes")])
        .await;
    let public = get(&app, &format!("/transparency/{org}")).await;
    assert_eq!(public.status, 200);
    let text = public.text();
    assert!(text.contains("Community transport, Plymouth") && text.contains("Supplier B"));
    assert!(
        text.contains("6 apprenticeships") && text.contains("2 apprenticeships"),
        "committed and verified"
    );
    assert!(
        !text.contains("P-SECRET-9")
            && !text.contains("bids@b.example")
            && !text.contains("Tamar Bakery"),
        "no personal data or spend lines"
    );
    let listed = get(&app, "/transparency").await.text();
    assert!(listed.contains("Plymouth City Council"));
    let json = get(&app, &format!("/api/v1/transparency/{org}"))
        .await
        .json();
    assert_eq!(json["contracts"][0]["kpis"][0]["verified"], 2.0);
    assert_eq!(json["contracts"][0]["spend"]["total_gbp"], 20_000.0);
    admin.post(&publish, &[("publish", "no")]).await;
    assert_eq!(
        get(&app, &format!("/api/v1/transparency/{org}"))
            .await
            .status,
        404
    );
    t.finish().await;
}
