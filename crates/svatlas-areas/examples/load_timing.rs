//! Measure load and summary times on the shipped data: `cargo run --release --example load_timing`.

use std::path::PathBuf;
use std::time::Instant;

use svatlas_areas::geography::Edition;
use svatlas_areas::{AreaFrame, ingest, summary};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let t = Instant::now();
    let bundles = ingest::load_all(&data, &mut |ds, done, total| {
        println!("  {ds:<12} {done}/{total} at {:?}", t.elapsed());
    })?;
    let values: usize = bundles.iter().map(|b| b.value_count()).sum();
    let indicators: usize = bundles.iter().map(|b| b.indicators.len()).sum();
    println!(
        "load_all: {:?} ({} bundles, {indicators} indicators, {values} values)",
        t.elapsed(),
        bundles.len()
    );
    let t = Instant::now();
    let frame = AreaFrame::from_bundles(&bundles)?;
    println!(
        "frame: {:?} (diagnostics {:?})",
        t.elapsed(),
        frame.diagnostics()
    );
    for edition in Edition::ALL {
        let t = Instant::now();
        let _ = summary::lad_summaries(&frame, edition);
        println!(
            "lad_summaries {edition:?} (first call, builds index): {:?}",
            t.elapsed()
        );
        let t = Instant::now();
        let n = 20;
        for _ in 0..n {
            let _ = summary::lad_summaries(&frame, edition);
        }
        println!("lad_summaries {edition:?}: {:?} per call", t.elapsed() / n);
    }
    let t = Instant::now();
    let pc = ingest::postcodes(&data)?;
    println!("postcodes: {:?} ({} postcodes)", t.elapsed(), pc.len());
    Ok(())
}
