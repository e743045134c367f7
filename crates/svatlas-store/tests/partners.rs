//! Partner directory contract tests, on every available backend (SQLite always, PostgreSQL
//! when `SVATLAS_TEST_POSTGRES_URL` is set): one profile per organisation, needs, pledges under
//! a contract with their delivery confirmed or queried, the rules the store keeps whoever
//! calls, and the audit trail of both the supplier and the VCSE.

mod common;

use common::procurement::{BUYER, SUPPLIER_A as SUPPLIER, award_to};
use common::{admin_of, audit_entities, is_invalid, is_refused};

use svatlas_domain::partners::{
    DeliveryReport, NeedDetails, NeedKind, PledgeDetails, PledgeReview, PledgeStatus,
    ProfileDetails,
};
use svatlas_store::partners::{NeedRecord, ProfileRecord};
use svatlas_store::testing::all_backends;
use svatlas_store::{Store, StoreError};
use uuid::Uuid;

const VCSE: &str = "hub@skills.example";

/// A user who is admin of a new organisation `organisation`: (organisation, user).
async fn user(store: &Store, email: &str, organisation: &str) -> (Uuid, Uuid) {
    admin_of(store, email, organisation, organisation).await
}

fn profile(name: &str, published: bool) -> ProfileDetails {
    ProfileDetails {
        name: name.into(),
        charity_number: Some("1123456".into()),
        company_number: None,
        description: "Training and jobs for young people in Plymouth".into(),
        website: Some("https://skills.example.org".into()),
        contact_email: Some("hello@skills.example.org".into()),
        areas: vec!["e06000026".into()],
        causes: vec!["mac 2.2".into(), "Thriving".into()],
        offers: vec!["Work placements".into()],
        published,
    }
}

fn need(quantity: f64) -> NeedDetails {
    NeedDetails {
        kind: NeedKind::Volunteers,
        description: "Mentors for job seekers".into(),
        quantity: Some(quantity),
        unit: String::new(),
        open: true,
    }
}

fn pledge(quantity: f64) -> PledgeDetails {
    PledgeDetails {
        quantity: Some(quantity),
        description: "Staff mentoring, two hours a week".into(),
        due_date: Some("2027-12-31".into()),
    }
}

fn report(quantity: f64) -> DeliveryReport {
    DeliveryReport {
        quantity,
        delivered_on: "2027-06-30".into(),
        evidence_link: Some("https://evidence.example/mentoring-log.pdf".into()),
        note: "Signed mentoring log".into(),
    }
}

/// The people and records of a pledge: the council's contract with Supplier A, and the
/// Plymouth Skills Hub's profile (published or not) with one need of `quantity`.
struct Scene {
    buyer: (Uuid, Uuid),
    supplier: Uuid,
    vcse: Uuid,
    contract: Uuid,
    profile: ProfileRecord,
    need: NeedRecord,
}

async fn scene(s: &Store, published: bool, quantity: f64) -> Scene {
    let buyer = user(s, BUYER, "Plymouth City Council").await;
    let (supplier, _) = user(s, SUPPLIER, "Supplier A").await;
    let (vcse, _) = user(s, VCSE, "Plymouth Skills Hub").await;
    let contract = award_to(s, buyer, supplier).await.id;
    let profile = s
        .create_profile(VCSE, vcse, None, &profile("Plymouth Skills Hub", published))
        .await
        .unwrap();
    let need = s.add_need(VCSE, profile.id, &need(quantity)).await.unwrap();
    Scene {
        buyer,
        supplier,
        vcse,
        contract,
        profile,
        need,
    }
}

#[tokio::test]
async fn one_profile_per_organisation_normalised_and_validated() {
    for t in all_backends().await {
        let s = &t.store;
        let (vcse, vcse_user) = user(s, VCSE, "Plymouth Skills Hub").await;
        let p = s
            .create_profile(
                VCSE,
                vcse,
                Some(vcse_user),
                &profile("Plymouth Skills Hub", false),
            )
            .await
            .unwrap();
        assert_eq!(p.organisation_id, vcse, "{}", t.label);
        assert_eq!(p.details.areas, ["E06000026"], "{}", t.label);
        assert_eq!(p.details.causes, ["MAC 2.2", "thriving"], "{}", t.label);
        assert_eq!(s.profile(p.id).await.unwrap(), p, "{}", t.label);
        assert_eq!(
            s.profile_of_organisation(vcse).await.unwrap().map(|r| r.id),
            Some(p.id)
        );
        let twice = s
            .create_profile(VCSE, vcse, None, &profile("Second", false))
            .await;
        assert!(is_refused(&twice), "{}: {twice:?}", t.label);
        // Unpublished profiles are not in the directory until published.
        assert!(
            s.published_profiles().await.unwrap().is_empty(),
            "{}",
            t.label
        );
        let mut bad = profile("Plymouth Skills Hub", true);
        bad.charity_number = Some("12".into());
        assert!(is_invalid(&s.update_profile(VCSE, p.id, &bad).await));
        let published = s
            .update_profile(VCSE, p.id, &profile("Plymouth Skills Hub", true))
            .await
            .unwrap();
        assert!(published.details.published && published.updated_at >= p.updated_at);
        let listed = s.published_profiles().await.unwrap();
        assert_eq!(listed.len(), 1, "{}", t.label);
        assert_eq!(listed[0].organisation_name, "Plymouth Skills Hub");
        assert!(matches!(
            s.profile(Uuid::new_v4()).await,
            Err(StoreError::NotFound)
        ));
        let trail = audit_entities(s, vcse).await;
        assert!(trail.contains(&("create".into(), "partner_profile".into())));
        assert!(trail.contains(&("update".into(), "partner_profile".into())));
        t.finish().await;
    }
}

#[tokio::test]
async fn needs_belong_to_their_profile_and_close_when_met() {
    for t in all_backends().await {
        let s = &t.store;
        let (vcse, _) = user(s, VCSE, "Plymouth Skills Hub").await;
        let (other, _) = user(s, "x@other.example", "Other Trust").await;
        let p = s
            .create_profile(VCSE, vcse, None, &profile("Plymouth Skills Hub", true))
            .await
            .unwrap();
        let q = s
            .create_profile(
                "x@other.example",
                other,
                None,
                &profile("Other Trust", true),
            )
            .await
            .unwrap();
        let n = s.add_need(VCSE, p.id, &need(200.0)).await.unwrap();
        assert_eq!(n.details.unit, "volunteer hours", "{}", t.label);
        let second = NeedDetails {
            kind: NeedKind::Premises,
            description: "A hall on Saturdays".into(),
            quantity: None,
            unit: String::new(),
            open: true,
        };
        s.add_need(VCSE, p.id, &second).await.unwrap();
        let needs = s.needs_of(p.id).await.unwrap();
        assert_eq!(
            needs.iter().map(|n| n.details.kind).collect::<Vec<_>>(),
            [NeedKind::Volunteers, NeedKind::Premises],
            "{}",
            t.label
        );
        // A need is reached only through its own profile.
        assert!(matches!(
            s.need(q.id, n.id).await,
            Err(StoreError::NotFound)
        ));
        let mut closed = n.details.clone();
        closed.open = false;
        let n2 = s.update_need(VCSE, p.id, n.id, &closed).await.unwrap();
        assert!(!n2.details.open);
        let kinds = s.open_need_kinds().await.unwrap();
        assert_eq!(kinds, [(p.id, NeedKind::Premises)], "{}", t.label);
        let mut bad = need(-1.0);
        bad.description = String::new();
        assert!(is_invalid(&s.add_need(VCSE, p.id, &bad).await));
        let trail = audit_entities(s, vcse).await;
        assert!(trail.contains(&("create".into(), "partner_need".into())));
        assert!(trail.contains(&("update".into(), "partner_need".into())));
        assert!(
            !audit_entities(s, other)
                .await
                .contains(&("create".into(), "partner_need".into())),
            "{}: another organisation's audit stays clean",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn pledges_are_delivered_and_only_confirmed_delivery_counts() {
    for t in all_backends().await {
        let s = &t.store;
        let Scene {
            buyer,
            supplier,
            vcse,
            contract: c,
            profile: p,
            need: n,
        } = scene(s, true, 200.0).await;
        let pl = s
            .add_pledge(SUPPLIER, c, p.id, n.id, &pledge(50.0))
            .await
            .unwrap();
        assert_eq!(pl.status, PledgeStatus::Pledged, "{}", t.label);
        assert_eq!(pl.supplier_organisation_id, supplier);
        assert_eq!(pl.vcse_organisation_id, vcse);
        assert_eq!(pl.buyer_organisation_id, buyer.0);
        assert_eq!(pl.supplier_name, "Supplier A");
        assert_eq!(pl.contract_title, "Community transport");
        assert_eq!(pl.need.unit, "volunteer hours");
        // Nothing to review before delivery is reported.
        assert!(is_refused(
            &s.review_pledge(VCSE, pl.id, PledgeReview::Confirm, "")
                .await
        ));
        // Reports are checked: a future date is refused.
        let mut future = report(20.0);
        future.delivered_on = "2027-07-01".into();
        assert!(is_invalid(
            &s.report_delivery(SUPPLIER, pl.id, &future, "2027-06-30")
                .await
        ));
        let r = s
            .report_delivery(SUPPLIER, pl.id, &report(20.0), "2027-06-30")
            .await
            .unwrap();
        assert_eq!(r.status, PledgeStatus::Reported);
        assert_eq!(r.delivery.as_ref().map(|d| d.quantity), Some(20.0));
        // A query needs a note, then the supplier answers with a corrected report.
        assert!(is_invalid(
            &s.review_pledge(VCSE, pl.id, PledgeReview::Query, " ").await
        ));
        let queried = s
            .review_pledge(VCSE, pl.id, PledgeReview::Query, "The log shows 16 hours")
            .await
            .unwrap();
        assert_eq!(queried.status, PledgeStatus::Queried);
        assert_eq!(
            queried.review_note.as_deref(),
            Some("The log shows 16 hours")
        );
        s.report_delivery(SUPPLIER, pl.id, &report(16.0), "2027-06-30")
            .await
            .unwrap();
        let confirmed = s
            .review_pledge(VCSE, pl.id, PledgeReview::Confirm, "")
            .await
            .unwrap();
        assert_eq!(confirmed.status, PledgeStatus::Confirmed, "{}", t.label);
        assert_eq!(confirmed.reviewed_by.as_deref(), Some(VCSE));
        // Confirmed is final.
        assert!(is_refused(
            &s.report_delivery(SUPPLIER, pl.id, &report(30.0), "2027-06-30")
                .await
        ));
        assert!(is_refused(
            &s.review_pledge(VCSE, pl.id, PledgeReview::Query, "again")
                .await
        ));
        // A second pledge still awaiting report.
        s.add_pledge(SUPPLIER, c, p.id, n.id, &pledge(30.0))
            .await
            .unwrap();
        let figures: Vec<_> = s
            .pledges_of_profile(p.id)
            .await
            .unwrap()
            .iter()
            .map(|p| svatlas_domain::partners::PledgeFigure {
                pledged: p.details.quantity,
                status: p.status,
                delivered: p.delivery.as_ref().map(|d| d.quantity),
            })
            .collect();
        let progress = svatlas_domain::partners::need_progress(&figures);
        assert_eq!(
            (progress.pledges, progress.pledged, progress.confirmed),
            (2, 80.0, 16.0),
            "{}",
            t.label
        );
        assert_eq!(s.pledges_of_contract(c).await.unwrap().len(), 2);
        // Both sides' audits hold every step.
        for org in [supplier, vcse] {
            let trail = audit_entities(s, org).await;
            for action in ["create", "report", "review"] {
                assert!(
                    trail.contains(&(action.into(), "partner_pledge".into())),
                    "{}: {action} for {org}",
                    t.label
                );
            }
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn pledges_are_refused_to_closed_unpublished_or_own_needs() {
    for t in all_backends().await {
        let s = &t.store;
        let Scene {
            supplier,
            contract: c,
            profile: p,
            need: n,
            ..
        } = scene(s, false, 10.0).await;
        assert!(
            is_refused(&s.add_pledge(SUPPLIER, c, p.id, n.id, &pledge(5.0)).await),
            "{}: unpublished",
            t.label
        );
        s.update_profile(VCSE, p.id, &profile("Plymouth Skills Hub", true))
            .await
            .unwrap();
        let mut closed = need(10.0);
        closed.open = false;
        s.update_need(VCSE, p.id, n.id, &closed).await.unwrap();
        assert!(
            is_refused(&s.add_pledge(SUPPLIER, c, p.id, n.id, &pledge(5.0)).await),
            "{}: closed",
            t.label
        );
        s.update_need(VCSE, p.id, n.id, &need(10.0)).await.unwrap();
        let mut blank = pledge(5.0);
        blank.description = " ".into();
        assert!(is_invalid(
            &s.add_pledge(SUPPLIER, c, p.id, n.id, &blank).await
        ));
        // The supplier's own profile takes no pledges from its own contract.
        let own = s
            .create_profile(
                SUPPLIER,
                supplier,
                None,
                &profile("Supplier A Foundation", true),
            )
            .await
            .unwrap();
        let own_need = s.add_need(SUPPLIER, own.id, &need(10.0)).await.unwrap();
        assert!(is_refused(
            &s.add_pledge(SUPPLIER, c, own.id, own_need.id, &pledge(5.0))
                .await
        ));
        // A need of another profile is not found through this one.
        assert!(matches!(
            s.add_pledge(SUPPLIER, c, own.id, n.id, &pledge(5.0)).await,
            Err(StoreError::NotFound)
        ));
        s.add_pledge(SUPPLIER, c, p.id, n.id, &pledge(5.0))
            .await
            .unwrap();
        t.finish().await;
    }
}
