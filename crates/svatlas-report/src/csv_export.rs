//! The report as CSV: `# ` lines with the headline figures and provenance, then one table with a
//! row per outcome.

use svatlas_domain::calculator::ProjectReport;
use svatlas_domain::sroi::display::round_money;

use crate::{ReportMeta, format, sources};

/// Column headers of the outcome table, in order.
pub(crate) const HEADERS: [&str; 19] = [
    "Outcome",
    "Bristol Accord component",
    "Stakeholder",
    "Proxy",
    "Proxy value (£ per unit per year)",
    "Unit",
    "Proxy price year",
    "Proxy source",
    "Quantity (forecast)",
    "Quantity (actual)",
    "Duration (years)",
    "Start year",
    "Leakage",
    "Deadweight",
    "Displacement",
    "Attribution",
    "Drop-off",
    "PV gross (£)",
    "PV net (£)",
];

/// The report as UTF-8 CSV: `# ` comment lines (title, organisation, mode, price base year,
/// headline figures, engine version, content hash, generation date, a note that proxies keep
/// their own source and licence), then a header row and one row per outcome. Shares are
/// fractions (0.25 = 25%); present values are £ to 2 dp. User text that a spreadsheet would
/// read as a formula starts with an apostrophe.
pub fn csv(report: &ProjectReport, meta: &ReportMeta) -> String {
    let mut out = String::new();
    for line in comment_lines(report, meta) {
        out.push_str("# ");
        out.push_str(&line);
        out.push('\n');
    }
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail, and every record has the same length; should it fail all
    // the same, the table is left out rather than the server panicking.
    let _ = writer.write_record(HEADERS);
    for (entry, figures) in report.outcomes.iter().zip(&report.result.outcomes) {
        let record = [
            text(&entry.description),
            text(entry.bristol_accord.label()),
            text(entry.stakeholder.as_deref().unwrap_or("")),
            text(&entry.proxy.name),
            plain(entry.proxy.value_gbp),
            text(&entry.proxy.unit),
            text(&entry.proxy.price_year),
            text(&entry.proxy.source),
            plain(entry.quantity),
            entry.actual_quantity.map(plain).unwrap_or_default(),
            entry.duration_years.to_string(),
            entry.start_year.to_string(),
            plain(entry.leakage),
            plain(entry.deadweight),
            plain(entry.displacement),
            plain(entry.attribution),
            plain(entry.dropoff),
            pounds(figures.pv_gross),
            pounds(figures.pv_net),
        ];
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

fn comment_lines(report: &ProjectReport, meta: &ReportMeta) -> Vec<String> {
    let r = &report.result;
    let d = &report.details;
    let mut lines = vec![
        format!("Social return on investment report: {}", comment(&d.name)),
        format!("Organisation: {}", comment(&meta.organisation)),
    ];
    if let Some(version) = &meta.version {
        lines.push(format!("Version: {}", comment(version)));
    }
    lines.extend([
        format!(
            "Mode: {}; price base year {}",
            d.mode.label(),
            d.price_base_year
        ),
        format!("Net social return: {}", format::ratio(r.sroi_ratio)),
        format!("Gross social return: {}", format::ratio(r.gross_ratio)),
        format!(
            "Present value of benefits: gross {}, net {}; present value of inputs {}; net present value {}",
            format::money(r.pv_gross),
            format::money(r.pv_net),
            format::money(r.inputs),
            format::money(r.npv)
        ),
        format!(
            "Payback: {} (SROI Guide); {} (discounted)",
            format::payback_months(r.payback_months_guide),
            format::payback_years(r.payback_years_discounted)
        ),
        format!(
            "RAG: {} ({})",
            format::rag_word(r.rag),
            format::rag_meaning(
                r.rag,
                &report.project.rag_thresholds.unwrap_or_default()
            )
        ),
        format!("Engine version: {}", report.engine_version),
        format!("Content hash (SHA-256): {}", report.content_hash),
        format!("Generated: {}", comment(&meta.generated_on)),
        format!("Proxies: {}", sources::PROXY_NOTE),
        "Columns: shares are fractions (0.25 = 25%); PV = present value in £, rounded to the penny."
            .to_string(),
    ]);
    lines
}

/// User text in a cell: spreadsheet formula triggers neutralised with a leading apostrophe.
pub(crate) fn text(s: &str) -> String {
    if starts_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Whether a spreadsheet would read this text as a formula (OWASP's CSV injection list).
pub(crate) fn starts_like_formula(s: &str) -> bool {
    matches!(
        s.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
    )
}

/// User text inside a `#` line: kept on one line, and any piece a spreadsheet would split off
/// at a comma guarded like a cell.
fn comment(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    one_line
        .split(',')
        .enumerate()
        .map(|(i, piece)| {
            if i == 0 {
                piece.to_string()
            } else {
                text(piece)
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A number as entered (shortest form that round-trips).
fn plain(x: f64) -> String {
    x.to_string()
}

/// Pounds to the penny, no separators (`137487.64`).
fn pounds(x: f64) -> String {
    format!("{:.2}", round_money(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_triggers_are_guarded() {
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text("@cmd"), "'@cmd");
        assert_eq!(text("Into work"), "Into work");
        assert_eq!(comment("a,=1+1\nb"), "a,'=1+1 b");
    }
}
