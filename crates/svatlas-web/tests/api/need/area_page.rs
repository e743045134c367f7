//! The area profile page on the shipped data: official figures for districts and LSOAs, both
//! editions, breadcrumbs, errors as pages, and the values download.

use axum::http::StatusCode;

use crate::platform::helpers::{assert_contains, get, get_ok};

/// The text of the table row whose header cell starts with `label` (tags stripped, spaces
/// collapsed), so a figure is checked in the row it belongs to.
fn row(html: &str, label: &str) -> String {
    let start = html
        .find(&format!(
            "<th scope=\"row\" class=\"govuk-table__header\">{label}"
        ))
        .unwrap_or_else(|| panic!("no row {label}"));
    let end = start + html[start..].find("</tr>").expect("row end");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

area_test!(
    plymouth_profile_shows_the_official_iod2025_and_iod2019_summaries,
    |app| {
        let html = get_ok(&app, "/areas/E06000026").await;
        assert!(html.contains("<h1 class=\"govuk-heading-xl\">Plymouth</h1>"));
        assert!(html.contains("Local authority district (2024) · E06000026"));
        // File 10 (iod2025_lad24_summaries): average score 24.087, rank 87 of 296, 11.59% in the
        // most deprived decile.
        let imd = row(&html, "Index of Multiple Deprivation");
        assert_contains(
            &imd,
            &["24.087 87 of 296", "11.6%", "87th most deprived of 296"],
        );
        assert!(row(&html, "Barriers to Housing").contains("17.968 215 of 296"));
        assert!(html.contains("25.7% (rank 74 of 296)"), "IMD extent");
        assert!(html.contains("65,189 (rank 68 of 296)"), "income scale");
        // Breadcrumbs: England > South West; the bar is decorative.
        assert!(html.contains("href=\"/areas/E92000001\">England</a>"));
        assert!(html.contains("href=\"/areas/E12000009\">South West</a>"));
        assert!(html.contains("aria-hidden=\"true\""));
        // Change, needs, similar areas, wards inside, sources, health index.
        assert!(html.contains("id=\"change\""));
        assert!(html.contains("MAC "), "Social Value Model MACs listed");
        assert!(html.contains("id=\"similar\""));
        assert!(html.contains("href=\"/rankings?within=E06000026\""));
        assert!(html.contains("href=\"/data#iod2025\""));
        assert!(html.contains("href=\"/data#healthindex\""));
        assert!(html.contains("Health Index 2021"));
        // ONS Health Index 2021, Plymouth overall score 94.7.
        assert!(html.contains("<dt class=\"govuk-summary-list__key\">Overall</dt>"));
        assert!(html.contains("94.7</dd>"));
        assert_eq!(html.matches("<h1").count(), 1);

        let html = get_ok(&app, "/areas/E06000026?edition=iod2019").await;
        // IoD2019 File 10 figures for Plymouth: average score 26.619, rank 64 of 317.
        let imd = row(&html, "Index of Multiple Deprivation");
        assert_contains(&imd, &["26.619 64 of 317"]);
        assert!(html.contains("<strong aria-current=\"page\">IoD2019</strong>"));
        assert!(html.contains("href=\"/areas/E06000026?edition=iod2025\""));
    }
);

area_test!(lsoa_profile_shows_its_own_rank_and_decile, |app| {
    // Plymouth 027E in iod2025_lsoa21_combined.csv: IMD score 27.47, rank 9620, decile 3;
    // Crime rank 1569, decile 1.
    let html = get(&app, "/areas/E01015156").await.text();
    assert!(html.contains("Plymouth 027E"));
    let imd = row(&html, "Index of Multiple Deprivation");
    assert_contains(
        &imd,
        &[
            "27.470 9,620 of 33,755 3",
            "More deprived than 72% of LSOAs",
        ],
    );
    assert!(row(&html, "Crime").contains("1,569 of 33,755 1"));
    // Breadcrumbs reach the district and the ward.
    assert!(html.contains("href=\"/areas/E06000026\">Plymouth</a>"));
    assert!(html.contains("St Peter and the Waterfront"));
    // Census 2021 facts and the population with their sources.
    assert!(html.contains("Population (Census 2021)"));
    assert!(html.contains("2,013"));
    assert!(html.contains("href=\"/data#census2021\""));
    // IoD2019: rank 5,247 of 32,844, decile 2 (the same code as an LSOA 2011).
    let old = get(&app, "/areas/E01015156?edition=iod2019").await.text();
    let imd = row(&old, "Index of Multiple Deprivation");
    assert_contains(&imd, &["36.862 5,247 of 32,844 2"]);
});

area_test!(unknown_area_and_bad_parameters_are_pages, |app| {
    let missing = get(&app, "/areas/E01999999").await;
    missing.assert_says(404, "Page not found");
    assert!(missing.text().contains("E01999999"));
    let html = get(&app, "/areas/E06000026?edition=iod2030")
        .await
        .text_if(StatusCode::UNPROCESSABLE_ENTITY, "html");
    assert!(html.contains("govuk-error-summary"));
    assert!(html.contains("href=\"#edition\""));
    let format = get(&app, "/areas/E06000026?format=pdf").await;
    format.assert_says(422, "format must be html, csv, xlsx or json");
    // Scotland has no IoD figures: the page says so instead of failing.
    let edinburgh = get(&app, "/areas/S12000036").await;
    edinburgh.assert_says(200, "cover England only");
});

area_test!(profile_values_download_as_csv_xlsx_and_json, |app| {
    let csv = get(&app, "/areas/E06000026?format=csv").await;
    let text = csv.download("text/csv");
    assert!(text.starts_with("# Every indicator value held for Plymouth (E06000026)"));
    assert!(text.contains("# Source: English Indices of Deprivation 2025"));
    assert!(text.contains("\narea_code,area_name,indicator,indicator_name,unit,dataset,value\n"));
    assert!(text.contains(
        "E06000026,Plymouth,iod2025.imd.average_score,Index of Multiple Deprivation: average score (LAD),score,iod2025,24.087\n"
    ));
    let json = get(&app, "/areas/E01015156?format=json").await.json();
    let rows = json["rows"].as_array().expect("rows");
    let rank = rows
        .iter()
        .find(|r| r["indicator"] == "iod2025.imd.rank")
        .expect("IMD rank row");
    assert_eq!(rank["value"], 9620.0);
    let xlsx = get(&app, "/areas/E06000026?format=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"), "XLSX is a zip");
    // The page links the three downloads.
    let html = get(&app, "/areas/E06000026").await.text();
    assert!(html.contains("href=\"/areas/E06000026?edition=iod2025&#38;format=csv\""));
});

area_test!(
    district_profile_maps_its_small_areas_of_the_edition,
    |app| {
        for (query, n, level) in [("", 164, "lsoa21"), ("?edition=iod2019", 161, "lsoa11")] {
            let html = get(&app, &format!("/areas/E06000026{query}")).await.text();
            let map = &html[html.find("id=\"map\"").expect("map section")..];
            let map = &map[..map.find("</svg>").expect("svg end")];
            assert_eq!(map.matches("<path data-area=\"E01").count(), n, "{query}");
            assert!(map.contains("<title>"), "areas carry titles");
            assert!(html.contains(&format!("/maps?level={level}&amp;within=E06000026")));
            assert!(
                html.contains("href=\"#map\""),
                "listed on the page contents"
            );
        }
    }
);

area_test!(
    lsoa_profile_maps_its_district_with_the_lsoa_outlined,
    |app| {
        // Plymouth 027E (LSOA 2021) within Plymouth's 164 LSOAs 2021.
        let html = get(&app, "/areas/E01015156").await.text();
        let map = &html[html.find("id=\"map\"").expect("map section")..];
        let map = &map[..map.find("</svg>").expect("svg end")];
        assert_eq!(map.matches("<path data-area=\"E01").count(), 164);
        assert_eq!(map.matches("class=\"selected\"").count(), 1);
        assert!(map.contains("<path data-area=\"E01015156\" class=\"selected\""));
        assert!(map.contains("Plymouth 027E outlined"));
        // Drawn last, so no neighbour covers its outline.
        let last = map.rfind("<path data-area=").unwrap();
        assert!(map[last..].starts_with("<path data-area=\"E01015156\""));
    }
);

area_test!(repeated_area_requests_get_the_same_answer, |app| {
    for url in ["/areas/E06000009", "/api/v1/areas/E06000009"] {
        let first = get(&app, url).await;
        let again = get(&app, url).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(first.text(), again.text(), "{url}");
        assert_eq!(
            first.headers["content-type"], again.headers["content-type"],
            "{url}"
        );
    }
    // Errors are not kept: an unknown code stays a 404 every time.
    for _ in 0..2 {
        assert_eq!(
            get(&app, "/areas/E99999999").await.status,
            StatusCode::NOT_FOUND
        );
    }
});
