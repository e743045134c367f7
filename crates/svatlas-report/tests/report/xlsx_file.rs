use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use svatlas_report::xlsx;

use super::fixtures;

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("readable workbook")
}

fn number(cell: Option<&Data>) -> f64 {
    match cell {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text, got {other:?}"),
    }
}

/// Row (absolute, 0-based) whose first cell is `label`.
fn row_of(range: &calamine::Range<Data>, label: &str) -> u32 {
    let (start, _) = range.start().expect("non-empty");
    range
        .rows()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == label))
        .map(|i| start + u32::try_from(i).expect("small"))
        .unwrap_or_else(|| panic!("no row {label:?}"))
}

#[test]
fn sheets_and_headline_values() {
    let report = fixtures::example_one();
    let mut wb = open(xlsx(&report, &fixtures::meta()).expect("workbook"));
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Inputs",
            "Outcomes",
            "Per year",
            "Sensitivity",
            "Sources and licence"
        ]
    );
    let summary = wb.worksheet_range("Summary").expect("Summary");
    let r = &report.result;
    let net = row_of(&summary, "Net social return (£ per £1 invested)");
    assert_eq!(
        number(summary.get_value((net, 1))),
        r.sroi_ratio.expect("ratio")
    );
    assert_eq!(text(summary.get_value((net, 2))), "£2.42 for every £1");
    let pv = row_of(&summary, "Present value of benefits, net");
    assert_eq!(number(summary.get_value((pv, 1))), r.pv_net);
    let inputs = row_of(&summary, "Present value of inputs");
    assert_eq!(number(summary.get_value((inputs, 1))), r.inputs);
    let hash = row_of(&summary, "Content hash (SHA-256)");
    assert_eq!(text(summary.get_value((hash, 1))), report.content_hash);
    let rag = row_of(&summary, "RAG rating");
    assert_eq!(text(summary.get_value((rag, 1))), "Green");
}

#[test]
fn formulas_are_live_and_cache_the_engine_figures() {
    let report = fixtures::example_one();
    let mut wb = open(xlsx(&report, &fixtures::meta()).expect("workbook"));

    let formulas = wb.worksheet_formula("Outcomes").expect("formulas");
    let values = wb.worksheet_range("Outcomes").expect("values");
    let gross = formulas.get_value((1, 16)).expect("gross formula");
    assert_eq!(gross.trim_start_matches('='), "H2*E2");
    let net = formulas.get_value((1, 17)).expect("year-1 net formula");
    assert_eq!(
        net.trim_start_matches('='),
        "Q2*(1-L2)*(1-M2)*(1-N2)*(1-O2)"
    );
    let engine = &report.result.outcomes[0];
    assert_eq!(number(values.get_value((1, 16))), 130_000.0);
    assert_eq!(number(values.get_value((1, 17))), engine.first_year_net);
    assert!((engine.first_year_net - 66_690.0).abs() < 1e-6);
    assert_eq!(number(values.get_value((1, 19))), engine.pv_net);
    assert!(
        formulas
            .get_value((2, 19))
            .is_some_and(|f| f.contains("SUM(T2:T2)"))
    );
    assert_eq!(number(values.get_value((2, 19))), report.result.pv_net);

    let formulas = wb.worksheet_formula("Inputs").expect("formulas");
    let values = wb.worksheet_range("Inputs").expect("values");
    assert_eq!(
        formulas
            .get_value((3, 4))
            .map(|f| f.trim_start_matches('=')),
        Some("C4*D4")
    );
    assert_eq!(number(values.get_value((3, 4))), 12.21 * 400.0);
    assert!(
        formulas
            .get_value((4, 4))
            .is_some_and(|f| f.contains("SUM(E2:E4)"))
    );
    assert_eq!(number(values.get_value((4, 4))), report.inputs_total);
    assert_eq!(number(values.get_value((4, 7))), report.local_spend);

    let formulas = wb.worksheet_formula("Per year").expect("formulas");
    let values = wb.worksheet_range("Per year").expect("values");
    for (i, year) in report.result.by_year.iter().enumerate() {
        let row = u32::try_from(i).expect("small") + 1;
        assert!(
            formulas
                .get_value((row, 5))
                .is_some_and(|f| f.contains('*'))
        );
        assert_eq!(number(values.get_value((row, 4))), year.pv_gross);
        assert_eq!(number(values.get_value((row, 5))), year.pv_net);
    }
    let total = u32::try_from(report.result.by_year.len()).expect("small") + 1;
    assert!(
        formulas
            .get_value((total, 5))
            .is_some_and(|f| f.contains("SUM(F2:F4)"))
    );
    assert!((number(values.get_value((total, 5))) - report.result.pv_net).abs() < 1e-6);
    assert!((number(values.get_value((total, 5))) - 137_487.64).abs() < 0.005);
}

#[test]
fn sensitivity_and_sources_sheets() {
    let report = fixtures::evaluative();
    let mut wb = open(xlsx(&report, &fixtures::meta()).expect("workbook"));
    assert!(
        wb.sheet_names()
            .contains(&"Forecast and actual".to_string())
    );
    let s = wb.worksheet_range("Sensitivity").expect("Sensitivity");
    // Tornado rows in the engine's order (widest first), then the scenario names as columns.
    assert_eq!(text(s.get_value((4, 0))), report.sensitivity.rows[0].label);
    let scenarios = row_of(&s, "Scenarios side by side") + 1;
    for (c, sc) in report.scenarios.iter().enumerate() {
        let c = u32::try_from(c).expect("small") + 1;
        assert_eq!(text(s.get_value((scenarios, c))), sc.name);
        assert_eq!(
            number(s.get_value((scenarios + 1, c))),
            sc.figures.sroi_ratio.expect("ratio")
        );
    }
    let sources = wb.worksheet_range("Sources and licence").expect("sources");
    let all: Vec<String> = sources
        .rows()
        .flat_map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>())
        .collect();
    assert!(all.iter().any(|c| c.contains("OGL v3.0")));
    assert!(all.iter().any(|c| {
        c == "Contains public sector information licensed under the Open Government Licence v3.0."
    }));
    assert!(
        all.iter()
            .any(|c| c.contains("Own evaluation of the 2024 cohort"))
    );
    assert!(all.iter().any(|c| c == "2019"), "WELLBY price year");
}

#[test]
fn same_report_same_bytes() {
    let report = fixtures::evaluative();
    let meta = fixtures::meta();
    let a = xlsx(&report, &meta).expect("workbook");
    let b = xlsx(&report, &meta).expect("workbook");
    assert!(a == b, "two renders differ");
}

#[test]
fn a_new_project_without_figures_still_renders() {
    let report = fixtures::empty();
    let mut wb = open(xlsx(&report, &fixtures::meta()).expect("workbook"));
    let summary = wb.worksheet_range("Summary").expect("Summary");
    let net = row_of(&summary, "Net social return (£ per £1 invested)");
    assert_eq!(text(summary.get_value((net, 1))), "n/a");
    let outcomes = wb.worksheet_range("Outcomes").expect("Outcomes");
    let total = row_of(&outcomes, "Total");
    assert_eq!(total, 1, "the total row follows the header directly");
    // No data rows: a plain 0, not a SUM that would include its own cell.
    assert_eq!(number(outcomes.get_value((1, 19))), 0.0);
    let formulas = wb.worksheet_formula("Outcomes").expect("formulas");
    assert!(formulas.get_value((1, 19)).is_none_or(String::is_empty));
}
