//! Writes the test fixtures' reports (METHOD.md worked example 1, an evaluative project and a
//! new project with no figures yet)
//! as PDF, XLSX and CSV into a folder, to look at them:
//! `cargo run -p svatlas-report --example sample_reports -- /tmp/report-samples`.

#[path = "../tests/report/fixtures.rs"]
mod fixtures;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "report-samples".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let meta = fixtures::meta();
    for (name, report) in [
        ("example-1", fixtures::example_one()),
        ("evaluative", fixtures::evaluative()),
        ("new-project", fixtures::empty()),
    ] {
        std::fs::write(
            dir.join(format!("{name}.pdf")),
            svatlas_report::pdf(&report, &meta)?,
        )?;
        std::fs::write(
            dir.join(format!("{name}.xlsx")),
            svatlas_report::xlsx(&report, &meta)?,
        )?;
        std::fs::write(
            dir.join(format!("{name}.csv")),
            svatlas_report::csv(&report, &meta),
        )?;
    }
    println!("wrote reports to {}", dir.display());
    Ok(())
}
