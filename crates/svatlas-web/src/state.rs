//! Shared application state.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use svatlas_areas::needs::{self, NeedMapping};
use svatlas_areas::{AreaFrame, Boundaries};
use svatlas_store::Store;

use crate::area_data::AreaData;
use crate::error::AppError;
use crate::maps::MapData;

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

#[derive(Clone)]
struct Inner {
    store: Store,
    config: Config,
    areas: Option<Arc<AreaData>>,
    needs: Option<Arc<Vec<NeedMapping>>>,
    maps: Option<Arc<MapData>>,
}

impl AppState {
    /// Builds the state around an opened, migrated store.
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                areas: None,
                needs: None,
                maps: None,
            }),
        }
    }

    /// Builds the state with the area data held in memory for the local-need pages and API.
    pub fn with_areas(store: Store, config: Config, areas: Arc<AreaFrame>) -> Self {
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                areas: Some(Arc::new(AreaData::new(areas))),
                needs: None,
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

    /// The web settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}
