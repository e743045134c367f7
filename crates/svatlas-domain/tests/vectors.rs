//! The official test vectors (`METHOD.md` §11, `sroi-test-vectors.json`), checked key by key.
//!
//! The JSON file is a verbatim copy of `shared/domain/sroi-test-vectors.json`. Every example is
//! deserialized directly into `Project`; every expected key must be known to this test, so a
//! new key in the file fails loudly instead of being skipped.

use serde_json::Value;
use svatlas_domain::sroi::{
    self, DiscountSchedule, HcaInputs, Project, RagThresholds, SensitivityParameter,
    SwitchingValue, discount_factors,
};

const VECTORS: &str = include_str!("data/sroi-test-vectors.json");
/// Tolerance on discount factors (the file gives 10 dp).
const DF_TOL: f64 = 1e-9;

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("vector file is valid JSON")
}

fn tolerances(v: &Value) -> (f64, f64) {
    let t = &v["tolerance"];
    (
        t["money_gbp"].as_f64().expect("money tolerance"),
        t["ratio"].as_f64().expect("ratio tolerance"),
    )
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {v}"))
}

fn example(v: &Value, name: &str) -> Value {
    v["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no example {name}"))
        .clone()
}

fn assert_close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected} (tolerance {tol})"
    );
}

#[test]
fn every_example_matches_expected_and_by_year() {
    let v = vectors();
    let (money, ratio) = tolerances(&v);
    let examples = v["examples"].as_array().expect("examples array");
    assert_eq!(examples.len(), 4, "the file has four examples");
    for ex in examples {
        let name = ex["name"].as_str().expect("name");
        let project: Project = serde_json::from_value(ex.clone())
            .unwrap_or_else(|e| panic!("{name} does not deserialize: {e}"));
        let result = sroi::calculate(&project).unwrap_or_else(|e| panic!("{name}: {e}"));
        let json = serde_json::to_value(&result).expect("result serializes");

        let expected = ex["expected"].as_object().expect("expected");
        assert!(
            expected.len() >= 11,
            "{name}: expected block looks truncated"
        );
        for (key, want) in expected {
            let tol = match key.as_str() {
                "pv_gross" | "pv_net" | "inputs" | "npv" | "undisc_gross_total"
                | "undisc_net_total" => money,
                "gross_ratio"
                | "sroi_ratio"
                | "net_sroi_ratio_guide"
                | "payback_months_guide"
                | "payback_years_discounted" => ratio,
                other => panic!("{name}: unknown expected key {other}"),
            };
            let got = json
                .get(key)
                .unwrap_or_else(|| panic!("{name}: result has no {key}"));
            assert_close(num(got, key), num(want, key), tol, &format!("{name}.{key}"));
        }

        let rows = ex["expected_by_year"].as_array().expect("expected_by_year");
        assert_eq!(result.by_year.len(), rows.len(), "{name}: number of years");
        for (got, want) in result.by_year.iter().zip(rows) {
            let year = want["year"].as_u64().expect("year");
            assert_eq!(u64::from(got.year), year, "{name}: year order");
            let at = |field: &str| format!("{name} year {year} {field}");
            assert_close(
                got.discount_factor,
                num(&want["discount_factor"], "df"),
                DF_TOL,
                &at("discount_factor"),
            );
            assert_close(got.gross, num(&want["gross"], "gross"), money, &at("gross"));
            assert_close(got.net, num(&want["net"], "net"), money, &at("net"));
            assert_close(
                got.pv_gross,
                num(&want["pv_gross"], "pv_gross"),
                money,
                &at("pv_gross"),
            );
            assert_close(
                got.pv_net,
                num(&want["pv_net"], "pv_net"),
                money,
                &at("pv_net"),
            );
            assert_eq!(
                want.as_object().expect("row").len(),
                6,
                "{name}: row shape changed"
            );
        }
    }
}

#[test]
fn example2_per_outcome_present_values() {
    // METHOD.md §11 example 2: B £51,942.54; C £59,734.14; D £113,043.48; E −£5,699.08.
    let project: Project =
        serde_json::from_value(example(&vectors(), "example2_multi_outcome")).expect("project");
    let r = sroi::calculate(&project).expect("valid");
    let pv: Vec<f64> = r.outcomes.iter().map(|o| o.pv_net).collect();
    for (got, want) in pv.iter().zip([51_942.54, 59_734.14, 113_043.48, -5_699.08]) {
        assert_close(*got, want, 0.01, "per-outcome pv_net");
    }
    assert_close(
        r.outcomes[0].first_year_net,
        22_680.0,
        1e-6,
        "B first-year net",
    );
}

#[test]
fn example3_catches_a_flat_rate_mistake() {
    // A flat 3.5% for all 40 years gives £52,319.93, not £52,506.37.
    let mut project: Project =
        serde_json::from_value(example(&vectors(), "example3_long_horizon")).expect("project");
    project.discount_schedule = DiscountSchedule::Flat;
    project.flat_rate = Some(0.035);
    let r = sroi::calculate(&project).expect("valid");
    assert_close(r.pv_net, 52_319.93, 0.01, "flat 3.5% pv");
    let warnings: Vec<_> = r.warnings.iter().map(|w| w.code).collect();
    assert!(warnings.contains(&sroi::WarningCode::LongDuration));
    assert!(warnings.contains(&sroi::WarningCode::NoDeflators));
}

fn example1() -> Project {
    serde_json::from_value(example(&vectors(), "example1_single_outcome")).expect("example 1")
}

#[test]
fn example4_one_at_a_time_changes() {
    let v = vectors();
    let (_, ratio) = tolerances(&v);
    let ex4 = &v["example4_sensitivity_on_example1"];
    let base = sroi::calculate(&example1()).expect("valid");
    assert_close(
        base.sroi_ratio.expect("defined"),
        num(&ex4["base_ratio"], "base_ratio"),
        ratio,
        "base ratio",
    );
    let oat = ex4["one_at_a_time"].as_object().expect("one_at_a_time");
    assert_eq!(oat.len(), 9);
    for (key, want) in oat {
        let (parameter, value) = key.rsplit_once('_').expect("key is parameter_value");
        let x: f64 = value.parse().expect("numeric suffix");
        let mut p = example1();
        let o = &mut p.outcomes[0];
        match parameter {
            "deadweight" => o.deadweight = x,
            "attribution" => o.attribution = x,
            "dropoff" => o.dropoff = x,
            "proxy" => o.proxy_gbp = x,
            "quantity" => o.quantity = x,
            "duration" => o.duration_years = x as i64,
            "flat_rate" => {
                p.discount_schedule = DiscountSchedule::Flat;
                p.flat_rate = Some(x);
            }
            other => panic!("unknown one-at-a-time parameter {other}"),
        }
        let r = sroi::calculate(&p).expect("valid");
        assert_close(r.sroi_ratio.expect("defined"), num(want, key), ratio, key);
    }
    // 0% via the zero schedule equals a flat 0%.
    let mut p = example1();
    p.discount_schedule = DiscountSchedule::Zero;
    let r = sroi::calculate(&p).expect("valid");
    assert_close(
        r.sroi_ratio.expect("defined"),
        num(&oat["flat_rate_0"], "0%"),
        ratio,
        "zero",
    );
    assert_close(r.pv_net, 146_051.10, 0.01, "undiscounted PV");
}

#[test]
fn example4_default_sensitivity_rows_agree_with_vectors() {
    let v = vectors();
    let (_, tol) = tolerances(&v);
    let oat = &v["example4_sensitivity_on_example1"]["one_at_a_time"];
    let s = sroi::sensitivity(&example1()).expect("valid");
    assert_close(s.base_ratio.expect("defined"), 2.416_983, tol, "base");
    assert_eq!(s.rows.len(), 9);
    let row = |p: SensitivityParameter| {
        s.rows
            .iter()
            .find(|r| r.parameter == p)
            .expect("row present")
    };
    // A row's ratio against the vector's one-at-a-time figure `key`.
    let agrees = |ratio: Option<f64>, key: &str, label: &str| {
        assert_close(ratio.expect("ratio"), num(&oat[key], label), tol, label);
    };
    let proxy = row(SensitivityParameter::ProxyGbp);
    agrees(proxy.ratio_low, "proxy_5200", "proxy -20%");
    assert_eq!(proxy.low_value, Some(5200.0));
    let disc = row(SensitivityParameter::DiscountRate);
    agrees(disc.ratio_low, "flat_rate_0", "0%");
    agrees(disc.ratio_high, "flat_rate_0.07", "7%");
    let duration = row(SensitivityParameter::Duration);
    assert_eq!(
        (duration.low_value, duration.high_value),
        (Some(2.0), Some(4.0))
    );
    let deadweight = row(SensitivityParameter::Deadweight);
    let (lo, hi) = (
        deadweight.low_value.expect("lo"),
        deadweight.high_value.expect("hi"),
    );
    assert_close(lo, 0.15, 1e-12, "deadweight low");
    assert_close(hi, 0.35, 1e-12, "deadweight high");
    // Raising deadweight lowers the ratio: (1 − 0.35) / (1 − 0.25) of the base.
    assert_close(
        deadweight.ratio_high.expect("ratio"),
        2.416_983 * 0.65 / 0.75,
        1e-5,
        "dw+10",
    );
    assert_close(
        deadweight.change_pct_high.expect("pct"),
        (0.65 / 0.75 - 1.0) * 100.0,
        1e-9,
        "dw+10 %",
    );
    for pair in s.rows.windows(2) {
        assert!(pair[0].swing >= pair[1].swing, "rows sorted by swing");
    }
}

#[test]
fn example4_switching_values() {
    let v = vectors();
    let (_, tol) = tolerances(&v);
    let want = v["example4_sensitivity_on_example1"]["switching_values"]
        .as_object()
        .expect("switching_values");
    let r = sroi::calculate(&example1()).expect("valid");
    let got = serde_json::to_value(r.switching_values).expect("serialize");
    assert_eq!(want.len(), 9);
    for (key, expected) in want {
        let actual = got
            .get(key)
            .unwrap_or_else(|| panic!("no switching value {key}"));
        match expected {
            Value::String(s) => assert_eq!(actual, &Value::String(s.clone()), "{key}"),
            Value::Number(_) => assert_close(num(actual, key), num(expected, key), tol, key),
            other => panic!("unexpected vector value {other}"),
        }
    }
    // METHOD.md §11: the proxy must fall 58.63% and inputs could rise 141.70%.
    let proxy = r.switching_values.proxy_gbp.value().expect("reachable");
    assert_close((1.0 - proxy / 6500.0) * 100.0, 58.63, 0.005, "proxy fall %");
    assert_eq!(r.switching_values.duration, SwitchingValue::NotReachable);
    let k = r.switching_values.proxy_scale.value().expect("scale");
    assert_close(k * 6500.0, proxy, 1e-9, "proxy_scale × proxy");
}

#[test]
fn rag_bands() {
    let v = vectors();
    let bands = v["rag_bands"].as_array().expect("rag_bands");
    assert_eq!(bands.len(), 4);
    for b in bands {
        let ratio = num(&b["ratio"], "ratio");
        let band = sroi::rag(ratio, &RagThresholds::default());
        assert_eq!(
            serde_json::to_value(band).expect("serialize"),
            b["band"],
            "ratio {ratio}"
        );
    }
}

#[test]
fn hca_additionality() {
    let v = vectors();
    let hca = &v["hca_additionality"];
    let inputs: HcaInputs = serde_json::from_value(hca.clone()).expect("HcaInputs");
    assert_eq!(inputs.validate(), Ok(()));
    assert_close(
        sroi::additionality(&inputs),
        num(&hca["expected_additional"], "expected_additional"),
        1e-9,
        "additional jobs",
    );
}

#[test]
fn green_book_discount_factors() {
    let v = vectors();
    let table = v["discount_factors_green_book"]
        .as_object()
        .expect("discount factors");
    let df = discount_factors(DiscountSchedule::GreenBookStandard, 0.0, 130);
    assert_eq!(table.len(), 11);
    for (year, want) in table {
        let y: usize = year.parse().expect("year key");
        assert_close(df[y], num(want, year), DF_TOL, &format!("DF({y})"));
    }
}

#[test]
fn example1_year0_convention_payback_and_warnings() {
    let project: Project =
        serde_json::from_value(example(&vectors(), "example1_green_book_year0")).expect("project");
    let r = sroi::calculate(&project).expect("valid");
    assert_eq!(r.by_year[0].discount_factor, 1.0);
    assert!(r.warnings.is_empty());
    assert_eq!(r.rag, Some(sroi::Rag::Green));
    assert_eq!(
        sroi::format_ratio(r.sroi_ratio.expect("defined")),
        "£2.50 for every £1"
    );
}
