//! Benchmarks: ranking a large tender from its consensus scores, and a contract dashboard's
//! progress figures over many claims.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use svatlas_domain::procurement::bid::{Commitment, Milestone};
use svatlas_domain::procurement::delivery::{
    ClaimFigure, ClaimStatus, kpis_from_commitments, summarise,
};
use svatlas_domain::procurement::evaluation::{ScoredBid, results};
use svatlas_domain::procurement::model::Edition;
use svatlas_domain::procurement::scoring::Method;
use svatlas_domain::procurement::tender::{Question, QuestionKind, TenderDetails, default_scale};

/// 20 questions (16 quality at 3%, 4 social value at 3%), price 40%.
fn tender() -> TenderDetails {
    let questions = (0..20)
        .map(|i| Question {
            id: format!("Q{i}"),
            kind: if i < 16 {
                QuestionKind::Quality
            } else {
                QuestionKind::SocialValue
            },
            text: format!("Question {i}"),
            weight: 3.0,
            criterion: None,
        })
        .collect();
    TenderDetails {
        title: "Framework".into(),
        description: String::new(),
        contract_value_gbp: 1e7,
        closing_date: None,
        start_date: None,
        end_date: None,
        areas: vec![],
        edition: Edition::Svm2020,
        criteria: vec![],
        method: Method::WeightedScore,
        price_weight: 40.0,
        questions,
        scale: default_scale(),
    }
}

fn bids(n: u32) -> Vec<ScoredBid> {
    let scale = [0.0, 20.0, 50.0, 80.0, 100.0];
    (0..n)
        .map(|b| ScoredBid {
            name: format!("Bidder {b}"),
            price_gbp: 900_000.0 + f64::from(b) * 1_234.0,
            consensus: (0..20_u32)
                .map(|q| (format!("Q{q}"), scale[((b + q) % 5) as usize]))
                .collect::<BTreeMap<_, _>>(),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let t = tender();
    let b = bids(200);
    c.bench_function("tender results: 200 bids x 20 questions", |bench| {
        bench.iter(|| results(black_box(&t), black_box(&b)).expect("complete"))
    });

    let commitments: Vec<Commitment> = (0..100)
        .map(|i| Commitment {
            criterion: "MAC 2.2".into(),
            metric_id: Some("SVM20-2.2-a".into()),
            description: format!("Commitment {i}"),
            target: 100.0,
            unit: "FTE".into(),
            start_date: None,
            end_date: None,
            area: Some(format!("E0600{:04}", i % 30)),
            milestones: (1..=4)
                .map(|q| Milestone {
                    due: format!("2028-0{}-28", q * 2),
                    target: f64::from(q) * 25.0,
                    description: String::new(),
                })
                .collect(),
            partners: vec![],
            estimated_value_gbp: None,
            value_kind: None,
            value_basis: None,
            valuation: None,
        })
        .collect();
    let kpis = kpis_from_commitments(Edition::Svm2020, &commitments);
    let ids: Vec<String> = kpis.iter().map(|k| k.id.clone()).collect();
    let ends = [
        "2027-03-31",
        "2027-06-30",
        "2027-09-30",
        "2027-12-31",
        "2028-03-31",
    ];
    let statuses = [
        ClaimStatus::Verified,
        ClaimStatus::Reported,
        ClaimStatus::Verified,
        ClaimStatus::Rejected,
    ];
    let claims: Vec<ClaimFigure<'_>> = (0..5_000_usize)
        .map(|i| ClaimFigure {
            kpi_id: &ids[i % ids.len()],
            period_start: "2027-01-01",
            period_end: ends[i % ends.len()],
            quantity: 1.0 + (i % 3) as f64,
            status: statuses[i % statuses.len()],
        })
        .collect();
    c.bench_function("contract progress: 100 KPIs, 5,000 claims", |bench| {
        bench.iter(|| summarise(black_box(&kpis), black_box(&claims), "2028-01-01"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
