//! The tower-sessions store on every available backend: create, load, save, delete, expiry.

mod common;

use common::on_pool;

use std::collections::HashMap;

use serde_json::json;
use svatlas_store::Store;
use svatlas_store::sessions::SessionStorage;
use svatlas_store::testing::all_backends;
use time::{Duration, OffsetDateTime};
use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::{ExpiredDeletion, SessionStore};

fn record(expires_in: Duration, user: &str) -> Record {
    // Whole microseconds: the precision both backends keep.
    let expiry = OffsetDateTime::now_utc() + expires_in;
    let expiry = expiry
        .replace_nanosecond(expiry.nanosecond() / 1_000 * 1_000)
        .unwrap();
    Record {
        id: Id::default(),
        data: HashMap::from([
            ("user_id".to_string(), json!(user)),
            ("csrf".to_string(), json!({"token": "abc", "n": 1})),
        ]),
        expiry_date: expiry,
    }
}

async fn session_rows(store: &Store) -> i64 {
    let sql = "SELECT COUNT(*) FROM sessions";
    on_pool!(store, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap())
}

#[tokio::test]
async fn sessions_round_trip_update_and_delete() {
    for t in all_backends().await {
        let sessions = SessionStorage::new(t.store.clone());
        let mut first = record(Duration::hours(1), "ada");
        sessions.create(&mut first).await.unwrap();
        let loaded = sessions.load(&first.id).await.unwrap();
        assert_eq!(loaded.as_ref(), Some(&first), "{}", t.label);

        let mut changed = first.clone();
        changed.data.insert("user_id".into(), json!("bob"));
        changed.expiry_date += Duration::hours(1);
        sessions.save(&changed).await.unwrap();
        assert_eq!(
            sessions.load(&first.id).await.unwrap(),
            Some(changed.clone()),
            "{}",
            t.label
        );

        // Another session is untouched by deleting the first.
        let mut second = record(Duration::hours(1), "carol");
        sessions.create(&mut second).await.unwrap();
        sessions.delete(&first.id).await.unwrap();
        assert_eq!(sessions.load(&first.id).await.unwrap(), None, "{}", t.label);
        assert_eq!(sessions.load(&second.id).await.unwrap(), Some(second));
        // Unknown ids load as nothing and delete quietly.
        assert_eq!(sessions.load(&Id::default()).await.unwrap(), None);
        sessions.delete(&Id::default()).await.unwrap();
        t.finish().await;
    }
}

#[tokio::test]
async fn expired_sessions_do_not_load_and_are_deleted() {
    for t in all_backends().await {
        let sessions = SessionStorage::new(t.store.clone());
        let mut expired = record(Duration::seconds(-1), "ada");
        let mut active = record(Duration::minutes(5), "bob");
        sessions.create(&mut expired).await.unwrap();
        sessions.create(&mut active).await.unwrap();
        assert_eq!(
            sessions.load(&expired.id).await.unwrap(),
            None,
            "{}",
            t.label
        );
        assert_eq!(session_rows(&t.store).await, 2);
        sessions.delete_expired().await.unwrap();
        assert_eq!(session_rows(&t.store).await, 1, "{}", t.label);
        assert_eq!(sessions.load(&active.id).await.unwrap(), Some(active));
        t.finish().await;
    }
}

#[tokio::test]
async fn create_never_overwrites_an_existing_session() {
    for t in all_backends().await {
        let sessions = SessionStorage::new(t.store.clone());
        let mut first = record(Duration::hours(1), "ada");
        sessions.create(&mut first).await.unwrap();
        let mut clash = record(Duration::hours(1), "mallory");
        clash.id = first.id;
        sessions.create(&mut clash).await.unwrap();
        assert_ne!(clash.id, first.id, "{}: id not redrawn", t.label);
        assert_eq!(sessions.load(&first.id).await.unwrap(), Some(first));
        assert_eq!(sessions.load(&clash.id).await.unwrap(), Some(clash));
        t.finish().await;
    }
}
