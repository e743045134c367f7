//! Store contract tests, run against every available backend (SQLite always, PostgreSQL when
//! `SVATLAS_TEST_POSTGRES_URL` is set).

mod common;

use common::on_pool;
use serde_json::json;
use svatlas_store::audit::NewAuditEntry;
use svatlas_store::calculations::content_hash;
use svatlas_store::testing::all_backends;
use svatlas_store::{Backend, StoreError};

#[tokio::test]
async fn migrations_record_the_schema_version() {
    for t in all_backends().await {
        assert_eq!(t.store.schema_version().await.unwrap(), 8, "{}", t.label);
        t.store.ping().await.unwrap();
        // Running migrations again is a no-op, not an error.
        t.store.migrate().await.unwrap();
        assert_eq!(t.store.schema_version().await.unwrap(), 8, "{}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn saved_calculation_reads_back_exactly_with_its_audit_entry() {
    for t in all_backends().await {
        let request =
            json!({"inputs_by_year": {"0": 56884.0}, "outcomes": [{"name": "A", "quantity": 20}]});
        let result = json!({"pv_net": 137487.636564, "sroi_ratio": 2.416983, "rag": "green"});
        let saved = t
            .store
            .save_calculation("api", "0.1.0", &request, &result)
            .await
            .unwrap();
        let back = t.store.get_calculation(saved.id).await.unwrap();
        assert_eq!(back.request, request, "{}", t.label);
        assert_eq!(back.result, result, "{}", t.label);
        assert_eq!(back.engine_version, "0.1.0");
        assert_eq!(back.content_hash, content_hash(&request));
        // Timestamps survive the round trip to the microsecond on both backends.
        assert_eq!(
            back.created_at.timestamp_micros(),
            saved.created_at.timestamp_micros(),
            "{}",
            t.label
        );

        let trail = t
            .store
            .audit_for("sroi_calculation", &saved.id.to_string())
            .await
            .unwrap();
        assert_eq!(trail.len(), 1, "{}", t.label);
        assert_eq!(trail[0].action, "create");
        assert_eq!(trail[0].actor, "api");
        assert_eq!(
            trail[0].after.as_ref().unwrap()["content_hash"],
            json!(back.content_hash)
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn unknown_calculation_is_not_found() {
    for t in all_backends().await {
        let err = t
            .store
            .get_calculation(uuid::Uuid::new_v4())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn audit_log_refuses_updates_and_deletes() {
    for t in all_backends().await {
        let after = json!({"name": "x"});
        t.store
            .record_audit(&NewAuditEntry {
                actor: "cli",
                action: "create",
                entity: "thing",
                entity_id: "1",
                before: None,
                after: Some(&after),
                organisation_id: None,
            })
            .await
            .unwrap();
        for (sql, what) in [
            ("UPDATE audit_log SET actor = 'mallory'", "an UPDATE"),
            ("DELETE FROM audit_log", "a DELETE"),
        ] {
            let done = on_pool!(&t.store, p => sqlx::query(sql).execute(p).await.map(|_| ()));
            assert!(done.is_err(), "{}: audit_log accepted {what}", t.label);
        }
        let trail = t.store.audit_for("thing", "1").await.unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].actor, "cli", "{}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn content_hash_ignores_key_order_but_not_values() {
    let a = json!({"b": 1, "a": [1, 2]});
    let b: serde_json::Value = serde_json::from_str(r#"{"a":[1,2],"b":1}"#).unwrap();
    let c = json!({"a": [2, 1], "b": 1});
    assert_eq!(content_hash(&a), content_hash(&b));
    assert_ne!(content_hash(&a), content_hash(&c));
    assert_eq!(content_hash(&a).len(), 64);
}

#[tokio::test]
async fn sqlite_backup_is_a_working_copy() {
    let t = svatlas_store::testing::sqlite().await;
    assert_eq!(t.store.backend(), Backend::Sqlite);
    let saved = t
        .store
        .save_calculation("cli", "0.1.0", &json!({"x": 1}), &json!({"y": 2}))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.db");
    t.store.backup_to(&target).await.unwrap();
    // A second backup to the same file is refused rather than overwriting it.
    assert!(t.store.backup_to(&target).await.is_err());
    let copy = svatlas_store::Store::connect(&format!("sqlite://{}", target.display()))
        .await
        .unwrap();
    assert_eq!(
        copy.get_calculation(saved.id).await.unwrap().result,
        json!({"y": 2})
    );
    copy.close().await;
    t.finish().await;
}

#[tokio::test]
async fn rejects_unsupported_database_urls() {
    let err = svatlas_store::Store::connect("mysql://root:pw@localhost/db")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("sqlite://"), "{text}");
    assert!(!text.contains("pw@"), "password leaked: {text}");
}
