//! The shipped area data, loaded once per test binary, and a router that serves it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::Router;
use svatlas_areas::{AreaFrame, Boundaries};
use svatlas_store::testing::TestStore;
use svatlas_web::{AppState, Config};

/// `data/` at the repository root.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// Every shipped dataset in one frame, built once and shared by every test.
pub fn frame() -> Arc<AreaFrame> {
    static FRAME: OnceLock<Arc<AreaFrame>> = OnceLock::new();
    Arc::clone(FRAME.get_or_init(|| {
        let bundles = svatlas_areas::ingest::load_all(&data_dir(), &mut |_, _, _| {})
            .expect("shipped data loads");
        Arc::new(AreaFrame::from_bundles(&bundles).expect("frame builds"))
    }))
}

/// The shipped simplified boundaries, loaded once per test binary.
pub fn boundaries() -> Arc<Boundaries> {
    static BOUNDARIES: OnceLock<Arc<Boundaries>> = OnceLock::new();
    Arc::clone(BOUNDARIES.get_or_init(|| {
        let dir = data_dir().join(svatlas_areas::boundaries::SIMPLIFIED_DIR);
        Arc::new(Boundaries::load(&dir).expect("shipped boundaries load"))
    }))
}

/// The router with area data and map boundaries.
pub fn area_app(t: &TestStore) -> Router {
    svatlas_web::app(area_state(t))
}

/// A fresh SQLite store and [`area_app`] over it (`t.finish()` removes the store).
pub async fn area_sqlite() -> (TestStore, Router) {
    let t = svatlas_store::testing::sqlite().await;
    let app = area_app(&t);
    (t, app)
}

/// The state behind [`area_app`], for calling page helpers directly.
pub fn area_state(t: &TestStore) -> AppState {
    AppState::with_areas(t.store.clone(), Config::default(), frame()).with_boundaries(boundaries())
}
