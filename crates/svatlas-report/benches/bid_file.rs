//! Benchmark: writing and reading back a bid workbook of 200 commitments (an import checks
//! every cell and the tender's rules).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use svatlas_domain::procurement::bid::{Answer, BidDetails, Commitment, Milestone, ValueKind};
use svatlas_domain::procurement::model::Edition;
use svatlas_domain::procurement::scoring::Method;
use svatlas_domain::procurement::tender::{Question, QuestionKind, TenderDetails, default_scale};
use svatlas_report::bid_file::{bid_workbook, read_bid_workbook};

fn tender() -> TenderDetails {
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
        questions: vec![
            Question {
                id: "Q1".into(),
                kind: QuestionKind::Quality,
                text: "Delivery".into(),
                weight: 50.0,
                criterion: None,
            },
            Question {
                id: "SV1".into(),
                kind: QuestionKind::SocialValue,
                text: "Jobs".into(),
                weight: 10.0,
                criterion: Some("MAC 2.2".into()),
            },
        ],
        scale: default_scale(),
    }
}

fn bid() -> BidDetails {
    BidDetails {
        price_gbp: 9e6,
        answers: vec![
            Answer {
                question_id: "Q1".into(),
                text: "A plan. ".repeat(200),
            },
            Answer {
                question_id: "SV1".into(),
                text: "Local jobs. ".repeat(200),
            },
        ],
        commitments: (0..200)
            .map(|i| Commitment {
                criterion: "MAC 2.2".into(),
                metric_id: Some("SVM20-2.2-a".into()),
                description: format!("Jobs for residents, lot {i}"),
                target: 10.0 + f64::from(i),
                unit: "FTE".into(),
                start_date: Some("2027-04-01".into()),
                end_date: Some("2030-03-31".into()),
                area: Some("E06000026".into()),
                milestones: vec![Milestone {
                    due: "2028-03-31".into(),
                    target: 5.0,
                    description: "Year 1".into(),
                }],
                partners: vec!["Plymouth Skills Hub".into()],
                estimated_value_gbp: Some(1000.0),
                value_kind: Some(ValueKind::Economic),
                value_basis: None,
                valuation: None,
            })
            .collect(),
    }
}

fn bench(c: &mut Criterion) {
    let t = tender();
    let b = bid();
    let bytes = bid_workbook("Framework", &t, Some(&b)).expect("workbook");
    c.bench_function("bid workbook: write 200 commitments", |bench| {
        bench.iter(|| {
            bid_workbook("Framework", black_box(&t), Some(black_box(&b))).expect("workbook")
        })
    });
    c.bench_function("bid workbook: read and check 200 commitments", |bench| {
        bench.iter(|| {
            read_bid_workbook("bid.xlsx", black_box(&bytes), black_box(&t)).expect("reads")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
