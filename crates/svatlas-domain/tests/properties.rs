//! Property tests of the SROI engine's invariants.

use std::collections::BTreeMap;

use proptest::prelude::*;
use svatlas_domain::sroi::{
    self, Convention, Deflator, DiscountSchedule, Outcome, Project, Scenario, SroiResult,
    SwitchingValue,
};

fn outcome_with(proxy: impl Strategy<Value = f64>) -> impl Strategy<Value = Outcome> {
    (
        0.0..1_000.0_f64,
        proxy,
        (1_i64..=40, 0_i64..=5),
        [0.0..=1.0_f64, 0.0..=1.0, 0.0..=1.0, 0.0..=1.0],
        0.0..=1.0_f64,
    )
        .prop_map(
            |(quantity, proxy, (duration, start), [l, dw, disp, attr], dropoff)| {
                let mut o = Outcome::new("o", quantity, proxy);
                o.duration_years = duration;
                o.start_year = start;
                o.leakage = l;
                o.deadweight = dw;
                o.displacement = disp;
                o.attribution = attr;
                o.dropoff = dropoff;
                o
            },
        )
}

fn schedule() -> impl Strategy<Value = (DiscountSchedule, Option<f64>)> {
    prop_oneof![
        Just((DiscountSchedule::GreenBookStandard, None)),
        Just((DiscountSchedule::Zero, None)),
        (0.0..=0.2_f64).prop_map(|r| (DiscountSchedule::Flat, Some(r))),
    ]
}

fn convention() -> impl Strategy<Value = Convention> {
    prop_oneof![
        Just(Convention::SroiGuideEndOfYear),
        Just(Convention::GreenBookYear0)
    ]
}

/// Valid projects with non-negative proxies and inputs in years 0–3.
fn project_with(
    proxy: impl Strategy<Value = f64> + Clone + 'static,
) -> impl Strategy<Value = Project> {
    (
        prop::collection::vec(outcome_with(proxy), 0..6),
        prop::collection::btree_map(0_u32..=3, 0.0..1e6_f64, 1..3),
        schedule(),
        convention(),
    )
        .prop_map(
            |(outcomes, inputs, (schedule, flat_rate), convention)| Project {
                convention,
                discount_schedule: schedule,
                flat_rate,
                inputs_by_year: inputs
                    .into_iter()
                    .map(|(y, v)| (y.to_string(), v))
                    .collect(),
                outcomes,
                rag_thresholds: None,
            },
        )
}

fn positive_project() -> impl Strategy<Value = Project> {
    project_with(0.0..10_000.0_f64)
}

fn calc(p: &Project) -> SroiResult {
    sroi::calculate(p).expect("generated projects are valid")
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn zero_deflators_make_net_equal_gross(mut p in positive_project()) {
        for o in &mut p.outcomes {
            for d in Deflator::ALL {
                o.set_deflator(d, 0.0);
            }
            o.dropoff = 0.0;
        }
        let r = calc(&p);
        prop_assert!(close(r.pv_net, r.pv_gross, 1e-12), "{} vs {}", r.pv_net, r.pv_gross);
        prop_assert!(close(r.undisc_net_total, r.undisc_gross_total, 1e-12));
    }

    #[test]
    fn raising_one_deflator_never_raises_pv_net(
        p in positive_project(),
        which in 0_usize..5,
        pick in any::<prop::sample::Index>(),
        step in 0.0..=1.0_f64,
    ) {
        prop_assume!(!p.outcomes.is_empty());
        let i = pick.index(p.outcomes.len());
        let mut raised = p.clone();
        let o = &mut raised.outcomes[i];
        let bump = |x: f64| (x + step * (1.0 - x)).min(1.0);
        if which == 4 {
            o.dropoff = bump(o.dropoff);
        } else {
            let d = Deflator::ALL[which];
            o.set_deflator(d, bump(o.deflator(d)));
        }
        let (before, after) = (calc(&p).pv_net, calc(&raised).pv_net);
        prop_assert!(after <= before + before.abs() * 1e-12, "{after} > {before}");
    }

    #[test]
    fn scaling_inputs_scales_the_ratio_inversely(
        p in positive_project(),
        k in 0.01..100.0_f64,
    ) {
        let base = calc(&p);
        let mut scaled = p.clone();
        for v in scaled.inputs_by_year.values_mut() {
            *v *= k;
        }
        let s = calc(&scaled);
        match (base.sroi_ratio, s.sroi_ratio) {
            (Some(b), Some(r)) => prop_assert!(close(r * k, b, 1e-9), "{r} * {k} vs {b}"),
            (None, None) => {}
            other => prop_assert!(false, "definedness changed: {other:?}"),
        }
    }

    #[test]
    fn switching_values_give_a_ratio_of_one(
        p in project_with(-2_000.0..10_000.0_f64),
        u in 0.05..3.0_f64,
    ) {
        // Put the inputs (all in year 0) near the net PV so every branch gets exercised.
        let pv = calc(&p).pv_net;
        let mut p = p;
        p.inputs_by_year = BTreeMap::from([("0".to_string(), if pv > 0.0 { pv * u } else { 1_000.0 })]);
        let r = calc(&p);
        let sv = r.switching_values;
        let ratio_of = |q: &Project| calc(q).sroi_ratio.expect("inputs > 0");
        let check = |q: &Project, what: &str| -> Result<(), TestCaseError> {
            let got = ratio_of(q);
            prop_assert!((got - 1.0).abs() <= 1e-6, "{what}: ratio {got}");
            Ok(())
        };
        for (d, value) in [
            (Deflator::Leakage, sv.leakage),
            (Deflator::Deadweight, sv.deadweight),
            (Deflator::Displacement, sv.displacement),
            (Deflator::Attribution, sv.attribution),
        ] {
            if let SwitchingValue::Value(x) = value {
                prop_assert!((0.0..=1.0).contains(&x));
                let mut q = p.clone();
                q.outcomes.iter_mut().for_each(|o| o.set_deflator(d, x));
                check(&q, d.field())?;
            }
        }
        if let SwitchingValue::Value(k) = sv.proxy_scale {
            let mut q = p.clone();
            q.outcomes.iter_mut().for_each(|o| o.proxy_gbp *= k);
            check(&q, "proxy_scale")?;
            let mut q = p.clone();
            q.outcomes.iter_mut().for_each(|o| o.quantity *= k);
            check(&q, "quantity_scale")?;
            if let [one] = p.outcomes.as_slice() {
                prop_assert_eq!(sv.proxy_gbp, SwitchingValue::Value(one.proxy_gbp * k));
                prop_assert_eq!(sv.quantity, SwitchingValue::Value(one.quantity * k));
            } else {
                prop_assert_eq!(sv.proxy_gbp, SwitchingValue::Value(k));
            }
        } else {
            prop_assert!(r.pv_net <= 0.0);
        }
        if let SwitchingValue::Value(d) = sv.dropoff {
            prop_assert!((0.0..=1.0).contains(&d));
            let mut q = p.clone();
            q.outcomes.iter_mut().for_each(|o| o.dropoff = d);
            check(&q, "dropoff")?;
        }
        if let SwitchingValue::Value(v) = sv.inputs_gbp {
            let mut q = p.clone();
            q.inputs_by_year = BTreeMap::from([("0".to_string(), v)]);
            check(&q, "inputs_gbp")?;
        }
        if let SwitchingValue::Value(d) = sv.duration {
            // Whole durations bracket the fractional answer; the last year counts pro rata.
            prop_assert!((1.0..=200.0).contains(&d));
            let (lo, hi) = (d.floor(), (d.floor() + 1.0).min(200.0));
            let with = |years: f64| {
                let mut q = p.clone();
                q.outcomes.iter_mut().for_each(|o| o.duration_years = years as i64);
                ratio_of(&q)
            };
            let (r_lo, r_hi) = (with(lo), with(hi));
            let interpolated = r_lo + (d - lo) * (r_hi - r_lo);
            prop_assert!((interpolated - 1.0).abs() <= 1e-6, "duration {d}: {r_lo}..{r_hi}");
        }
    }

    #[test]
    fn not_reachable_means_the_extremes_stay_on_one_side(p in positive_project()) {
        let r = calc(&p);
        prop_assume!(r.sroi_ratio.is_some() && !p.outcomes.is_empty());
        let ratio_with = |f: &dyn Fn(&mut Outcome)| {
            let mut q = p.clone();
            q.outcomes.iter_mut().for_each(f);
            calc(&q).sroi_ratio.expect("defined") - 1.0
        };
        if r.switching_values.dropoff == SwitchingValue::NotReachable {
            let (none, all) = (ratio_with(&|o| o.dropoff = 0.0), ratio_with(&|o| o.dropoff = 1.0));
            prop_assert!(none * all > 0.0, "{none} {all}");
        }
        if r.switching_values.deadweight == SwitchingValue::NotReachable {
            // Deadweight 100% gives 0, so only "even 0% stays below 1" is possible.
            prop_assert!(ratio_with(&|o| o.deadweight = 0.0) < 0.0);
        }
        if r.switching_values.duration == SwitchingValue::NotReachable {
            let (short, long) = (ratio_with(&|o| o.duration_years = 1), ratio_with(&|o| o.duration_years = 200));
            prop_assert!(short * long > 0.0, "{short} {long}");
        }
    }
}

/// Any f64, weighted towards the awkward ones.
fn wild_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(-0.0),
        0.0..=1.0_f64,
        -1e13..1e13_f64,
    ]
}

fn wild_i64() -> impl Strategy<Value = i64> {
    prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX), -2_i64..=210]
}

fn wild_outcome() -> impl Strategy<Value = Outcome> {
    (
        [wild_f64(), wild_f64(), wild_f64(), wild_f64()],
        [wild_f64(), wild_f64(), wild_f64()],
        (wild_i64(), wild_i64()),
        (prop::option::of(".{0,3}"), prop::option::of(".{0,3}")),
    )
        .prop_map(
            |([q, p, l, dw], [disp, attr, drop], (dur, start), (s, c))| Outcome {
                name: "wild".into(),
                quantity: q,
                proxy_gbp: p,
                duration_years: dur,
                start_year: start,
                leakage: l,
                deadweight: dw,
                displacement: disp,
                attribution: attr,
                dropoff: drop,
                stakeholder: s,
                proxy_category: c,
            },
        )
}

fn wild_project() -> impl Strategy<Value = Project> {
    (
        prop::collection::vec(wild_outcome(), 0..5),
        prop::collection::btree_map(
            prop_oneof![
                "[0-9]{1,3}",
                ".{0,4}",
                Just("-1".to_string()),
                Just(" 7".to_string())
            ],
            wild_f64(),
            0..4,
        ),
        prop_oneof![
            Just(DiscountSchedule::GreenBookStandard),
            Just(DiscountSchedule::Flat),
            Just(DiscountSchedule::Zero)
        ],
        prop::option::of(wild_f64()),
        convention(),
        prop::option::of((wild_f64(), wild_f64())),
    )
        .prop_map(
            |(outcomes, inputs, discount_schedule, flat_rate, convention, rag)| Project {
                convention,
                discount_schedule,
                flat_rate,
                inputs_by_year: inputs,
                outcomes,
                rag_thresholds: rag.map(|(a, r)| sroi::RagThresholds {
                    amber_from: a,
                    red_above: r,
                }),
            },
        )
}

fn finite_or_null(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Array(a) => a.iter().all(finite_or_null),
        serde_json::Value::Object(o) => o.values().all(finite_or_null),
        serde_json::Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_wild_input(
        p in wild_project(),
        scale in wild_f64(),
        share in wild_f64(),
        duration in prop::option::of(wild_i64()),
    ) {
        match sroi::calculate(&p) {
            Ok(r) => {
                // Everything reported is a finite number (or null by design).
                prop_assert!(r.pv_net.is_finite() && r.pv_gross.is_finite() && r.inputs.is_finite());
                let json = serde_json::to_value(&r).expect("serializes");
                prop_assert!(finite_or_null(&json));
            }
            Err(e) => prop_assert!(!e.0.is_empty()),
        }
        let _ = sroi::sensitivity(&p);
        let scenario = Scenario {
            name: "wild".into(),
            deadweight: Some(share),
            proxy_scale: Some(scale),
            duration_years: duration,
            ..Scenario::default()
        };
        let _ = sroi::scenarios(&p, &[scenario]);
    }
}

#[test]
fn mixed_signs_switching_values_are_exact() {
    // Example 2 of METHOD.md (a disbenefit and different deflators per outcome).
    let json = r#"{"inputs_by_year": {"0": 163600, "1": 10000}, "outcomes": [
        {"name": "B", "quantity": 40, "proxy_gbp": 1350, "duration_years": 3, "deadweight": 0.3, "displacement": 0.2, "attribution": 0.25, "dropoff": 0.2},
        {"name": "C", "quantity": 60, "proxy_gbp": 245, "duration_years": 5, "attribution": 0.1},
        {"name": "D", "quantity": 50, "proxy_gbp": 2600, "deadweight": 0.1},
        {"name": "E", "quantity": 1, "proxy_gbp": -3000, "duration_years": 2}]}"#;
    let p: Project = serde_json::from_str(json).expect("project");
    let r = calc(&p);
    let sv = r.switching_values;
    let dw = sv.deadweight.value().expect("reachable");
    let mut q = p.clone();
    q.outcomes.iter_mut().for_each(|o| o.deadweight = dw);
    assert!((calc(&q).sroi_ratio.expect("defined") - 1.0).abs() < 1e-9);
    let k = sv.proxy_gbp.value().expect("reachable");
    assert_eq!(sv.proxy_scale, SwitchingValue::Value(k));
    assert!((k - r.inputs / r.pv_net).abs() < 1e-15);
    let d = sv.dropoff.value().expect("reachable");
    let mut q = p.clone();
    q.outcomes.iter_mut().for_each(|o| o.dropoff = d);
    assert!((calc(&q).sroi_ratio.expect("defined") - 1.0).abs() < 1e-9);
    // Common duration: 1 year gives less than the inputs, 2 years more.
    let dur = sv.duration.value().expect("reachable");
    assert!((1.0..2.0).contains(&dur), "{dur}");
}

#[test]
fn ratio_below_one_reports_where_it_rises_to_one() {
    let mut o = Outcome::new("A", 10.0, 100.0);
    o.deadweight = 0.5;
    o.duration_years = 2;
    o.dropoff = 0.5;
    // Net PV ≈ 716 (≈ 950 without drop-off); inputs 900 → ratio ≈ 0.80.
    let p = Project::with_year0_inputs(900.0, vec![o]);
    let r = calc(&p);
    assert!(r.sroi_ratio.expect("defined") < 1.0);
    let dw = r
        .switching_values
        .deadweight
        .value()
        .expect("lower deadweight can reach 1");
    assert!(dw < 0.5);
    let dropoff = r
        .switching_values
        .dropoff
        .value()
        .expect("less drop-off can reach 1");
    assert!(dropoff < 0.5);
    let duration = r
        .switching_values
        .duration
        .value()
        .expect("longer can reach 1");
    assert!(duration > 2.0);
    assert_eq!(
        r.switching_values.inputs_gbp,
        SwitchingValue::Value(r.pv_net)
    );
}

#[test]
#[ignore = "timing check; run with --release -- --ignored"]
fn worst_case_valid_project_is_bounded() {
    let mut o = Outcome::new("big", 1e6, 1e6);
    o.start_year = 200;
    o.duration_years = 200;
    o.deadweight = 0.3;
    o.dropoff = 0.01;
    let p = Project::with_year0_inputs(1e9, vec![o; sroi::MAX_OUTCOMES]);
    let start = std::time::Instant::now();
    let r = sroi::calculate(&p).expect("valid");
    let s = sroi::sensitivity(&p).expect("valid");
    let elapsed = start.elapsed();
    assert!(r.pv_net.is_finite() && s.rows.len() == 9);
    eprintln!("worst case calculate + sensitivity: {elapsed:?}");
    assert!(elapsed.as_secs_f64() < 2.0);
}
