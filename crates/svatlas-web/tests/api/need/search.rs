//! Place search: names grouped by area type, codes and postcodes redirect.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::StatusCode;
use svatlas_areas::ingest::PostcodeIndex;
use svatlas_store::testing::TestStore;
use svatlas_web::{AppState, Config};

use crate::need::area_helpers::{data_dir, frame};
use crate::platform::helpers::{Answer, get, get_ok};

/// The shipped postcode lookup, loaded once per test binary.
pub fn postcodes() -> Arc<PostcodeIndex> {
    static INDEX: OnceLock<Arc<PostcodeIndex>> = OnceLock::new();
    Arc::clone(INDEX.get_or_init(|| {
        Arc::new(svatlas_areas::ingest::postcodes(&data_dir()).expect("postcode lookup loads"))
    }))
}

fn app_with_postcodes(t: &TestStore) -> Router {
    svatlas_web::app(
        AppState::with_areas(t.store.clone(), Config::default(), frame())
            .with_postcode_index(postcodes()),
    )
}

fn location(answer: &crate::platform::helpers::Answer) -> &str {
    answer.headers["location"].to_str().expect("location")
}

/// Asserts the search for `q` went straight to an area's page (303), showing the list of
/// matches when it did not.
fn assert_goes_to_area(answer: &Answer, q: &str) {
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{q}: {}",
        answer
            .text()
            .split("places match")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(3000)
            .collect::<String>()
    );
}

area_test!(names_are_found_grouped_and_exact_matches_redirect, |app| {
    let html = get_ok(&app, "/search?q=plym").await;
    assert!(html.contains("href=\"/areas/E06000026\">Plymouth</a>"));
    let districts = html
        .find("Local authority districts (")
        .expect("district group");
    let lsoas = html.find("Small areas (LSOAs) (").expect("LSOA group");
    assert!(districts < lsoas, "districts are listed before LSOAs");
    // 164 LSOAs 2021 plus the 2011 ones that no longer exist, 10 shown.
    assert!(html.contains("Showing the best 10 of"));

    // "Plymouth" is also a ward name in Wales: listed, district first, not redirected.
    let html = get_ok(&app, "/search?q=plymouth").await;
    let district = html
        .find("href=\"/areas/E06000026\">Plymouth</a>")
        .expect("district");
    let ward = html
        .find("href=\"/areas/W05001623\">Plymouth</a>")
        .expect("Welsh ward");
    assert!(district < ward);
    // A full name held by one area goes straight to its page.
    let answer = get(&app, "/search?q=Tendring").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&answer), "/areas/E07000076");
    // So does an exact code, in any case.
    for q in ["E06000026", "e06000026", " E06000026 "] {
        let answer = get(&app, &format!("/search?q={}", q.replace(' ', "+"))).await;
        assert_goes_to_area(&answer, q);
        assert_eq!(location(&answer), "/areas/E06000026", "{q}");
    }
    // Empty: the form only; no match: says so.
    let empty = get(&app, "/search").await;
    empty.assert_says(200, "Search for a place</h1>");
    let none = get(&app, "/search?q=zzqqxx").await.text();
    assert!(none.contains("No places match"));
    // Without the lookup, a postcode search says postcodes are not available.
    let pc = get(&app, "/search?q=PL1+2AA").await.text();
    assert!(pc.contains("Postcode search is not available"));
});

#[tokio::test]
async fn postcodes_redirect_to_their_lsoa_and_estimates_are_labelled() {
    let t = svatlas_store::testing::sqlite().await;
    let app = app_with_postcodes(&t);
    // PL1 2AA -> E01015156 (exact_unchanged in the ONS May 2022 lookup), in any spelling.
    for q in ["PL1+2AA", "pl12aa"] {
        let answer = get(&app, &format!("/search?q={q}")).await;
        assert_goes_to_area(&answer, q);
        assert_eq!(location(&answer), "/areas/E01015156");
    }
    // PL4 0WA: its LSOA 2011 E01015135 was split; the LSOA 2021 E01034157 is an estimate,
    // shown with a label instead of a silent redirect.
    let html = get_ok(&app, "/search?q=PL4+0WA").await;
    assert!(html.contains("href=\"/areas/E01034157\""));
    assert!(html.contains("Estimate"));
    // A well-formed postcode that does not exist.
    let html = get(&app, "/search?q=PL99+9ZZ").await.text();
    assert!(html.contains("PL99 9ZZ is not in the postcode lookup"));
    t.finish().await;
}
