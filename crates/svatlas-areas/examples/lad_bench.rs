//! Profile helper: time the parts of `summary::lad_summaries` for IoD2019.

use std::path::PathBuf;
use std::time::Instant;

use svatlas_areas::geography::{AreaType, Edition};
use svatlas_areas::{AreaFrame, ingest, summary};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let bundles = ingest::load_all(&data, &mut |_, _, _| {})?;
    let frame = AreaFrame::from_bundles(&bundles)?;
    let _ = summary::lad_summaries(&frame, Edition::Iod2019);
    let codes: Vec<String> = frame
        .areas(AreaType::Lad19)
        .iter()
        .map(|a| a.code.clone())
        .collect();
    let sets: Vec<Vec<&str>> = codes
        .iter()
        .map(|c| {
            frame
                .lsoas_in(c, Edition::Iod2019)
                .into_iter()
                .map(|a| a.code.as_str())
                .collect()
        })
        .collect();
    let t = Instant::now();
    for s in sets.iter().filter(|s| !s.is_empty()) {
        let _ = summary::summarise(&frame, Edition::Iod2019, s);
    }
    println!("317 x summarise: {:?}", t.elapsed());
    let t = Instant::now();
    for _ in 0..2000 {
        std::hint::black_box(summary::lad_summaries(&frame, Edition::Iod2019));
    }
    println!("lad_summaries: {:?}", t.elapsed() / 2000);
    Ok(())
}
