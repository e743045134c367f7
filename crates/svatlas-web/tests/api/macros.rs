//! Tests over one fresh SQLite store, so that a test states only what it checks.
//!
//! `area_test!(name, |app| { ... })` runs the body with `app`, the router with the shipped area
//! data ([`crate::need::area_helpers::area_app`]); `app_test!` with the plain router
//! ([`crate::platform::helpers::app`]). `|t, app|` names the store too. The store is removed
//! when the body returns.

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

/// `backends_test!(name, |t| { ... })`: a test that runs the body once per available backend,
/// `t` a [`crate::platform::app::TestApp`] over a fresh store, removed after each run;
/// `|t, p|` names its people too.
macro_rules! backends_test {
    ($name:ident, |$t:ident, $p:ident| $body:block) => {
        backends_test!($name, |$t| {
            let $p = &$t.people;
            $body
        });
    };
    ($name:ident, |$t:ident| $body:block) => {
        #[tokio::test]
        async fn $name() {
            for $t in $crate::platform::app::TestApp::all_backends().await {
                $body
                $t.finish().await;
            }
        }
    };
}

/// `store_backends_test!(name, |t, app| { ... })`: a test that runs the body once per available
/// backend, `t` a fresh store and `app` the plain router over it; the store is removed after each
/// run.
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

/// `people_test!(name, |t| { ... })`: a test on `t`, a [`crate::platform::app::TestApp`] over
/// one fresh SQLite store, removed after.
macro_rules! people_test {
    ($name:ident, |$t:ident| $body:block) => {
        #[tokio::test]
        async fn $name() {
            let $t = $crate::platform::app::TestApp::new(svatlas_store::testing::sqlite().await).await;
            $body
            $t.finish().await;
        }
    };
}
