//! Accounts on the web: signing in and out, sessions, CSRF, the sign-in rate limit, the
//! account page (password, API tokens), organisations and their audit log, and `/api/v1/me`.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::time::Duration;
use svatlas_domain::accounts::{Email, NewPassword, Role};
use svatlas_store::Store;
use svatlas_store::accounts::{CreatedUser, NewUser};
use svatlas_web::accounts::login_limit::LoginLimits;
use svatlas_web::platform::download::encode;
use svatlas_web::{AppState, Config};

use crate::platform::helpers::{Answer, assert_contains, get, get_ok, send};

const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "a brand new passphrase";

async fn add_user(
    store: &Store,
    email: &str,
    name: &str,
    organisation: &str,
    role: Role,
) -> CreatedUser {
    let email = Email::parse(email).unwrap();
    let password = NewPassword::parse(PASSWORD).unwrap();
    store
        .create_user(
            "cli",
            &NewUser {
                email: &email,
                name,
                password: &password,
                organisation,
                role,
            },
        )
        .await
        .unwrap()
}

/// Someone [`ada_with`] signs up too: (email, name, organisation, role).
type Other = (&'static str, &'static str, &'static str, Role);
const ADA2: Other = ("ada2@example.org", "Someone", "Org B", Role::Viewer);
const BOB: Other = ("bob@example.org", "Bob Builder", "Org B", Role::Admin);
const EVE: Other = ("eve@example.org", "Eve Editor", "Org A", Role::Editor);
const VIC: Other = ("vic@example.org", "Vic Viewer", "Org A", Role::Viewer);
const OUT: Other = ("out@example.org", "Outsider", "Org B", Role::Admin);

/// Ada Lovelace, the admin of Org A, with `others` (email, name, organisation, role): Ada.
async fn ada_with(store: &Store, others: &[Other]) -> CreatedUser {
    let ada = add_user(
        store,
        "ada@example.org",
        "Ada Lovelace",
        "Org A",
        Role::Admin,
    )
    .await;
    for (email, name, organisation, role) in others {
        add_user(store, email, name, organisation, *role).await;
    }
    ada
}

fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The session cookie a response sets: `Some(Some(value))` when set, `Some(None)` when removed.
fn session_cookie(answer: &Answer) -> Option<Option<String>> {
    answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("svatlas_session="))
        .map(|v| {
            let value = v["svatlas_session=".len()..]
                .split(';')
                .next()
                .unwrap_or("");
            let removed = value.is_empty() || v.contains("Max-Age=0");
            (!removed).then(|| value.to_owned())
        })
}

/// A browser: keeps the session cookie and sends the headers a same-origin form sends.
pub struct Browser {
    app: Router,
    pub cookie: Option<String>,
}

impl Browser {
    pub fn new(app: &Router) -> Self {
        Browser {
            app: app.clone(),
            cookie: None,
        }
    }

    /// The same session, sending to another router (one over the same store).
    pub fn on(&self, app: &Router) -> Self {
        Browser {
            app: app.clone(),
            cookie: self.cookie.clone(),
        }
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> Answer {
        if let Some(cookie) = &self.cookie {
            request.headers_mut().insert(
                header::COOKIE,
                format!("svatlas_session={cookie}").parse().unwrap(),
            );
        }
        let answer = send(&self.app, request).await;
        if let Some(set) = session_cookie(&answer) {
            self.cookie = set;
        }
        answer
    }

    pub async fn get(&mut self, uri: &str) -> Answer {
        let request = Request::builder()
            .uri(uri)
            .header(header::HOST, "localhost")
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn post(&mut self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(fields)))
            .unwrap();
        self.send(request).await
    }

    /// GETs `uri`, which must answer `status` (the body shown when not).
    pub async fn get_is(&mut self, uri: &str, status: u16) -> Answer {
        let answer = self.get(uri).await;
        answer_is(answer, status, &format!("GET {uri}"))
    }

    /// This browser, its next request to answer `status` (the body shown when not).
    pub fn expecting(&mut self, status: u16) -> Expecting<'_> {
        Expecting {
            browser: self,
            status,
        }
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Answer {
        self.post(
            "/login",
            &[("email", email), ("password", password), ("next", "")],
        )
        .await
    }
}

/// A [`Browser`] whose next request must answer `status`.
pub struct Expecting<'a> {
    browser: &'a mut Browser,
    status: u16,
}

impl Expecting<'_> {
    /// POSTs the form `fields` to `uri`.
    pub async fn post(self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let answer = self.browser.post(uri, fields).await;
        answer_is(answer, self.status, &format!("POST {uri}"))
    }
}

/// `browser` adds `email` as a `role` to the organisation whose page is `page`.
async fn add_member(browser: &mut Browser, page: &str, email: &str, role: &str) -> Answer {
    let fields = [("email", email), ("role", role)];
    browser.post(&format!("{page}/members"), &fields).await
}

/// `GET /api/v1/me` with the `Authorization` header `value`.
fn me_with(value: String) -> Request<Body> {
    let request = Request::builder().uri("/api/v1/me");
    let request = request.header(header::AUTHORIZATION, value);
    request.body(Body::empty()).expect("request")
}

/// `answer`, once its status is asserted to be `status` (`what` names the request).
fn answer_is(answer: Answer, status: u16, what: &str) -> Answer {
    assert_eq!(answer.status.as_u16(), status, "{what}: {}", answer.text());
    answer
}

pub async fn signed_in(app: &Router, email: &str) -> Browser {
    let mut browser = Browser::new(app);
    let answer = browser.sign_in(email, PASSWORD).await;
    answer.text_if(StatusCode::SEE_OTHER, "answer");
    assert!(browser.cookie.is_some(), "no session cookie");
    browser
}

pub fn location(answer: &Answer) -> &str {
    answer.headers[header::LOCATION].to_str().unwrap()
}

async fn bearer(app: &Router, uri: &str, token: &str) -> Answer {
    let request = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    send(app, request).await
}

store_backends_test!(
    signing_in_sets_a_session_cookie_and_the_next_page_knows_the_user,
    |t, app| {
        ada_with(&t.store, &[]).await;
        let html = get_ok(&app, "/login?next=/account").await;
        assert!(html.contains(r#"<label class="govuk-label govuk-label--s" for="email">"#));
        assert!(html.contains(r#"name="next" value="/account""#), "{html}");

        let mut browser = Browser::new(&app);
        let wrong = browser.sign_in("ada@example.org", "not the password").await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            t.label
        );
        assert!(
            wrong
                .text()
                .contains("The email address or password is wrong")
        );
        assert!(
            wrong.text().contains(r##"<a href="#email">"##),
            "error summary links the field"
        );
        assert_eq!(
            session_cookie(&wrong),
            None,
            "no session for a failed sign-in"
        );
        // An unknown address gets exactly the same message.
        let unknown = browser.sign_in("nobody@example.org", PASSWORD).await;
        unknown.assert_says(422, "The email address or password is wrong");
        let empty = browser.sign_in("", "").await;
        assert!(empty.text().contains("Enter your email address"));
        assert!(empty.text().contains("Enter your password"));

        let right = browser.sign_in("ADA@example.org", PASSWORD).await;
        assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", t.label);
        assert_eq!(location(&right), "/projects");
        let set_cookie = right.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(set_cookie.starts_with("svatlas_session="), "{set_cookie}");
        assert_contains(set_cookie, &["HttpOnly", "SameSite=Lax", "Path=/"]);
        assert!(
            !set_cookie.contains("Secure"),
            "plain http by default: {set_cookie}"
        );
        assert!(
            set_cookie.contains("Max-Age=28800"),
            "8 hours: {set_cookie}"
        );

        let account = browser.get_is("/account", 200).await;
        let html = account.text();
        assert_contains(&html, &["Ada Lovelace"]);
        assert!(html.contains("ada@example.org"));
        assert!(html.contains("Org A"));
    }
);

app_test!(
    sign_in_goes_back_to_local_pages_only_and_renews_the_session_id,
    |t, app| {
        ada_with(&t.store, &[]).await;
        // Signed out, a page sends you to sign in and back.
        let away = get(&app, "/account?x=1").await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&away), "/login?next=%2Faccount%3Fx%3D1");
        // A form sent while signed out cannot be repeated by a redirect: plain sign-in.
        let post = Browser::new(&app)
            .post("/account/tokens", &[("name", "x")])
            .await;
        assert_eq!(post.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&post), "/login");

        let mut browser = Browser::new(&app);
        let back = browser
            .post(
                "/login",
                &[
                    ("email", "ada@example.org"),
                    ("password", PASSWORD),
                    ("next", "/account?x=1"),
                ],
            )
            .await;
        assert_eq!(location(&back), "/account?x=1");
        let first_id = browser.cookie.clone().unwrap();

        for evil in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
        ] {
            let answer = browser
                .post(
                    "/login",
                    &[
                        ("email", "ada@example.org"),
                        ("password", PASSWORD),
                        ("next", evil),
                    ],
                )
                .await;
            assert_eq!(location(&answer), "/projects", "next={evil}");
        }
        // Signing in again while signed in draws a new session id; the old one is worthless.
        let new_id = browser.cookie.clone().unwrap();
        assert_ne!(first_id, new_id);
        let mut old = Browser {
            app: app.clone(),
            cookie: Some(first_id),
        };
        old.get_is("/account", 303).await;
        browser.get_is("/account", 200).await;
    }
);

#[tokio::test]
async fn the_session_cookie_is_secure_when_configured() {
    let t = svatlas_store::testing::sqlite().await;
    ada_with(&t.store, &[]).await;
    let config = Config {
        secure_cookies: true,
        ..Config::default()
    };
    let app = svatlas_web::app(AppState::new(t.store.clone(), config));
    let answer = Browser::new(&app)
        .sign_in("ada@example.org", PASSWORD)
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let set_cookie = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert_contains(set_cookie, &["; Secure"]);
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    t.finish().await;
}

store_backends_test!(
    five_wrong_passwords_lock_the_account_and_say_until_when,
    |t, app| {
        ada_with(&t.store, &[]).await;
        let mut browser = Browser::new(&app);
        for _ in 0..4 {
            let answer = browser.sign_in("ada@example.org", "wrong password!").await;
            assert!(
                answer
                    .text()
                    .contains("The email address or password is wrong")
            );
        }
        let fifth = browser.sign_in("ada@example.org", "wrong password!").await;
        let html = fifth.text_if(StatusCode::UNPROCESSABLE_ENTITY, t.label);
        assert_contains(
            &html,
            &[
                "This account is locked after too many wrong passwords",
                "Try again after",
                " UTC.",
            ],
        );
        // Even the right password is refused now.
        let right = browser.sign_in("ada@example.org", PASSWORD).await;
        right.assert_says(422, "This account is locked");
        assert!(browser.cookie.is_none());
    }
);

#[tokio::test]
async fn too_many_attempts_from_one_client_get_429_with_retry_after() {
    let t = svatlas_store::testing::sqlite().await;
    // The real budgets (10 per address and e-mail, 30 per address) over an hour instead of a
    // minute, so no attempt comes back while the test runs however slow the machine is.
    let config = Config {
        login_limits: LoginLimits {
            period: Duration::from_secs(3600),
            ..LoginLimits::default()
        },
        ..Config::default()
    };
    let app = svatlas_web::app(AppState::new(t.store.clone(), config));
    let mut browser = Browser::new(&app);
    for n in 0..10 {
        let answer = browser.sign_in("nobody@example.org", "some password").await;
        answer.text_if(StatusCode::UNPROCESSABLE_ENTITY, &format!("attempt {n}"));
    }
    let refused = browser.sign_in("Nobody@example.org", "some password").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (300..=361).contains(&retry),
        "one attempt back every 6 minutes: {retry}"
    );
    assert!(refused.text().contains("Too many sign-in attempts"));
    assert!(refused.text().contains(&format!("Wait {retry} seconds")));
    // Thirty for one address whatever the e-mail: 11 used above (a refused attempt counts).
    for n in 0..19 {
        let answer = browser
            .sign_in(&format!("user{n}@example.org"), "some password")
            .await;
        answer.text_if(StatusCode::UNPROCESSABLE_ENTITY, &format!("attempt {n}"));
    }
    let refused = browser.sign_in("someone.else@example.org", "x").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    t.finish().await;
}

app_test!(
    cross_site_form_posts_are_refused_and_same_origin_ones_accepted,
    |t, app| {
        ada_with(&t.store, &[]).await;
        let mut browser = signed_in(&app, "ada@example.org").await;
        let cookie = browser.cookie.clone().unwrap();
        let cross_site = |uri: &str, site: Option<&str>, origin: Option<&str>, body: String| {
            let mut request = Request::builder()
                .method(Method::POST)
                .uri(uri)
                .header(header::HOST, "localhost")
                .header(header::COOKIE, format!("svatlas_session={cookie}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(site) = site {
                request = request.header("sec-fetch-site", site);
            }
            if let Some(origin) = origin {
                request = request.header(header::ORIGIN, origin);
            }
            request.body(Body::from(body)).unwrap()
        };
        let token_form = form_body(&[("name", "planted")]);
        for (site, origin) in [
            (Some("cross-site"), Some("https://evil.example")),
            (Some("same-site"), None),
            (None, Some("https://evil.example")),
        ] {
            let answer = send(
                &app,
                cross_site("/account/tokens", site, origin, token_form.clone()),
            )
            .await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{site:?} {origin:?}");
            assert!(answer.text().contains("sent from another website"));
            let logout = send(&app, cross_site("/logout", site, origin, String::new())).await;
            assert_eq!(logout.status, StatusCode::FORBIDDEN);
        }
        let user = t
            .store
            .user_by_email(&Email::parse("ada@example.org").unwrap())
            .await
            .unwrap();
        assert!(
            t.store.api_tokens_of(user.id).await.unwrap().is_empty(),
            "a refused form did something"
        );
        // Still signed in: the refused logouts did nothing.
        browser.get_is("/account", 200).await;

        // The same form from this site, or from a client that sends no browser headers, works.
        let same = send(
            &app,
            cross_site(
                "/account/tokens",
                Some("same-origin"),
                Some("http://localhost"),
                token_form.clone(),
            ),
        )
        .await;
        same.text_if(StatusCode::OK, "same");
        let plain = send(&app, cross_site("/account/tokens", None, None, token_form)).await;
        assert_eq!(plain.status, StatusCode::OK);
        let same_host = send(
            &app,
            cross_site("/logout", None, Some("http://localhost"), String::new()),
        )
        .await;
        assert_eq!(same_host.status, StatusCode::SEE_OTHER);
    }
);

store_backends_test!(signing_out_ends_the_session, |t, app| {
    ada_with(&t.store, &[]).await;
    let mut browser = signed_in(&app, "ada@example.org").await;
    let old_cookie = browser.cookie.clone();
    let out = browser.expecting(303).post("/logout", &[]).await;
    assert_eq!(location(&out), "/");
    assert_eq!(session_cookie(&out), Some(None), "cookie removed");
    // The old cookie, sent again, no longer signs anyone in.
    let mut replay = Browser {
        app: app.clone(),
        cookie: old_cookie,
    };
    let answer = replay.get_is("/account", 303).await;
    assert_eq!(location(&answer), "/login?next=%2Faccount");
});

store_backends_test!(
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    |t, app| {
        ada_with(&t.store, &[]).await;
        let mut browser = signed_in(&app, "ada@example.org").await;
        let mut other_device = signed_in(&app, "ada@example.org").await;

        let change = |current: &'static str, new: &'static str, confirm: &'static str| {
            [
                ("current_password", current),
                ("new_password", new),
                ("confirm_password", confirm),
            ]
        };
        let wrong = browser
            .expecting(422)
            .post(
                "/account/password",
                &change("not it at all", NEW_PASSWORD, NEW_PASSWORD),
            )
            .await;
        assert!(wrong.text().contains("Your current password is wrong"));
        assert!(wrong.text().contains(r##"<a href="#current_password">"##));
        let short = browser
            .post("/account/password", &change(PASSWORD, "short", "short"))
            .await;
        short.assert_says(422, "Password must be at least 12 characters long");
        let mismatch = browser
            .post(
                "/account/password",
                &change(PASSWORD, NEW_PASSWORD, "something different"),
            )
            .await;
        assert!(mismatch.text().contains("The new passwords do not match"));

        let done = browser
            .post(
                "/account/password",
                &change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD),
            )
            .await;
        done.text_if(StatusCode::SEE_OTHER, t.label);
        assert_eq!(location(&done), "/account?done=password");
        // This session stays signed in; the other device is signed out.
        let page = browser.get_is("/account?done=password", 200).await;
        assert!(page.text().contains("Your password has been changed"));
        other_device.get_is("/account", 303).await;

        let mut fresh = Browser::new(&app);
        let old = fresh.sign_in("ada@example.org", PASSWORD).await;
        old.text_if(StatusCode::UNPROCESSABLE_ENTITY, "old password still works");
        let new = fresh.sign_in("ada@example.org", NEW_PASSWORD).await;
        assert_eq!(new.status, StatusCode::SEE_OTHER);
    }
);

/// The `sva_...` token shown on a page.
fn token_in(html: &str) -> String {
    let start = html.find("sva_").expect("a token on the page");
    html[start..start + 68].to_owned()
}

store_backends_test!(
    a_token_made_on_the_account_page_works_for_the_api_until_revoked,
    |t, app| {
        let ada = ada_with(&t.store, &[ADA2]).await;
        let mut browser = signed_in(&app, "ada@example.org").await;
        let nameless = browser.post("/account/tokens", &[("name", "  ")]).await;
        nameless.assert_says(422, "Enter a name for the token");

        let created = browser
            .expecting(200)
            .post("/account/tokens", &[("name", "reporting script")])
            .await;
        assert_eq!(created.headers[header::CACHE_CONTROL], "no-store");
        let html = created.text();
        assert!(html.contains("it will not be shown again"));
        let token = token_in(&html);
        assert!(token[4..].chars().all(|c| c.is_ascii_hexdigit()), "{token}");

        let me = bearer(&app, "/api/v1/me", &token).await;
        assert_eq!(me.status, StatusCode::OK, "{}: {}", t.label, me.text());
        let body = me.json();
        assert_eq!(body["email"], "ada@example.org");
        assert_eq!(body["name"], "Ada Lovelace");
        assert_eq!(body["id"], ada.user.id.to_string());
        assert_eq!(
            body["organisations"],
            serde_json::json!([{"id": ada.organisation.id, "name": "Org A", "role": "admin"}])
        );

        // The account page lists the token by name and prefix, never the whole token.
        let account = browser.get("/account").await.text();
        assert!(account.contains("reporting script"));
        assert!(account.contains(&token[..12]));
        assert!(!account.contains(&token), "the token is shown again");

        let tokens = t.store.api_tokens_of(ada.user.id).await.unwrap();
        let revoke = format!("/account/tokens/{}/revoke", tokens[0].id);
        let revoked = browser.expecting(303).post(&revoke, &[]).await;
        assert_eq!(location(&revoked), "/account?done=revoked");
        let refused = bearer(&app, "/api/v1/me", &token).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", t.label);
        assert_eq!(refused.headers[header::WWW_AUTHENTICATE], "Bearer");
        // Revoking again, or someone else's token, is not found.
        browser.expecting(404).post(&revoke, &[]).await;
        let mut other = signed_in(&app, "ada2@example.org").await;
        other
            .expecting(200)
            .post("/account/tokens", &[("name", "x")])
            .await;
        let bobs = t
            .store
            .api_tokens_of(
                t.store
                    .user_by_email(&Email::parse("ada2@example.org").unwrap())
                    .await
                    .unwrap()
                    .id,
            )
            .await
            .unwrap();
        browser
            .expecting(404)
            .post(&format!("/account/tokens/{}/revoke", bobs[0].id), &[])
            .await;
        assert!(bobs[0].revoked_at.is_none());
    }
);

app_test!(
    the_api_answers_401_without_a_valid_bearer_token,
    |t, app| {
        let ada = ada_with(&t.store, &[]).await;
        let none = get(&app, "/api/v1/me").await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        assert_eq!(none.headers[header::WWW_AUTHENTICATE], "Bearer");
        assert_eq!(none.json()["error"]["code"], "unauthorized");
        assert!(none.error_message().contains("Authorization: Bearer"));
        let fake = format!("sva_{}", "0".repeat(64));
        for token in ["nonsense", fake.as_str(), ""] {
            let answer = bearer(&app, "/api/v1/me", token).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{token:?}");
            assert_eq!(answer.json()["error"]["code"], "unauthorized");
        }
        // A token in another scheme, or a session cookie, does not authenticate the API.
        let real = t
            .store
            .create_api_token("cli", ada.user.id, "cli")
            .await
            .unwrap()
            .token;
        let basic = me_with(format!("Basic {real}"));
        assert_eq!(send(&app, basic).await.status, StatusCode::UNAUTHORIZED);
        let mut browser = signed_in(&app, "ada@example.org").await;
        browser.get_is("/api/v1/me", 401).await;
        // The scheme is case-insensitive.
        let lower = me_with(format!("bearer {real}"));
        assert_eq!(send(&app, lower).await.status, StatusCode::OK);
    }
);

store_backends_test!(an_organisation_is_visible_to_its_members_only, |t, app| {
    let ada = ada_with(&t.store, &[VIC, OUT]).await;
    let page = format!("/organisations/{}", ada.organisation.id);

    let mut outsider = signed_in(&app, "out@example.org").await;
    let hidden = outsider.get_is(&page, 404).await;
    assert!(!hidden.text().contains("Org A"), "the name leaks");
    outsider.get_is("/organisations/not-a-uuid", 404).await;
    outsider
        .get_is(&format!("/organisations/{}", uuid::Uuid::new_v4()), 404)
        .await;
    // Nor can they change anything there: still 404, nothing added.
    let refused = add_member(&mut outsider, &page, "out@example.org", "admin").await;
    answer_is(refused, 404, "adding a member");
    assert_eq!(
        t.store.members_of(ada.organisation.id).await.unwrap().len(),
        2
    );

    let mut viewer = signed_in(&app, "vic@example.org").await;
    let seen = viewer.get_is(&page, 200).await;
    let html = seen.text();
    assert_contains(&html, &["Ada Lovelace", "Vic Viewer (you)"]);
    assert!(!html.contains("Add a member"), "viewers get no admin forms");
    let forbidden = add_member(&mut viewer, &page, "x@example.org", "admin").await;
    forbidden.assert_says(403, "You do not have permission to do this");

    let mut admin = signed_in(&app, "ada@example.org").await;
    let managed = admin.get(&page).await.text();
    assert!(managed.contains("Add a member"));
    assert!(managed.contains("/audit"));

    let signed_out = get(&app, &page).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert!(location(&signed_out).starts_with("/login?next=%2Forganisations%2F"));
});

store_backends_test!(
    admins_add_change_and_remove_members_but_never_the_last_admin,
    |t, app| {
        let ada = ada_with(&t.store, &[BOB]).await;
        let org = ada.organisation.id;
        let page = format!("/organisations/{org}");
        let mut admin = signed_in(&app, "ada@example.org").await;

        // The only admin cannot leave or step down.
        let leave = admin
            .post(
                &format!("{page}/members/{}", ada.user.id),
                &[("action", "remove"), ("role", "admin")],
            )
            .await;
        let html = leave.text_if(StatusCode::UNPROCESSABLE_ENTITY, t.label);
        assert_contains(&html, &["An organisation must keep at least one admin"]);
        assert!(
            html.contains(&format!(r##"<a href="#role-{}">"##, ada.user.id)),
            "{html}"
        );
        admin
            .expecting(422)
            .post(
                &format!("{page}/members/{}", ada.user.id),
                &[("action", "role"), ("role", "viewer")],
            )
            .await;
        assert_eq!(t.store.members_of(org).await.unwrap()[0].role, Role::Admin);

        // An existing account joins with a role.
        let added = add_member(&mut admin, &page, "Bob@example.org", "editor").await;
        added.text_if(StatusCode::SEE_OTHER, t.label);
        assert_eq!(location(&added), format!("{page}?done=added"));
        let again = add_member(&mut admin, &page, "bob@example.org", "editor").await;
        again.assert_says(422, "bob@example.org is already a member");

        // A new address needs a name and a first password, then gets an account.
        let missing = add_member(&mut admin, &page, "cy@example.org", "viewer").await;
        missing.assert_says(422, "enter their full name");
        assert!(
            missing.text().contains(r#"value="cy@example.org""#),
            "typed email kept"
        );
        let bad_role = add_member(&mut admin, &page, "cy@example.org", "owner").await;
        assert!(bad_role.text().contains("Unknown role"));
        admin
            .expecting(303)
            .post(
                &format!("{page}/members"),
                &[
                    ("email", "cy@example.org"),
                    ("role", "viewer"),
                    ("name", "Cy Young"),
                    ("password", "first password 1"),
                ],
            )
            .await;
        let mut cy = Browser::new(&app);
        let login = cy.sign_in("cy@example.org", "first password 1").await;
        login.text_if(StatusCode::SEE_OTHER, "the new member can sign in");
        assert!(cy.get(&page).await.text().contains("Cy Young (you)"));

        // Roles change; members go.
        let bob = t
            .store
            .user_by_email(&Email::parse("bob@example.org").unwrap())
            .await
            .unwrap();
        let promoted = admin
            .post(
                &format!("{page}/members/{}", bob.id),
                &[("action", "role"), ("role", "admin")],
            )
            .await;
        assert_eq!(location(&promoted), format!("{page}?done=role"));
        let removed = admin
            .post(
                &format!("{page}/members/{}", bob.id),
                &[("action", "remove")],
            )
            .await;
        assert_eq!(location(&removed), format!("{page}?done=removed"));
        let emails: Vec<String> = t
            .store
            .members_of(org)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.email)
            .collect();
        assert_eq!(emails, ["ada@example.org", "cy@example.org"], "{}", t.label);
        admin
            .expecting(404)
            .post(
                &format!("{page}/members/{}", bob.id),
                &[("action", "remove")],
            )
            .await;
    }
);

store_backends_test!(
    the_audit_log_is_for_admins_and_never_shows_secrets,
    |t, app| {
        let ada = ada_with(&t.store, &[EVE, OUT]).await;
        let audit = format!("/organisations/{}/audit", ada.organisation.id);

        let mut editor = signed_in(&app, "eve@example.org").await;
        let refused = editor.get_is(&audit, 403).await;
        assert!(refused.text().contains("admin"));
        let mut outsider = signed_in(&app, "out@example.org").await;
        outsider.get_is(&audit, 404).await;

        let mut admin = signed_in(&app, "ada@example.org").await;
        admin
            .expecting(303)
            .post(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
            )
            .await;
        let token = token_in(
            &admin
                .post("/account/tokens", &[("name", "laptop")])
                .await
                .text(),
        );

        let log = admin.get_is(&audit, 200).await;
        let html = log.text();
        assert_contains(&html, &["change_password"]);
        assert!(html.contains("create_api_token"));
        assert!(html.contains("laptop"));
        assert!(html.contains("Eve Editor") || html.contains("eve@example.org"));
        assert!(
            !html.contains(&token[4..]),
            "{}: token in the audit page",
            t.label
        );
        assert!(
            !html.contains(NEW_PASSWORD) && !html.contains(PASSWORD),
            "password in the audit page"
        );
        assert!(!html.contains("$argon2"), "password hash in the audit page");

        let bad = admin.get(&format!("{audit}?page=abc")).await;
        bad.assert_says(422, "page must be a whole number");
        let beyond = admin.get(&format!("{audit}?page=2")).await;
        beyond.assert_says(200, "There are no entries on page 2");
    }
);
