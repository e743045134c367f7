//! The procurement journey as test scenarios: Plymouth City Council's tender of METHOD.md
//! Example 5 with its panel, two invited suppliers and an outsider, and the steps from draft to
//! award, for the procurement tests and for tests that need a contract to work on.

use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::bid::{Answer, BidDetails, Commitment, Milestone};
use svatlas_domain::procurement::evaluation::{PanelRole, QuestionScore};
use svatlas_domain::procurement::model::Edition;
use svatlas_domain::procurement::scoring::Method;
use svatlas_domain::procurement::tender::{
    Question, QuestionKind, ScaleLevel, TenderDetails, TenderStatus,
};
use svatlas_store::procurement::{BidRecord, ContractRecord, TenderRecord};
use svatlas_store::{Store, StoreError};
use uuid::Uuid;

use super::admin_of;

pub const BUYER: &str = "bea@council.example";
pub const EVALUATOR_1: &str = "eve@council.example";
pub const EVALUATOR_2: &str = "evan@council.example";
pub const MODERATOR: &str = "mo@council.example";
pub const SUPPLIER_A: &str = "ann@supplier-a.example";
pub const SUPPLIER_B: &str = "ben@supplier-b.example";
pub const OUTSIDER: &str = "oli@uninvited.example";

/// Example 5's consensus scores: A quality 70, social value 80; B quality 85, social value 50.
pub const CONSENSUS_A: [(&str, f64); 3] = [("Q1", 70.0), ("SV1", 80.0), ("SV2", 80.0)];
pub const CONSENSUS_B: [(&str, f64); 3] = [("Q1", 85.0), ("SV1", 50.0), ("SV2", 50.0)];

/// A user with a membership in the organisation `name` (created when new): (organisation, user).
pub async fn user(store: &Store, email: &str, name: &str, organisation: &str) -> (Uuid, Uuid) {
    admin_of(store, email, name, organisation).await
}

/// The organisations and people of every test.
pub struct World {
    pub buyer: Uuid,
    pub buyer_admin: Uuid,
    pub evaluator_1: Uuid,
    pub evaluator_2: Uuid,
    pub moderator: Uuid,
    pub supplier_a: Uuid,
    pub supplier_a_user: Uuid,
    pub supplier_b: Uuid,
    pub outsider: Uuid,
}

impl World {
    /// Supplier A saves Example 5's bid A (£900,000) as a draft.
    pub async fn bid_a(&self, s: &Store, tender: Uuid) -> Result<BidRecord, StoreError> {
        let details = bid_details(900_000.0, "A");
        s.save_bid(SUPPLIER_A, tender, self.supplier_a, &details)
            .await
    }

    /// Supplier B saves Example 5's bid B (£1,000,000) as a draft.
    pub async fn bid_b(&self, s: &Store, tender: Uuid) -> Result<BidRecord, StoreError> {
        let details = bid_details(1_000_000.0, "B");
        s.save_bid(SUPPLIER_B, tender, self.supplier_b, &details)
            .await
    }
}

pub async fn world(s: &Store) -> World {
    let (buyer, buyer_admin) = user(s, BUYER, "Bea Buyer", "Plymouth City Council").await;
    let mut panel = Vec::new();
    for (email, name, home) in [
        (EVALUATOR_1, "Eve Evaluator", "Eve's workspace"),
        (EVALUATOR_2, "Evan Evaluator", "Evan's workspace"),
        (MODERATOR, "Mo Moderator", "Mo's workspace"),
    ] {
        let (_, id) = user(s, email, name, home).await;
        s.add_membership("cli", buyer, id, Role::Editor)
            .await
            .unwrap();
        panel.push(id);
    }
    let (supplier_a, supplier_a_user) = user(s, SUPPLIER_A, "Ann", "Supplier A").await;
    let (supplier_b, _) = user(s, SUPPLIER_B, "Ben", "Supplier B").await;
    let (outsider, _) = user(s, OUTSIDER, "Oli", "Uninvited Ltd").await;
    World {
        buyer,
        buyer_admin,
        evaluator_1: panel[0],
        evaluator_2: panel[1],
        moderator: panel[2],
        supplier_a,
        supplier_a_user,
        supplier_b,
        outsider,
    }
}

/// METHOD.md Example 5's tender on a 0–100 scale in steps of 5 (so 70 and 85 are on it).
pub fn tender_details() -> TenderDetails {
    TenderDetails {
        title: "Community transport".into(),
        description: "Door-to-door transport for older residents".into(),
        contract_value_gbp: 1_000_000.0,
        closing_date: Some("2027-01-31".into()),
        start_date: Some("2027-04-01".into()),
        end_date: Some("2030-03-31".into()),
        areas: vec!["E06000026".into()],
        edition: Edition::Svm2020,
        criteria: vec!["MAC 2.2".into(), "MAC 8.1".into()],
        method: Method::WeightedScore,
        price_weight: 40.0,
        questions: vec![
            Question {
                id: "Q1".into(),
                kind: QuestionKind::Quality,
                text: "Service delivery".into(),
                weight: 50.0,
                criterion: None,
            },
            Question {
                id: "SV1".into(),
                kind: QuestionKind::SocialValue,
                text: "Jobs for local people".into(),
                weight: 6.0,
                criterion: Some("MAC 2.2".into()),
            },
            Question {
                id: "SV2".into(),
                kind: QuestionKind::SocialValue,
                text: "Volunteering".into(),
                weight: 4.0,
                criterion: Some("MAC 8.1".into()),
            },
        ],
        scale: (0..=20)
            .map(|i| ScaleLevel {
                score: f64::from(i) * 5.0,
                descriptor: format!("{} points", i * 5),
            })
            .collect(),
    }
}

/// Six apprenticeships (unit left empty: the metric's unit fills it).
pub fn commitment() -> Commitment {
    Commitment {
        criterion: "MAC 2.2".into(),
        metric_id: Some("SVM20-2.2-c".into()),
        description: "Apprenticeships for Plymouth residents".into(),
        target: 6.0,
        unit: String::new(),
        start_date: Some("2027-04-01".into()),
        end_date: Some("2030-03-31".into()),
        area: Some("E06000026".into()),
        milestones: vec![
            Milestone {
                due: "2028-03-31".into(),
                target: 2.0,
                description: "Year 1".into(),
            },
            Milestone {
                due: "2029-03-31".into(),
                target: 4.0,
                description: "Year 2".into(),
            },
        ],
        partners: vec!["Plymouth Skills Hub".into()],
        estimated_value_gbp: None,
        value_kind: None,
        value_basis: None,
        valuation: None,
    }
}

/// A complete bid: every question answered, one commitment.
pub fn bid_details(price_gbp: f64, who: &str) -> BidDetails {
    BidDetails {
        price_gbp,
        answers: ["Q1", "SV1", "SV2"]
            .iter()
            .map(|q| Answer {
                question_id: (*q).into(),
                text: format!("{who}'s answer to {q}"),
            })
            .collect(),
        commitments: vec![commitment()],
    }
}

pub fn score(score: f64, why: &str) -> QuestionScore {
    QuestionScore {
        score,
        rationale: why.into(),
    }
}

// ---- Steps of the journey, for the tests that need it done ----

pub async fn draft_tender(s: &Store, w: &World) -> TenderRecord {
    s.create_tender(BUYER, w.buyer, Some(w.buyer_admin), &tender_details())
        .await
        .unwrap()
}

pub async fn invite_and_open(s: &Store, w: &World, tender: Uuid) {
    s.invite_supplier(BUYER, tender, w.supplier_a)
        .await
        .unwrap();
    s.invite_supplier(BUYER, tender, w.supplier_b)
        .await
        .unwrap();
    s.set_tender_status(BUYER, tender, TenderStatus::Open)
        .await
        .unwrap();
}

/// Both suppliers save and submit their bids: (A, B).
pub async fn submit_bids(s: &Store, w: &World, tender: Uuid) -> (BidRecord, BidRecord) {
    let a = w.bid_a(s, tender).await.unwrap();
    let b = w.bid_b(s, tender).await.unwrap();
    let a = s.submit_bid(SUPPLIER_A, a.id).await.unwrap();
    let b = s.submit_bid(SUPPLIER_B, b.id).await.unwrap();
    (a, b)
}

pub async fn close_with_panel(s: &Store, w: &World, tender: Uuid) {
    s.set_tender_status(BUYER, tender, TenderStatus::Evaluation)
        .await
        .unwrap();
    for (user, role) in [
        (w.evaluator_1, PanelRole::Evaluator),
        (w.evaluator_2, PanelRole::Evaluator),
        (w.moderator, PanelRole::Moderator),
    ] {
        s.set_panel_member(BUYER, tender, user, role, true)
            .await
            .unwrap();
    }
}

/// Both evaluators score question `q` of `bid`: Eve gives `c`, Evan 5 below it.
pub async fn evaluators_score(s: &Store, w: &World, bid: Uuid, q: &str, c: f64) {
    let eve = score(c, "Eve's view");
    let evan = score((c - 5.0).max(0.0), "Evan's view");
    s.record_score(EVALUATOR_1, bid, q, w.evaluator_1, &eve)
        .await
        .unwrap();
    s.record_score(EVALUATOR_2, bid, q, w.evaluator_2, &evan)
        .await
        .unwrap();
}

/// Both evaluators score each question (the consensus and 5 below it), then the moderator
/// records the consensus.
pub async fn moderate(s: &Store, w: &World, bid: Uuid, consensus: &[(&str, f64)]) {
    for &(q, c) in consensus {
        evaluators_score(s, w, bid, q, c).await;
        s.record_consensus(MODERATOR, bid, q, w.moderator, &score(c, "Agreed"))
            .await
            .unwrap();
    }
}

pub struct Awarded {
    pub tender: TenderRecord,
    pub bid_a: BidRecord,
    pub bid_b: BidRecord,
    pub contract: ContractRecord,
}

/// The whole journey, awarded to B (Example 5's winner).
pub async fn awarded(s: &Store, w: &World) -> Awarded {
    let tender = draft_tender(s, w).await;
    invite_and_open(s, w, tender.id).await;
    let (bid_a, bid_b) = submit_bids(s, w, tender.id).await;
    close_with_panel(s, w, tender.id).await;
    moderate(s, w, bid_a.id, &CONSENSUS_A).await;
    moderate(s, w, bid_b.id, &CONSENSUS_B).await;
    let contract = s.award_tender(BUYER, tender.id, bid_b.id).await.unwrap();
    let tender = s.tender(tender.id).await.unwrap();
    Awarded {
        tender,
        bid_a,
        bid_b,
        contract,
    }
}

/// A contract of `buyer` (organisation, admin) with `supplier` alone, awarded through the
/// whole procurement: the buyer's admin is the whole panel and scores every question 80.
pub async fn award_to(s: &Store, buyer: (Uuid, Uuid), supplier: Uuid) -> ContractRecord {
    let (organisation, admin) = buyer;
    let t = s
        .create_tender(BUYER, organisation, None, &tender_details())
        .await
        .unwrap()
        .id;
    s.invite_supplier(BUYER, t, supplier).await.unwrap();
    s.set_tender_status(BUYER, t, TenderStatus::Open)
        .await
        .unwrap();
    let b = s
        .save_bid(SUPPLIER_A, t, supplier, &bid_details(900_000.0, "A"))
        .await
        .unwrap()
        .id;
    s.submit_bid(SUPPLIER_A, b).await.unwrap();
    s.set_tender_status(BUYER, t, TenderStatus::Evaluation)
        .await
        .unwrap();
    for role in [PanelRole::Evaluator, PanelRole::Moderator] {
        s.set_panel_member(BUYER, t, admin, role, true)
            .await
            .unwrap();
    }
    for q in ["Q1", "SV1", "SV2"] {
        let agreed = score(80.0, "Good");
        s.record_score(BUYER, b, q, admin, &agreed).await.unwrap();
        s.record_consensus(BUYER, b, q, admin, &agreed)
            .await
            .unwrap();
    }
    s.award_tender(BUYER, t, b).await.unwrap()
}
