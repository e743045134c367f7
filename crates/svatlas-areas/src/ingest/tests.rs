//! Tests on the real shipped data (official test vectors from the SOURCE.md files).

use std::collections::HashSet;

use super::*;
use crate::geography::{AreaType, ChangeCode};
use crate::testdata::{bundles, data_dir, frame};

fn bundle(id: &str) -> &'static DatasetBundle {
    bundles()
        .iter()
        .find(|b| b.dataset.id == id)
        .expect("bundle present")
}

fn value(id: &str, code: &str) -> f64 {
    let col = bundles()
        .iter()
        .find_map(|b| b.column(id))
        .unwrap_or_else(|| panic!("column {id}"));
    let i = col
        .codes
        .iter()
        .position(|c| c == code)
        .unwrap_or_else(|| panic!("{code} in {id}"));
    col.values[i]
}

fn count(id: &str) -> usize {
    bundles()
        .iter()
        .find_map(|b| b.column(id))
        .map_or(0, |c| c.values.len())
}

#[test]
fn loads_every_dataset_with_unique_indicator_ids() {
    let ids: Vec<&str> = bundles().iter().map(|b| b.dataset.id.as_str()).collect();
    assert_eq!(ids.len(), DATASET_COUNT);
    for expected in [
        "geography",
        "iod2019",
        "iod2025",
        "wimd2019",
        "simd2020v2",
        "nimdm2017",
        "ukimd",
        "census2021",
        "healthindex",
        "pop2020",
        "pop2021",
    ] {
        assert!(ids.contains(&expected), "{expected} missing");
    }
    let mut seen = HashSet::new();
    for b in bundles() {
        assert_eq!(b.indicators.len(), b.columns.len(), "{}", b.dataset.id);
        for (ind, col) in b.indicators.iter().zip(&b.columns) {
            assert_eq!(ind.id, col.indicator);
            assert!(
                ind.id.starts_with(&format!("{}.", b.dataset.id)),
                "{}",
                ind.id
            );
            assert_eq!(ind.id.split('.').count(), 3, "{}", ind.id);
            assert!(seen.insert(ind.id.clone()), "duplicate {}", ind.id);
            assert!(col.values.iter().all(|v| v.is_finite()));
        }
    }
}

#[test]
fn row_counts_match_the_source_files() {
    assert_eq!(count("iod2019.imd.rank"), 32_844);
    assert_eq!(count("iod2019.idaci.rank"), 32_844);
    assert_eq!(count("iod2019.population.total"), 32_844);
    assert_eq!(count("iod2019.income.transformed_score"), 32_844);
    assert_eq!(count("iod2025.imd.score"), 33_755);
    assert_eq!(count("iod2025.outdoors.decile"), 33_755);
    assert_eq!(count("iod2025.imd.average_score"), 296);
    assert_eq!(count("wimd2019.wimd.rank"), 1_909);
    assert_eq!(count("simd2020v2.simd.rank"), 6_976);
    assert_eq!(count("nimdm2017.mdm.rank"), 890);
    assert_eq!(count("ukimd.composite.score"), 42_619);
    assert_eq!(count("census2021.ts038.total_residents"), 35_672);
    assert_eq!(count("healthindex.overall.score_2021"), 307);
    assert_eq!(count("pop2020.total.count"), 34_753);
    // Scores IoD2019 does not publish here are absent, not made up.
    assert_eq!(count("iod2019.education.score"), 0);
    assert_eq!(count("iod2025.idaci.rank"), 0);
}

#[test]
fn iod2019_city_of_london_vectors() {
    let c = "E01000001";
    assert_eq!(value("iod2019.imd.score", c), 6.208);
    assert_eq!(value("iod2019.imd.rank", c), 29_199.0);
    assert_eq!(value("iod2019.imd.decile", c), 9.0);
    assert_eq!(value("iod2019.income.score", c), 0.007);
    assert_eq!(value("iod2019.income.rank", c), 32_831.0);
    assert_eq!(value("iod2019.income.decile", c), 10.0);
    assert_eq!(value("iod2019.employment.score", c), 0.010);
    assert_eq!(value("iod2019.employment.rank", c), 32_742.0);
    assert_eq!(value("iod2019.population.total", c), 1_296.0);
}

#[test]
fn iod2025_vectors() {
    assert_eq!(value("iod2025.imd.score", "E01000001"), 8.742);
    assert_eq!(value("iod2025.imd.rank", "E01000001"), 26_525.0);
    assert_eq!(value("iod2025.imd.decile", "E01000001"), 8.0);
    assert_eq!(
        value("iod2025.living_environment.score", "E01000001"),
        69.345
    );
    assert_eq!(value("iod2025.living_environment.rank", "E01000001"), 244.0);
    assert_eq!(value("iod2025.living_environment.decile", "E01000001"), 1.0);
    assert_eq!(value("iod2025.imd.score", "E01000007"), 37.217);
    assert_eq!(value("iod2025.imd.rank", "E01000007"), 5_377.0);
    assert_eq!(value("iod2025.imd.decile", "E01000007"), 2.0);
    assert_eq!(value("iod2025.imd.average_score", "E06000026"), 24.087);
    assert_eq!(
        value("iod2025.imd.rank_of_average_score", "E06000026"),
        87.0
    );
}

#[test]
fn jaywick_is_the_most_deprived_lsoa_in_both_editions() {
    for (ds, score) in [("iod2019", 92.735), ("iod2025", 94.223)] {
        assert_eq!(value(&format!("{ds}.imd.rank"), "E01021988"), 1.0);
        assert_eq!(value(&format!("{ds}.imd.score"), "E01021988"), score);
        let max = bundle(ds)
            .column(&format!("{ds}.imd.score"))
            .expect("col")
            .values
            .iter()
            .copied()
            .fold(f64::MIN, f64::max);
        assert_eq!(max, score);
    }
}

#[test]
fn other_nations_vectors() {
    assert_eq!(value("wimd2019.wimd.rank", "W01000240"), 1.0);
    assert_eq!(value("wimd2019.wimd.score", "W01000240"), 86.6);
    assert_eq!(value("wimd2019.income.rank", "W01000240"), 1.0);
    assert_eq!(value("wimd2019.employment.rank", "W01000240"), 1.0);
    assert_eq!(value("simd2020v2.simd.rank", "S01010891"), 1.0);
    assert_eq!(value("nimdm2017.mdm.rank", "95ZZ06W1"), 1.0);
    assert_eq!(value("ukimd.composite.rank", "95ZZ06W1"), 1.0);
    assert_eq!(value("ukimd.original.local_score", "E01000001"), 6.208);
    // SIMD percentages stay in percent; suppressed cells are missing.
    assert_eq!(
        value("simd2020v2.health.depression_prescribing", "S01006506"),
        13.0
    );
    assert!(count("simd2020v2.health.comparative_illness_factor") < 6_976);
    // NIMDM: every domain sheet contributes indicator values.
    assert!(
        bundle("nimdm2017").indicators.len() > 80,
        "{}",
        bundle("nimdm2017").indicators.len()
    );
}

#[test]
fn census_population_and_health_index_vectors() {
    assert_eq!(
        value("census2021.ts038.total_residents", "E01000001"),
        1_475.0
    );
    assert_eq!(
        value(
            "census2021.ts038.disabled_under_the_equality_act_count",
            "E01000001"
        ),
        152.0
    );
    assert!(
        (value(
            "census2021.ts038.disabled_under_the_equality_act",
            "E01000001"
        ) - 152.0 / 1475.0)
            .abs()
            < 1e-12
    );
    let pop = bundle("pop2020")
        .column("pop2020.total.count")
        .expect("col");
    let ew: f64 = pop.values.iter().sum();
    let england: f64 = pop
        .codes
        .iter()
        .zip(&pop.values)
        .filter(|(c, _)| c.starts_with('E'))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(ew, 59_719_724.0);
    assert_eq!(england, 56_550_138.0);
    assert_eq!(value("healthindex.overall.score_2015", "E06000026"), 95.3);
    assert_eq!(value("healthindex.overall.score_2019", "E06000026"), 93.9);
    assert_eq!(value("healthindex.overall.score_2021", "E06000026"), 94.7);
    // Derived LSOA 2021 weights: age bands never exceed the resident total.
    let total = bundle("pop2021")
        .column("pop2021.total.count")
        .expect("col");
    assert_eq!(total.values.len(), 35_672);
    assert!(value("pop2021.working_age_18_66.estimate", "E01000001") < 1_475.0);
}

#[test]
fn directions_are_set_for_deprivation_measures() {
    let f = frame();
    let dir = |id: &str| {
        f.indicator(id)
            .unwrap_or_else(|| panic!("{id}"))
            .higher_is_more_deprived
    };
    assert_eq!(dir("iod2019.imd.rank"), Some(false));
    assert_eq!(dir("iod2019.imd.score"), Some(true));
    assert_eq!(dir("iod2025.barriers.connectivity_score"), Some(false));
    assert_eq!(dir("healthindex.overall.score_2021"), Some(false));
    assert_eq!(dir("simd2020v2.education.school_attendance"), Some(false));
    assert_eq!(dir("census2021.ts054.owned_owns_outright"), None);
    assert_eq!(dir("census2021.ts052.minus_1_overcrowded"), Some(true));
    assert_eq!(dir("pop2020.total.count"), None);
}

#[test]
fn official_files_agree_with_the_combined_table() {
    let official = iod2019_official_files(&data_dir()).expect("files 1-3, 6 parse");
    let combined = bundle("iod2019");
    let mut compared = 0;
    for col in &official {
        let other = combined
            .column(&col.indicator)
            .unwrap_or_else(|| panic!("{}", col.indicator));
        let lookup: std::collections::HashMap<&str, f64> = other
            .codes
            .iter()
            .map(String::as_str)
            .zip(other.values.iter().copied())
            .collect();
        assert_eq!(col.values.len(), 32_844, "{}", col.indicator);
        for (c, v) in col.codes.iter().zip(&col.values) {
            assert_eq!(lookup.get(c.as_str()), Some(v), "{} {c}", col.indicator);
        }
        compared += 1;
    }
    // File 1 (2), File 2 (16), File 3 (6), File 6 (5).
    assert_eq!(compared, 29);
}

#[test]
fn geography_hierarchy_and_links() {
    let g = bundle("geography");
    let by_type = |t: AreaType| g.areas.iter().filter(|a| a.area_type == t).count();
    assert_eq!(by_type(AreaType::Lsoa11), 34_753);
    assert_eq!(by_type(AreaType::Lsoa21), 35_672);
    assert_eq!(by_type(AreaType::Dz11), 6_976);
    assert_eq!(by_type(AreaType::Soa01), 890);
    assert_eq!(by_type(AreaType::Region), 9);
    assert_eq!(by_type(AreaType::Nation), 4);
    // 317 English + 22 Welsh districts (2019); 296 + 22 + 32 Scottish + 11 NI (2024).
    assert_eq!(by_type(AreaType::Lad19), 339);
    assert_eq!(by_type(AreaType::Lad24), 361);
    assert_eq!(g.lsoa_links.len(), 35_795);
    assert!(g.lsoa_links.iter().any(|l| l.change == ChangeCode::X));
    let craven = g
        .lad_lineages
        .iter()
        .find(|l| l.code_in(2019) == Some("E07000163"))
        .expect("Craven");
    assert_eq!(craven.code_in(2024), Some("E06000065"));
    assert!(
        g.area_classes
            .iter()
            .any(|c| c.scheme == "ruc21" && c.area == "E01000001")
    );
}

#[test]
fn malformed_data_reports_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("svatlas-areas-bad-{}", std::process::id()));
    let sub = dir.join("wimd2019_wales_lsoa11");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let header = "LSOA code,LSOA name (Eng),Local Authority name (Eng),WIMD 2019,Income,Employment,Health,Education,Access to Services,Housing,Community Safety,Physical Environment\n";
    let body =
        format!("{header}W01000001,A,B,1,2,3,4,5,6,7,8,9\nW01000002,A,B,1,2,oops,4,5,6,7,8,9\n");
    std::fs::write(
        sub.join("wimd2019_index_and_domain_ranks_by_lsoa.csv"),
        body,
    )
    .expect("write");
    let err = wimd2019(&dir).expect_err("malformed");
    assert_eq!(
        err.to_string(),
        "wimd2019_wales_lsoa11/wimd2019_index_and_domain_ranks_by_lsoa.csv:3:6: not a number: \"oops\""
    );
    let missing = wimd2019(&dir.join("nowhere")).expect_err("missing");
    assert_eq!(missing.line, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn postcode_lookup_spot_checks() {
    let started = std::time::Instant::now();
    let index = postcodes(&data_dir()).expect("postcodes load");
    eprintln!("postcodes took {:?}", started.elapsed());
    assert_eq!(index.len(), 1_725_729 + 39_815);
    let ply = index.lookup("pl1 2aa").expect("PL1 2AA");
    assert_eq!(ply.lsoa11.as_deref(), Some("E01015156"));
    assert_eq!(ply.lsoa21.as_deref(), Some("E01015156"));
    assert_eq!(ply.lad, "E06000026");
    assert!(!ply.lsoa21_is_estimate);
    assert_eq!(
        index.lookup("CO15 2DT").and_then(|m| m.lsoa11),
        Some("E01021988".to_owned())
    );
    let cardiff = index.lookup("CF10 1AA").expect("CF10 1AA");
    assert_eq!(cardiff.lsoa21.as_deref(), Some("W01002019"));
    let manchester = index.lookup("M1 1AE").expect("M1 1AE");
    assert_eq!(manchester.lsoa21.as_deref(), Some("E01034129"));
    assert!(manchester.lsoa21_is_estimate);
    let edinburgh = index.lookup("EH1 1YZ").expect("EH1 1YZ");
    assert_eq!(edinburgh.lsoa11.as_deref(), Some("S01008675"));
    assert_eq!(edinburgh.lsoa21, None);
    assert!(index.lookup("ZZ99 9ZZ").is_none());
}
