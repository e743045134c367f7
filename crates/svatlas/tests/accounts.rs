//! `svatlas user add` and `svatlas token create` as a script runs them: password on standard
//! input, token alone on standard output, exit code 2 for bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use svatlas_domain::accounts::Role;
use svatlas_store::Store;
use svatlas_store::accounts::LoginOutcome;

const PASSWORD: &str = "correct horse battery staple";

struct Db {
    _dir: tempfile::TempDir,
    url: String,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    Db { _dir: dir, url }
}

fn run(db: &Db, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_svatlas"))
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .arg("--database-url")
        .arg(&db.url)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn user_add(db: &Db, email: &str, org: &str, role: &str, stdin: &str) -> Output {
    run(
        db,
        &[
            "user",
            "add",
            "--email",
            email,
            "--name",
            "Ada Lovelace",
            "--org",
            org,
            "--role",
            role,
        ],
        stdin,
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn first_admin_then_a_token_that_resolves_to_them() {
    let db = db();
    let out = user_add(
        &db,
        "Ada@Example.org",
        "Bristol Trust",
        "admin",
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("created user ada@example.org"), "{stdout}");
    assert!(
        stdout.contains("as admin of Bristol Trust (new organisation)"),
        "{stdout}"
    );

    // Same organisation, other case: joined, not created again. CRLF line endings are fine.
    let out = user_add(
        &db,
        "bob@example.org",
        "bristol trust",
        "viewer",
        &format!("{PASSWORD}\r\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("new organisation"));

    let out = run(
        &db,
        &[
            "token",
            "create",
            "--email",
            "ada@example.org",
            "--name",
            "ci",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let token = stdout.trim_end_matches('\n');
    assert!(
        !token.contains('\n'),
        "only the token on stdout: {stdout:?}"
    );
    assert!(token.starts_with("sva_") && token.len() == 68, "{token}");
    assert!(text(&out.stderr).contains("not shown again"));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::connect(&db.url).await.unwrap();
        let owner = store.resolve_api_token(token).await.unwrap();
        assert_eq!(owner.user.email, "ada@example.org");
        assert_eq!(owner.memberships.len(), 1);
        assert_eq!(owner.memberships[0].organisation_name, "Bristol Trust");
        assert_eq!(owner.memberships[0].role, Role::Admin);
        // The password from standard input is the one that signs in (without its newline).
        assert!(matches!(
            store
                .verify_login("bob@example.org", PASSWORD)
                .await
                .unwrap(),
            LoginOutcome::Success(_)
        ));
        assert_eq!(
            store
                .verify_login("bob@example.org", &format!("{PASSWORD}\r"))
                .await
                .unwrap(),
            LoginOutcome::Rejected
        );
        store.close().await;
    });
}

#[test]
fn bad_input_exits_with_code_2_and_says_why() {
    let db = db();
    let good = format!("{PASSWORD}\n");
    let cases: [(&str, &str, &str, &str, &str); 5] = [
        (
            "ada@example.org",
            "Org",
            "admin",
            "short\n",
            "at least 12 characters",
        ),
        (
            "ada@example.org",
            "Org",
            "admin",
            "",
            "no password on standard input",
        ),
        (
            "ada@example.org",
            "Org",
            "admin",
            "\n",
            "no password on standard input",
        ),
        (
            "ada-at-example.org",
            "Org",
            "admin",
            &good,
            "--email: email address must contain exactly one @",
        ),
        (
            "ada@example.org",
            "  ",
            "admin",
            &good,
            "organisation name is empty",
        ),
    ];
    for (email, org, role, stdin, expected) in cases {
        let out = user_add(&db, email, org, role, stdin);
        assert_eq!(out.status.code(), Some(2), "{email} {org:?} {stdin:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    // An unknown role is refused by the argument parser, also with code 2.
    let out = user_add(&db, "ada@example.org", "Org", "owner", &good);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("use admin, editor or viewer"),
        "{}",
        text(&out.stderr)
    );

    // Nothing above created an account, so the e-mail is still free.
    let out = user_add(&db, "ada@example.org", "Org", "editor", &good);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = user_add(&db, "ADA@example.org", "Other", "viewer", &good);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("a user with email ada@example.org already exists"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn token_for_an_unknown_user_is_refused() {
    let db = db();
    let out = run(
        &db,
        &["token", "create", "--email", "nobody@example.org"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("no user with email nobody@example.org"),
        "{}",
        text(&out.stderr)
    );
}
