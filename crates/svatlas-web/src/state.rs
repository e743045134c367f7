//! Shared application state.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use svatlas_areas::ingest::PostcodeIndex;
use svatlas_areas::needs::{self, NeedMapping};
use svatlas_areas::{AreaFrame, Boundaries};
use svatlas_store::Store;

use crate::accounts::login_limit::{LoginLimiter, LoginLimits};
use crate::need::area_data::AreaData;
use crate::need::maps::MapData;
use crate::platform::error::AppError;

/// The shipped domain -> Social Value Model mapping, built into the binary so the server needs
/// no data directory for it; [`AppState::with_needs`] replaces it (e.g. with an edited copy).
const SHIPPED_NEEDS_MAPPING: &str = include_str!("../../../data/need-to-svm.csv");

/// Limits and settings of the web layer.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest accepted request body in bytes.
    pub body_limit: usize,
    /// Longest a request may take before it is answered with 408.
    pub request_timeout: Duration,
    /// Mark the session cookie `Secure` (browsers then send it over HTTPS only). Off by default
    /// so `http://localhost` works; turn it on behind HTTPS.
    pub secure_cookies: bool,
    /// Sign-in attempts allowed per client (see [`crate::accounts::login_limit`]).
    pub login_limits: LoginLimits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            secure_cookies: false,
            login_limits: LoginLimits::default(),
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    store: Store,
    config: Config,
    areas: Option<Arc<AreaData>>,
    needs: Option<Arc<Vec<NeedMapping>>>,
    /// The postcode lookup, filled in the background after start; None when not configured.
    postcodes: Option<Arc<PostcodeSlot>>,
    maps: Option<Arc<MapData>>,
    /// Sign-in attempts per client, shared by every request of this server.
    login_limiter: Arc<LoginLimiter>,
}

/// The postcode lookup once loaded, or why loading failed.
type PostcodeSlot = OnceLock<Result<Arc<PostcodeIndex>, String>>;

/// Whether the postcode lookup can answer now.
pub enum Postcodes<'a> {
    /// The server was started without it.
    Unavailable,
    /// Still loading (a few seconds after start).
    Loading,
    /// Loading failed; the cause is logged.
    Failed,
    /// Ready.
    Ready(&'a PostcodeIndex),
}

impl AppState {
    /// Builds the state around an opened, migrated store.
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            inner: Arc::new(Inner {
                // Before `config` moves in.
                login_limiter: Arc::new(LoginLimiter::new(config.login_limits)),
                store,
                config,
                areas: None,
                needs: None,
                postcodes: None,
                maps: None,
            }),
        }
    }

    /// Builds the state with the area data held in memory for the local-need pages and API.
    pub fn with_areas(store: Store, config: Config, areas: Arc<AreaFrame>) -> Self {
        AppState {
            inner: Arc::new(Inner {
                // Before `config` moves in.
                login_limiter: Arc::new(LoginLimiter::new(config.login_limits)),
                store,
                config,
                areas: Some(Arc::new(AreaData::new(areas))),
                needs: None,
                postcodes: None,
                maps: None,
            }),
        }
    }

    /// Uses this domain -> Social Value Model mapping (e.g. `needs::load_mapping(data_dir)`)
    /// instead of the copy of `data/need-to-svm.csv` built into the binary.
    #[must_use]
    pub fn with_needs(mut self, mapping: Vec<NeedMapping>) -> Self {
        Arc::make_mut(&mut self.inner).needs = Some(Arc::new(mapping));
        self
    }

    /// Loads the postcode lookup (`postcode_lookup/` in the data folder, about 60 MB in memory)
    /// on a background thread, so the server starts at once; postcode searches say "loading"
    /// until it is ready.
    #[must_use]
    pub fn with_postcodes(mut self, data_dir: PathBuf) -> Self {
        let slot = Arc::new(OnceLock::new());
        Arc::make_mut(&mut self.inner).postcodes = Some(Arc::clone(&slot));
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let loaded = svatlas_areas::ingest::postcodes(&data_dir);
            match &loaded {
                Ok(index) => tracing::info!(
                    postcodes = index.len(),
                    seconds = started.elapsed().as_secs_f64(),
                    "postcode lookup loaded"
                ),
                Err(e) => tracing::error!(error = %e, "postcode lookup failed to load"),
            }
            let _ = slot.set(loaded.map(Arc::new).map_err(|e| e.to_string()));
        });
        self
    }

    /// Uses an already loaded postcode lookup (tests share one between servers).
    #[must_use]
    pub fn with_postcode_index(mut self, index: Arc<PostcodeIndex>) -> Self {
        let slot = OnceLock::new();
        let _ = slot.set(Ok(index));
        Arc::make_mut(&mut self.inner).postcodes = Some(Arc::new(slot));
        self
    }

    /// The postcode lookup, if this server has it and it has finished loading.
    pub fn postcodes(&self) -> Postcodes<'_> {
        match self.inner.postcodes.as_deref().map(OnceLock::get) {
            None => Postcodes::Unavailable,
            Some(None) => Postcodes::Loading,
            Some(Some(Err(_))) => Postcodes::Failed,
            Some(Some(Ok(index))) => Postcodes::Ready(index),
        }
    }

    /// Fills the area caches on a background thread (see [`AreaData::warm`]); requests are
    /// served meanwhile and simply compute what they need if they come first.
    pub fn warm_caches(&self) {
        if let Some(data) = self.inner.areas.clone() {
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                data.warm();
                tracing::info!(
                    seconds = started.elapsed().as_secs_f64(),
                    "area caches warmed"
                );
            });
        }
    }

    /// Draws maps from these boundaries (`Boundaries::load(data_dir/boundaries/simplified)`);
    /// without them pages show their tables and no map.
    #[must_use]
    pub fn with_boundaries(mut self, boundaries: Arc<Boundaries>) -> Self {
        Arc::make_mut(&mut self.inner).maps = Some(Arc::new(MapData::new(boundaries)));
        self
    }

    /// The boundary layers, when loaded.
    pub fn maps(&self) -> Option<&MapData> {
        self.inner.maps.as_deref()
    }

    /// The area data, or 503 when the server was started without it.
    pub fn areas(&self) -> Result<&AreaFrame, AppError> {
        self.area_data().map(AreaData::frame)
    }

    /// The area data with its caches, or 503 when the server was started without it.
    pub(crate) fn area_data(&self) -> Result<&AreaData, AppError> {
        self.inner
            .areas
            .as_deref()
            .ok_or(AppError::AreasUnavailable)
    }

    /// The domain -> Social Value Model mapping used by the needs ranking.
    pub fn needs_mapping(&self) -> Result<&[NeedMapping], AppError> {
        if let Some(mapping) = &self.inner.needs {
            return Ok(mapping);
        }
        static SHIPPED: OnceLock<Result<Vec<NeedMapping>, String>> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                needs::mapping_from_reader(
                    std::io::Cursor::new(SHIPPED_NEEDS_MAPPING.as_bytes()),
                    needs::MAPPING_FILE,
                )
                .map_err(|e| e.to_string())
            })
            .as_deref()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("shipped needs mapping: {e}")))
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The sign-in rate limiter.
    pub fn login_limiter(&self) -> &LoginLimiter {
        &self.inner.login_limiter
    }

    /// The web settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}
