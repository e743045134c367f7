//! Frame tests on the real shipped data.

use super::*;
use crate::testdata::frame;

#[test]
fn builds_without_unresolved_codes() {
    let f = frame();
    assert_eq!(f.diagnostics(), &FrameDiagnostics::default());
    assert_eq!(
        f.column("iod2025.imd.rank", AreaType::Lsoa21)
            .map(<[f64]>::len),
        Some(f.areas(AreaType::Lsoa21).len())
    );
}

#[test]
fn shared_codes_resolve_to_the_newest_vintage_unless_asked() {
    let f = frame();
    assert_eq!(
        f.area("E06000026").map(|a| a.area_type),
        Some(AreaType::Lad24)
    );
    assert_eq!(
        f.area_of("E06000026", AreaType::Lad19)
            .map(|a| a.name.as_str()),
        Some("Plymouth")
    );
    assert_eq!(
        f.area("E01000001").map(|a| a.area_type),
        Some(AreaType::Lsoa21)
    );
    let lsoa = f
        .locate("E01015156", AreaType::Lsoa21)
        .expect("PL1 2AA's LSOA");
    let parents: Vec<AreaType> = f.parents(lsoa).iter().map(|a| a.area_type).collect();
    assert_eq!(parents, vec![AreaType::Ward24, AreaType::Lad24]);
    let plymouth = f.locate("E06000026", AreaType::Lad24).expect("lad");
    assert_eq!(f.parents(plymouth)[0].code, "E12000009");
}

#[test]
fn hierarchy_gives_lsoas_per_district_and_edition() {
    let f = frame();
    assert_eq!(f.children("E06000026", AreaType::Lsoa21).len(), 164);
    assert_eq!(f.children("E06000026", AreaType::Lsoa11).len(), 161);
    assert_eq!(f.lsoas_in("E06000026", Edition::Iod2019).len(), 161);
    assert_eq!(f.lsoas_in("E06000026", Edition::Iod2025).len(), 164);
    // Welsh LSOAs are not ranked by the English indices.
    assert!(f.lsoas_in("W06000015", Edition::Iod2025).is_empty());
    assert!(!f.children("W06000015", AreaType::Lsoa21).is_empty());
    let england = f.lsoas_in("E92000001", Edition::Iod2019).len();
    assert_eq!(england, 32_844);
    assert_eq!(f.children("S12000033", AreaType::Dz11).len(), 283);
}

#[test]
fn values_for_an_area_cover_both_vintages_of_its_code() {
    let f = frame();
    let values = f.values_for_area("E01000001");
    let get = |id: &str| values.iter().find(|(i, _)| *i == id).map(|(_, v)| *v);
    assert_eq!(get("iod2019.imd.score"), Some(6.208));
    assert_eq!(get("iod2025.imd.score"), Some(8.742));
    assert_eq!(get("census2021.ts038.total_residents"), Some(1_475.0));
    assert_eq!(f.value("iod2025.imd.score", "E01000001"), Some(8.742));
    assert_eq!(f.value("iod2025.imd.score", "nope"), None);
}

#[test]
fn mixed_geography_sources_resolve_to_their_own_area_types() {
    let f = frame();
    // LAD 2021 codes abolished in 2023 (Allerdale) resolve to LAD 2019 areas.
    assert!(
        f.value("healthindex.overall.score_2021", "E07000026")
            .is_some()
    );
    assert_eq!(
        f.levels_of("healthindex.overall.score_2021"),
        vec![AreaType::Lad24, AreaType::Lad19]
    );
    // The UK composite holds LSOAs, data zones and SOAs.
    assert_eq!(f.value("ukimd.composite.rank", "95ZZ06W1"), Some(1.0));
    assert!(f.value("ukimd.composite.score", "S01010891").is_some());
}

#[test]
fn ranks_areas_within_a_parent_with_ties() {
    let f = frame();
    let sw = f
        .rank_areas(
            "iod2025.imd.average_score",
            AreaType::Lad24,
            Some("E12000009"),
            true,
        )
        .expect("ranking");
    assert!(sw.len() > 20);
    assert_eq!(sw[0].rank, 1);
    assert!(sw.windows(2).all(|w| w[0].value >= w[1].value));
    let ply = f
        .rank_areas(
            "iod2019.imd.score",
            AreaType::Lsoa11,
            Some("E06000026"),
            true,
        )
        .expect("ranking");
    assert_eq!(ply.len(), 161);
    // IoD2019 ranks contain ties: equal values share the lowest rank.
    let england = f
        .rank_areas("iod2019.imd.score", AreaType::Lsoa11, None, true)
        .expect("ranking");
    assert_eq!(england[0].code, "E01021988");
    for w in england.windows(2) {
        if w[0].value == w[1].value {
            assert_eq!(w[0].rank, w[1].rank);
        }
    }
    assert!(matches!(
        f.rank_areas("nope", AreaType::Lad24, None, true),
        Err(FrameError::UnknownIndicator(_))
    ));
    assert!(matches!(
        f.rank_areas("iod2019.imd.score", AreaType::Lad24, None, true),
        Err(FrameError::NoValuesAtLevel { .. })
    ));
}

#[test]
fn real_data_correlations() {
    let f = frame();
    let m = crate::stats::correlation_matrix(
        f,
        &[
            "iod2025.imd.score",
            "iod2025.income.score",
            "iod2025.living_environment.score",
        ],
        AreaType::Lsoa21,
        crate::stats::Method::Pearson,
    )
    .expect("matrix");
    let c = m.cells[0][1].expect("r");
    assert_eq!(c.n, 33_755);
    assert!(c.r > 0.9, "{}", c.r);
    assert!(c.p_value.expect("p") < 1e-12);
    assert!(c.ci_low.expect("lo") < c.r && c.r < c.ci_high.expect("hi"));
    let s = crate::stats::spearman(
        f.column("iod2025.imd.score", AreaType::Lsoa21).expect("a"),
        f.column("iod2025.imd.rank", AreaType::Lsoa21).expect("b"),
    )
    .expect("rho");
    // Scores are rounded to 3 dp (ties), ranks are strict: almost exactly inverse.
    assert!(s.r < -0.9999, "{}", s.r);
}
