//! A project's SROI report as files people take away: a PDF to read and defend ([`pdf`], typst,
//! feature `pdf`, on by default), a workbook whose figures can be checked with live formulas
//! ([`xlsx`]) and a flat CSV of the outcomes ([`csv`]).
//!
//! Every renderer reads the same [`ProjectReport`] (built by
//! [`svatlas_domain::calculator::build_report`]) and formats figures the way the web report does
//! ([`svatlas_domain::sroi::display`]), so a figure reads the same in every format. Rendering is
//! deterministic: the same report and [`ReportMeta`] give the same bytes (CSV, XLSX) or the same
//! text (PDF).
//!
//! User text never becomes markup: the PDF template receives its data as JSON through a virtual
//! file, and spreadsheet cells that could be read as formulas are prefixed with an apostrophe.

#![warn(missing_docs)]

pub mod bid_file;
#[cfg(feature = "pdf")]
pub mod contract_pdf;
mod csv_export;
mod format;
#[cfg(feature = "pdf")]
mod pdf_export;
mod sources;
mod xlsx_export;

use svatlas_domain::frameworks::BristolAccord;

pub use csv_export::csv;
#[cfg(feature = "pdf")]
pub use pdf_export::pdf;
pub use xlsx_export::xlsx;

#[doc(no_inline)]
pub use svatlas_domain::calculator::ProjectReport;

/// What a report says about itself beyond the project's own figures.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportMeta {
    /// Organisation the project belongs to.
    pub organisation: String,
    /// Date the file was made, as people write it ("23 November 2026"). Passed in rather than
    /// read from the clock so the same inputs always render the same file.
    pub generated_on: String,
    /// Label of a frozen version ("Version 2: Board paper"); none for the live project.
    pub version: Option<String>,
}

/// Why a report could not be rendered. None of these come from user input: the report was
/// validated when it was built, so each is a defect or resource problem to log.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The spreadsheet writer failed.
    #[error("could not write the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The report data could not be serialised for the PDF template.
    #[error("could not prepare the report data: {0}")]
    Data(#[from] serde_json::Error),
    /// The PDF template failed to compile (its messages are joined).
    #[error("could not lay out the PDF report: {0}")]
    Typeset(String),
    /// The laid-out report could not be written as PDF.
    #[error("could not write the PDF: {0}")]
    Pdf(String),
}

/// Colours of the eight Bristol Accord components in charts, indexed by
/// [`BristolAccord::number`]` - 1`: the Okabe-Ito palette (Okabe and Ito, "Color Universal
/// Design", 2002), chosen to stay distinct for the common colour-vision deficiencies, with
/// black moved last. Charts draw a dark outline around every bar so that light colours (yellow)
/// still meet 3:1 contrast against white, and always print the component's name beside its
/// colour so colour is never the only cue.
pub const COMPONENT_COLOURS: [&str; 8] = [
    "#E69F00", // 1 Active, inclusive and safe: orange
    "#56B4E9", // 2 Well run: sky blue
    "#009E73", // 3 Environmentally sensitive: bluish green
    "#F0E442", // 4 Well designed and built: yellow
    "#0072B2", // 5 Well connected: blue
    "#D55E00", // 6 Thriving: vermillion
    "#CC79A7", // 7 Well served: reddish purple
    "#000000", // 8 Fair for everyone: black
];

/// The chart colour of a Bristol Accord component (from [`COMPONENT_COLOURS`]).
pub fn component_colour(component: BristolAccord) -> &'static str {
    // number() is 1..=8 by construction, so the index is always in range.
    COMPONENT_COLOURS[usize::from(component.number().clamp(1, 8)) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_component_has_its_own_colour() {
        let mut seen: Vec<&str> = BristolAccord::all()
            .into_iter()
            .map(component_colour)
            .collect();
        assert_eq!(component_colour(BristolAccord::Thriving), "#D55E00");
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 8);
    }
}
