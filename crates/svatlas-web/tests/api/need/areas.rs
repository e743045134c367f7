//! The local-need API on the shipped data: areas, summaries (official figures through HTTP),
//! custom areas, similar areas, change, Social Value Model needs, indicators and datasets.

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use svatlas_areas::geography::Edition;

use crate::need::area_helpers::frame;
use crate::platform::helpers::{Answer, assert_close, assert_contains, get, post_json};

const PLYMOUTH: &str = "E06000026";
const BLACKPOOL: &str = "E06000009";
const HART: &str = "E07000089";
const JAYWICK: &str = "E01021988";

/// Plymouth's IoD2019 IMD summary: official File 10 figures (value, tolerance, rank).
const PLYMOUTH_2019_IMD: [(&str, f64, f64, &str, u64); 5] = [
    ("average_score", 26.619, 0.001, "rank_of_average_score", 64),
    ("average_rank", 19859.59, 0.01, "rank_of_average_rank", 72),
    (
        "proportion_most_deprived_10pc",
        0.1739,
        0.0001,
        "rank_of_proportion_most_deprived_10pc",
        50,
    ),
    ("extent", 0.306, 0.001, "rank_of_extent", 56),
    (
        "local_concentration",
        31468.47,
        0.01,
        "rank_of_local_concentration",
        63,
    ),
];

/// GET `/api/v1/areas/{code}{rest}`.
async fn area(app: &Router, code: &str, rest: &str) -> Answer {
    get(app, &format!("/api/v1/areas/{code}{rest}")).await
}

/// Asserts an area's value of `indicator` to the published 3 dp.
fn assert_value(area: &Value, indicator: &str, expected: f64) {
    assert_close(indicator, &area["values"][indicator], expected, 0.0005);
}

/// Asserts a summary's IMD average score (to the published 3 dp) and its rank (null where the
/// area is not ranked).
fn assert_imd(name: &str, summary: &Value, score: f64, rank: impl Into<Value>) {
    let imd = &summary["domains"]["imd"];
    assert_close(name, &imd["average_score"], score, 0.0005);
    assert_eq!(imd["rank_of_average_score"], rank.into(), "{name}");
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect()
}

area_test!(area_answers_values_parents_children_and_vintages, |app| {
    // Jaywick exists as LSOA 2011 and 2021: newest by default, the other on request.
    let answer = area(&app, JAYWICK, "").await;
    let body = answer.json_if(StatusCode::OK, "answer");
    assert_eq!(body["code"], JAYWICK);
    assert_eq!(body["area"]["code"], JAYWICK);
    assert_eq!(body["area"]["type"], "lsoa21");
    assert_eq!(body["type"], "lsoa21");
    assert_eq!(body["other_types"], json!(["lsoa11"]));
    assert_value(&body, "iod2025.imd.score", 94.223);
    assert!(body["values"].get("iod2019.imd.score").is_none());
    let meta = &body["indicators"]["iod2025.imd.score"];
    assert_eq!(meta["unit"], "score");
    assert_eq!(meta["higher_is_more_deprived"], true);
    let parents = body["parents"].as_array().expect("parents");
    let parent_types: Vec<&str> = parents
        .iter()
        .map(|p| p["type"].as_str().unwrap())
        .collect();
    for t in ["ward24", "lad24", "region", "nation"] {
        assert!(parent_types.contains(&t), "{t} missing: {parent_types:?}");
    }
    assert!(
        parents
            .iter()
            .any(|p| p["code"] == "E07000076" && p["name"] == "Tendring")
    );
    assert_eq!(body["children"], json!({}));

    let old = area(&app, JAYWICK, "?type=lsoa11").await.json();
    assert_eq!(old["type"], "lsoa11");
    assert_eq!(old["other_types"], json!(["lsoa21"]));
    assert_value(&old, "iod2019.imd.score", 92.735);
    assert_eq!(old["values"]["iod2019.imd.rank"], 1.0);
    assert!(old["values"].get("iod2025.imd.score").is_none());

    // A district: 2024 by default, counts of what lies inside it.
    let plymouth = area(&app, PLYMOUTH, "").await.json();
    assert_eq!(plymouth["type"], "lad24");
    assert_eq!(plymouth["other_types"], json!(["lad19"]));
    assert_eq!(plymouth["children"]["lsoa21"], 164);
    assert!(plymouth["children"]["ward24"].as_u64().unwrap() > 10);
    assert_value(&plymouth, "iod2025.imd.average_score", 24.087);
    let lad19 = area(&app, PLYMOUTH, "?type=lad19").await.json();
    assert_eq!(lad19["children"]["lsoa11"], 161);

    // Lower case and spaces are forgiven; unknown codes and types are errors.
    assert_eq!(
        get(&app, "/api/v1/areas/%20e06000026").await.status,
        StatusCode::OK
    );
    let unknown = get(&app, "/api/v1/areas/E01999999").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
    let wrong_type = area(&app, PLYMOUTH, "?type=lsoa11").await;
    wrong_type.assert_error_says(404, "lad24");
    let bad_type = area(&app, PLYMOUTH, "?type=county").await;
    bad_type.assert_invalid("type");
});

area_test!(
    plymouth_iod2019_summary_matches_the_official_figures,
    |app| {
        let answer = area(&app, PLYMOUTH, "/summary?edition=iod2019").await;
        let body = answer.json_if(StatusCode::OK, "answer");
        assert_eq!(
            body["area"],
            json!({"code": PLYMOUTH, "name": "Plymouth", "type": "lad19"})
        );
        assert_eq!(body["edition"], "iod2019");
        assert_eq!(body["lsoa_count"], 161);
        assert!(body["population"].as_f64().unwrap() > 200_000.0);
        assert!(
            body["population_source"]
                .as_str()
                .unwrap()
                .contains("File 6")
        );
        let imd = &body["domains"]["imd"];
        for (key, value, tolerance, rank_key, rank) in PLYMOUTH_2019_IMD {
            assert_close(key, &imd[key], value, tolerance);
            assert_eq!(imd[rank_key], rank, "{rank_key}");
        }
        // Income has scale, not extent; domains without shipped scores say null, not 0.
        let income = &body["domains"]["income"];
        assert!(income["scale"].as_f64().unwrap() > 0.0);
        assert!(income["rank_of_scale"].as_u64().is_some());
        assert!(income.get("extent").is_none());
        assert_eq!(body["domains"]["health"]["average_score"], Value::Null);
        assert!(body["domains"]["health"]["average_rank"].as_f64().is_some());
    }
);

area_test!(iod2025_district_summaries_are_file_10, |app| {
    // IoD2025 is the default edition.
    let plymouth = area(&app, PLYMOUTH, "/summary").await.json();
    assert_eq!(plymouth["edition"], "iod2025");
    assert_eq!(plymouth["area"]["type"], "lad24");
    assert_eq!(plymouth["lsoa_count"], 164);
    assert_imd("Plymouth", &plymouth, 24.087, 87);
    assert_close(
        "Plymouth decile 1",
        &plymouth["domains"]["imd"]["proportion_most_deprived_10pc"],
        0.1159,
        0.0001,
    );

    let blackpool = area(&app, BLACKPOOL, "/summary?edition=2025").await.json();
    assert_imd("Blackpool", &blackpool, 43.467, 1);

    let hart = area(&app, HART, "/summary").await.json();
    assert_imd("Hart", &hart, 5.914, 296);
});

area_test!(
    other_areas_are_summarised_from_their_lsoas_without_ranks,
    |app| {
        // Jaywick on its own: one LSOA, the most deprived of England.
        let jaywick = area(&app, JAYWICK, "/summary?edition=iod2019").await.json();
        assert_eq!(jaywick["area"]["type"], "lsoa11");
        assert_eq!(jaywick["lsoa_count"], 1);
        assert_imd("Jaywick", &jaywick, 92.735, Value::Null);

        // A region.
        let south_west = get(&app, "/api/v1/areas/E12000009/summary").await.json();
        assert_eq!(south_west["area"]["type"], "region");
        assert!(south_west["lsoa_count"].as_u64().unwrap() > 3000);
        assert_eq!(
            south_west["domains"]["imd"]["rank_of_average_score"],
            Value::Null
        );

        // England: every LSOA of the edition, a tenth of them in the most deprived decile.
        for (edition, count) in [("iod2019", 32_844), ("iod2025", 33_755)] {
            let england = get(
                &app,
                &format!("/api/v1/areas/E92000001/summary?edition={edition}"),
            )
            .await
            .json();
            assert_eq!(england["area"]["type"], "nation", "{edition}");
            assert_eq!(england["lsoa_count"], count, "{edition}");
            assert_close(
                edition,
                &england["domains"]["imd"]["proportion_most_deprived_10pc"],
                0.1,
                0.001,
            );
        }

        // Errors: unknown code, bad edition, an area with no LSOAs in the edition (Wales).
        assert_eq!(
            get(&app, "/api/v1/areas/E06999999/summary").await.status,
            StatusCode::NOT_FOUND
        );
        let bad = area(&app, PLYMOUTH, "/summary?edition=iod2030").await;
        bad.assert_invalid("edition");
        let wales = get(&app, "/api/v1/areas/W92000004/summary").await;
        wales.text_if(StatusCode::UNPROCESSABLE_ENTITY, "wales");
    }
);

area_test!(
    custom_area_of_plymouths_lsoas_gives_the_district_figures_without_ranks,
    |app| {
        let lsoas: Vec<String> = frame()
            .lsoas_in(PLYMOUTH, Edition::Iod2019)
            .iter()
            .map(|a| a.code.clone())
            .collect();
        assert_eq!(lsoas.len(), 161);
        let request = json!({"edition": "iod2019", "lsoas": lsoas});
        let body = post_json(&app, "/api/v1/areas/summary", request.to_string())
            .await
            .json_if(StatusCode::OK, "body");
        assert_eq!(
            body["area"],
            json!({"code": null, "name": "Custom area", "type": "custom"})
        );
        assert_eq!(body["lsoa_count"], 161);
        let imd = &body["domains"]["imd"];
        for (key, value, tolerance, rank_key, _) in PLYMOUTH_2019_IMD {
            assert_close(key, &imd[key], value, tolerance);
            assert_eq!(imd[rank_key], Value::Null, "{rank_key}");
        }
    }
);

area_test!(custom_area_errors_list_the_codes, |app| {
    let post = |body: Value| {
        let app = app.clone();
        async move { post_json(&app, "/api/v1/areas/summary", body.to_string()).await }
    };

    let answer = post(json!({"edition": "iod2019", "lsoas": [JAYWICK, "E01999999", "NOPE"]})).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &answer.json()["error"];
    assert_eq!(error["code"], "unknown_codes");
    assert_eq!(error["field"], "lsoas");
    assert_eq!(codes(&error["codes"]), vec!["E01999999", "NOPE"]);
    assert!(error["message"].as_str().unwrap().contains("E01999999"));

    // E01033659 (Manchester) was split in 2021: an IoD2019 code only.
    let answer = post(json!({"edition": "iod2025", "lsoas": ["E01033659", JAYWICK]})).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &answer.json()["error"];
    assert_eq!(error["code"], "wrong_edition");
    assert_eq!(codes(&error["codes"]), vec!["E01033659"]);
    assert!(
        error["message"].as_str().unwrap().contains("iod2019"),
        "{error}"
    );

    // Both problems at once: the second is in `others`.
    let answer = post(json!({"edition": "iod2025", "lsoas": ["E01033659", "X"]})).await;
    let error = &answer.json()["error"];
    assert_eq!(error["code"], "unknown_codes");
    assert_eq!(error["others"][0]["code"], "wrong_edition");

    let empty = post(json!({"edition": "iod2019", "lsoas": []})).await;
    empty.assert_invalid("lsoas");

    let too_many = vec![JAYWICK; 40_001];
    let answer = post(json!({"lsoas": too_many})).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["error"]["code"], "too_many_codes");

    let bad_edition = post(json!({"edition": "iod1999", "lsoas": [JAYWICK]})).await;
    assert_eq!(bad_edition.json()["error"]["field"], "edition");
    let wrong_type = post(json!({"lsoas": "E01021988"})).await;
    wrong_type.assert_invalid("lsoas");
});

area_test!(similar_areas_exclude_the_area_and_return_n_items, |app| {
    let answer = area(&app, BLACKPOOL, "/similar?n=7").await;
    let body = answer.json_if(StatusCode::OK, "answer");
    assert_eq!(body["area"]["code"], BLACKPOOL);
    assert_eq!(body["area"]["type"], "lad24");
    assert_eq!(body["indicators"].as_array().unwrap().len(), 7);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    assert!(items.iter().all(|i| i["code"] != BLACKPOOL));
    let distances: Vec<f64> = items
        .iter()
        .map(|i| i["distance"].as_f64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]));

    // Default n is 10; LSOAs and 2019 districts work too.
    let jaywick = area(&app, JAYWICK, "/similar").await.json();
    assert_eq!(jaywick["items"].as_array().unwrap().len(), 10);
    let lad19 = area(&app, PLYMOUTH, "/similar?type=lad19&n=3").await.json();
    assert_eq!(lad19["items"].as_array().unwrap().len(), 3);

    for bad in ["n=0", "n=51", "n=ten"] {
        let answer = area(&app, BLACKPOOL, &format!("/similar?{bad}")).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(answer.json()["error"]["field"], "n");
    }
    let region = get(&app, "/api/v1/areas/E12000009/similar").await;
    assert_eq!(region.status, StatusCode::UNPROCESSABLE_ENTITY);
});

area_test!(change_is_relative_rank_change_through_the_lookup, |app| {
    let answer = area(&app, PLYMOUTH, "/change").await;
    let body = answer.json_if(StatusCode::OK, "answer");
    assert_eq!(body["measure"], "relative_rank_change");
    assert_eq!(body["domain"], "imd");
    let note = body["note"].as_str().unwrap();
    assert_contains(note, &["not a like-for-like score change"]);
    assert_eq!(body["lsoa_count"], 164);
    let counts = &body["counts"];
    let total: u64 = [
        "relatively_more_deprived",
        "little_change",
        "relatively_less_deprived",
        "not_comparable",
    ]
    .iter()
    .map(|k| counts[k].as_u64().unwrap())
    .sum();
    assert_eq!(total, 164);
    let items = body["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|i| ["U", "S", "M", "X"].contains(&i["change"].as_str().unwrap()))
    );

    let jaywick = area(&app, JAYWICK, "/change").await.json();
    let item = &jaywick["items"][0];
    assert_eq!(item["change"], "U");
    assert_eq!(item["decile_2019"], 1);
    assert_eq!(item["decile_2025"], 1);
    assert_eq!(item["label"], "little_change");

    // A 2011 LSOA split in 2021 is followed to its successors.
    let split = get(&app, "/api/v1/areas/E01033659/change?domain=income")
        .await
        .json();
    assert!(split["items"].as_array().unwrap().len() >= 2, "{split}");

    let idaci = area(&app, PLYMOUTH, "/change?domain=idaci").await;
    assert_eq!(idaci.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = area(&app, PLYMOUTH, "/change?domain=wealth").await;
    assert_eq!(bad.json()["error"]["field"], "domain");
    let wales = get(&app, "/api/v1/areas/W06000015/change").await;
    wales.text_if(StatusCode::UNPROCESSABLE_ENTITY, "wales");
});

area_test!(
    needs_rank_social_value_model_criteria_with_evidence,
    |app| {
        let answer = area(&app, BLACKPOOL, "/needs?edition=2020").await;
        let body = answer.json_if(StatusCode::OK, "answer");
        assert_eq!(body["svm_edition"], "2020");
        assert_eq!(body["iod_edition"], "iod2025");
        let items = body["items"].as_array().unwrap();
        assert!(items.len() >= 5);
        // MAC ids exactly as written in the model.
        let ids: Vec<&str> = items.iter().filter_map(|i| i["mac_id"].as_str()).collect();
        assert!(ids.iter().all(|id| id.starts_with("MAC ")), "{ids:?}");
        assert!(
            ids.iter()
                .any(|id| id.split(' ').nth(1).is_some_and(|n| n.contains('.')))
        );
        assert!(
            ids[..3].contains(&"MAC 2.2") || ids[..3].contains(&"MAC 7.2"),
            "{ids:?}"
        );
        let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(items[0]["rank"], 1);
        let evidence = &items[0]["evidence"][0];
        assert!(
            evidence["indicator"]
                .as_str()
                .unwrap()
                .starts_with("iod2025.")
        );
        assert!(evidence["value"].as_f64().is_some());
        assert!(evidence["england_value"].as_f64().is_some());
        assert_eq!(evidence["national_decile"], 1, "{evidence}");
        assert_eq!(evidence["comparison"], "more deprived than England");
        assert!(
            evidence["rationale"]
                .as_str()
                .is_some_and(|r| !r.is_empty())
        );

        // Hart needs less than Blackpool; the 2025 model by default.
        let hart = area(&app, HART, "/needs").await.json();
        assert_eq!(hart["svm_edition"], "2025");
        assert!(hart["items"][0]["score"].as_f64().unwrap() < scores[0]);
        assert_eq!(
            hart["items"][0]["evidence"][0]["comparison"],
            "less deprived than England"
        );

        // An LSOA uses its own official decile; IoD2019 works too.
        let jaywick = area(&app, JAYWICK, "/needs?edition=2020&iod=iod2019")
            .await
            .json();
        assert_eq!(jaywick["area"]["type"], "lsoa11");
        assert_eq!(jaywick["items"][0]["evidence"][0]["national_decile"], 1);

        let bad = area(&app, HART, "/needs?edition=2021").await;
        bad.assert_invalid("edition");
    }
);

area_test!(indicators_and_datasets_describe_the_data, |app| {
    let all = get(&app, "/api/v1/indicators").await.json();
    let items = all["items"].as_array().unwrap();
    assert_eq!(all["count"].as_u64().unwrap() as usize, items.len());
    assert_eq!(items.len(), frame().indicators().len());
    let score = items
        .iter()
        .find(|i| i["id"] == "iod2019.imd.score")
        .expect("imd score");
    assert_eq!(score["dataset"], "iod2019");
    assert_eq!(score["edition"], "2019");
    assert_eq!(score["licence"], "OGL-UK-3.0");
    assert_eq!(score["geography"], json!(["lsoa11"]));
    assert_eq!(score["higher_is_more_deprived"], true);
    assert_eq!(score["direction"], "higher_is_more_deprived");
    assert!(score["publisher"].as_str().unwrap().contains("Housing"));
    let rank = items
        .iter()
        .find(|i| i["id"] == "iod2019.imd.rank")
        .unwrap();
    assert_eq!(rank["higher_is_more_deprived"], false);

    let filtered = get(&app, "/api/v1/indicators?dataset=iod2025&q=INCOME")
        .await
        .json();
    let filtered = filtered["items"].as_array().unwrap();
    assert!(!filtered.is_empty());
    assert!(filtered.iter().all(|i| {
        i["dataset"] == "iod2025"
            && (i["id"].as_str().unwrap().contains("income")
                || i["name"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("income"))
    }));
    let unknown = get(&app, "/api/v1/indicators?dataset=nope").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

    let datasets = get(&app, "/api/v1/datasets").await.json();
    let items = datasets["items"].as_array().unwrap();
    let iod2019 = items
        .iter()
        .find(|d| d["id"] == "iod2019")
        .expect("iod2019");
    assert_eq!(iod2019["indicator_count"], 47);
    assert!(iod2019["value_count"].as_u64().unwrap() > 1_000_000);
    assert_eq!(iod2019["geography"], "lsoa11");
    assert!(
        iod2019["attribution"]
            .as_str()
            .unwrap()
            .contains("Open Government Licence")
    );
    assert!(
        iod2019["source_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let ukimd = items.iter().find(|d| d["id"] == "ukimd").expect("ukimd");
    assert_eq!(ukimd["licence"], "CC-BY-4.0");
});

app_test!(without_area_data_the_routes_answer_503, |app| {
    for uri in [
        "/api/v1/indicators",
        "/api/v1/datasets",
        "/api/v1/areas/E06000026",
        "/api/v1/areas/E06000026/summary",
        "/api/v1/rankings?indicator=iod2025.imd.score",
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
        assert_eq!(answer.json()["error"]["code"], "unavailable");
    }
    let answer = post_json(&app, "/api/v1/areas/summary", r#"{"lsoas": ["E01021988"]}"#).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
});
