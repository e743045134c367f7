use std::io::Write;
use std::process::{Command, Stdio};

use svatlas_domain::sroi::display::format_money;
use svatlas_report::pdf;

use super::fixtures::{self, TYPST_SPECIALS};

/// The PDF's text as `pdftotext -layout` reads it, or `None` (with the reason printed) when
/// poppler-utils is not installed and SVATLAS_REQUIRE_SERVICES is not set.
fn pdf_text(bytes: &[u8]) -> Option<String> {
    let child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            assert!(
                std::env::var("SVATLAS_REQUIRE_SERVICES").as_deref() != Ok("1"),
                "pdftotext is required (SVATLAS_REQUIRE_SERVICES=1) but could not run: {e}"
            );
            eprintln!(
                "skipping the PDF text check: pdftotext could not run ({e}); install poppler-utils"
            );
            return None;
        }
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("write PDF to pdftotext");
    let out = child.wait_with_output().expect("pdftotext finishes");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    Some(String::from_utf8(out.stdout).expect("UTF-8 text"))
}

fn assert_has(text: &str, expected: &str) {
    assert!(
        text.contains(expected),
        "{expected:?} not found in the PDF text:\n{text}"
    );
}

#[test]
fn forecast_report_shows_headline_provenance_and_literal_markup() {
    let report = fixtures::example_one();
    let bytes = pdf(&report, &fixtures::meta()).expect("PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    let Some(text) = pdf_text(&bytes) else { return };
    assert_has(&text, "Employment programme");
    assert_has(&text, "Riverside Community Trust");
    assert_has(&text, "Version 2: Board paper");
    assert_has(&text, "£2.42 for every £1");
    assert_has(&text, &format_money(report.result.pv_net));
    assert_has(&text, "£137,487.64");
    assert_has(&text, "10.24 months");
    assert_has(&text, "0.88 years");
    assert_has(&text, "Green");
    assert_has(&text, "FORECAST");
    assert_has(&text, &report.content_hash[..12]);
    assert_has(
        &text,
        &format!(
            "sv-atlas · engine {} · {} · page 1 of ",
            report.engine_version,
            &report.content_hash[..12]
        ),
    );
    assert_has(&text, "23 November 2026");
    for o in &report.outcomes {
        assert_has(&text, &o.description);
    }
    assert_has(&text, TYPST_SPECIALS);
    assert_has(&text, "page 1 of ");
}

#[test]
fn evaluative_report_shows_forecast_beside_actual_and_sources() {
    let report = fixtures::evaluative();
    let bytes = pdf(&report, &fixtures::meta()).expect("PDF");
    let Some(text) = pdf_text(&bytes) else { return };
    assert_has(&text, "Green streets");
    assert_has(&text, "EVALUATIVE");
    assert_has(&text, "Forecast and actual");
    assert_has(&text, "Payroll records");
    let actual = report.actual.as_ref().expect("evaluative");
    assert_has(&text, &format_money(actual.result.pv_net));
    for o in &report.outcomes {
        assert_has(&text, &o.description);
    }
    assert_has(&text, "Thriving");
    assert_has(&text, "Active, inclusive and safe");
    assert_has(&text, "Open Government Licence v3.0");
    assert_has(&text, "=SUM(1+1)");
}

#[test]
fn same_report_same_text_and_bytes() {
    let report = fixtures::evaluative();
    let meta = fixtures::meta();
    let a = pdf(&report, &meta).expect("PDF");
    let b = pdf(&report, &meta).expect("PDF");
    // No creation date or random id is written, so even the bytes agree.
    assert!(a == b, "two renders differ");
    let (Some(ta), Some(tb)) = (pdf_text(&a), pdf_text(&b)) else {
        return;
    };
    assert_eq!(ta, tb);
}

#[test]
fn a_new_project_without_figures_still_renders() {
    let report = fixtures::empty();
    assert!(report.result.sroi_ratio.is_none());
    let bytes = pdf(&report, &fixtures::meta()).expect("PDF");
    let Some(text) = pdf_text(&bytes) else { return };
    assert_has(&text, "New project");
    assert_has(&text, "n/a (inputs are £0)");
    assert_has(&text, "No rating");
}
