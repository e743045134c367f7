//! Test definitions, so that a test states only what it checks: each names what it runs on,
//! and the store it made is removed when the body returns.
//!
//! - `area_test!(name, |app| { ... })`: `app`, the router with the shipped area data
//!   ([`crate::need::area_helpers::area_app`]) over one fresh SQLite store; `app_test!` the same
//!   with the plain router ([`crate::platform::helpers::app`]); `|t, app|` names the store too.
//! - `store_backends_test!(name, |t, app| { ... })`: once per available backend, `t` a fresh
//!   store and `app` the plain router over it.
//! - `people_test!(name, |t| { ... })`: `t`, a [`crate::platform::app::TestApp`] with its
//!   people over one fresh SQLite store; `backends_test!` once per available backend;
//!   `|t, p|` names `t.people` too.

/// A test named `name` over `setup()`'s store and router.
macro_rules! sqlite_test {
    ($setup:path, $name:ident, |$app:ident| $body:block) => {
        sqlite_test!($setup, $name, |t, $app| $body);
    };
    ($setup:path, $name:ident, |$t:ident, $app:ident| $body:block) => {
        #[tokio::test]
        async fn $name() {
            let ($t, $app) = $setup().await;
            $body
            $t.finish().await;
        }
    };
}

macro_rules! area_test {
    ($($test:tt)*) => {
        sqlite_test!($crate::need::area_helpers::area_sqlite, $($test)*);
    };
}

macro_rules! app_test {
    ($($test:tt)*) => {
        sqlite_test!($crate::platform::helpers::sqlite_app, $($test)*);
    };
}

macro_rules! store_backends_test {
    ($name:ident, |$t:ident, $app:ident| $body:block) => {
        #[tokio::test]
        async fn $name() {
            for $t in svatlas_store::testing::all_backends().await {
                let $app = $crate::platform::helpers::app(&$t);
                $body
                $t.finish().await;
            }
        }
    };
}

/// A test named `name` on each [`crate::platform::app::TestApp`] that `apps` makes.
macro_rules! apps_test {
    ($apps:expr, $name:ident, |$t:ident $(, $p:ident)?| $body:block) => {
        #[tokio::test]
        async fn $name() {
            for $t in $apps {
                $(let $p = &$t.people;)?
                $body
                $t.finish().await;
            }
        }
    };
}

macro_rules! people_test {
    ($($test:tt)*) => {
        apps_test!(
            [$crate::platform::app::TestApp::new(svatlas_store::testing::sqlite().await).await],
            $($test)*
        );
    };
}

macro_rules! backends_test {
    ($($test:tt)*) => {
        apps_test!($crate::platform::app::TestApp::all_backends().await, $($test)*);
    };
}
