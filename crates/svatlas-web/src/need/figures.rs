//! What each explorer page shows, built once: the page renders these figures and its
//! CSV/XLSX/JSON download (`format=` on the same URL) writes the same figures as a table.

pub mod compare;
pub mod correlations;
pub mod data;
pub mod maps;
pub mod rankings;
pub mod search;

use svatlas_areas::AreaFrame;

use crate::platform::download::Source;

/// The source of a dataset id, if it is in the catalogue.
pub fn source_of(frame: &AreaFrame, dataset: &str) -> Option<Source> {
    frame
        .datasets()
        .iter()
        .find(|d| d.id == dataset)
        .map(Source::of)
}

/// The distinct sources of some datasets, in the order first named.
pub fn sources_of<'a>(
    frame: &AreaFrame,
    datasets: impl IntoIterator<Item = &'a str>,
) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for id in datasets {
        if !out.iter().any(|s| s.id == id)
            && let Some(s) = source_of(frame, id)
        {
            out.push(s);
        }
    }
    out
}

/// " in <name>" for a `within` code, or nothing.
pub fn within_label(frame: &AreaFrame, within: Option<&str>) -> String {
    within
        .map(|w| format!(" in {}", frame.area(w).map_or(w, |a| a.name.as_str())))
        .unwrap_or_default()
}
