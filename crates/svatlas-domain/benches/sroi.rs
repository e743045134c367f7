//! Benchmark: a 100-outcome × 30-year project through `calculate` and the full default
//! sensitivity set (target: under 5 ms together).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use svatlas_domain::sroi::{self, Outcome, Project};

/// 100 outcomes lasting 30 years, with deflators and drop-off varied deterministically.
fn project() -> Project {
    let outcomes = (0..100_u32)
        .map(|i| {
            let f = f64::from(i);
            let mut o = Outcome::new(format!("outcome {i}"), 10.0 + f, 250.0 + 37.0 * f);
            o.duration_years = 30;
            o.start_year = 1 + i64::from(i % 3);
            o.leakage = f64::from(i % 5) * 0.02;
            o.deadweight = f64::from(i % 7) * 0.05;
            o.displacement = f64::from(i % 4) * 0.05;
            o.attribution = f64::from(i % 6) * 0.04;
            o.dropoff = f64::from(i % 10) * 0.03;
            if i % 17 == 0 {
                o.proxy_gbp = -o.proxy_gbp / 4.0; // a few disbenefits
            }
            o
        })
        .collect();
    let mut p = Project::with_year0_inputs(2_500_000.0, outcomes);
    p.inputs_by_year.insert("1".into(), 250_000.0);
    p
}

fn bench(c: &mut Criterion) {
    let p = project();
    c.bench_function(
        "calculate + full default sensitivity set (100 outcomes x 30 years)",
        |b| {
            b.iter(|| {
                let r = sroi::calculate(black_box(&p)).expect("valid project");
                let s = sroi::sensitivity(black_box(&p)).expect("valid project");
                black_box((r, s))
            });
        },
    );
    c.bench_function("calculate only (100 outcomes x 30 years)", |b| {
        b.iter(|| black_box(sroi::calculate(black_box(&p)).expect("valid project")));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
