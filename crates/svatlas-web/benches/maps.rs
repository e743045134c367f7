//! Drawing the England district map (296 districts, the home page map) from the shipped data
//! and boundaries, loaded once outside the timed loop. Path data is built once per layer on
//! first use (as on a running server), so the loop times what a request does.

use std::hint::black_box;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use svatlas_areas::geography::AreaType;
use svatlas_areas::{AreaFrame, Boundaries, boundaries, ingest};
use svatlas_web::need::maps::{MapData, england_district_map};

fn bench(c: &mut Criterion) {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let bundles = ingest::load_all(&data, &mut |_, _, _| {}).expect("shipped data loads");
    let frame = AreaFrame::from_bundles(&bundles).expect("frame builds");
    let layers = Boundaries::load_only(&data.join(boundaries::SIMPLIFIED_DIR), &[AreaType::Lad24])
        .expect("boundaries load");
    let maps = MapData::new(Arc::new(layers));
    let svg = england_district_map(&frame, &maps).expect("map draws");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(svg.as_bytes()).expect("gzip");
    eprintln!(
        "England district map: {} bytes, {} bytes gzipped",
        svg.len(),
        gz.finish().expect("gzip").len()
    );
    c.bench_function("england district map (296 LAD24)", |b| {
        b.iter(|| england_district_map(black_box(&frame), black_box(&maps)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
