//! A bid's commitment valued with the calculator's engine and a proxy of the shipped library,
//! through the JSON API and the bid form: 2 QALYs at the Green Book's £70,000 with 25%
//! deadweight for one year is 2 × 70,000 × 0.75 / 1.035 = £101,449.28, an estimate labelled
//! with its kind and workings; bad valuations are named by field.

use crate::platform::helpers::assert_contains;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::procurement::procurement_helpers::{
    bid_json, import_bid, import_refused, open_tender, tender_json,
};

/// The matrix bid with a second commitment valued by the engine.
fn valued_bid(valuation: Value) -> Value {
    let mut bid = bid_json(900_000.0, 6.0);
    bid["commitments"].as_array_mut().unwrap().push(json!({
        "criterion": "MAC 8.1",
        "description": "Health checks for older passengers",
        "target": 2,
        "unit": "QALYs",
        "value_kind": "wellbeing",
        "estimated_value_gbp": 1,
        "valuation": valuation
    }));
    bid
}

backends_test!(
    the_api_values_a_commitment_with_the_engine_and_keeps_kinds_apart,
    |t| {
        let (p, id) = (&t.people, open_tender(&t).await);
        let uri = format!("/api/v1/tenders/{id}/bid");
        let qaly = valued_bid(json!({"proxy_id": "GB-QALY", "deadweight": 0.25}));
        let saved = t.put(&p.supplier_editor, &uri, qaly, 200).await.json();
        let c = &saved["commitments"][1];
        // The engine's figure replaces the bidder's typed £1.
        assert_eq!(c["estimated_value_gbp"], 101_449.28, "{}: {c}", t.label);
        assert_eq!(c["valuation"]["duration_years"], 1);
        let basis = c["value_basis"].as_str().unwrap();
        assert!(
            basis.starts_with("Estimate by the sv-atlas SROI engine"),
            "{basis}"
        );
        assert_contains(basis, &["£70,000.00 per QALY", "deadweight 25%"]);
        // Wellbeing and economic estimates stay two figures.
        let values = saved["estimated_values"].as_array().unwrap();
        assert_eq!(values.len(), 2, "{values:?}");
        assert!(values.contains(&json!({"kind": "wellbeing", "estimated_gbp": 101_449.28})));
        assert!(values.contains(&json!({"kind": "economic", "estimated_gbp": 12_000.0})));
        // Read back as saved.
        let back = t.get(&p.supplier_editor, &uri, 200).await.json();
        assert_eq!(back["commitments"][1]["estimated_value_gbp"], 101_449.28);

        // Three years with 10% drop-off: 105,000/1.035 + 94,500/1.035² + 85,050/1.035³.
        let three_years = valued_bid(json!({"proxy_id": "GB-QALY", "deadweight": 0.25,
                                            "duration_years": 3, "dropoff": 0.1}));
        let three = t.put(&p.supplier_editor, &uri, three_years, 200).await;
        let three = three.json();
        let want = 105_000.0 / 1.035 + 94_500.0 / 1.035_f64.powi(2) + 85_050.0 / 1.035_f64.powi(3);
        let got = three["commitments"][1]["estimated_value_gbp"]
            .as_f64()
            .unwrap();
        assert!((got - want).abs() < 0.006, "{got} vs {want}");

        // Bad valuations are named and nothing is saved.
        for (valuation, field) in [
            (
                json!({"proxy_id": "NO-SUCH"}),
                "commitments[1].valuation.proxy_id",
            ),
            (
                json!({"proxy_id": "NLW-2025"}),
                "commitments[1].valuation.proxy_id",
            ),
            (
                json!({"proxy_id": "GB-QALY", "deadweight": 1.5}),
                "commitments[1].valuation.deadweight",
            ),
            (
                json!({"proxy_id": "GB-QALY", "duration_years": 0}),
                "commitments[1].valuation.duration_years",
            ),
        ] {
            let bid = valued_bid(valuation);
            let e = t.put(&p.supplier_editor, &uri, bid, 422).await.json();
            let fields: Vec<&str> = match &e["errors"] {
                Value::Array(list) => list.iter().filter_map(|x| x["field"].as_str()).collect(),
                _ => vec![e["error"]["field"].as_str().unwrap_or_default()],
            };
            assert!(fields.contains(&field), "{field}: {e}");
        }
        let unchanged = t.get(&p.supplier_editor, &uri, 200).await.json();
        assert_eq!(
            unchanged["commitments"][1]["valuation"]["duration_years"],
            3
        );
    }
);

backends_test!(the_bid_form_values_a_commitment_with_the_engine, |t| {
    let (p, id) = (&t.people, open_tender(&t).await);
    let mut supplier = t.signed_in(&p.supplier_editor).await;
    let page = format!("/tenders/{id}/bid");
    let html = supplier.get(&page).await.text();
    assert_contains(&html, &["Value it with the sv-atlas calculator"]);
    assert!(html.contains("GB-QALY: One quality-adjusted life year (QALY) (£70,000.00 per QALY)"));
    assert!(
        !html.contains("<option value=\"NLW-2025\""),
        "input rates are not offered"
    );

    let mut form: Vec<(&str, &str)> = crate::procurement::tender_pages::bid_form("850000", "");
    form.retain(|(k, _)| !k.starts_with("c0_value"));
    form.extend([
        ("c0_criterion", "MAC 8.1"),
        ("c0_metric", ""),
        ("c0_description", "Health checks for older passengers"),
        ("c0_target", "2"),
        ("c0_unit", "QALYs"),
        ("c0_value_kind", "wellbeing"),
        ("c0_proxy", "GB-QALY"),
        ("c0_deadweight", "25%"),
        ("c0_milestones", ""),
    ]);
    dedupe(&mut form);

    let mut bad = form.clone();
    set(&mut bad, "c0_deadweight", "150");
    let refused = supplier.post(&page, &bad).await;
    let html = refused.text_if(StatusCode::UNPROCESSABLE_ENTITY, t.label);
    assert_contains(&html, &["href=\"#b-c0-deadweight\""]);
    assert!(html.contains("value=\"150\""), "typed value kept");
    let mut no_proxy = form.clone();
    set(&mut no_proxy, "c0_proxy", "");
    let refused = supplier.post(&page, &no_proxy).await;
    refused.assert_says(422, "href=\"#b-c0-proxy\"");

    supplier.expecting(303).post(&page, &form).await;
    let html = supplier.get(&page).await.text();
    assert!(
        html.contains("value=\"101449.28\""),
        "the engine's figure fills the value: {html}"
    );
    assert_contains(&html, &["<option value=\"GB-QALY\" selected>"]);
    assert!(html.contains("value=\"25\""), "deadweight shown in percent");
    let bid_uri = format!("/api/v1/tenders/{id}/bid");
    let bid = t.get(&p.supplier_editor, &bid_uri, 200).await.json();
    let c = &bid["commitments"][0];
    assert_eq!(c["estimated_value_gbp"], 101_449.28, "{c}");
    assert_eq!(c["valuation"]["deadweight"], 0.25);
});

fn set<'a>(form: &mut [(&'a str, &'a str)], key: &str, value: &'a str) {
    for (k, v) in form.iter_mut() {
        if *k == key {
            *v = value;
        }
    }
}

/// Keeps the last value of each name, as the tests above override the helper's fields.
fn dedupe(form: &mut Vec<(&str, &str)>) {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<(&str, &str)> = form
        .iter()
        .rev()
        .filter(|(k, _)| seen.insert(*k))
        .copied()
        .collect();
    out.reverse();
    *form = out;
}

backends_test!(
    a_valuation_survives_the_bid_workbook_and_a_bad_one_is_located,
    |t| {
        use svatlas_domain::procurement::tender::TenderDetails;
        use svatlas_report::bid_file::{bid_workbook, read_bid_workbook};
        let (p, id) = (&t.people, open_tender(&t).await);
        let supplier = &p.supplier_editor;
        let uri = format!("/api/v1/tenders/{id}/bid");
        let tender: TenderDetails = serde_json::from_value(tender_json()).expect("tender");
        let qaly = valued_bid(json!({"proxy_id": "GB-QALY", "deadweight": 0.25}));
        t.put(supplier, &uri, qaly, 200).await;

        // Downloaded and imported back: the valuation comes with it and is valued again.
        let file = t.get(supplier, &format!("{uri}.xlsx"), 200).await.body;
        let imported = import_bid(&t, &id, supplier, "our-bid.xlsx", &file).await;
        assert_eq!(imported.status, 200, "{}: {}", t.label, imported.text());
        let c = &imported.json()["commitments"][1];
        assert_eq!(c["estimated_value_gbp"], 101_449.28, "{}: {c}", t.label);
        assert_eq!(c["valuation"]["deadweight"], 0.25, "{c}");
        assert_eq!(c["valuation"]["proxy_id"], "GB-QALY", "{c}");
        let before = t.get(supplier, &uri, 200).await.json();

        // An input rate cannot value an outcome: refused whole, at its row and column.
        let mut bad = read_bid_workbook("our-bid.xlsx", &file, &tender).expect("reads");
        bad.commitments[1]
            .valuation
            .as_mut()
            .expect("valued")
            .proxy_id = "NLW-2025".into();
        let file = bid_workbook("x", &tender, Some(&bad)).expect("workbook");
        let error = import_refused(&t, &id, supplier, &file, "Commitments!3:proxy_id").await;
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("our-bid.xlsx, sheet \"Commitments\", row 3, column proxy_id:")
                && message.contains("NLW-2025 values inputs"),
            "{error}"
        );
        let after = t.get(supplier, &uri, 200).await.json();
        assert_eq!(after, before, "{}: the bid is unchanged", t.label);
    }
);
