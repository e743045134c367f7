//! Explorer pages: /rankings, /compare, /correlations, /data, against the shipped official data.

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::need::area_helpers::data_dir;
use crate::platform::helpers::{get, get_ok, post_json};

/// (code, name, IMD average score, rank of average score) of every district in the official
/// IoD2025 File 10 summaries.
fn official_districts() -> Vec<(String, String, String, u32)> {
    let path =
        data_dir().join("iod2025_england_lad24_summaries/iod2025_lad24_summaries_all_domains.csv");
    let mut reader = csv::Reader::from_path(path).expect("summaries CSV");
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (score, rank) = (col("imd_average_score"), col("imd_rank_of_average_score"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_owned(),
                r[1].to_owned(),
                r[score].to_owned(),
                r[rank].parse::<f64>().unwrap() as u32,
            )
        })
        .collect()
}

/// Data rows of a page's CSV download (after the `#` lines and the header).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The rows of the table body on a page, as the text of their cells (tags removed).
fn table_rows(html: &str) -> Vec<Vec<String>> {
    let body = html
        .split("<tbody class=\"govuk-table__body\">")
        .nth(1)
        .and_then(|b| b.split("</tbody>").next())
        .expect("a table body");
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = &cell[cell.find('>').unwrap() + 1..];
                    let inner = inner.split("</td>").next().unwrap();
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in inner.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.trim().to_owned()
                })
                .collect()
        })
        .collect()
}

area_test!(
    rankings_default_is_the_official_imd_of_districts_most_deprived_first,
    |app| {
        let official = official_districts();
        let first = official.iter().find(|d| d.3 == 1).expect("rank 1");
        assert_eq!(first.0, "E06000009"); // Blackpool, as published.

        let html = get_ok(&app, "/rankings").await;
        let rows = table_rows(&html);
        assert_eq!(rows.len(), 50);
        assert_eq!(
            rows[0],
            vec!["1", first.1.as_str(), first.0.as_str(), first.2.as_str()]
        );
        assert!(html.contains("href=\"/areas/E06000009\""));
        assert!(html.contains("296 areas ranked"));
        assert!(html.contains("govuk-pagination"));
        assert!(html.contains("href=\"/data#iod2025\""));
        // Each row's rank equals the official rank of average score, except where the published
        // (3 dp) scores tie: then both share the better rank (official ranks use unrounded scores).
        for row in &rows {
            let (_, _, score, official_rank) = official.iter().find(|d| d.0 == row[2]).unwrap();
            let tied = official.iter().filter(|d| &d.2 == score).count() > 1;
            let rank: u32 = row[0].parse().unwrap();
            if tied {
                assert!(
                    rank <= *official_rank && rank + 1 >= *official_rank,
                    "{row:?}"
                );
            } else {
                assert_eq!(rank, *official_rank, "{row:?}");
            }
        }

        // Page 2 starts at rank 51; the last page holds the rest.
        let page2 = table_rows(&get(&app, "/rankings?page=2").await.text());
        assert_eq!(page2[0][0], "51");
        let page6 = table_rows(&get(&app, "/rankings?page=6").await.text());
        assert_eq!(page6.len(), 296 - 250);

        // Ascending: the least deprived district first.
        let least = official.iter().max_by_key(|d| d.3).unwrap();
        let asc = get(&app, "/rankings?order=asc").await.text();
        assert_eq!(table_rows(&asc)[0][2], least.0);
        // The heading link sorts the other way.
        assert!(html.contains("order=asc"));
    }
);

area_test!(rankings_downloads_hold_the_whole_ranking, |app| {
    let csv = get(&app, "/rankings?page=3&format=csv").await;
    let text = csv.download("text/csv");
    assert!(text.contains("# Source: English Indices of Deprivation 2025"));
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 296, "not only one page");
    assert_eq!(rows[0][..3], ["1", "E06000009", "Blackpool"]);

    // LSOAs: every ranked LSOA 2021 of IoD2025.
    let lsoa = csv_rows(
        &get(&app, "/rankings?indicator=iod2025.imd.score&format=csv")
            .await
            .text(),
    );
    assert_eq!(lsoa.len(), 33_755);

    let json = get(&app, "/rankings?format=json").await.json();
    assert_eq!(json["rows"].as_array().unwrap().len(), 296);
    assert_eq!(json["rows"][0]["code"], "E06000009");

    let xlsx = get(&app, "/rankings?order=asc&format=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx.body.clone())).expect("XLSX");
    let sheet = book.worksheet_range("Data").expect("Data sheet");
    assert_eq!(sheet.height(), 297);
    assert_eq!(sheet.get_value((0, 1)), Some(&Data::String("code".into())));
    let least = official_districts()
        .into_iter()
        .max_by_key(|d| d.3)
        .unwrap();
    assert_eq!(sheet.get_value((1, 1)), Some(&Data::String(least.0)));
    assert!(book.worksheet_range("Source and licence").is_ok());
});

area_test!(
    rankings_bad_queries_are_422_pages_naming_the_problem,
    |app| {
        for (uri, needle) in [
            ("/rankings?indicator=nope", "no indicator"),
            ("/rankings?level=lsoa21", "has no values for lsoa21"),
            ("/rankings?order=up", "order must be desc or asc"),
            ("/rankings?page=0", "page must be a whole number"),
            ("/rankings?within=E99999999", "no area with code"),
            ("/rankings?format=pdf", "format must be"),
        ] {
            get(&app, uri).await.assert_invalid_page(uri, needle);
        }
        // Within an area: Plymouth's LSOAs only.
        let within = get(
            &app,
            "/rankings?indicator=iod2025.imd.score&within=E06000026",
        )
        .await
        .text();
        assert!(
            within.contains("164 areas ranked"),
            "Plymouth has 164 LSOAs 2021"
        );
    }
);

area_test!(compare_shows_each_districts_official_figures, |app| {
    let official = official_districts();
    let codes = ["E06000026", "E06000009", "E08000003"];
    let html = get_ok(&app, &format!("/compare?areas={}", codes.join(","))).await;
    for code in codes {
        let (_, name, score, rank) = official.iter().find(|d| d.0 == code).unwrap();
        assert!(
            html.contains(&format!("href=\"/areas/{code}\">{name}</a>")),
            "{code}"
        );
        assert!(
            html.contains(&format!(">{score}</td>")),
            "{code} score {score}"
        );
        assert!(
            html.contains(&format!(">{rank}</td>")),
            "{code} rank {rank}"
        );
    }
    // One bar chart per domain, each with a bar per area.
    assert_eq!(html.matches("<svg").count(), 8);
    assert!(html.contains("aria-labelledby=\"chart-imd-title chart-imd-desc\""));
    assert!(html.contains("href=\"/data#iod2025\""));

    let csv = get(
        &app,
        &format!("/compare?areas={}&format=csv", codes.join(",")),
    )
    .await
    .text();
    let rows = csv_rows(&csv);
    let imd = rows
        .iter()
        .find(|r| r[0].starts_with("Index of Multiple") && r[1].starts_with("Average score"))
        .unwrap();
    assert_eq!(imd[2..], ["24.087", "43.467", "38.677"]);
});

area_test!(compare_names_bad_codes_and_counts, |app| {
    assert_eq!(get(&app, "/compare").await.status, StatusCode::OK);
    for (uri, needle) in [
        ("/compare?areas=E06000026", "you gave 1"),
        ("/compare?areas=E06000026,XYZ1,NOPE2", "XYZ1, NOPE2"),
        (
            "/compare?areas=E06000026,E06000009,E08000003,E06000001,E06000002,E06000003,E06000004",
            "you gave 7",
        ),
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert!(answer.text().contains(needle), "{uri}");
    }
});

area_test!(correlations_page_shows_the_apis_figures, |app| {
    for query in [
        "x=iod2025.income.average_score&y=iod2025.health.average_score",
        "x=iod2025.imd.score&y=iod2025.health.score&within=E06000026",
        "x=iod2025.imd.score&y=iod2025.education.score",
    ] {
        let api = get(&app, &format!("/api/v1/correlation?{query}"))
            .await
            .json();
        let answer = get(&app, &format!("/correlations?{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{query}");
        let html = answer.text();
        let r = api["pearson_r"].as_f64().unwrap();
        let rho = api["spearman_rho"].as_f64().unwrap();
        let [lo, hi] = [
            api["pearson_ci95"][0].as_f64().unwrap(),
            api["pearson_ci95"][1].as_f64().unwrap(),
        ];
        for expected in [
            format!("{r:.3}"),
            format!("{rho:.3}"),
            format!("{lo:.3} to {hi:.3}"),
        ] {
            assert!(
                html.contains(&format!(">{expected}</dd>")),
                "{query}: {expected}"
            );
        }
        let reading = api["reading"].as_str().unwrap();
        assert!(
            html.contains(&reading[1..].replace('<', "&lt;")),
            "{query}: reading"
        );
        assert!(html.contains("does not show that one causes the other"));
        assert!(html.contains("<line class=\"fit\""));
        // National LSOA plots are binned and stay small.
        assert!(html.len() < 1_500_000, "{query}: {} bytes", html.len());
        let n = api["n"].as_u64().unwrap();
        if n > 3000 {
            assert!(html.contains("class=\"bins\""));
        } else {
            assert_eq!(html.matches("<circle").count() as u64, n, "{query}");
        }
        // The download holds every plotted pair.
        let csv = get(&app, &format!("/correlations?{query}&format=csv"))
            .await
            .text();
        assert_eq!(csv_rows(&csv).len() as u64, n, "{query}");
    }
    let bad = get(&app, "/correlations?x=nope").await;
    bad.assert_says(422, "no indicator");
});

area_test!(correlation_matrix_page_matches_the_api, |app| {
    let ids = [
        "iod2025.imd.average_score",
        "iod2025.income.average_score",
        "iod2025.employment.average_score",
        "iod2025.education.average_score",
        "iod2025.health.average_score",
        "iod2025.crime.average_score",
        "iod2025.barriers.average_score",
        "iod2025.living_environment.average_score",
    ];
    let body = serde_json::json!({"indicators": ids, "level": "lad24"}).to_string();
    let api = post_json(&app, "/api/v1/correlation/matrix", body)
        .await
        .json();
    let html = get(&app, "/correlations?matrix=").await.text();
    let rows = table_rows(&html);
    assert_eq!(rows.len(), 8);
    for (i, row) in rows.iter().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            let r = api["pearson_r"][i][j].as_f64().unwrap();
            assert_eq!(cell, &format!("{r:.2}"), "cell {i},{j}");
        }
    }
    assert!(html.contains("class=\"on-dark\" fill=\"#ffffff\" x=\"310\" y=\"48\">1.00</text>"));
    let bad = get(&app, "/correlations?matrix=iod2025.imd.average_score").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
});

area_test!(data_page_lists_every_dataset_and_the_licences, |app| {
    let html = get(&app, "/data").await.text();
    let datasets = get(&app, "/api/v1/datasets").await.json();
    for d in datasets["items"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        assert!(
            html.contains(&format!("<h3 class=\"govuk-heading-m\" id=\"{id}\">")),
            "{id}"
        );
    }
    for text in [
        "Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "Contains OS data © Crown copyright and database right",
        "Contains LPS/OSNI data © Crown copyright",
        "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "mySociety",
        "/rankings?indicator=iod2025.imd.score&#38;level=lsoa21&#38;format=csv",
    ] {
        assert!(html.contains(text), "{text}");
    }
    let list = get(&app, "/data?format=csv").await.text();
    let indicators = get(&app, "/api/v1/indicators").await.json();
    assert_eq!(
        csv_rows(&list).len() as u64,
        indicators["count"].as_u64().unwrap()
    );
});
