//! Where each proxy value comes from and under which licence, for the "sources and licence"
//! parts of the PDF and the workbook.

use svatlas_domain::calculator::{ProjectReport, ProxyLibrary, ProxyValue};

use crate::format;

/// The attribution statement the Open Government Licence v3.0 asks for.
pub(crate) const OGL_STATEMENT: &str =
    "Contains public sector information licensed under the Open Government Licence v3.0.";

/// What every export says about proxies, so nobody takes them for sv-atlas's own figures.
pub(crate) const PROXY_NOTE: &str = "Each financial proxy keeps its own source, price year and \
     licence, listed with it; sv-atlas's shipped proxy library takes values only from open UK \
     public sources and never ships proprietary libraries (National TOMs, HACT).";

/// One distinct proxy used in the report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SourceRow {
    /// The proxy as copied onto the outcome(s).
    pub proxy: ProxyValue,
    /// Outcomes valued with it, in report order.
    pub used_by: Vec<String>,
    /// Licence of the value, as the shipped library states it, or who vouches for it.
    pub licence: String,
    /// How far the value was confirmed.
    pub verification: String,
    /// Whether the licence is the Open Government Licence.
    pub ogl: bool,
}

/// Distinct proxies in the order first used.
pub(crate) fn source_rows(report: &ProjectReport) -> Vec<SourceRow> {
    let library = ProxyLibrary::shipped();
    let mut rows: Vec<SourceRow> = Vec::new();
    for outcome in &report.outcomes {
        if let Some(row) = rows.iter_mut().find(|r| r.proxy == outcome.proxy) {
            row.used_by.push(outcome.description.clone());
            continue;
        }
        // Only a library row whose value still matches is credited with the library's licence:
        // an edited copy is the user's own figure.
        let shipped = outcome
            .proxy
            .proxy_id
            .as_deref()
            .and_then(|id| library.get(id))
            .filter(|p| {
                p.value_gbp == outcome.proxy.value_gbp && p.price_year == outcome.proxy.price_year
            });
        let (licence, verification) = match (shipped, &outcome.proxy.proxy_id) {
            (Some(p), _) => (
                p.licence.clone(),
                format::verification(p.verification).to_string(),
            ),
            (None, Some(_)) => (
                "As your organisation records it".to_string(),
                "Your organisation's proxy".to_string(),
            ),
            (None, None) => (
                "Not stated".to_string(),
                "Entered for this project".to_string(),
            ),
        };
        rows.push(SourceRow {
            ogl: licence.contains("OGL") || licence.contains("Open Government Licence"),
            proxy: outcome.proxy.clone(),
            used_by: vec![outcome.description.clone()],
            licence,
            verification,
        });
    }
    rows
}
