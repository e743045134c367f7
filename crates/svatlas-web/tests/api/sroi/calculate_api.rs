//! `POST /api/v1/sroi/calculate` and saved calculations: the published vectors through HTTP,
//! and every kind of bad input answered with a clear error, never a 500.

use axum::http::StatusCode;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::platform::helpers::{app, assert_close, get, post_json, send, vectors};

const RESULT_KEYS: [&str; 11] = [
    "pv_gross",
    "pv_net",
    "inputs",
    "gross_ratio",
    "sroi_ratio",
    "npv",
    "net_sroi_ratio_guide",
    "undisc_gross_total",
    "undisc_net_total",
    "payback_months_guide",
    "payback_years_discounted",
];

fn tolerance(key: &str, vectors: &Value) -> f64 {
    let money = vectors["tolerance"]["money_gbp"].as_f64().unwrap();
    let ratio = vectors["tolerance"]["ratio"].as_f64().unwrap();
    if key.contains("ratio") || key.starts_with("payback") {
        ratio
    } else {
        money
    }
}

app_test!(every_published_vector_comes_out_of_the_api, |app| {
    let vectors = vectors();
    let examples = vectors["examples"].as_array().unwrap();
    assert!(examples.len() >= 4);
    for example in examples {
        let name = example["name"].as_str().unwrap();
        // The body is exactly an example from the vector file (its extra keys are ignored).
        let answer = post_json(&app, "/api/v1/sroi/calculate", example.to_string()).await;
        assert_eq!(answer.status, StatusCode::OK, "{name}: {}", answer.text());
        let body = answer.json();
        for (key, expected) in example["expected"].as_object().unwrap() {
            assert_close(
                &format!("{name}.{key}"),
                &body[key],
                expected.as_f64().unwrap(),
                tolerance(key, &vectors),
            );
        }
        let years = body["by_year"].as_array().unwrap();
        let expected_years = example["expected_by_year"].as_array().unwrap();
        assert_eq!(years.len(), expected_years.len(), "{name}: by_year rows");
        for (row, expected) in years.iter().zip(expected_years) {
            for key in ["year", "gross", "net", "pv_gross", "pv_net"] {
                assert_close(
                    &format!("{name}.by_year.{key}"),
                    &row[key],
                    expected[key].as_f64().unwrap(),
                    0.01,
                );
            }
            assert_close(
                &format!("{name}.by_year.discount_factor"),
                &row["discount_factor"],
                expected["discount_factor"].as_f64().unwrap(),
                1e-9,
            );
        }
        assert_eq!(body["rag"], "green", "{name}");
        assert!(
            body["outcomes"].as_array().unwrap().len()
                == example["outcomes"].as_array().unwrap().len()
        );
        assert!(body["switching_values"].is_object(), "{name}");
        for key in RESULT_KEYS {
            assert!(body.get(key).is_some(), "{name}: {key} missing");
        }
    }
});

app_test!(example_four_switching_values_come_out_of_the_api, |app| {
    let vectors = vectors();
    let example1 = vectors["examples"][0].clone();
    let body = post_json(&app, "/api/v1/sroi/calculate", example1.to_string())
        .await
        .json();
    let expected = &vectors["example4_sensitivity_on_example1"]["switching_values"];
    for (key, value) in expected.as_object().unwrap() {
        match value {
            Value::String(s) => assert_eq!(body["switching_values"][key], json!(s), "{key}"),
            number => assert_close(
                key,
                &body["switching_values"][key],
                number.as_f64().unwrap(),
                1e-4,
            ),
        }
    }
});

app_test!(out_of_range_values_are_422_naming_the_field, |app| {
    let mut project = vectors()["examples"][0].clone();
    project["outcomes"][0]["deadweight"] = json!(1.5);
    let answer = post_json(&app, "/api/v1/sroi/calculate", project.to_string()).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &answer.json()["error"];
    assert_eq!(error["field"], "outcomes[0].deadweight");
    assert!(error["code"].as_str().is_some_and(|c| !c.is_empty()));
    assert!(
        error["message"].as_str().unwrap().contains("deadweight"),
        "{error}"
    );

    // A wrong type is also 422, with the JSON path of the field.
    let mut project = vectors()["examples"][0].clone();
    project["outcomes"][0]["quantity"] = json!("twenty");
    let answer = post_json(&app, "/api/v1/sroi/calculate", project.to_string()).await;
    answer.assert_invalid("outcomes[0].quantity");

    // A missing required field names it.
    let answer = post_json(
        &app,
        "/api/v1/sroi/calculate",
        r#"{"inputs_by_year": {"0": 1}}"#,
    )
    .await;
    answer.assert_error_says(422, "outcomes");

    // `save` must be a boolean.
    let mut project = vectors()["examples"][0].clone();
    project["save"] = json!("yes");
    let answer = post_json(&app, "/api/v1/sroi/calculate", project.to_string()).await;
    answer.assert_invalid("save");
});

app_test!(
    malformed_json_is_400_oversized_is_413_and_non_json_is_415,
    |app| {
        let answer = post_json(&app, "/api/v1/sroi/calculate", "{\"outcomes\": [").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.json()["error"]["code"], "invalid_json");

        let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
        let answer = post_json(&app, "/api/v1/sroi/calculate", big).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(answer.json()["error"]["code"], "payload_too_large");

        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/v1/sroi/calculate")
            .header("content-type", "text/plain")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        let answer = send(&app, request).await;
        assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(answer.json()["error"]["code"], "unsupported_media_type");
    }
);

app_test!(zero_inputs_give_ratio_undefined_not_an_error, |app| {
    let mut project = vectors()["examples"][0].clone();
    project["inputs_by_year"] = json!({"0": 0.0});
    let body = post_json(&app, "/api/v1/sroi/calculate", project.to_string())
        .await
        .json_if(StatusCode::OK, "body");
    assert_eq!(body["sroi_ratio"], Value::Null);
    assert_eq!(body["ratio_undefined"], true);
    assert_close("pv_net", &body["pv_net"], 137487.636564, 0.01);
});

store_backends_test!(saved_calculations_read_back_on_every_backend, |t, app| {
    let mut project = vectors()["examples"][2].clone();
    project["save"] = json!(true);
    let answer = post_json(&app, "/api/v1/sroi/calculate", project.to_string()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", t.label);
    let body = answer.json();
    let id = body["calculation_id"]
        .as_str()
        .expect("calculation_id")
        .to_string();

    let saved = get(&app, &format!("/api/v1/sroi/calculations/{id}")).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", t.label);
    let saved = saved.json();
    assert_eq!(saved["id"], id);
    assert_eq!(
        saved["request"], project,
        "{}: request stored exactly",
        t.label
    );
    assert_eq!(saved["result"]["pv_net"], body["pv_net"]);
    assert_eq!(saved["engine_version"], body["engine_version"]);
    assert_eq!(saved["content_hash"].as_str().unwrap().len(), 64);

    // Without "save" nothing is stored and no id is returned.
    let unsaved = post_json(
        &app,
        "/api/v1/sroi/calculate",
        vectors()["examples"][2].to_string(),
    )
    .await
    .json();
    assert!(unsaved.get("calculation_id").is_none());

    let missing = get(
        &app,
        "/api/v1/sroi/calculations/7d1b2e36-1d7e-4a4e-9b8e-0f4b3b3f0c11",
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let garbage = get(&app, "/api/v1/sroi/calculations/not-a-uuid").await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);
    assert_eq!(garbage.json()["error"]["code"], "not_found");
});

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (-1000i64..1_000_000).prop_map(|i| json!(i)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!("1")),
        Just(Value::Null),
        Just(json!([])),
    ]
}

fn outcome() -> impl Strategy<Value = Value> {
    (number(), number(), number(), number(), number(), number(), number(), number(), number()).prop_map(
        |(q, p, d, s, l, dw, disp, a, drop)| {
            json!({"name": "x", "quantity": q, "proxy_gbp": p, "duration_years": d, "start_year": s,
                   "leakage": l, "deadweight": dw, "displacement": disp, "attribution": a, "dropoff": drop})
        },
    )
}

fn project() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(outcome(), 0..4),
        number(),
        prop::sample::select(vec!["green_book_standard", "flat", "zero", "weekly"]),
        prop::sample::select(vec!["sroi_guide_end_of_year", "green_book_year0", "never"]),
        number(),
        prop::sample::select(vec!["0", "1", "-1", "x", "999999"]),
    )
        .prop_map(|(outcomes, input, schedule, convention, rate, year)| {
            json!({"convention": convention, "discount_schedule": schedule, "flat_rate": rate,
                   "inputs_by_year": {year: input}, "outcomes": outcomes})
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn no_input_produces_a_server_error(body in project()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let t = svatlas_store::testing::sqlite().await;
            let app = app(&t);
            let answer = post_json(&app, "/api/v1/sroi/calculate", body.to_string()).await;
            let status = answer.status;
            t.finish().await;
            prop_assert!(
                [StatusCode::OK, StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY].contains(&status),
                "status {} for {}", status, body
            );
            if status != StatusCode::OK {
                let error = &answer.json()["error"];
                prop_assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
            }
            Ok(())
        })?;
    }
}

app_test!(
    sensitivity_gives_a_tornado_and_scenarios_match_example_four,
    |app| {
        let vectors = vectors();
        let oat = &vectors["example4_sensitivity_on_example1"]["one_at_a_time"];
        let mut body = vectors["examples"][0].clone();
        body["scenarios"] = json!([
            {"name": "cautious deadweight", "deadweight": 0.5},
            {"name": "more attribution", "attribution": 0.4},
            {"name": "flat 7%", "discount_schedule": "flat", "flat_rate": 0.07}
        ]);
        let result = post_json(&app, "/api/v1/sroi/sensitivity", body.to_string())
            .await
            .json_if(StatusCode::OK, "result");
        assert_close("base_ratio", &result["base_ratio"], 2.416983, 1e-6);
        let rows = result["rows"].as_array().unwrap();
        assert!(
            rows.len() >= 8,
            "default set has each deflator, proxy, quantity, duration, drop-off, discount"
        );
        let swings: Vec<f64> = rows.iter().map(|r| r["swing"].as_f64().unwrap()).collect();
        assert!(
            swings.windows(2).all(|w| w[0] >= w[1]),
            "tornado rows not widest first: {swings:?}"
        );
        let scenarios = result["scenarios"].as_array().unwrap();
        assert_eq!(scenarios.len(), 3);
        assert_eq!(scenarios[0]["name"], "cautious deadweight");
        for (i, key) in ["deadweight_0.50", "attribution_0.40", "flat_rate_0.07"]
            .into_iter()
            .enumerate()
        {
            let want = oat[key].as_f64().unwrap();
            assert_close(key, &scenarios[i]["sroi_ratio"], want, 1e-6);
        }
        assert_close(
            "switching deadweight",
            &result["switching_values"]["deadweight"],
            0.689696,
            1e-6,
        );

        let mut bad = vectors["examples"][0].clone();
        bad["scenarios"] = json!([{"name": "x", "deadweight": 2.0}]);
        let answer = post_json(&app, "/api/v1/sroi/sensitivity", bad.to_string()).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer.json()["error"]["field"]
                .as_str()
                .unwrap()
                .starts_with("scenarios[0]")
        );
    }
);
