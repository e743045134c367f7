//! Maps: the SVG contract, `/maps` (page, errors, downloads), the home map and the small-area
//! map helper for area profiles.

use std::collections::BTreeSet;
use std::io::Write as _;

use axum::http::StatusCode;
use svatlas_areas::geography::Edition;
use svatlas_web::need::maps::small_area_map;

use crate::need::area_helpers::{area_state, data_dir};
use crate::platform::helpers::{assert_contains, get, get_ok};

const PLYMOUTH: &str = "E06000026";

/// The map SVG of a page (from `<svg class="choropleth` to the last `</svg>`).
fn svg_of(html: &str) -> &str {
    let start = html
        .find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"choropleth")
        .expect("page has a map");
    let end = html.rfind("</svg>").expect("map ends") + "</svg>".len();
    &html[start..end]
}

/// Codes of every shaded area, checking the contract on the way: each `<path data-area>` sits
/// directly in an `<a href="/areas/CODE">` with the same code and has a `<title>` child.
fn areas_of(svg: &str) -> Vec<String> {
    let mut codes = Vec::new();
    for (i, _) in svg.match_indices("<path data-area=\"") {
        let rest = &svg[i + "<path data-area=\"".len()..];
        let code = &rest[..rest.find('"').unwrap()];
        let before = &svg[..i];
        let link_start = before.rfind("<a href=\"").expect("path inside a link");
        assert!(
            before[link_start..].starts_with(&format!("<a href=\"/areas/{code}\"")),
            "{code} is not inside its link"
        );
        let path_end = rest.find("</path>").expect("path closes");
        assert!(
            rest[..path_end].contains("><title>") && !rest[..path_end].contains("<title></title>"),
            "{code} has no title"
        );
        assert!(rest[path_end..].starts_with("</path></a>"), "{code}");
        codes.push(code.to_owned());
    }
    codes
}

/// English district codes of 2024, from the shipped ONS lookup.
fn english_lad24() -> BTreeSet<String> {
    let mut csv =
        csv::Reader::from_path(data_dir().join("geography_lookups/lookup_ltla24_region24.csv"))
            .unwrap();
    let codes: BTreeSet<String> = csv.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert_eq!(codes.len(), 296);
    codes
}

area_test!(
    default_map_shades_every_english_district_with_a_legend,
    |app| {
        let html = get_ok(&app, "/maps").await;
        let svg = svg_of(&html);
        let codes = areas_of(svg);
        assert_eq!(codes.len(), 296);
        assert_eq!(
            codes.iter().cloned().collect::<BTreeSet<_>>(),
            english_lad24()
        );
        // Text alternative, legend with five classes and "No data", titles with name and value.
        assert!(svg.contains(
            "<title id=\"map-title\">Index of Multiple Deprivation: average score (LAD) by local \
         authority district (2024) in England</title>"
        ));
        assert!(svg.contains("<desc id=\"map-desc\">Map of 296 "));
        assert!(svg.contains("Darker = more deprived"));
        assert!(svg.contains(">No data</text>"));
        let legend = &svg[svg.find("choropleth__legend").unwrap()..];
        assert_eq!(legend.matches("<rect ").count(), 6, "5 quintiles + no data");
        assert!(svg.contains("<title>Plymouth: 24.087</title>"));
        assert!(svg.contains("<title>Blackpool: 43.467</title>"));
        // Blackpool (most deprived) gets the darkest quintile, Hart (least) the lightest.
        let fill = |code: &str| {
            let at = svg.find(&format!("data-area=\"{code}\" fill=\"")).unwrap();
            svg[at..].split('"').nth(3).unwrap().to_owned()
        };
        let viridis = svatlas_web::platform::svg::palette::Palette::Viridis.classes(5);
        assert_eq!(fill("E06000009"), viridis[4]);
        assert_eq!(fill("E07000089"), viridis[0]);
        // The same figures as a table, with sources and downloads.
        assert!(html.contains("<td class=\"govuk-table__cell\">E06000026</td>"));
        assert!(html.contains("English Indices of Deprivation 2025"));
        assert!(html.contains("href=\"/maps?indicator=iod2025.imd.average_score&#38;level=lad24&#38;classes=quintiles&#38;palette=viridis&#38;format=csv\""));
        assert_eq!(html.matches("<h1").count(), 1);
    }
);

area_test!(
    small_area_maps_need_within_and_draw_every_lsoa_of_the_district,
    |app| {
        // Without an indicator, LSOAs 2021 get the IoD2025 IMD score.
        let html = get(&app, "/maps?level=lsoa21&within=E06000026")
            .await
            .text();
        assert_eq!(areas_of(svg_of(&html)).len(), 164);
        assert!(html.contains("<title>Plymouth 034A: 77.631</title>"));
        // The district measure has no LSOA values: the level is refused, naming the parameter.
        let refused = get(
            &app,
            "/maps?indicator=iod2025.imd.average_score&level=lsoa21&within=E06000026",
        )
        .await;
        refused.assert_says(422, "href=\"#level\"");

        let answer = get(
        &app,
        "/maps?indicator=iod2025.imd.score&level=lsoa21&within=e06000026&classes=deciles&palette=blues",
    )
    .await;
        let html = answer.text_if(StatusCode::OK, "answer");
        let codes = areas_of(svg_of(&html));
        assert_eq!(codes.len(), 164);
        assert!(codes.iter().all(|c| c.starts_with("E01")));
        let legend = &html[html.find("choropleth__legend").unwrap()..];
        assert_eq!(legend.matches("<rect ").count(), 11, "10 deciles + no data");
        assert!(html.contains("in Plymouth (E06000026)"));

        let html = get(
            &app,
            "/maps?indicator=iod2019.imd.score&level=lsoa11&within=E06000026&classes=continuous",
        )
        .await
        .text();
        assert_eq!(areas_of(svg_of(&html)).len(), 161);
        assert!(html.contains("linearGradient"));

        let text = get(&app, "/maps?indicator=iod2025.imd.score&level=lsoa21")
            .await
            .text_if(StatusCode::UNPROCESSABLE_ENTITY, "text");
        assert_contains(&text, &["href=\"#within\""]);
        assert!(text.contains("within=E06000026"));
    }
);

area_test!(bad_map_parameters_are_422_naming_the_parameter, |app| {
    for (url, field) in [
        ("/maps?indicator=nope", "indicator"),
        ("/maps?level=lsoa99", "level"),
        ("/maps?level=lsoa11", "within"),
        ("/maps?indicator=iod2019.imd.score&level=lad24", "level"),
        ("/maps?classes=sextiles", "classes"),
        ("/maps?palette=rainbow", "palette"),
        ("/maps?within=E99999999", "within"),
        ("/maps?format=pdf", "format"),
        (
            "/maps?indicator=iod2025.imd.score&level=lsoa21&within=E12000009",
            "within",
        ),
    ] {
        let anchor = format!("href=\"#{field}\"");
        get(&app, url).await.assert_invalid_page(url, &anchor);
    }
});

area_test!(map_figures_download_with_their_source, |app| {
    let csv = get(&app, "/maps?format=csv").await;
    let text = csv.download("text/csv");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].starts_with("# Source: English Indices of Deprivation 2025 (Ministry of Housing"),
        "{}",
        lines[1]
    );
    let header = lines.iter().find(|l| !l.starts_with('#')).unwrap();
    assert_eq!(
        *header,
        "area_code,area_name,iod2025.imd.average_score (score)"
    );
    // Official File 10 figures; the most deprived district comes first.
    let first = lines.iter().position(|l| l == header).unwrap() + 1;
    assert_eq!(lines[first], "E06000009,Blackpool,43.467");
    assert!(lines.contains(&"E06000026,Plymouth,24.087"));
    assert_eq!(lines.len() - first, 296);

    let json = get(
        &app,
        "/maps?indicator=iod2025.imd.decile&level=lsoa21&within=E06000026&format=json",
    )
    .await
    .json();
    assert_eq!(json["rows"].as_array().unwrap().len(), 164);
    assert_eq!(json["sources"][0]["licence"], "OGL-UK-3.0");
    let xlsx = get(&app, "/maps?format=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"));
});

area_test!(
    home_map_links_every_english_district_and_states_facts,
    |app| {
        let html = get_ok(&app, "/").await;
        let codes: BTreeSet<String> = areas_of(svg_of(&html)).into_iter().collect();
        assert_eq!(codes, english_lad24());
        assert!(html.contains("<title>Blackpool: rank 1</title>"));
        assert!(html.contains("<a class=\"govuk-link\" href=\"/areas/E06000009\">Blackpool</a>"));
        assert!(html.contains("33,755"));
        assert!(html.contains("action=\"/search\""));
        for link in ["/maps", "/rankings", "/compare", "/correlations", "/data"] {
            assert!(html.contains(&format!("href=\"{link}\"")), "{link}");
        }
        assert_eq!(html.matches("<h1").count(), 1);

        // Under 300 KB gzipped, whole page included.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(svg_of(&html).as_bytes()).unwrap();
        let size = gz.finish().unwrap().len();
        assert!(size < 300 * 1024, "England map is {size} bytes gzipped");
    }
);

#[tokio::test]
async fn area_profile_map_draws_the_lsoas_of_each_edition() {
    let t = svatlas_store::testing::sqlite().await;
    let state = area_state(&t);
    let svg = small_area_map(&state, PLYMOUTH, Edition::Iod2025)
        .unwrap()
        .unwrap();
    assert_eq!(areas_of(&svg).len(), 164);
    assert!(svg.contains("decile of each LSOA in Plymouth"));
    assert!(svg.contains(">1: most deprived 10%</text>"));
    let svg19 = small_area_map(&state, PLYMOUTH, Edition::Iod2019)
        .unwrap()
        .unwrap();
    assert_eq!(areas_of(&svg19).len(), 161);
    // Decile 1 is darkest: an LSOA in Plymouth's most deprived decile gets viridis' dark end.
    let dark = svatlas_web::platform::svg::palette::Palette::Viridis.classes(10)[9].clone();
    assert!(svg.contains(&format!("fill=\"{dark}\"")));
    // Welsh districts have no IoD LSOAs: no map; unknown codes are 404.
    assert_eq!(
        small_area_map(&state, "W06000015", Edition::Iod2025).unwrap(),
        None
    );
    assert!(small_area_map(&state, "E99999999", Edition::Iod2025).is_err());
    t.finish().await;
}
