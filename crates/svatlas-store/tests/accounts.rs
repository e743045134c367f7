//! Account contract tests, on every available backend (SQLite always, PostgreSQL when
//! `SVATLAS_TEST_POSTGRES_URL` is set).

mod common;

use common::{PASSWORD, not_found, on_pool, sign_up};

use svatlas_domain::accounts::{Email, MAX_FAILED_LOGINS, NewPassword, Role};
use svatlas_store::accounts::{CreatedUser, LoginOutcome, NewUser, PasswordChange};
use svatlas_store::testing::all_backends;
use svatlas_store::{Store, StoreError};

async fn add_user(store: &Store, email: &str, organisation: &str, role: Role) -> CreatedUser {
    sign_up(store, email, "Ada Lovelace", organisation, role).await
}

/// A login attempt, which must reach the store.
async fn login(store: &Store, email: &str, password: &str) -> LoginOutcome {
    store.verify_login(email, password).await.unwrap()
}

/// Every audit row as text, to look for secrets.
async fn all_audit_text(store: &Store) -> String {
    let sql = "SELECT actor, before, after FROM audit_log";
    let rows: Vec<(String, Option<String>, Option<String>)> =
        on_pool!(store, p => sqlx::query_as(sql).fetch_all(p).await.unwrap());
    format!("{rows:?}")
}

async fn stored_password_hash(store: &Store, email: &str) -> String {
    let sql = "SELECT password_hash FROM users WHERE email = $1";
    on_pool!(store, p => sqlx::query_scalar(sql).bind(email).fetch_one(p).await.unwrap())
}

#[tokio::test]
async fn create_user_creates_the_organisation_once_and_audits_without_secrets() {
    for t in all_backends().await {
        let first = add_user(&t.store, " Ada@Example.org ", "Bristol Trust", Role::Admin).await;
        assert!(first.organisation_created, "{}", t.label);
        assert_eq!(first.user.email, "ada@example.org");
        // Same organisation in another case: joined, not duplicated.
        let second = add_user(&t.store, "bob@example.org", "bristol TRUST", Role::Viewer).await;
        assert!(!second.organisation_created, "{}", t.label);
        assert_eq!(second.organisation.id, first.organisation.id);
        assert_eq!(second.organisation.name, "Bristol Trust");

        let found = t
            .store
            .user_by_email(&Email::parse("ADA@example.org").unwrap())
            .await
            .unwrap();
        assert_eq!(found.id, first.user.id, "{}", t.label);
        let memberships = t.store.memberships_of(second.user.id).await.unwrap();
        assert_eq!(memberships.len(), 1);
        assert_eq!(memberships[0].role, Role::Viewer);
        assert_eq!(memberships[0].organisation_name, "Bristol Trust");

        let hash = stored_password_hash(&t.store, "ada@example.org").await;
        assert!(hash.starts_with("$argon2id$"), "{}: {hash}", t.label);
        let audit = all_audit_text(&t.store).await;
        assert!(!audit.contains(PASSWORD), "{}: password in audit", t.label);
        assert!(!audit.contains("argon2"), "{}: hash in audit", t.label);

        let trail = t
            .store
            .audit_for_organisation(&first.organisation.id.to_string(), 100)
            .await
            .unwrap();
        let actions: Vec<_> = trail
            .iter()
            .map(|e| format!("{} {}", e.action, e.entity))
            .collect();
        // Newest first: bob's user + membership, then ada's, then the organisation.
        assert_eq!(
            actions,
            [
                "create membership",
                "create user",
                "create membership",
                "create user",
                "create organisation"
            ],
            "{}",
            t.label
        );
        assert_eq!(trail[1].after.as_ref().unwrap()["email"], "bob@example.org");
        assert_eq!(trail[0].after.as_ref().unwrap()["role"], "viewer");
        assert!(trail.iter().all(|e| e.actor == "cli"));
        t.finish().await;
    }
}

#[tokio::test]
async fn duplicate_email_is_a_clear_error_and_changes_nothing() {
    for t in all_backends().await {
        add_user(&t.store, "ada@example.org", "Org A", Role::Admin).await;
        let email = Email::parse("ADA@example.org").unwrap();
        let password = NewPassword::parse(PASSWORD).unwrap();
        let err = t
            .store
            .create_user(
                "cli",
                &NewUser {
                    email: &email,
                    name: "Someone Else",
                    password: &password,
                    organisation: "Brand New Org",
                    role: Role::Editor,
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Duplicate(m) if m == "a user with email ada@example.org already exists"),
            "{}: {err:?}",
            t.label
        );
        // The transaction rolled back: the new organisation was not left behind.
        assert!(not_found(
            &t.store.organisation_by_name("brand new org").await
        ));
        t.finish().await;
    }
}

#[tokio::test]
async fn empty_names_are_refused() {
    for t in all_backends().await {
        let email = Email::parse("ada@example.org").unwrap();
        let password = NewPassword::parse(PASSWORD).unwrap();
        for (name, organisation, expected) in [
            ("  ", "Org", "name is empty"),
            ("Ada", "", "organisation name is empty"),
        ] {
            let err = t
                .store
                .create_user(
                    "cli",
                    &NewUser {
                        email: &email,
                        name,
                        password: &password,
                        organisation,
                        role: Role::Admin,
                    },
                )
                .await
                .unwrap_err();
            assert!(
                matches!(&err, StoreError::Invalid(m) if m == expected),
                "{}: {err:?}",
                t.label
            );
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn login_accepts_only_the_right_password_and_hides_unknown_accounts() {
    for t in all_backends().await {
        let created = add_user(&t.store, "ada@example.org", "Org", Role::Editor).await;
        match login(&t.store, " ADA@example.org", PASSWORD).await {
            LoginOutcome::Success(user) => assert_eq!(user.id, created.user.id, "{}", t.label),
            other => panic!("{}: {other:?}", t.label),
        }
        for (email, password) in [
            ("ada@example.org", "correct horse battery stapl"),
            ("ada@example.org", ""),
            ("nobody@example.org", PASSWORD),
            ("not an email", PASSWORD),
        ] {
            assert_eq!(
                login(&t.store, email, password).await,
                LoginOutcome::Rejected,
                "{}: {email} / {password}",
                t.label
            );
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn lockout_after_max_failures_refuses_even_the_right_password() {
    for t in all_backends().await {
        let created = add_user(&t.store, "ada@example.org", "Org", Role::Editor).await;
        for attempt in 1..MAX_FAILED_LOGINS {
            assert_eq!(
                login(&t.store, "ada@example.org", "wrong password!").await,
                LoginOutcome::Rejected,
                "{}: attempt {attempt}",
                t.label
            );
        }
        let until = match login(&t.store, "ada@example.org", "wrong password!").await {
            LoginOutcome::Locked { until } => until,
            other => panic!("{}: expected a lockout, got {other:?}", t.label),
        };
        let minutes = (until - chrono::Utc::now()).num_minutes();
        assert!((14..=15).contains(&minutes), "{}: {minutes}", t.label);
        assert!(
            matches!(
                login(&t.store, "ada@example.org", PASSWORD).await,
                LoginOutcome::Locked { .. }
            ),
            "{}: right password accepted during lockout",
            t.label
        );
        let trail = t
            .store
            .audit_for("user", &created.user.id.to_string())
            .await
            .unwrap();
        let lock = trail
            .iter()
            .find(|e| e.action == "lock")
            .expect("lock audited");
        assert_eq!(lock.actor, "ada@example.org");
        // Lockout events reach the organisation's admins.
        let org_trail = t
            .store
            .audit_for_organisation(&created.organisation.id.to_string(), 10)
            .await
            .unwrap();
        assert_eq!(org_trail[0].action, "lock", "{}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn a_successful_login_resets_the_failure_count() {
    for t in all_backends().await {
        add_user(&t.store, "ada@example.org", "Org", Role::Editor).await;
        for _ in 1..MAX_FAILED_LOGINS {
            login(&t.store, "ada@example.org", "nope nope nope").await;
        }
        assert!(matches!(
            login(&t.store, "ada@example.org", PASSWORD).await,
            LoginOutcome::Success(_)
        ));
        // Counting starts again: one more failure does not lock.
        assert_eq!(
            login(&t.store, "ada@example.org", "nope nope nope").await,
            LoginOutcome::Rejected,
            "{}",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn change_password_needs_the_current_one() {
    for t in all_backends().await {
        let created = add_user(&t.store, "ada@example.org", "Org", Role::Viewer).await;
        let new = NewPassword::parse("a brand new passphrase").unwrap();
        assert_eq!(
            t.store
                .change_password("ada@example.org", created.user.id, "wrong current!", &new)
                .await
                .unwrap(),
            PasswordChange::WrongCurrentPassword
        );
        assert!(matches!(
            login(&t.store, "ada@example.org", PASSWORD).await,
            LoginOutcome::Success(_)
        ));
        assert_eq!(
            t.store
                .change_password("ada@example.org", created.user.id, PASSWORD, &new)
                .await
                .unwrap(),
            PasswordChange::Changed
        );
        assert_eq!(
            login(&t.store, "ada@example.org", PASSWORD).await,
            LoginOutcome::Rejected,
            "{}: old password still works",
            t.label
        );
        assert!(matches!(
            login(&t.store, "ada@example.org", "a brand new passphrase").await,
            LoginOutcome::Success(_)
        ));
        let trail = t
            .store
            .audit_for("user", &created.user.id.to_string())
            .await
            .unwrap();
        assert!(trail.iter().any(|e| e.action == "change_password"));
        let audit = all_audit_text(&t.store).await;
        assert!(!audit.contains("brand new passphrase"), "{}", t.label);
        assert!(!audit.contains(PASSWORD), "{}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn api_token_resolves_to_its_owner_until_revoked() {
    for t in all_backends().await {
        let ada = add_user(&t.store, "ada@example.org", "Org A", Role::Admin).await;
        let bob = add_user(&t.store, "bob@example.org", "Org B", Role::Viewer).await;
        let created = t
            .store
            .create_api_token("ada@example.org", ada.user.id, "laptop")
            .await
            .unwrap();
        let token = created.token.clone();
        assert!(token.starts_with("sva_") && token.len() == 68, "{token}");
        assert!(token.starts_with(&created.info.prefix));
        assert_eq!(created.info.prefix.len(), 12);
        assert!(!format!("{created:?}").contains(&token[4..]));
        let bobs = t
            .store
            .create_api_token("cli", bob.user.id, "script")
            .await
            .unwrap();
        assert_ne!(bobs.token, token);

        let owner = t.store.resolve_api_token(&token).await.unwrap();
        assert_eq!(owner.user.id, ada.user.id, "{}", t.label);
        assert_eq!(owner.token_id, created.info.id);
        assert_eq!(owner.memberships.len(), 1);
        assert_eq!(owner.memberships[0].organisation_id, ada.organisation.id);
        assert_eq!(owner.memberships[0].role, Role::Admin);
        assert_eq!(
            t.store
                .resolve_api_token(&bobs.token)
                .await
                .unwrap()
                .user
                .id,
            bob.user.id
        );
        let listed = t.store.api_tokens_of(ada.user.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(
            listed[0].last_used_at.is_some(),
            "{}: use not recorded",
            t.label
        );

        // A near miss, a malformed token and an empty one resolve to nothing.
        let mut altered = token.clone();
        altered.replace_range(67.., if token.ends_with('0') { "1" } else { "0" });
        for bad in [altered.as_str(), "sva_", "", "Bearer x"] {
            assert!(
                not_found(&t.store.resolve_api_token(bad).await),
                "{}: {bad}",
                t.label
            );
        }

        // Bob cannot revoke Ada's token.
        assert!(not_found(
            &t.store
                .revoke_api_token("bob@example.org", bob.user.id, created.info.id)
                .await
        ));
        t.store
            .revoke_api_token("ada@example.org", ada.user.id, created.info.id)
            .await
            .unwrap();
        assert!(
            not_found(&t.store.resolve_api_token(&token).await),
            "{}: revoked token still works",
            t.label
        );
        // Revoking twice is reported, and Bob's token is unaffected.
        assert!(not_found(
            &t.store
                .revoke_api_token("ada@example.org", ada.user.id, created.info.id)
                .await
        ));
        assert!(t.store.resolve_api_token(&bobs.token).await.is_ok());
        assert!(
            t.store.api_tokens_of(ada.user.id).await.unwrap()[0]
                .revoked_at
                .is_some()
        );

        let trail = t
            .store
            .audit_for("user", &ada.user.id.to_string())
            .await
            .unwrap();
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "create_api_token", "revoke_api_token"]);
        let audit = all_audit_text(&t.store).await;
        assert!(!audit.contains(&token[4..]), "{}: token in audit", t.label);
        assert!(
            !audit.contains(&bobs.token[4..]),
            "{}: token in audit",
            t.label
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn memberships_can_be_added_once() {
    for t in all_backends().await {
        let ada = add_user(&t.store, "ada@example.org", "Org A", Role::Admin).await;
        let bob = add_user(&t.store, "bob@example.org", "Org B", Role::Admin).await;
        t.store
            .add_membership(
                "ada@example.org",
                ada.organisation.id,
                bob.user.id,
                Role::Editor,
            )
            .await
            .unwrap();
        let roles: Vec<_> = t
            .store
            .memberships_of(bob.user.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.organisation_name, m.role))
            .collect();
        assert_eq!(
            roles,
            [
                ("Org A".to_string(), Role::Editor),
                ("Org B".to_string(), Role::Admin)
            ]
        );
        assert!(matches!(
            t.store
                .add_membership("cli", ada.organisation.id, bob.user.id, Role::Viewer)
                .await,
            Err(StoreError::Duplicate(_))
        ));
        assert!(not_found(
            &t.store
                .add_membership(
                    "cli",
                    ada.organisation.id,
                    uuid::Uuid::new_v4(),
                    Role::Viewer
                )
                .await
        ));
        t.finish().await;
    }
}

#[tokio::test]
async fn an_organisations_audit_shows_only_its_own_changes_and_members() {
    for t in all_backends().await {
        let ada = add_user(&t.store, "ada@example.org", "Org A", Role::Admin).await;
        let bob = add_user(&t.store, "bob@example.org", "Org B", Role::Admin).await;
        t.store
            .create_api_token("ada@example.org", ada.user.id, "laptop")
            .await
            .unwrap();
        let b_trail = t
            .store
            .audit_for_organisation(&bob.organisation.id.to_string(), 100)
            .await
            .unwrap();
        assert_eq!(b_trail.len(), 3, "{}: {b_trail:?}", t.label);
        assert!(
            b_trail
                .iter()
                .all(|e| !format!("{e:?}").contains("ada@example.org")
                    && e.entity_id != ada.user.id.to_string()),
            "{}: Org B sees Org A's changes: {b_trail:?}",
            t.label
        );
        let a_trail = t
            .store
            .audit_for_organisation(&ada.organisation.id.to_string(), 100)
            .await
            .unwrap();
        assert_eq!(a_trail[0].action, "create_api_token", "{}", t.label);
        assert_eq!(a_trail.len(), 4);
        // The limit applies, newest first.
        let last = t
            .store
            .audit_for_organisation(&ada.organisation.id.to_string(), 1)
            .await
            .unwrap();
        assert_eq!(last, a_trail[..1]);
        t.finish().await;
    }
}

#[tokio::test]
async fn audit_pages_follow_each_other_newest_first() {
    for t in all_backends().await {
        let ada = add_user(&t.store, "ada@example.org", "Org A", Role::Admin).await;
        for name in ["one", "two", "three"] {
            t.store
                .create_api_token("ada@example.org", ada.user.id, name)
                .await
                .unwrap();
        }
        let org = ada.organisation.id.to_string();
        let all = t.store.audit_for_organisation(&org, 100).await.unwrap();
        assert_eq!(all.len(), 6, "{}: {all:?}", t.label);
        let first = t
            .store
            .audit_page_for_organisation(&org, 4, 0)
            .await
            .unwrap();
        let second = t
            .store
            .audit_page_for_organisation(&org, 4, 4)
            .await
            .unwrap();
        assert_eq!(first, all[..4], "{}", t.label);
        assert_eq!(second, all[4..], "{}", t.label);
        let beyond = t
            .store
            .audit_page_for_organisation(&org, 4, 8)
            .await
            .unwrap();
        assert!(beyond.is_empty(), "{}", t.label);
        t.finish().await;
    }
}

#[tokio::test]
async fn members_are_listed_with_roles_admins_first() {
    for t in all_backends().await {
        let ada = add_user(&t.store, "ada@example.org", "Org A", Role::Viewer).await;
        let bob = add_user(&t.store, "bob@example.org", "Org A", Role::Admin).await;
        add_user(&t.store, "cy@example.org", "Org B", Role::Admin).await;
        let members = t.store.members_of(ada.organisation.id).await.unwrap();
        let listed: Vec<_> = members.iter().map(|m| (m.email.as_str(), m.role)).collect();
        assert_eq!(
            listed,
            [
                ("bob@example.org", Role::Admin),
                ("ada@example.org", Role::Viewer)
            ],
            "{}",
            t.label
        );
        assert_eq!(members[0].user_id, bob.user.id);
        assert_eq!(
            t.store
                .organisation_by_id(ada.organisation.id)
                .await
                .unwrap(),
            ada.organisation
        );
        assert!(not_found(
            &t.store.organisation_by_id(uuid::Uuid::new_v4()).await
        ));
        assert_eq!(t.store.user_by_id(bob.user.id).await.unwrap(), bob.user);
        assert!(not_found(&t.store.user_by_id(uuid::Uuid::new_v4()).await));
        t.finish().await;
    }
}

#[tokio::test]
async fn member_roles_change_and_members_leave_with_audit_before_and_after() {
    for t in all_backends().await {
        let ada = add_user(&t.store, "ada@example.org", "Org A", Role::Admin).await;
        let bob = add_user(&t.store, "bob@example.org", "Org A", Role::Viewer).await;
        let org = ada.organisation.id;
        t.store
            .set_member_role("ada@example.org", org, bob.user.id, Role::Editor)
            .await
            .unwrap();
        let roles = t.store.memberships_of(bob.user.id).await.unwrap();
        assert_eq!(roles[0].role, Role::Editor, "{}", t.label);
        let trail = t
            .store
            .audit_for("membership", &format!("{org}/{}", bob.user.id))
            .await
            .unwrap();
        let change = trail.last().unwrap();
        assert_eq!(change.action, "update", "{}", t.label);
        assert_eq!(change.actor, "ada@example.org");
        assert_eq!(change.before.as_ref().unwrap()["role"], "viewer");
        assert_eq!(change.after.as_ref().unwrap()["role"], "editor");
        assert_eq!(
            change.organisation_id.as_deref(),
            Some(org.to_string().as_str())
        );

        t.store
            .remove_membership("ada@example.org", org, bob.user.id)
            .await
            .unwrap();
        assert!(
            t.store
                .memberships_of(bob.user.id)
                .await
                .unwrap()
                .is_empty()
        );
        // The account itself stays.
        assert_eq!(
            t.store.user_by_id(bob.user.id).await.unwrap().email,
            "bob@example.org"
        );
        let trail = t
            .store
            .audit_for("membership", &format!("{org}/{}", bob.user.id))
            .await
            .unwrap();
        let removal = trail.last().unwrap();
        assert_eq!(removal.action, "delete", "{}", t.label);
        assert_eq!(removal.before.as_ref().unwrap()["role"], "editor");
        assert_eq!(removal.after, None);

        // Not a member (any more), or no such organisation: not found.
        assert!(not_found(
            &t.store.remove_membership("cli", org, bob.user.id).await
        ));
        assert!(not_found(
            &t.store
                .set_member_role("cli", uuid::Uuid::new_v4(), ada.user.id, Role::Viewer)
                .await
        ));
        t.finish().await;
    }
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_or_removed() {
    for t in all_backends().await {
        let ada = add_user(&t.store, "ada@example.org", "Org A", Role::Admin).await;
        let bob = add_user(&t.store, "bob@example.org", "Org A", Role::Editor).await;
        let org = ada.organisation.id;
        let before = t
            .store
            .audit_for_organisation(&org.to_string(), 100)
            .await
            .unwrap();
        assert!(matches!(
            t.store
                .set_member_role("cli", org, ada.user.id, Role::Editor)
                .await,
            Err(StoreError::LastAdmin)
        ));
        let err = t
            .store
            .remove_membership("cli", org, ada.user.id)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::LastAdmin), "{}", t.label);
        assert_eq!(
            err.to_string(),
            "an organisation must keep at least one admin: make another member an admin first"
        );
        // Nothing changed, nothing audited.
        assert_eq!(
            t.store.memberships_of(ada.user.id).await.unwrap()[0].role,
            Role::Admin
        );
        let after = t
            .store
            .audit_for_organisation(&org.to_string(), 100)
            .await
            .unwrap();
        assert_eq!(before, after, "{}", t.label);
        // Keeping an admin's role is allowed, and with a second admin the first may go.
        t.store
            .set_member_role("cli", org, ada.user.id, Role::Admin)
            .await
            .unwrap();
        t.store
            .set_member_role("cli", org, bob.user.id, Role::Admin)
            .await
            .unwrap();
        t.store
            .remove_membership("cli", org, ada.user.id)
            .await
            .unwrap();
        let members = t.store.members_of(org).await.unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!(
            (members[0].user_id, members[0].role),
            (bob.user.id, Role::Admin)
        );
        t.finish().await;
    }
}

/// Many writers at once all succeed: each transaction reads before it writes (add_membership
/// checks the user and organisation first), and on SQLite such a transaction fails with
/// "database is locked" at once unless it took the write lock when it began.
#[tokio::test]
async fn concurrent_transactions_that_read_then_write_all_succeed() {
    const WRITERS: usize = 12;
    for t in all_backends().await {
        let admin = add_user(&t.store, "admin@example.org", "Busy Org", Role::Admin).await;
        let other = add_user(&t.store, "other@example.org", "Other Org", Role::Admin).await;
        let mut users = Vec::new();
        for i in 0..WRITERS {
            let email = format!("member{i}@example.org");
            users.push(
                add_user(&t.store, &email, "Other Org", Role::Viewer)
                    .await
                    .user
                    .id,
            );
        }
        let mut writers = tokio::task::JoinSet::new();
        for user_id in users {
            let store = t.store.clone();
            let organisation_id = admin.organisation.id;
            writers.spawn(async move {
                store
                    .add_membership("test", organisation_id, user_id, Role::Viewer)
                    .await
            });
        }
        let mut failures = Vec::new();
        while let Some(done) = writers.join_next().await {
            if let Err(e) = done.expect("writer task") {
                failures.push(e.to_string());
            }
        }
        assert!(failures.is_empty(), "{}: {failures:?}", t.label);
        let members = t.store.members_of(admin.organisation.id).await.unwrap();
        assert_eq!(members.len(), WRITERS + 1, "{}", t.label);
        assert_ne!(other.organisation.id, admin.organisation.id);
        t.finish().await;
    }
}
