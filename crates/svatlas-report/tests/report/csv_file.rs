use svatlas_report::csv;

use super::fixtures::{self, TYPST_SPECIALS};

fn table(text: &str) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn comment_lines_carry_headline_figures_and_provenance() {
    let report = fixtures::example_one();
    let text = csv(&report, &fixtures::meta());
    let comments: Vec<&str> = text.lines().take_while(|l| l.starts_with("# ")).collect();
    let joined = comments.join("\n");
    for expected in [
        "Social return on investment report: Employment programme",
        "Organisation: Riverside Community Trust",
        "Version: Version 2: Board paper",
        "Mode: Forecast; price base year 2025",
        "Net social return: £2.42 for every £1",
        "net £137,487.64",
        "Payback: 10.24 months (SROI Guide); 0.88 years (discounted)",
        "Generated: 23 November 2026",
        "keeps its own source, price year and licence",
    ] {
        assert!(
            joined.contains(expected),
            "{expected:?} missing from\n{joined}"
        );
    }
    assert!(joined.contains(&format!("Engine version: {}", report.engine_version)));
    assert!(joined.contains(&report.content_hash));
}

#[test]
fn one_row_per_outcome_with_engine_figures() {
    let report = fixtures::example_one();
    let rows = table(&csv(&report, &fixtures::meta()));
    assert_eq!(rows.len(), 1 + report.outcomes.len());
    let header = &rows[0];
    assert_eq!(header.len(), 19);
    assert_eq!(header[0], "Outcome");
    assert_eq!(header[18], "PV net (£)");
    let row = &rows[1];
    assert_eq!(row[0], "Participants into work");
    assert_eq!(row[1], "Thriving");
    assert_eq!(row[4], "6500");
    assert_eq!(row[13], "0.25", "deadweight as a fraction");
    assert_eq!(row[16], "0.3", "drop-off as a fraction");
    assert_eq!(row[17], "364212.81");
    assert_eq!(row[18], "137487.64");
}

#[test]
fn formula_like_text_is_guarded_and_markup_kept_literally() {
    let report = fixtures::evaluative();
    let rows = table(&csv(&report, &fixtures::meta()));
    assert_eq!(rows.len(), 1 + 3);
    let wellbeing = &rows[2];
    assert_eq!(wellbeing[0], TYPST_SPECIALS);
    assert_eq!(wellbeing[2], "'=SUM(1+1)");
    assert_eq!(wellbeing[1], "Active, inclusive and safe");
    assert_eq!(rows[1][9], "9", "actual quantity");
    assert_eq!(wellbeing[9], "", "no actual recorded");
    // Negative numbers are numbers, not guarded text.
    assert!(
        rows[3][4].starts_with('-'),
        "disbenefit proxy {:?}",
        rows[3][4]
    );
    assert!(
        rows[3][18].starts_with('-'),
        "disbenefit PV net {:?}",
        rows[3][18]
    );
}

#[test]
fn same_report_same_bytes() {
    let report = fixtures::evaluative();
    let meta = fixtures::meta();
    assert_eq!(csv(&report, &meta), csv(&report, &meta));
}

#[test]
fn a_new_project_has_only_the_header_row() {
    let text = csv(&fixtures::empty(), &fixtures::meta());
    assert!(text.contains("# Net social return: n/a (inputs are £0)"));
    assert_eq!(table(&text).len(), 1);
}
