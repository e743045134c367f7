//! Correlations and rankings on the shipped data.

use axum::http::StatusCode;
use serde_json::json;

use crate::platform::helpers::{assert_contains, get, get_ok_json, post_json};

const INCOME_EMPLOYMENT: &str =
    "/api/v1/correlation?x=iod2019.income.score&y=iod2019.employment.score&level=lsoa11";

area_test!(
    income_and_employment_deprivation_are_strongly_correlated,
    |app| {
        let body = get_ok_json(&app, INCOME_EMPLOYMENT).await;
        assert_eq!(body["n"], 32_844);
        let r = body["pearson_r"].as_f64().unwrap();
        assert!(r >= 0.5, "r = {r}");
        let ci = body["pearson_ci95"].as_array().unwrap();
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        assert!(lo < r && r < hi && hi <= 1.0, "{lo} {r} {hi}");
        assert!(body["spearman_rho"].as_f64().unwrap() > 0.5);
        assert!(body["p_value"].as_f64().unwrap() < 0.001);
        let reading = body["reading"].as_str().unwrap();
        assert!(
            reading.starts_with("a strong positive association"),
            "{reading}"
        );
        assert_contains(reading, &["does not show"]);
        assert_eq!(body["x"], "iod2019.income.score");
        assert_eq!(body["level"], "lsoa11");
        assert_eq!(body["within"], serde_json::Value::Null);

        // The level defaults to the main geography of x.
        let default_level = get(
            &app,
            "/api/v1/correlation?x=iod2019.income.score&y=iod2019.employment.score",
        )
        .await
        .json();
        assert_eq!(default_level["n"], 32_844);

        let plymouth = get(&app, &format!("{INCOME_EMPLOYMENT}&within=E06000026"))
            .await
            .json();
        assert_eq!(plymouth["n"], 161);
        assert_eq!(plymouth["within"], "E06000026");
    }
);

area_test!(correlation_errors_name_the_parameter, |app| {
    let check = |uri: String, code: &'static str, field: &'static str| {
        let app = app.clone();
        async move {
            let answer = get(&app, &uri).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
            let error = &answer.json()["error"];
            assert_eq!(error["code"], code, "{uri}: {error}");
            assert_eq!(error["field"], field, "{uri}: {error}");
            assert!(!error["message"].as_str().unwrap().is_empty());
        }
    };
    // Fewer than 10 pairs: one LSOA.
    check(
        format!("{INCOME_EMPLOYMENT}&within=E01021988"),
        "too_few_pairs",
        "within",
    )
    .await;
    check(
        "/api/v1/correlation?x=nope&y=iod2019.income.score".into(),
        "unknown_indicator",
        "x",
    )
    .await;
    check(
        "/api/v1/correlation?x=iod2019.income.score&y=nope".into(),
        "unknown_indicator",
        "y",
    )
    .await;
    check(
        "/api/v1/correlation?y=iod2019.income.score".into(),
        "missing",
        "x",
    )
    .await;
    // IoD2019 has no district-level indicators, and IoD2025 has none on LSOAs 2011.
    check(
        "/api/v1/correlation?x=iod2019.income.score&y=iod2019.imd.score&level=lad19".into(),
        "not_at_level",
        "x",
    )
    .await;
    check(
        "/api/v1/correlation?x=iod2019.income.score&y=iod2025.income.score&level=lsoa11".into(),
        "not_at_level",
        "y",
    )
    .await;
    check(
        format!("{INCOME_EMPLOYMENT}&within=E99999999"),
        "unknown_area",
        "within",
    )
    .await;
    check(
        "/api/v1/correlation?x=iod2019.income.score&y=iod2019.imd.score&level=msoa".into(),
        "invalid_area_type",
        "level",
    )
    .await;
});

area_test!(correlation_matrix_gives_r_and_n_per_pair, |app| {
    let ids = [
        "iod2019.income.score",
        "iod2019.employment.score",
        "iod2019.imd.score",
    ];
    let answer = post_json(
        &app,
        "/api/v1/correlation/matrix",
        json!({"indicators": ids, "level": "lsoa11"}).to_string(),
    )
    .await;
    let body = answer.json_if(StatusCode::OK, "answer");
    assert_eq!(body["indicators"], json!(ids));
    for i in 0..3 {
        assert!((body["pearson_r"][i][i].as_f64().unwrap() - 1.0).abs() < 1e-9);
        for j in 0..3 {
            assert_eq!(body["n"][i][j], 32_844);
            assert_eq!(body["pearson_r"][i][j], body["pearson_r"][j][i]);
        }
    }
    // The matrix agrees with the single correlation.
    let single = get(&app, INCOME_EMPLOYMENT).await.json();
    assert!(
        (body["pearson_r"][0][1].as_f64().unwrap() - single["pearson_r"].as_f64().unwrap()).abs()
            < 1e-12
    );

    let within = post_json(
        &app,
        "/api/v1/correlation/matrix",
        json!({"indicators": ids, "within": "E06000026"}).to_string(),
    )
    .await
    .json();
    assert_eq!(within["level"], "lsoa11");
    assert_eq!(within["n"][0][2], 161);
    assert!(within["pearson_r"][0][2].as_f64().unwrap() > 0.5);

    let one = post_json(
        &app,
        "/api/v1/correlation/matrix",
        json!({"indicators": ["iod2019.imd.score"]}).to_string(),
    )
    .await;
    one.assert_invalid("indicators");
    let unknown = post_json(
        &app,
        "/api/v1/correlation/matrix",
        json!({"indicators": ["iod2019.imd.score", "nope"]}).to_string(),
    )
    .await;
    assert_eq!(unknown.json()["error"]["field"], "indicators[1]");
    let too_many = vec!["iod2019.imd.score"; 21];
    let answer = post_json(
        &app,
        "/api/v1/correlation/matrix",
        json!({"indicators": too_many}).to_string(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
});

area_test!(rankings_put_the_most_deprived_first_and_paginate, |app| {
    let uri = "/api/v1/rankings?indicator=iod2025.imd.average_score&level=lad24";
    let body = get_ok_json(&app, uri).await;
    assert_eq!(body["total"], 296);
    assert_eq!(body["page"], 1);
    assert_eq!(body["per_page"], 50);
    assert_eq!(body["order"], "desc");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["rank"], 1);
    assert_eq!(items[0]["code"], "E06000009");
    assert_eq!(items[0]["name"], "Blackpool");
    assert!((items[0]["value"].as_f64().unwrap() - 43.467).abs() < 0.0005);

    // Last page is partial, past the end is empty, the ascending order puts Hart first.
    let last = get(&app, &format!("{uri}&per_page=100&page=3"))
        .await
        .json();
    assert_eq!(last["items"].as_array().unwrap().len(), 96);
    assert_eq!(last["items"][95]["code"], "E07000089");
    assert_eq!(last["items"][95]["rank"], 296);
    let past = get(&app, &format!("{uri}&per_page=100&page=4"))
        .await
        .json();
    assert_eq!(past["items"], json!([]));
    assert_eq!(past["total"], 296);
    let asc = get(&app, &format!("{uri}&order=asc&per_page=1"))
        .await
        .json();
    assert_eq!(asc["items"][0]["code"], "E07000089");

    // Ranks (1 = most deprived) are ascending by default: Jaywick first in both editions.
    for (indicator, level) in [
        ("iod2025.imd.rank", "lsoa21"),
        ("iod2019.imd.rank", "lsoa11"),
    ] {
        let body = get(
            &app,
            &format!("/api/v1/rankings?indicator={indicator}&level={level}&per_page=500"),
        )
        .await
        .json();
        assert_eq!(body["order"], "asc", "{indicator}");
        assert_eq!(body["items"][0]["code"], "E01021988", "{indicator}");
        assert_eq!(body["items"].as_array().unwrap().len(), 500);
    }

    // Within an area.
    let plymouth = get(
        &app,
        "/api/v1/rankings?indicator=iod2025.imd.score&within=E06000026&per_page=10",
    )
    .await
    .json();
    assert_eq!(plymouth["level"], "lsoa21");
    assert_eq!(plymouth["total"], 164);
    assert_eq!(plymouth["items"].as_array().unwrap().len(), 10);

    for (query, field) in [
        ("indicator=nope", "indicator"),
        ("indicator=iod2025.imd.score&per_page=501", "per_page"),
        ("indicator=iod2025.imd.score&page=0", "page"),
        ("indicator=iod2025.imd.score&order=up", "order"),
        ("indicator=iod2025.imd.score&level=lad24", "level"),
        ("indicator=iod2025.imd.score&within=nowhere", "within"),
    ] {
        let answer = get(&app, &format!("/api/v1/rankings?{query}")).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(answer.json()["error"]["field"], field, "{query}");
    }
});
