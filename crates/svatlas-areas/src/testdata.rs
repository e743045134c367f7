//! Shared test fixture: the real shipped data, loaded once per test binary.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::frame::AreaFrame;
use crate::ingest::{self, DatasetBundle};

/// `data/` at the repository root.
pub(crate) fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// All shipped bundles, loaded once.
pub(crate) fn bundles() -> &'static [DatasetBundle] {
    static BUNDLES: OnceLock<Vec<DatasetBundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        let started = std::time::Instant::now();
        let bundles = ingest::load_all(&data_dir(), &mut |_, _, _| {}).expect("shipped data loads");
        eprintln!("load_all took {:?}", started.elapsed());
        bundles
    })
}

/// Frame over all shipped data, built once.
pub(crate) fn frame() -> &'static AreaFrame {
    static FRAME: OnceLock<AreaFrame> = OnceLock::new();
    FRAME.get_or_init(|| AreaFrame::from_bundles(bundles()).expect("frame builds"))
}
