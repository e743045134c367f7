//! Pure area-data engine for sv-atlas: open deprivation and population data for UK small areas,
//! loaded from the shipped files in `data/` into plain records ([`ingest`]), held in memory as
//! column vectors ([`frame`]) and analysed ([`summary`], [`stats`], [`similar`], [`change`], [`needs`]).
//!
//! No database, no HTTP, no async: the store persists [`ingest::DatasetBundle`]s and the web
//! layer builds an [`frame::AreaFrame`] from them (or from rows read back from the store).

pub mod boundaries;
pub mod catalog;
pub mod change;
pub mod frame;
pub mod geography;
pub mod ingest;
pub mod needs;
pub mod similar;
pub mod stats;
pub mod summary;

pub use boundaries::Boundaries;
pub use catalog::{Dataset, Indicator};
pub use frame::AreaFrame;
pub use geography::{Area, AreaType, Edition};
pub use ingest::{DatasetBundle, IndicatorColumn, IngestError};
pub use summary::Summary;

#[cfg(test)]
pub(crate) mod testdata;
