//! The report as an Excel workbook whose arithmetic can be checked: the steps a reader may want
//! to audit (input amounts, an outcome's gross and year-1 net value, present values by year and
//! the totals) are live formulas, written with their results so readers that do not
//! recalculate still show numbers.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};
use svatlas_domain::calculator::{ProjectMode, ProjectReport};
use svatlas_domain::sroi::{Convention, DiscountSchedule};

use crate::{ReportError, ReportMeta, format, sources};

/// Sheet names, in workbook order ("Forecast and actual" only for evaluative projects).
pub(crate) const SHEETS: [&str; 6] = [
    "Summary",
    "Inputs",
    "Outcomes",
    "Per year",
    "Sensitivity",
    "Sources and licence",
];

const MONEY: &str = "\"£\"#,##0.00";
const RATIO: &str = "\"£\"0.00";
const SHARE: &str = "0.0%";
const FACTOR: &str = "0.0000000000";
const COUNT: &str = "#,##0.##";

struct Formats {
    title: Format,
    heading: Format,
    header: Format,
    text: Format,
    wrap: Format,
    money: Format,
    money_total: Format,
    ratio: Format,
    share: Format,
    factor: Format,
    count: Format,
    number: Format,
    total_label: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0x00F3_F2F1))
            .set_border_bottom(FormatBorder::Thin);
        let total = Format::new().set_bold().set_border_top(FormatBorder::Thin);
        Self {
            title: Format::new().set_bold().set_font_size(16),
            heading: Format::new().set_bold().set_font_size(12),
            header,
            text: Format::new(),
            wrap: Format::new().set_text_wrap(),
            money: Format::new().set_num_format(MONEY),
            money_total: total.clone().set_num_format(MONEY),
            ratio: Format::new().set_num_format(RATIO),
            share: Format::new().set_num_format(SHARE),
            factor: Format::new().set_num_format(FACTOR),
            count: Format::new().set_num_format(COUNT),
            number: Format::new(),
            total_label: total,
        }
    }
}

/// The report as an `.xlsx` workbook: sheets "Summary", "Inputs", "Outcomes", "Per year",
/// "Sensitivity", ("Forecast and actual" for evaluative projects) and "Sources and licence".
///
/// The document's creation date is the report's generation date (midnight UTC), or a fixed
/// date when `meta.generated_on` is not a date, so the same report gives the same bytes.
pub fn xlsx(report: &ProjectReport, meta: &ReportMeta) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let created = creation_date(&meta.generated_on)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Social return on investment report: {}",
                report.details.name
            ))
            .set_company(&meta.organisation)
            .set_author("sv-atlas")
            .set_comment(format!(
                "Engine {}; content hash {}",
                report.engine_version, report.content_hash
            ))
            .set_creation_datetime(&created),
    );

    summary(
        workbook.add_worksheet().set_name(SHEETS[0])?,
        report,
        meta,
        &f,
    )?;
    inputs(workbook.add_worksheet().set_name(SHEETS[1])?, report, &f)?;
    outcomes(workbook.add_worksheet().set_name(SHEETS[2])?, report, &f)?;
    per_year(workbook.add_worksheet().set_name(SHEETS[3])?, report, &f)?;
    sensitivity(workbook.add_worksheet().set_name(SHEETS[4])?, report, &f)?;
    if report.actual.is_some() {
        actual(
            workbook.add_worksheet().set_name("Forecast and actual")?,
            report,
            &f,
        )?;
    }
    licence(workbook.add_worksheet().set_name(SHEETS[5])?, report, &f)?;
    Ok(workbook.save_to_buffer()?)
}

/// Midnight UTC on a date written "23 November 2026"; 1 January 2000 otherwise.
fn creation_date(text: &str) -> Result<ExcelDateTime, XlsxError> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let parts: Vec<&str> = text.split_whitespace().collect();
    if let [day, month, year] = parts.as_slice()
        && let (Ok(day), Some(month), Ok(year)) = (
            day.parse::<u8>(),
            MONTHS
                .iter()
                .position(|m| m.eq_ignore_ascii_case(month))
                .and_then(|i| u8::try_from(i + 1).ok()),
            year.parse::<u16>(),
        )
        && let Ok(date) = ExcelDateTime::from_ymd(year, month, day)
    {
        return Ok(date);
    }
    ExcelDateTime::from_ymd(2000, 1, 1)
}

/// A formula with its cached result.
fn formula(text: String, result: f64) -> Formula {
    Formula::new(text).set_result(result.to_string())
}

/// Column letter of a 0-based column (A..Z is enough for these sheets).
fn col(c: u16) -> char {
    char::from(b'A' + u8::try_from(c).unwrap_or(25).min(25))
}

/// The total of a column whose data starts on sheet row 2 and ends just above `row` (0-based):
/// a live `SUM`, or a plain 0 when there are no data rows (a `SUM` would then refer to itself).
fn total(ws: &mut Worksheet, row: u32, c: u16, sum: f64, format: &Format) -> Result<(), XlsxError> {
    if row < 2 {
        ws.write_number_with_format(row, c, 0.0, format)?;
    } else {
        let letter = col(c);
        ws.write_formula_with_format(
            row,
            c,
            formula(format!("=SUM({letter}2:{letter}{row})"), sum),
            format,
        )?;
    }
    Ok(())
}

fn header(ws: &mut Worksheet, row: u32, titles: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (c, title) in (0u16..).zip(titles) {
        ws.write_string_with_format(row, c, *title, &f.header)?;
    }
    Ok(())
}

fn optional_money(
    ws: &mut Worksheet,
    row: u32,
    c: u16,
    value: Option<f64>,
    format: &Format,
    missing: &str,
) -> Result<(), XlsxError> {
    match value {
        Some(v) if v.is_finite() => ws.write_number_with_format(row, c, v, format)?,
        _ => ws.write_string(row, c, missing)?,
    };
    Ok(())
}

fn summary(
    ws: &mut Worksheet,
    report: &ProjectReport,
    meta: &ReportMeta,
    f: &Formats,
) -> Result<(), XlsxError> {
    let r = &report.result;
    let d = &report.details;
    ws.set_column_width(0, 42)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 70)?;
    ws.write_string_with_format(0, 0, "Social return on investment report", &f.title)?;
    let mut row = 2;
    let mut line = |ws: &mut Worksheet, label: &str, value: &str| -> Result<(), XlsxError> {
        ws.write_string(row, 0, label)?;
        ws.write_string_with_format(row, 1, value, &f.text)?;
        row += 1;
        Ok(())
    };
    line(ws, "Project", &d.name)?;
    line(ws, "Organisation", &meta.organisation)?;
    if let Some(v) = &meta.version {
        line(ws, "Version", v)?;
    }
    line(ws, "Mode", d.mode.label())?;
    line(ws, "Price base year", &d.price_base_year.to_string())?;
    if !d.description.is_empty() {
        line(ws, "Description", &d.description)?;
    }
    if !d.areas.is_empty() {
        line(ws, "Areas served", &d.areas.join(", "))?;
    }
    line(ws, "Generated", &meta.generated_on)?;
    line(ws, "Engine version", &report.engine_version)?;
    line(ws, "Content hash (SHA-256)", &report.content_hash)?;

    row += 1;
    ws.write_string_with_format(row, 0, "Headline figures", &f.heading)?;
    row += 1;
    header(ws, row, &["Figure", "Value", "As the report says it"], f)?;
    row += 1;
    let figures: [(&str, Option<f64>, &Format, String); 6] = [
        (
            "Net social return (£ per £1 invested)",
            r.sroi_ratio,
            &f.ratio,
            format::ratio(r.sroi_ratio),
        ),
        (
            "Gross social return (£ per £1 invested)",
            r.gross_ratio,
            &f.ratio,
            format::ratio(r.gross_ratio),
        ),
        (
            "Present value of benefits, gross",
            Some(r.pv_gross),
            &f.money,
            format::money(r.pv_gross),
        ),
        (
            "Present value of benefits, net",
            Some(r.pv_net),
            &f.money,
            format::money(r.pv_net),
        ),
        (
            "Present value of inputs",
            Some(r.inputs),
            &f.money,
            format::money(r.inputs),
        ),
        (
            "Net present value",
            Some(r.npv),
            &f.money,
            format::money(r.npv),
        ),
    ];
    for (label, value, fmt, said) in figures {
        ws.write_string(row, 0, label)?;
        optional_money(ws, row, 1, value, fmt, "n/a")?;
        ws.write_string(row, 2, said)?;
        row += 1;
    }
    ws.write_string(row, 0, "Payback, SROI Guide (months)")?;
    optional_money(ws, row, 1, r.payback_months_guide, &f.count, "n/a")?;
    ws.write_string(row, 2, format::payback_months(r.payback_months_guide))?;
    row += 1;
    ws.write_string(row, 0, "Payback, discounted (years)")?;
    optional_money(ws, row, 1, r.payback_years_discounted, &f.count, "n/a")?;
    ws.write_string(row, 2, format::payback_years(r.payback_years_discounted))?;
    row += 1;
    ws.write_string(row, 0, "RAG rating")?;
    ws.write_string(row, 1, format::rag_word(r.rag))?;
    ws.write_string(
        row,
        2,
        format::rag_meaning(r.rag, &report.project.rag_thresholds.unwrap_or_default()),
    )?;
    row += 1;
    if let Some(actual) = &report.actual {
        ws.write_string(row, 0, "Net social return on actual quantities")?;
        optional_money(ws, row, 1, actual.result.sroi_ratio, &f.ratio, "n/a")?;
        ws.write_string(row, 2, format::ratio(actual.result.sroi_ratio))?;
        row += 1;
        ws.write_string(row, 0, "Present value of benefits, net, on actuals")?;
        ws.write_number_with_format(row, 1, actual.result.pv_net, &f.money)?;
        ws.write_string(row, 2, format::money(actual.result.pv_net))?;
        row += 1;
    }
    ws.write_string(row, 0, "Inputs, undiscounted")?;
    ws.write_number_with_format(row, 1, report.inputs_total, &f.money)?;
    row += 1;
    ws.write_string(row, 0, "Of which spent in the target area")?;
    ws.write_number_with_format(row, 1, report.local_spend, &f.money)?;
    if let Some(share) = report.local_spend_share {
        ws.write_string(row, 2, format!("{} of inputs", format::percent(share)))?;
    }
    row += 2;

    ws.write_string_with_format(row, 0, "Settings", &f.heading)?;
    row += 1;
    let settings = [
        ("Discounting", discounting(report)),
        ("Timing of benefits", timing(report)),
        (
            "Leakage on inputs",
            if d.deduct_input_leakage {
                "deducted from the inputs counted".to_string()
            } else {
                "recorded as local spend only (inputs counted in full)".to_string()
            },
        ),
    ];
    for (label, value) in settings {
        ws.write_string(row, 0, label)?;
        ws.write_string(row, 1, value)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Notes", &f.heading)?;
    row += 1;
    for note in &report.notes {
        ws.write_string_with_format(row, 0, &note.message, &f.text)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Engine warnings", &f.heading)?;
    row += 1;
    if r.warnings.is_empty() {
        ws.write_string(row, 0, "None.")?;
    }
    for w in &r.warnings {
        ws.write_string(row, 0, &w.message)?;
        row += 1;
    }
    Ok(())
}

pub(crate) fn discounting(report: &ProjectReport) -> String {
    match report.project.discount_schedule {
        DiscountSchedule::GreenBookStandard => {
            "HM Treasury Green Book schedule (3.5% for years 1 to 30, declining after)".into()
        }
        DiscountSchedule::Flat => format!(
            "flat {}",
            format::percent(report.project.flat_rate.unwrap_or(0.0))
        ),
        DiscountSchedule::Zero => "none (undiscounted)".into(),
    }
}

pub(crate) fn timing(report: &ProjectReport) -> String {
    match report.project.convention {
        Convention::SroiGuideEndOfYear => {
            "SROI Guide: benefits at the end of each year (year 1 discounted once)".into()
        }
        Convention::GreenBookYear0 => {
            "Green Book: the first benefit year undiscounted (year 0 timing)".into()
        }
    }
}

fn inputs(ws: &mut Worksheet, report: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 16)?;
    for c in 2..8 {
        ws.set_column_width(c, 15)?;
    }
    header(
        ws,
        0,
        &[
            "Input",
            "Category",
            "Value (£ per unit)",
            "Volume",
            "Amount (£) = value × volume",
            "Year spent",
            "Leakage",
            "Local spend (£) = amount × (1 − leakage)",
        ],
        f,
    )?;
    ws.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    let (mut amount_sum, mut local_sum) = (0.0, 0.0);
    for input in &report.inputs {
        let n = row + 1;
        let amount = input.amount();
        let local = amount * (1.0 - input.leakage);
        amount_sum += amount;
        local_sum += local;
        ws.write_string_with_format(row, 0, &input.description, &f.wrap)?;
        ws.write_string(row, 1, format::input_category(input.category))?;
        ws.write_number_with_format(row, 2, input.value, &f.money)?;
        ws.write_number_with_format(row, 3, input.volume, &f.count)?;
        ws.write_formula_with_format(row, 4, formula(format!("=C{n}*D{n}"), amount), &f.money)?;
        ws.write_number_with_format(row, 5, f64::from(input.year), &f.number)?;
        ws.write_number_with_format(row, 6, input.leakage, &f.share)?;
        ws.write_formula_with_format(row, 7, formula(format!("=E{n}*(1-G{n})"), local), &f.money)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Total", &f.total_label)?;
    total(ws, row, 4, amount_sum, &f.money_total)?;
    total(ws, row, 7, local_sum, &f.money_total)?;
    row += 2;
    ws.write_string(row, 0, "Present value of inputs counted in the ratio")?;
    ws.write_number_with_format(row, 4, report.result.inputs, &f.money)?;
    row += 1;
    ws.write_string(
        row,
        0,
        if report.details.deduct_input_leakage {
            "Inputs are counted net of their leakage (a project setting), then discounted by the year spent."
        } else {
            "Inputs are counted in full, discounted by the year spent; leakage only shows as local spend."
        },
    )?;
    Ok(())
}

fn outcomes(ws: &mut Worksheet, report: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    const TITLES: [&str; 20] = [
        "Outcome",
        "Bristol Accord component",
        "Stakeholder",
        "Proxy",
        "Proxy (£ per unit per year)",
        "Unit",
        "Proxy price year",
        "Quantity (forecast)",
        "Quantity (actual)",
        "Duration (years)",
        "Start year",
        "Leakage",
        "Deadweight",
        "Displacement",
        "Attribution",
        "Drop-off",
        "Gross a year (£) = quantity × proxy",
        "Year-1 net (£) = gross × (1 − leakage) × (1 − deadweight) × (1 − displacement) × (1 − attribution)",
        "PV gross (£)",
        "PV net (£)",
    ];
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(2, 18)?;
    ws.set_column_width(3, 30)?;
    for c in 4..20 {
        ws.set_column_width(c, 14)?;
    }
    ws.set_column_width(16, 18)?;
    ws.set_column_width(17, 26)?;
    ws.set_row_height(0, 75)?;
    header(ws, 0, &TITLES, f)?;
    ws.set_freeze_panes(1, 1)?;
    let mut row = 1u32;
    let (mut gross_sum, mut net_sum) = (0.0, 0.0);
    for (o, figures) in report.outcomes.iter().zip(&report.result.outcomes) {
        let n = row + 1;
        ws.write_string_with_format(row, 0, &o.description, &f.wrap)?;
        ws.write_string(row, 1, o.bristol_accord.label())?;
        ws.write_string(row, 2, o.stakeholder.as_deref().unwrap_or(""))?;
        ws.write_string_with_format(row, 3, &o.proxy.name, &f.wrap)?;
        ws.write_number_with_format(row, 4, o.proxy.value_gbp, &f.money)?;
        ws.write_string(row, 5, &o.proxy.unit)?;
        ws.write_string(row, 6, &o.proxy.price_year)?;
        ws.write_number_with_format(row, 7, o.quantity, &f.count)?;
        if let Some(a) = o.actual_quantity {
            ws.write_number_with_format(row, 8, a, &f.count)?;
        }
        ws.write_number(row, 9, o.duration_years as f64)?;
        ws.write_number(row, 10, o.start_year as f64)?;
        for (c, share) in (11u16..).zip([
            o.leakage,
            o.deadweight,
            o.displacement,
            o.attribution,
            o.dropoff,
        ]) {
            ws.write_number_with_format(row, c, share, &f.share)?;
        }
        ws.write_formula_with_format(
            row,
            16,
            formula(format!("=H{n}*E{n}"), o.quantity * o.proxy.value_gbp),
            &f.money,
        )?;
        ws.write_formula_with_format(
            row,
            17,
            formula(
                format!("=Q{n}*(1-L{n})*(1-M{n})*(1-N{n})*(1-O{n})"),
                figures.first_year_net,
            ),
            &f.money,
        )?;
        ws.write_number_with_format(row, 18, figures.pv_gross, &f.money)?;
        ws.write_number_with_format(row, 19, figures.pv_net, &f.money)?;
        gross_sum += figures.pv_gross;
        net_sum += figures.pv_net;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Total", &f.total_label)?;
    for (c, sum) in [(18u16, gross_sum), (19, net_sum)] {
        total(ws, row, c, sum, &f.money_total)?;
    }
    row += 2;
    ws.write_string(
        row,
        0,
        "PV columns are the engine's present values: year-1 net reduced by drop-off each later \
         year and discounted (see Per year and the Summary settings).",
    )?;
    Ok(())
}

fn per_year(ws: &mut Worksheet, report: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    ws.set_column_width(0, 10)?;
    for c in 1..6 {
        ws.set_column_width(c, 18)?;
    }
    header(
        ws,
        0,
        &[
            "Year",
            "Discount factor",
            "Gross (£)",
            "Net (£)",
            "PV gross (£) = gross × factor",
            "PV net (£) = net × factor",
        ],
        f,
    )?;
    ws.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    let mut sums = [0.0f64; 4];
    for y in &report.result.by_year {
        let n = row + 1;
        ws.write_number(row, 0, f64::from(y.year))?;
        ws.write_number_with_format(row, 1, y.discount_factor, &f.factor)?;
        ws.write_number_with_format(row, 2, y.gross, &f.money)?;
        ws.write_number_with_format(row, 3, y.net, &f.money)?;
        ws.write_formula_with_format(row, 4, formula(format!("=C{n}*B{n}"), y.pv_gross), &f.money)?;
        ws.write_formula_with_format(row, 5, formula(format!("=D{n}*B{n}"), y.pv_net), &f.money)?;
        for (s, v) in sums.iter_mut().zip([y.gross, y.net, y.pv_gross, y.pv_net]) {
            *s += v;
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Total", &f.total_label)?;
    for (c, sum) in (2u16..).zip(sums) {
        total(ws, row, c, sum, &f.money_total)?;
    }
    row += 2;
    ws.write_string(row, 0, format!("Discounting: {}.", discounting(report)))?;
    ws.write_string(row + 1, 0, format!("Timing: {}.", timing(report)))?;
    Ok(())
}

fn sensitivity(ws: &mut Worksheet, report: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    let s = &report.sensitivity;
    ws.set_column_width(0, 52)?;
    for c in 1..9 {
        ws.set_column_width(c, 17)?;
    }
    ws.write_string_with_format(
        0,
        0,
        "One assumption at a time, on every outcome (tornado)",
        &f.heading,
    )?;
    ws.write_string(1, 0, "Net social return as entered")?;
    optional_money(ws, 1, 1, s.base_ratio, &f.ratio, "n/a")?;
    header(
        ws,
        3,
        &[
            "Assumption",
            "Low case",
            "High case",
            "Net return, low (£ per £1)",
            "Net return, high (£ per £1)",
            "Change, low (%)",
            "Change, high (%)",
            "PV net, low (£)",
            "PV net, high (£)",
        ],
        f,
    )?;
    let mut row = 4u32;
    for r in &s.rows {
        ws.write_string(row, 0, &r.label)?;
        ws.write_string(row, 1, &r.low_change)?;
        ws.write_string(row, 2, &r.high_change)?;
        optional_money(ws, row, 3, r.ratio_low, &f.ratio, "n/a")?;
        optional_money(ws, row, 4, r.ratio_high, &f.ratio, "n/a")?;
        optional_money(ws, row, 5, r.change_pct_low, &f.count, "n/a")?;
        optional_money(ws, row, 6, r.change_pct_high, &f.count, "n/a")?;
        ws.write_number_with_format(row, 7, r.pv_net_low, &f.money)?;
        ws.write_number_with_format(row, 8, r.pv_net_high, &f.money)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(
        row,
        0,
        "Switching values: where the net return falls (or rises) to £1.00 for every £1",
        &f.heading,
    )?;
    row += 1;
    header(ws, row, &["Assumption", "Value"], f)?;
    row += 1;
    for (label, value) in format::switching_rows(report) {
        ws.write_string(row, 0, label)?;
        ws.write_string(row, 1, value)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Scenarios side by side", &f.heading)?;
    row += 1;
    ws.write_string_with_format(row, 0, "Figure", &f.header)?;
    for (c, sc) in (1u16..).zip(&report.scenarios) {
        ws.write_string_with_format(row, c, &sc.name, &f.header)?;
    }
    ws.set_row_height(row, 45)?;
    row += 1;
    type Pick = fn(&svatlas_domain::sroi::Headline) -> Option<f64>;
    let lines: [(&str, Pick, &Format); 8] = [
        ("Net social return (£ per £1)", |h| h.sroi_ratio, &f.ratio),
        (
            "Gross social return (£ per £1)",
            |h| h.gross_ratio,
            &f.ratio,
        ),
        ("PV of benefits, gross (£)", |h| Some(h.pv_gross), &f.money),
        ("PV of benefits, net (£)", |h| Some(h.pv_net), &f.money),
        ("PV of inputs (£)", |h| Some(h.inputs), &f.money),
        ("Net present value (£)", |h| Some(h.npv), &f.money),
        (
            "Payback, SROI Guide (months)",
            |h| h.payback_months_guide,
            &f.count,
        ),
        (
            "Payback, discounted (years)",
            |h| h.payback_years_discounted,
            &f.count,
        ),
    ];
    for (label, pick, fmt) in lines {
        ws.write_string(row, 0, label)?;
        for (c, sc) in (1u16..).zip(&report.scenarios) {
            optional_money(ws, row, c, pick(&sc.figures), fmt, "n/a")?;
        }
        row += 1;
    }
    ws.write_string(row, 0, "RAG rating")?;
    for (c, sc) in (1u16..).zip(&report.scenarios) {
        ws.write_string(row, c, format::rag_word(sc.figures.rag))?;
    }
    Ok(())
}

fn actual(ws: &mut Worksheet, report: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    let Some(actual) = &report.actual else {
        return Ok(());
    };
    ws.set_column_width(0, 40)?;
    for c in 1..5 {
        ws.set_column_width(c, 17)?;
    }
    ws.set_column_width(5, 60)?;
    header(
        ws,
        0,
        &[
            "Outcome",
            "Quantity (forecast)",
            "Quantity (actual)",
            "PV net, forecast (£)",
            "PV net, actual (£)",
            "Evidence",
        ],
        f,
    )?;
    let mut row = 1u32;
    for r in &actual.rows {
        ws.write_string_with_format(row, 0, &r.description, &f.wrap)?;
        ws.write_number_with_format(row, 1, r.forecast_quantity, &f.count)?;
        match r.actual_quantity {
            Some(a) => ws.write_number_with_format(row, 2, a, &f.count)?,
            None => ws.write_string(row, 2, "not recorded")?,
        };
        ws.write_number_with_format(row, 3, r.forecast_pv_net, &f.money)?;
        ws.write_number_with_format(row, 4, r.actual_pv_net, &f.money)?;
        ws.write_string_with_format(row, 5, r.evidence_note.as_deref().unwrap_or(""), &f.wrap)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Total", &f.total_label)?;
    ws.write_number_with_format(row, 3, report.result.pv_net, &f.money_total)?;
    ws.write_number_with_format(row, 4, actual.result.pv_net, &f.money_total)?;
    row += 2;
    ws.write_string(row, 0, "Net social return, forecast")?;
    ws.write_string(row, 1, format::ratio(report.result.sroi_ratio))?;
    ws.write_string(row + 1, 0, "Net social return, actual")?;
    ws.write_string(row + 1, 1, format::ratio(actual.result.sroi_ratio))?;
    Ok(())
}

fn licence(ws: &mut Worksheet, report: &ProjectReport, f: &Formats) -> Result<(), XlsxError> {
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 12)?;
    ws.set_column_width(4, 60)?;
    ws.set_column_width(5, 30)?;
    ws.set_column_width(6, 28)?;
    ws.set_column_width(7, 40)?;
    header(
        ws,
        0,
        &[
            "Proxy",
            "Value (£)",
            "Unit",
            "Price year",
            "Source",
            "Licence",
            "Verification",
            "Used by",
        ],
        f,
    )?;
    let rows = sources::source_rows(report);
    let mut row = 1u32;
    for s in &rows {
        ws.write_string_with_format(row, 0, &s.proxy.name, &f.wrap)?;
        ws.write_number_with_format(row, 1, s.proxy.value_gbp, &f.money)?;
        ws.write_string(row, 2, &s.proxy.unit)?;
        ws.write_string(row, 3, &s.proxy.price_year)?;
        ws.write_string_with_format(row, 4, &s.proxy.source, &f.wrap)?;
        ws.write_string_with_format(row, 5, &s.licence, &f.wrap)?;
        ws.write_string_with_format(row, 6, &s.verification, &f.wrap)?;
        ws.write_string_with_format(row, 7, s.used_by.join("; "), &f.wrap)?;
        row += 1;
    }
    row += 1;
    if rows.iter().any(|s| s.ogl) {
        ws.write_string(row, 0, sources::OGL_STATEMENT)?;
        row += 1;
    }
    ws.write_string(row, 0, sources::PROXY_NOTE)?;
    row += 1;
    if report.details.mode == ProjectMode::Evaluative {
        ws.write_string(
            row,
            0,
            "Actual quantities come from the evidence noted against each outcome.",
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_date_reads_a_written_date_or_falls_back() {
        use rust_xlsxwriter::IntoCustomDateTime;
        let d = creation_date("23 November 2026").expect("date");
        assert_eq!((&d).utc_datetime(), "2026-11-23T00:00:00Z");
        let fallback = creation_date("soon").expect("date");
        assert_eq!((&fallback).utc_datetime(), "2000-01-01T00:00:00Z");
    }
}
