//! Odd query strings never make the local-need API fail with a server error.

use axum::http::StatusCode;
use proptest::prelude::*;

use crate::need::area_helpers::{area_app, frame};
use crate::platform::helpers::get;

/// Percent-encodes every byte that is not unreserved, so any string can go in a query.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Plausible and implausible values for any parameter.
fn value() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        prop::sample::select(vec![
            "iod2019.income.score",
            "iod2019.employment.score",
            "iod2025.imd.average_score",
            "iod2025.imd.rank",
            "census2021.ts038.total",
            "lsoa11",
            "lsoa21",
            "lad19",
            "lad24",
            "region",
            "nation",
            "E06000026",
            "E01021988",
            "E92000001",
            "W92000004",
            "asc",
            "desc",
            "0",
            "1",
            "-1",
            "500",
            "501",
            "18446744073709551616",
            "4294967295",
            "NaN",
            "1e9",
        ])
        .prop_map(|s| Some(s.to_owned())),
        any::<String>().prop_map(Some),
    ]
}

fn query(names: &[&'static str]) -> impl Strategy<Value = String> + use<> {
    let names = names.to_vec();
    prop::collection::vec(value(), names.len()).prop_map(move |values| {
        names
            .iter()
            .zip(values)
            .filter_map(|(name, v)| v.map(|v| format!("{name}={}", encode(&v))))
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn assert_never_server_error(path: &str, query: &str) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let t = svatlas_store::testing::sqlite().await;
        let app = area_app(&t);
        let answer = get(&app, &format!("{path}?{query}")).await;
        t.finish().await;
        prop_assert!(
            !answer.status.is_server_error(),
            "{} for {}?{}: {}",
            answer.status,
            path,
            query,
            answer.text()
        );
        if answer.status != StatusCode::OK {
            prop_assert!(
                answer.json()["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty())
            );
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn rankings_never_fail_with_a_server_error(
        q in query(&["indicator", "level", "within", "order", "page", "per_page"])
    ) {
        // Load the data before the first case so no case pays for it alone.
        let _ = frame();
        assert_never_server_error("/api/v1/rankings", &q)?;
    }

    #[test]
    fn correlations_never_fail_with_a_server_error(q in query(&["x", "y", "level", "within"])) {
        let _ = frame();
        assert_never_server_error("/api/v1/correlation", &q)?;
    }
}
