//! Calculator project contract tests, on every available backend (SQLite always, PostgreSQL
//! when `SVATLAS_TEST_POSTGRES_URL` is set).

mod common;

use common::{admin_of, audit_entities};

use svatlas_domain::calculator::{
    OutcomeEntry, ProjectDetails, ProjectMode, ProjectReport, ProxyLibrary, Verification,
    build_report,
};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::{Input, InputCategory};
use svatlas_store::projects::{EntryRecord, ProjectRecord};
use svatlas_store::testing::all_backends;
use svatlas_store::{Store, StoreError};
use uuid::Uuid;

async fn organisation(store: &Store, email: &str, name: &str) -> (Uuid, Uuid) {
    admin_of(store, email, "Ada", name).await
}

/// METHOD.md worked example 1, entered as a user would.
fn outcome() -> OutcomeEntry {
    let proxy = ProxyLibrary::shipped().get("GB-QALY").unwrap().to_value();
    let mut o = OutcomeEntry::new("Healthier residents", BristolAccord::WellServed, proxy, 2.0);
    o.deadweight = 0.25;
    o.stakeholder = Some("Residents".into());
    o
}

fn input(value: f64) -> Input {
    Input {
        description: "Grant".into(),
        category: InputCategory::Cash,
        value,
        volume: 1.0,
        year: 0,
        leakage: 0.1,
    }
}

#[tokio::test]
async fn projects_are_created_listed_updated_archived_and_duplicated() {
    for t in all_backends().await {
        let s = &t.store;
        let (org, user) = organisation(s, "ada@example.org", "Org A").await;
        let (other_org, _) = organisation(s, "bob@example.org", "Org B").await;
        let details = ProjectDetails::new("Youth employment", ProjectMode::Forecast, 2025);
        let p = s
            .create_project("ada@example.org", org, Some(user), &details)
            .await
            .unwrap();
        s.create_project("bob@example.org", other_org, None, &details)
            .await
            .unwrap();

        let o = s
            .add_outcome("ada@example.org", p.id, &outcome())
            .await
            .unwrap();
        let i1 = s
            .add_input("ada@example.org", p.id, &input(50_000.0))
            .await
            .unwrap();
        let i2 = s
            .add_input("ada@example.org", p.id, &input(1_000.0))
            .await
            .unwrap();
        assert!(i2.position > i1.position, "{}", t.label);

        let mine = s.projects_of(&[org], false).await.unwrap();
        assert_eq!(mine.len(), 1, "{}", t.label);
        assert_eq!((mine[0].outcomes, mine[0].inputs), (1, 2), "{}", t.label);
        assert_eq!(mine[0].project.details, details, "{}", t.label);

        let mut renamed = details.clone();
        renamed.name = "Youth employment 2026".into();
        renamed.areas = vec!["E06000026".into()];
        s.update_project("ada@example.org", p.id, &renamed)
            .await
            .unwrap();
        assert_eq!(
            s.project(p.id).await.unwrap().details,
            renamed,
            "{}",
            t.label
        );

        let copy = s
            .duplicate_project("ada@example.org", p.id, Some(user), "Copy")
            .await
            .unwrap();
        let contents = s.project_contents(copy.id).await.unwrap();
        assert_eq!(contents.outcome_entries(), vec![outcome()], "{}", t.label);
        assert_eq!(
            contents.input_entries(),
            vec![input(50_000.0), input(1_000.0)],
            "{}",
            t.label
        );
        assert_ne!(contents.outcomes[0].id, o.id, "{}", t.label);

        s.set_project_archived("ada@example.org", p.id, true)
            .await
            .unwrap();
        let listed = s.projects_of(&[org], false).await.unwrap();
        assert_eq!(listed.len(), 1, "{}", t.label);
        assert_eq!(listed[0].project.id, copy.id, "{}", t.label);
        assert_eq!(
            s.projects_of(&[org], true).await.unwrap().len(),
            2,
            "{}",
            t.label
        );

        let audit = audit_entities(s, org).await;
        for expected in [
            ("create", "project"),
            ("create", "project_outcome"),
            ("create", "project_input"),
            ("update", "project"),
            ("duplicate", "project"),
            ("archive", "project"),
        ] {
            assert!(
                audit.contains(&(expected.0.to_string(), expected.1.to_string())),
                "{}: {expected:?} missing from {audit:?}",
                t.label
            );
        }
        // The other organisation's audit shows none of it.
        assert!(
            !audit_entities(s, other_org)
                .await
                .iter()
                .any(|(_, e)| e == "project_outcome")
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn entries_are_updated_and_deleted_only_through_their_own_project() {
    for t in all_backends().await {
        let s = &t.store;
        let (org, _) = organisation(s, "ada@example.org", "Org A").await;
        let details = ProjectDetails::new("P", ProjectMode::Evaluative, 2025);
        let p = s.create_project("a", org, None, &details).await.unwrap();
        let q = s.create_project("a", org, None, &details).await.unwrap();
        let o = s.add_outcome("a", p.id, &outcome()).await.unwrap();

        let mut changed = outcome();
        changed.actual_quantity = Some(1.0);
        changed.evidence_note = Some("Clinic records".into());
        // Through another project's id: not found, nothing changes.
        let wrong = s.update_outcome("a", q.id, o.id, &changed).await;
        assert!(
            matches!(wrong, Err(StoreError::NotFound)),
            "{}: {wrong:?}",
            t.label
        );
        assert!(matches!(
            s.delete_outcome("a", q.id, o.id).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.project_contents(p.id).await.unwrap().outcome_entries(),
            vec![outcome()]
        );

        s.update_outcome("a", p.id, o.id, &changed).await.unwrap();
        let audit = s
            .audit_for_organisation(&org.to_string(), 100)
            .await
            .unwrap();
        let update = audit
            .iter()
            .find(|e| e.action == "update" && e.entity == "project_outcome")
            .unwrap();
        assert_eq!(
            update.before.as_ref().unwrap()["actual_quantity"],
            serde_json::Value::Null
        );
        assert_eq!(update.after.as_ref().unwrap()["actual_quantity"], 1.0);
        assert_eq!(
            s.project_contents(p.id).await.unwrap().outcome_entries(),
            vec![changed]
        );

        s.delete_outcome("a", p.id, o.id).await.unwrap();
        assert!(
            s.project_contents(p.id).await.unwrap().outcomes.is_empty(),
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn invalid_entries_are_refused_and_nothing_is_written() {
    for t in all_backends().await {
        let s = &t.store;
        let (org, _) = organisation(s, "ada@example.org", "Org A").await;
        let p = s
            .create_project(
                "a",
                org,
                None,
                &ProjectDetails::new("P", ProjectMode::Forecast, 2025),
            )
            .await
            .unwrap();
        let mut bad = outcome();
        bad.deadweight = 1.5;
        let e = s.add_outcome("a", p.id, &bad).await.unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(m) if m.contains("deadweight")),
            "{}: {e:?}",
            t.label
        );
        let e = s.add_input("a", p.id, &input(-1.0)).await.unwrap_err();
        assert!(
            matches!(&e, StoreError::Invalid(m) if m.contains("value")),
            "{}: {e:?}",
            t.label
        );
        let e = s
            .create_project(
                "a",
                org,
                None,
                &ProjectDetails::new(" ", ProjectMode::Forecast, 2025),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{}", t.label);
        let contents = s.project_contents(p.id).await.unwrap();
        assert!(
            contents.outcomes.is_empty() && contents.inputs.is_empty(),
            "{}",
            t.label
        );
        assert!(matches!(
            s.project(Uuid::new_v4()).await,
            Err(StoreError::NotFound)
        ));
        t.finish().await;
    }
}

/// A forecast project with one outcome and one input of £50,000, and its report.
async fn reported_project(
    s: &Store,
) -> (
    ProjectDetails,
    ProjectRecord,
    EntryRecord<Input>,
    ProjectReport,
) {
    let (org, _) = organisation(s, "ada@example.org", "Org A").await;
    let details = ProjectDetails::new("P", ProjectMode::Forecast, 2025);
    let p = s.create_project("a", org, None, &details).await.unwrap();
    s.add_outcome("a", p.id, &outcome()).await.unwrap();
    let i = s.add_input("a", p.id, &input(50_000.0)).await.unwrap();
    let c = s.project_contents(p.id).await.unwrap();
    let report = build_report(&details, &c.outcome_entries(), &c.input_entries()).unwrap();
    (details, p, i, report)
}

#[tokio::test]
async fn reports_freeze_as_numbered_versions_exactly_as_they_were() {
    for t in all_backends().await {
        let s = &t.store;
        let (details, p, i, first) = reported_project(s).await;
        let v1 = s
            .freeze_report("a", p.id, "Board paper", &first)
            .await
            .unwrap();

        s.update_input("a", p.id, i.id, &input(70_000.0))
            .await
            .unwrap();
        let c = s.project_contents(p.id).await.unwrap();
        let second = build_report(&details, &c.outcome_entries(), &c.input_entries()).unwrap();
        let v2 = s.freeze_report("a", p.id, "", &second).await.unwrap();
        assert_eq!((v1.number, v2.number), (1, 2), "{}", t.label);
        assert_ne!(v1.content_hash, v2.content_hash, "{}", t.label);

        let (version, stored) = s.report_version(p.id, 1).await.unwrap();
        assert_eq!(version.label, "Board paper", "{}", t.label);
        assert_eq!(
            stored, first,
            "{}: frozen report must read back unchanged",
            t.label
        );
        let listed = s.report_versions(p.id).await.unwrap();
        assert_eq!(
            listed.iter().map(|v| v.number).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert!(matches!(
            s.report_version(p.id, 3).await,
            Err(StoreError::NotFound)
        ));
        t.finish().await;
    }
}

/// Freezes sent at once (as through several instances sharing one database) each get their
/// own next number: none fails on a number another took meanwhile.
#[tokio::test]
async fn concurrent_freezes_each_get_the_next_number() {
    for t in all_backends().await {
        let s = &t.store;
        let (_, p, _, report) = reported_project(s).await;
        let freezes: Vec<_> = (0..12)
            .map(|i| {
                let (store, report) = (s.clone(), report.clone());
                tokio::spawn(async move {
                    store
                        .freeze_report("a", p.id, &format!("Freeze {i}"), &report)
                        .await
                })
            })
            .collect();
        let mut numbers = Vec::new();
        for freeze in freezes {
            let version = freeze.await.unwrap();
            numbers.push(
                version
                    .unwrap_or_else(|e| panic!("{}: {e}", t.label))
                    .number,
            );
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=12).collect::<Vec<i64>>(), "{}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn evidence_files_and_own_proxies_stay_with_their_owner() {
    for t in all_backends().await {
        let s = &t.store;
        let (org, _) = organisation(s, "ada@example.org", "Org A").await;
        let (other, _) = organisation(s, "bob@example.org", "Org B").await;
        let details = ProjectDetails::new("P", ProjectMode::Evaluative, 2025);
        let p = s.create_project("a", org, None, &details).await.unwrap();
        let q = s.create_project("a", org, None, &details).await.unwrap();
        let o = s.add_outcome("a", p.id, &outcome()).await.unwrap();

        let bytes = b"%PDF-1.4 attendance register".to_vec();
        let f = s
            .add_evidence(
                "a",
                p.id,
                o.id,
                "../../etc/register.pdf",
                "application/pdf",
                &bytes,
            )
            .await
            .unwrap();
        assert_eq!(f.file_name, "register.pdf", "{}", t.label);
        assert_eq!(f.size_bytes, bytes.len() as i64);
        let (meta, content) = s.evidence_file(p.id, f.id).await.unwrap();
        assert_eq!((meta, content), (f.clone(), bytes.clone()), "{}", t.label);
        assert!(matches!(
            s.evidence_file(q.id, f.id).await,
            Err(StoreError::NotFound)
        ));
        // An outcome of another project cannot receive evidence through this one.
        let e = s
            .add_evidence("a", q.id, o.id, "x.pdf", "application/pdf", &bytes)
            .await;
        assert!(matches!(e, Err(StoreError::NotFound)), "{}", t.label);
        assert_eq!(s.evidence_of(p.id).await.unwrap(), vec![f], "{}", t.label);

        let mut own = ProxyLibrary::shipped().get("GB-QALY").unwrap().clone();
        own.name = "Our clinic's cost per avoided visit".into();
        own.value_gbp = 123.45;
        let added = s.add_organisation_proxy("a", org, &own).await.unwrap();
        assert!(added.id.starts_with("ORG-"), "{}", t.label);
        assert_eq!(added.verification, Verification::OwnProxy);
        assert_eq!(
            s.organisation_proxies(org).await.unwrap(),
            vec![added],
            "{}",
            t.label
        );
        assert!(
            s.organisation_proxies(other).await.unwrap().is_empty(),
            "{}",
            t.label
        );
        t.finish().await;
    }
}
