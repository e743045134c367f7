//! Shared application state.

use std::sync::Arc;
use std::time::Duration;

use svatlas_store::Store;

/// Limits and settings of the web layer.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest accepted request body in bytes.
    pub body_limit: usize,
    /// Longest a request may take before it is answered with 408.
    pub request_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: Config,
}

impl AppState {
    /// Builds the state around an opened, migrated store.
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            inner: Arc::new(Inner { store, config }),
        }
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The web settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}
