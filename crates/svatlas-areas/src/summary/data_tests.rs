//! Summary tests on the real shipped data against official MHCLG figures.

use proptest::prelude::*;

use super::*;
use crate::testdata::frame;

fn lad(edition: Edition, code: &str) -> LadSummary {
    lad_summaries(frame(), edition)
        .into_iter()
        .find(|l| l.code == code)
        .unwrap_or_else(|| panic!("{code}"))
}

fn close(a: Option<f64>, b: f64, tol: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= tol)
}

fn codes(edition: Edition, area: &str) -> Vec<&'static str> {
    frame()
        .lsoas_in(area, edition)
        .into_iter()
        .map(|a| a.code.as_str())
        .collect()
}

#[test]
fn plymouth_iod2019_matches_file_10() {
    let p = lad(Edition::Iod2019, "E06000026");
    assert_eq!(p.summary.lsoa_count, 161);
    assert_eq!(p.summary.population, Some(261_386.0));
    let imd = &p.summary.domains["imd"];
    assert!(
        close(imd.average_score, 26.619, 0.0005),
        "{:?}",
        imd.average_score
    );
    assert_eq!(imd.rank_of_average_score, Some(64));
    assert!(
        close(imd.average_rank, 19_859.59, 0.005),
        "{:?}",
        imd.average_rank
    );
    assert_eq!(imd.rank_of_average_rank, Some(72));
    assert!(close(imd.proportion_most_deprived_10pc, 0.1739, 0.00005));
    assert_eq!(imd.rank_of_proportion_most_deprived_10pc, Some(50));
    let c = imd.concentration.expect("imd has extent");
    assert!(close(c.extent, 0.306, 0.0005), "{:?}", c.extent);
    assert_eq!(c.rank_of_extent, Some(56));
    assert!(
        close(c.local_concentration, 31_468.47, 0.005),
        "{:?}",
        c.local_concentration
    );
    assert_eq!(c.rank_of_local_concentration, Some(63));
}

#[test]
fn iod2019_covers_317_districts_and_gaps_are_null() {
    let all = lad_summaries(frame(), Edition::Iod2019);
    assert_eq!(all.len(), 317);
    let p = all
        .iter()
        .find(|l| l.code == "E06000026")
        .expect("Plymouth");
    let health = &p.summary.domains["health"];
    assert!(health.average_rank.is_some());
    assert_eq!(
        health.average_score, None,
        "IoD2019 health scores are not shipped"
    );
    assert_eq!(health.rank_of_average_score, None);
    assert!(p.summary.domains["idaci"].average_rank.is_some());
    assert!(
        p.summary.domains["income"]
            .scale
            .and_then(|s| s.scale)
            .is_some()
    );
    // Every district's ranks form a competition ranking over 317 values.
    let mut ranks: Vec<u32> = all
        .iter()
        .filter_map(|l| l.summary.domains["imd"].rank_of_average_score)
        .collect();
    ranks.sort_unstable();
    assert_eq!(ranks.len(), 317);
    assert_eq!(ranks[0], 1);
}

#[test]
fn iod2025_serves_official_file_10() {
    let p = lad(Edition::Iod2025, "E06000026");
    assert_eq!(p.summary.lsoa_count, 164);
    assert_eq!(p.summary.population_source, POPULATION_SOURCE_2025_OFFICIAL);
    let imd = &p.summary.domains["imd"];
    assert_eq!(imd.average_score, Some(24.087));
    assert_eq!(imd.rank_of_average_score, Some(87));
    assert_eq!(imd.proportion_most_deprived_10pc, Some(0.1159));
    assert_eq!(imd.average_rank, Some(18_688.94));
    assert_eq!(imd.rank_of_average_rank, Some(101));
    let c = imd.concentration.expect("extent");
    assert_eq!(c.extent, Some(0.257));
    assert_eq!(c.local_concentration, Some(31_881.1));
    let all = lad_summaries(frame(), Edition::Iod2025);
    assert_eq!(all.len(), 296);
    let blackpool = all
        .iter()
        .find(|l| l.code == "E06000009")
        .expect("Blackpool");
    assert_eq!(blackpool.summary.domains["imd"].average_score, Some(43.467));
    assert_eq!(
        blackpool.summary.domains["imd"].rank_of_average_score,
        Some(1)
    );
    assert_eq!(
        blackpool.summary.domains["imd"].rank_of_average_rank,
        Some(1)
    );
    let hart = all.iter().find(|l| l.code == "E07000089").expect("Hart");
    assert_eq!(hart.summary.domains["imd"].average_score, Some(5.914));
    assert_eq!(hart.summary.domains["imd"].rank_of_average_score, Some(296));
}

#[test]
fn custom_iod2025_plymouth_is_close_to_file_10() {
    // Census 2021 weights instead of the unavailable mid-2022 denominators: small, documented gap.
    let s = summarise(
        frame(),
        Edition::Iod2025,
        &codes(Edition::Iod2025, "E06000026"),
    )
    .expect("summary");
    assert_eq!(s.lsoa_count, 164);
    assert_eq!(s.population_source, POPULATION_SOURCE_2025);
    let imd = &s.domains["imd"];
    assert!(
        close(imd.average_score, 24.087, 0.1),
        "{:?}",
        imd.average_score
    );
    assert!(
        close(imd.average_rank, 18_688.94, 100.0),
        "{:?}",
        imd.average_rank
    );
    assert!(close(imd.proportion_most_deprived_10pc, 0.1159, 0.00005));
    let c = imd.concentration.expect("extent");
    assert!(close(c.extent, 0.257, 0.005), "{:?}", c.extent);
    assert!(
        close(c.local_concentration, 31_881.1, 50.0),
        "{:?}",
        c.local_concentration
    );
    assert_eq!(imd.rank_of_average_score, None);
    let income = &s.domains["income"];
    let official = lad(Edition::Iod2025, "E06000026");
    let official_income = &official.summary.domains["income"];
    assert!(close(
        income.average_score,
        official_income.average_score.expect("score"),
        0.002
    ));
    let scale = income.scale.and_then(|x| x.scale).expect("scale");
    let official_scale = official_income.scale.and_then(|x| x.scale).expect("scale");
    assert!(
        (scale / official_scale - 1.0).abs() < 0.01,
        "{scale} vs {official_scale}"
    );
    assert!(
        !s.domains.contains_key("idaci"),
        "no IoD2025 IDACI data shipped"
    );
}

#[test]
fn computed_iod2025_districts_track_file_10_everywhere() {
    let official = lad_summaries(frame(), Edition::Iod2025);
    let computed = computed_lad_summaries(frame(), Edition::Iod2025);
    assert_eq!(computed.len(), 296);
    let mut total_diff = 0.0;
    for c in &computed {
        let o = official
            .iter()
            .find(|o| o.code == c.code)
            .expect("same districts");
        let (a, b) = (
            c.summary.domains["imd"].average_score.expect("a"),
            o.summary.domains["imd"].average_score.expect("b"),
        );
        assert!((a - b).abs() < 0.5, "{} {a} {b}", c.code);
        total_diff += (a - b).abs();
        // File 10 rounds to 4 (sometimes 3) decimals.
        let (pc, po) = (
            c.summary.domains["imd"]
                .proportion_most_deprived_10pc
                .expect("c"),
            o.summary.domains["imd"]
                .proportion_most_deprived_10pc
                .expect("o"),
        );
        assert!((pc - po).abs() < 1e-3, "{} {pc} {po}", c.code);
    }
    assert!(
        total_diff / 296.0 < 0.06,
        "mean abs diff {}",
        total_diff / 296.0
    );
}

#[test]
fn a_custom_area_equal_to_a_district_gives_its_figures() {
    for code in ["E06000026", "E06000009", "E07000089", "E09000001"] {
        let l = lad(Edition::Iod2019, code);
        let s =
            summarise(frame(), Edition::Iod2019, &codes(Edition::Iod2019, code)).expect("summary");
        assert_eq!(s.lsoa_count, l.summary.lsoa_count);
        assert_eq!(s.population, l.summary.population);
        for (d, v) in &s.domains {
            let o = &l.summary.domains[d];
            assert_eq!(v.average_rank, o.average_rank, "{code} {d}");
            assert_eq!(v.average_score, o.average_score, "{code} {d}");
            assert_eq!(
                v.proportion_most_deprived_10pc, o.proportion_most_deprived_10pc,
                "{code} {d}"
            );
            assert_eq!(
                v.concentration.map(|c| c.extent),
                o.concentration.map(|c| c.extent)
            );
            assert_eq!(v.scale.map(|c| c.scale), o.scale.map(|c| c.scale));
            assert_eq!(v.rank_of_average_rank, None);
        }
    }
}

#[test]
fn jaywick_alone_is_the_most_deprived_area() {
    for (edition, score) in [(Edition::Iod2019, 92.735), (Edition::Iod2025, 94.223)] {
        let s = summarise(frame(), edition, &["E01021988"]).expect("summary");
        let imd = &s.domains["imd"];
        assert_eq!(imd.average_score, Some(score));
        assert_eq!(imd.average_rank, Some(edition.lsoa_count() as f64));
        assert_eq!(imd.proportion_most_deprived_10pc, Some(1.0));
        assert_eq!(imd.concentration.and_then(|c| c.extent), Some(1.0));
    }
}

#[test]
fn city_of_london_summary_uses_its_vectors() {
    let s = summarise(frame(), Edition::Iod2019, &["E01000001"]).expect("summary");
    assert_eq!(s.population, Some(1_296.0));
    assert_eq!(s.domains["imd"].average_score, Some(6.208));
    assert_eq!(s.domains["imd"].average_rank, Some(32_845.0 - 29_199.0));
    assert_eq!(
        s.domains["income"].scale.and_then(|x| x.scale),
        Some(0.007 * 1_296.0)
    );
}

#[test]
fn rejects_unknown_codes_and_codes_of_the_other_edition() {
    assert_eq!(
        summarise(frame(), Edition::Iod2019, &[]),
        Err(SummaryError::Empty)
    );
    // E01035749 exists only in 2021; E01033659 (Manchester) was split in 2021; W01000240 is Welsh.
    let err = summarise(
        frame(),
        Edition::Iod2019,
        &["E01035749", "E01000001", "NOPE", "W01000240"],
    )
    .expect_err("bad codes");
    assert_eq!(
        err,
        SummaryError::InvalidCodes {
            unknown: vec!["NOPE".into(), "W01000240".into()],
            other_edition: vec!["E01035749".into()]
        }
    );
    let err = summarise(frame(), Edition::Iod2025, &["E01033659"]).expect_err("split 2011 LSOA");
    assert_eq!(
        err,
        SummaryError::InvalidCodes {
            unknown: vec![],
            other_edition: vec!["E01033659".into()]
        }
    );
}

#[test]
fn summary_json_has_the_documented_keys() {
    let s = summarise(frame(), Edition::Iod2025, &["E01000001", "E01000002"]).expect("summary");
    let json = serde_json::to_value(&s).expect("json");
    for key in [
        "edition",
        "lsoa_count",
        "population",
        "population_source",
        "domains",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert!(json["domains"]["imd"]["local_concentration"].is_number());
    assert!(json["domains"]["income"]["scale"].is_number());
    assert!(json["domains"]["imd"]["rank_of_extent"].is_null());
    let back: Summary = serde_json::from_value(json).expect("round trip");
    assert_eq!(back, s);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn summary_is_invariant_to_order_and_duplicates(seed in any::<u64>(), take in 1usize..60, dup in 0usize..5) {
        let mut lsoas = codes(Edition::Iod2019, "E06000026");
        // Deterministic shuffle from the seed (Fisher-Yates with an LCG).
        let mut state = seed | 1;
        for i in (1..lsoas.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            lsoas.swap(i, (state >> 33) as usize % (i + 1));
        }
        let subset: Vec<&str> = lsoas[..take].to_vec();
        let mut sorted = subset.clone();
        sorted.sort_unstable();
        let mut with_dups = subset.clone();
        with_dups.extend(subset.iter().take(dup).copied());
        let a = summarise(frame(), Edition::Iod2019, &subset).expect("a");
        let b = summarise(frame(), Edition::Iod2019, &sorted).expect("b");
        let c = summarise(frame(), Edition::Iod2019, &with_dups).expect("c");
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
        prop_assert_eq!(a.lsoa_count, take);
        let imd = &a.domains["imd"];
        let ar = imd.average_rank.expect("rank");
        prop_assert!((1.0..=32_844.0).contains(&ar));
        let lc = imd.concentration.and_then(|c| c.local_concentration).expect("lc");
        prop_assert!(lc + 1e-9 >= ar, "local concentration {} below average rank {}", lc, ar);
    }
}
