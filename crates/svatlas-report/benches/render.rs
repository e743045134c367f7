//! How long a project report takes: building it (engine, sensitivity, scenarios) and rendering
//! it as CSV, XLSX and PDF, for METHOD.md worked example 1 and a 50-outcome project.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use svatlas_domain::calculator::{
    OutcomeEntry, ProjectDetails, ProjectMode, ProjectReport, ProxyLibrary, build_report,
};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::{Input, InputCategory};
use svatlas_report::ReportMeta;

fn entries(outcomes: usize) -> (ProjectDetails, Vec<OutcomeEntry>, Vec<Input>) {
    let details = ProjectDetails::new("Employment programme", ProjectMode::Forecast, 2025);
    let proxy = ProxyLibrary::shipped()
        .get("GB-QALY")
        .expect("shipped")
        .to_value();
    let components = BristolAccord::all();
    let outcomes = (0..outcomes)
        .map(|i| {
            let mut o = OutcomeEntry::new(
                format!("Outcome {i}"),
                components[i % components.len()],
                proxy.clone(),
                20.0,
            );
            o.duration_years = 3;
            o.deadweight = 0.25;
            o.attribution = 0.2;
            o.dropoff = 0.3;
            o
        })
        .collect();
    let inputs = vec![Input {
        description: "Programme cost".into(),
        category: InputCategory::Cash,
        value: 56_884.0,
        volume: 1.0,
        year: 0,
        leakage: 0.25,
    }];
    (details, outcomes, inputs)
}

fn report(outcomes: usize) -> ProjectReport {
    let (d, o, i) = entries(outcomes);
    build_report(&d, &o, &i).expect("valid")
}

fn bench(c: &mut Criterion) {
    let meta = ReportMeta {
        organisation: "Riverside Community Trust".into(),
        generated_on: "23 November 2026".into(),
        version: None,
    };
    for n in [1, 50] {
        let (d, o, i) = entries(n);
        c.bench_function(&format!("build_report/{n}_outcomes"), |b| {
            b.iter(|| build_report(black_box(&d), black_box(&o), black_box(&i)))
        });
        let r = report(n);
        c.bench_function(&format!("csv/{n}_outcomes"), |b| {
            b.iter(|| svatlas_report::csv(black_box(&r), &meta))
        });
        c.bench_function(&format!("xlsx/{n}_outcomes"), |b| {
            b.iter(|| svatlas_report::xlsx(black_box(&r), &meta))
        });
        c.bench_function(&format!("pdf/{n}_outcomes"), |b| {
            b.iter(|| svatlas_report::pdf(black_box(&r), &meta))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
