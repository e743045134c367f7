//! The Social Value Model catalogue (`GET /api/v1/model`, `/model`) and the stateless bid
//! scoring helper (`POST /api/v1/scoring/evaluate`): METHOD.md §11 Example 5 through HTTP, the
//! exact JSON shapes other tools rely on, and every kind of bad input answered with 422 naming
//! the field. All three routes are public: no token, no session.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::platform::helpers::{assert_close, get, get_ok, get_ok_json, post_json, strings};

const EVALUATE: &str = "/api/v1/scoring/evaluate";

/// Example 5: weights 40/50/10; A £900,000, quality 70, social value 80; B £1,000,000, 85, 50.
fn example5(method: &str) -> Value {
    json!({
        "method": method,
        "weights": {"price": 40, "quality": 50, "social_value": 10},
        "bids": [
            {"name": "A", "price": 900000, "quality": 70, "social_value": 80},
            {"name": "B", "price": 1000000, "quality": 85, "social_value": 50}
        ]
    })
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

app_test!(example_5_weighted_score_through_http, |app| {
    let body = post_json(&app, EVALUATE, example5("weighted_score").to_string())
        .await
        .json_if(StatusCode::OK, "body");
    assert_eq!(keys(&body), ["bids", "method", "warnings"]);
    assert_eq!(body["method"], "weighted_score");
    assert_eq!(body["warnings"], json!([]));
    let bids = body["bids"].as_array().expect("bids");
    assert_eq!(bids.len(), 2);
    for bid in bids {
        assert_eq!(
            keys(bid),
            [
                "name",
                "price_score",
                "quality_score",
                "rank",
                "social_value_score",
                "total"
            ]
        );
    }
    // A: 40.0 + 35.0 + 8.0 = 83.0; B: 36.0 + 42.5 + 5.0 = 83.5; B wins.
    let (a, b) = (&bids[0], &bids[1]);
    assert_eq!(
        (a["name"].as_str(), b["name"].as_str()),
        (Some("A"), Some("B"))
    );
    for (name, value, expected) in [
        ("A.price_score", &a["price_score"], 40.0),
        ("A.quality_score", &a["quality_score"], 35.0),
        ("A.social_value_score", &a["social_value_score"], 8.0),
        ("A.total", &a["total"], 83.0),
        ("B.price_score", &b["price_score"], 36.0),
        ("B.quality_score", &b["quality_score"], 42.5),
        ("B.social_value_score", &b["social_value_score"], 5.0),
        ("B.total", &b["total"], 83.5),
    ] {
        assert_close(name, value, expected, 1e-9);
    }
    assert_eq!((a["rank"].as_u64(), b["rank"].as_u64()), (Some(2), Some(1)));
});

app_test!(example_5_price_per_quality_point_through_http, |app| {
    let request = json!({
        "method": "price_per_quality_point",
        "bids": [
            {"name": "A", "price": 900000, "quality": 70},
            {"name": "B", "price": 1000000, "quality": 85}
        ]
    });
    let body = post_json(&app, EVALUATE, request.to_string())
        .await
        .json_if(StatusCode::OK, "body");
    assert_eq!(body["method"], "price_per_quality_point");
    assert_eq!(body["warnings"], json!([]));
    let bids = body["bids"].as_array().expect("bids");
    for bid in bids {
        assert_eq!(keys(bid), ["name", "price_per_quality_point", "rank"]);
    }
    // A 900,000/70 = 12,857.14; B 1,000,000/85 = 11,764.71; lowest wins.
    assert_close("A", &bids[0]["price_per_quality_point"], 12_857.14, 0.005);
    assert_close("B", &bids[1]["price_per_quality_point"], 11_764.71, 0.005);
    assert_eq!(bids[0]["rank"], 2);
    assert_eq!(bids[1]["rank"], 1);

    // The weighted_score body as is: weights and social value are not used, and the answer
    // says so; the figures do not change.
    let answer = post_json(
        &app,
        EVALUATE,
        example5("price_per_quality_point").to_string(),
    )
    .await;
    let body = answer.json_if(StatusCode::OK, "answer");
    let codes: Vec<&str> = body["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["weights_not_used", "social_value_not_added"]);
    assert_close(
        "A",
        &body["bids"][0]["price_per_quality_point"],
        12_857.14,
        0.005,
    );
});

app_test!(
    high_social_value_weighting_is_answered_with_a_warning,
    |app| {
        let mut request = example5("weighted_score");
        request["weights"] = json!({"price": 30, "quality": 30, "social_value": 40});
        let answer = post_json(&app, EVALUATE, request.to_string()).await;
        answer.text_if(StatusCode::OK, "answer");
        let warnings = answer.json()["warnings"].clone();
        assert_eq!(warnings[0]["code"], "social_value_weight_high");
        assert_eq!(warnings[0]["field"], "weights.social_value");
    }
);

app_test!(bad_scoring_requests_are_422_naming_the_field, |app| {
    let with = |path: &[&str], value: Value| {
        let mut request = example5("weighted_score");
        let mut slot = &mut request;
        for key in path {
            slot = match key.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => &mut slot[*key],
            };
        }
        *slot = value;
        request
    };
    let many: Vec<Value> = (0..201)
        .map(|i| json!({"name": format!("Bid {i}"), "price": 1000, "quality": 50, "social_value": 50}))
        .collect();
    let mut no_weights = example5("weighted_score");
    no_weights
        .as_object_mut()
        .expect("object")
        .remove("weights");
    // One bid's field set to `value`: the request, and the field as errors name it.
    let bid = |i: usize, key: &str, value: Value| {
        let request = with(&["bids", &i.to_string(), key], value);
        (request, format!("bids[{i}].{key}"))
    };
    let named = |request: Value, field: &str| (request, field.to_owned());
    let weights = |w: Value| with(&["weights"], w);
    let cases = [
        (
            named(
                weights(json!({"price": 45, "quality": 50, "social_value": 5})),
                "weights.social_value",
            ),
            "out_of_range",
        ),
        (
            named(
                weights(json!({"price": 40, "quality": 40, "social_value": 10})),
                "weights",
            ),
            "invalid",
        ),
        (named(no_weights, "weights"), "required"),
        (bid(1, "price", json!(0)), "out_of_range"),
        (bid(1, "price", json!(-5)), "out_of_range"),
        (bid(0, "quality", json!(100.5)), "out_of_range"),
        (bid(1, "social_value", json!(-1)), "out_of_range"),
        (bid(0, "social_value", Value::Null), "required"),
        (bid(1, "name", json!(" a ")), "duplicate"),
        (bid(1, "name", json!("")), "required"),
        (named(with(&["bids"], json!([])), "bids"), "required"),
        (
            named(with(&["bids"], Value::Array(many)), "bids"),
            "too_many",
        ),
        // Wrong types and unknown methods are caught while reading the body.
        (
            named(with(&["method"], json!("lowest_price")), "method"),
            "invalid_field",
        ),
        (bid(0, "price", json!("900k")), "invalid_field"),
    ];
    for ((request, field), code) in cases {
        let answer = post_json(&app, EVALUATE, request.to_string()).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.text()
        );
        let error = &answer.json()["error"];
        assert_eq!(error["field"], field, "{}", answer.text());
        assert_eq!(error["code"], code, "{}", answer.text());
        assert!(!error["message"].as_str().unwrap_or("").is_empty());
    }
    // Several problems come back at once: the first in `error`, the rest in `others`.
    let request = with(
        &["bids"],
        json!([{"name": "", "price": 0, "quality": 50, "social_value": 50}]),
    );
    let error = post_json(&app, EVALUATE, request.to_string()).await.json()["error"].clone();
    assert_eq!(error["field"], "bids[0].name");
    assert_eq!(error["others"][0]["field"], "bids[0].price");
});

/// The 24 MACs of the 2020 edition, as written in social-value-model.csv.
fn macs_2020() -> Vec<String> {
    [
        (1, 5),
        (2, 3),
        (3, 5),
        (4, 2),
        (5, 2),
        (6, 3),
        (7, 2),
        (8, 2),
    ]
    .into_iter()
    .flat_map(|(outcome, count)| (1..=count).map(move |n| format!("MAC {outcome}.{n}")))
    .collect()
}

fn certainty_ids(body: &Value) -> Vec<&str> {
    strings(&body["certainties"], "certainty")
}

app_test!(
    model_2020_lists_macs_1_1_to_8_2_each_with_a_certainty,
    |app| {
        let body = get_ok_json(&app, "/api/v1/model?edition=2020").await;
        assert_eq!(body["edition"], "2020");
        assert_eq!(body["top_level"], "theme");
        assert!(body.get("missions").is_none());
        assert_eq!(body["licence"], "Open Government Licence v3.0");
        let known = certainty_ids(&body);
        assert_eq!(
            known,
            [
                "verified",
                "corroborated",
                "recalled",
                "unverified",
                "indicative_ours"
            ]
        );
        let has_certainty = |node: &Value| {
            node["certainty"]
                .as_str()
                .is_some_and(|c| known.contains(&c))
        };
        let themes = body["themes"].as_array().expect("themes");
        assert_eq!(themes.len(), 5);
        let mut macs = Vec::new();
        let mut metrics = 0;
        for theme in themes {
            assert!(has_certainty(theme), "{theme}");
            for outcome in theme["outcomes"].as_array().expect("outcomes") {
                assert!(has_certainty(outcome), "{outcome}");
                for mac in outcome["macs"].as_array().expect("macs") {
                    assert!(has_certainty(mac), "{mac}");
                    assert!(mac["status"].as_str().expect("status").starts_with("mac:"));
                    macs.push(mac["id"].as_str().expect("id").to_string());
                    for metric in mac["metrics"].as_array().expect("metrics") {
                        // Metric wording is ours and labelled as such.
                        assert_eq!(metric["certainty"], "indicative_ours", "{metric}");
                        assert!(!metric["unit"].as_str().expect("unit").is_empty());
                        metrics += 1;
                    }
                }
            }
        }
        assert_eq!(macs, macs_2020());
        assert_eq!(macs.len(), 24);
        assert_eq!(metrics, 34);
        assert_eq!(body["mapping"]["status"], "suggested, not official");
        assert_eq!(body["mapping"]["rows"].as_array().expect("rows").len(), 7);
    }
);

app_test!(model_2025_has_five_missions_and_macs_1a_to_1e, |app| {
    let body = get_ok_json(&app, "/api/v1/model?edition=2025").await;
    assert_eq!(body["edition"], "2025");
    assert_eq!(body["top_level"], "mission");
    assert!(body.get("themes").is_none());
    let missions = body["missions"].as_array().expect("missions");
    assert_eq!(missions.len(), 5);
    assert_eq!(missions[0]["name"], "Kickstart economic growth");
    let outcomes: Vec<&Value> = missions
        .iter()
        .flat_map(|m| m["outcomes"].as_array().expect("outcomes"))
        .collect();
    assert_eq!(outcomes.len(), 8);
    let macs: Vec<&str> = outcomes
        .iter()
        .flat_map(|o| o["macs"].as_array().expect("macs"))
        .map(|m| m["id"].as_str().expect("id"))
        .collect();
    assert_eq!(macs, ["MAC 1a", "MAC 1b", "MAC 1c", "MAC 1d", "MAC 1e"]);
    assert_eq!(outcomes[0]["certainty"], "verified");
    // Outcomes 2-8 are our best reading: unverified, with nothing transcribed below them.
    for o in &outcomes[1..] {
        assert_eq!(o["certainty"], "unverified", "{o}");
        assert_eq!(o["notes"], json!(["MACs/SRMs not transcribed"]));
    }
    let e = &outcomes[0]["macs"][4];
    assert_eq!(e["certainty_note"], "partial");
    assert_eq!(e["metrics"], json!([]));
});

app_test!(model_edition_is_required_and_checked, |app| {
    for (uri, code) in [
        ("/api/v1/model", "required"),
        ("/api/v1/model?edition=", "required"),
        ("/api/v1/model?edition=2030", "invalid"),
        ("/api/v1/model?edition=PPN%2006%2F20", "invalid"),
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        let error = &answer.json()["error"];
        assert_eq!(error["field"], "edition", "{uri}");
        assert_eq!(error["code"], code, "{uri}");
    }
});

app_test!(model_page_tags_every_row_with_its_certainty, |app| {
    let html = get_ok(&app, "/model?edition=2020").await;
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("Social Value Model 2020 (PPN 06/20)"));
    assert!(html.contains("5 themes, 8 policy outcomes, 24 award criteria, 34 reporting metrics"));
    for mac in macs_2020() {
        assert!(html.contains(&format!("<strong>{mac}</strong>")), "{mac}");
    }
    // One tag per theme, outcome, criterion and metric, plus the legend's five.
    let rows = 5 + 8 + 24 + 34;
    // Beyond the rows: the legend (5), the mapping heading's "Suggested" and one "Retired".
    assert_eq!(
        html.matches("class=\"govuk-tag govuk-tag--").count(),
        rows + 5 + 2
    );
    assert_eq!(
        html.matches(">Indicative wording (ours)</strong>").count(),
        34 + 1
    );
    assert!(html.contains(">Corroborated</strong>"));
    assert!(html.contains(">Recalled, not re-read</strong>"));
    assert!(html.contains("suggested, not official"));
    assert!(html.contains("Open Government Licence v3.0"));
    assert!(html.contains("PPN 06/20"));
    assert!(html.contains("(FTE)"), "metric units are shown");
    assert!(html.contains("id=\"mac-2-2\""), "criteria can be linked to");
    assert!(
        html.contains("href=\"/model\">Social Value Model</a>"),
        "in the navigation"
    );

    // The default is the edition in force; it names the missions and what is not transcribed.
    let html = get(&app, "/model").await.text();
    assert!(html.contains("Social Value Model 2025 (PPN 002)"));
    assert!(html.contains("Make Britain a clean energy superpower"));
    assert!(html.contains("<strong>MAC 1e</strong>"));
    assert!(html.contains(">Unverified</strong>"));
    assert!(html.contains("MACs/SRMs not transcribed"));

    let bad = get(&app, "/model?edition=2019").await;
    bad.assert_says(422, "edition must be 2020 or 2025");
});

app_test!(
    model_page_downloads_carry_the_certainty_and_licence,
    |app| {
        let answer = get(&app, "/model?edition=2020&format=csv").await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(
            answer.headers["content-disposition"],
            "attachment; filename=\"social-value-model-2020.csv\""
        );
        let csv = answer.text();
        assert!(csv.contains("Open Government Licence v3.0"));
        assert!(csv.contains("# Note: Indicative wording (ours):"));
        let data: Vec<&str> = csv.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(data[0].starts_with("edition,theme,outcome_number,policy_outcome"));
        assert_eq!(data.len(), 1 + 34, "one row per metric");
        assert!(
            data.iter()
                .any(|l| l.contains("MAC 2.2") && l.contains("Indicative wording (ours)"))
        );
        let json = get(&app, "/model?edition=2025&format=json").await.json();
        // Five criteria rows and seven outcomes with nothing transcribed below them.
        assert_eq!(json["rows"].as_array().expect("rows").len(), 12);
        assert_eq!(json["rows"][0]["mac_id"], "MAC 1a");
    }
);
