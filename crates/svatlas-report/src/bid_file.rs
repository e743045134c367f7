//! A bid drafted offline: a workbook (price, method statements, commitments) or a CSV of the
//! commitments, written from a tender (and the bid so far) and read back with every problem
//! located by file, sheet, row and column.
//!
//! Reading is all or nothing: a file with any bad cell gives every error found and no bid, so
//! an import never half-applies. After the cells parse, the domain's own rules
//! ([`BidDetails::validate`]) run and their field paths (`commitments[2].target`) are turned
//! back into the row and column they came from.
//!
//! Milestones sit in one cell as `YYYY-MM-DD=quantity (description); ...` and partners as
//! `name; name`, so one commitment is one row.
//!
//! The last seven columns (`proxy_id` to `dropoff_pct`) are the commitment's optional
//! [`Valuation`] with the calculator's engine, deflators written in percent (`25` or `25%`).
//! Files written before they existed (the first thirteen columns only) still read.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};
use svatlas_domain::calculator::ProxyLibrary;
use svatlas_domain::procurement::bid::{Answer, BidDetails, Commitment, Milestone, ValueKind};
use svatlas_domain::procurement::model::Catalogue;
use svatlas_domain::procurement::tender::TenderDetails;
use svatlas_domain::procurement::valuation::{Valuation, apply_valuations};
use svatlas_domain::sroi::FieldError as DomainError;
use svatlas_domain::sroi::display::round_dp;

use crate::csv_export::text as guarded;
use crate::sources::OGL_STATEMENT;

/// Sheet names of the bid workbook.
pub const SHEETS: [&str; 4] = ["Read me", "Bid", "Answers", "Commitments"];
/// Columns of the commitments table (sheet "Commitments" and the CSV), in order. The last
/// seven (the engine's valuation) are optional, so files with the first thirteen still read.
pub const COMMITMENT_COLUMNS: [&str; 20] = [
    "criterion",
    "metric_id",
    "description",
    "target",
    "unit",
    "start_date",
    "end_date",
    "area",
    "milestones",
    "partners",
    "estimated_value_gbp",
    "value_kind",
    "value_basis",
    "proxy_id",
    "valuation_years",
    "deadweight_pct",
    "attribution_pct",
    "displacement_pct",
    "leakage_pct",
    "dropoff_pct",
];
/// The valuation's deflator columns, in percent, with the [`Valuation`] field each fills.
const VALUATION_PERCENT_COLUMNS: [(&str, &str); 5] = [
    ("deadweight_pct", "deadweight"),
    ("attribution_pct", "attribution"),
    ("displacement_pct", "displacement"),
    ("leakage_pct", "leakage"),
    ("dropoff_pct", "dropoff"),
];
/// Most rows read from one sheet or CSV (beyond the domain's own limits, to bound work).
const MAX_ROWS: usize = 1_000;
/// Most errors listed for one file.
const MAX_ERRORS: usize = 200;

/// One problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("{file}{}, row {row}, column {column}: {message}", .sheet.as_ref().map(|s| format!(", sheet {s:?}")).unwrap_or_default())]
pub struct FileError {
    /// The file's name as uploaded.
    pub file: String,
    /// The sheet (workbooks only).
    pub sheet: Option<String>,
    /// Row number as a spreadsheet shows it (1 = the header row).
    pub row: usize,
    /// Column name (or letter where the name is missing).
    pub column: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// Every problem found in a file; the bid was not changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in the file; nothing was imported. First: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct FileErrors(pub Vec<FileError>);

struct Collector {
    file: String,
    sheet: Option<String>,
    errors: Vec<FileError>,
}

impl Collector {
    fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            sheet: None,
            errors: Vec::new(),
        }
    }
    fn push(&mut self, row: usize, column: &str, message: impl Into<String>) {
        let e = FileError {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row,
            column: column.to_owned(),
            message: message.into(),
        };
        // The same problem twice in one cell (two milestones over the target) is said once.
        if self.errors.len() < MAX_ERRORS && !self.errors.contains(&e) {
            self.errors.push(e);
        }
    }

    /// The errors in reading order: sheet as found, then row, then column left to right.
    fn finish(mut self) -> FileErrors {
        let position = |c: &str| {
            COMMITMENT_COLUMNS
                .iter()
                .position(|x| *x == c)
                .unwrap_or(usize::MAX)
        };
        let sheet_order: Vec<Option<String>> = self.errors.iter().fold(Vec::new(), |mut v, e| {
            if !v.contains(&e.sheet) {
                v.push(e.sheet.clone());
            }
            v
        });
        self.errors.sort_by_key(|e| {
            (
                sheet_order.iter().position(|s| *s == e.sheet),
                e.row,
                position(&e.column),
            )
        });
        FileErrors(self.errors)
    }
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0x00F3_F2F1))
        .set_border_bottom(FormatBorder::Thin)
}

fn milestones_cell(milestones: &[Milestone]) -> String {
    milestones
        .iter()
        .map(|m| {
            let q = svatlas_domain::sroi::display::round_dp(m.target, 6);
            if m.description.trim().is_empty() {
                format!("{}={q}", m.due)
            } else {
                format!("{}={q} ({})", m.due, m.description.trim())
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A fraction as the percentage people type (0.25 → `25`), with the fewest decimals that read
/// back as the same fraction (0.1 → `10`, not `10.000000000000002`).
fn percent_cell(fraction: f64) -> String {
    let percent = fraction * 100.0;
    (0..=15)
        .map(|dp| round_dp(percent, dp))
        .find(|p| *p / 100.0 == fraction)
        .unwrap_or(percent)
        .to_string()
}

fn commitment_cells(c: &Commitment) -> [String; 20] {
    let v = c.valuation.as_ref();
    let pct = |of: fn(&Valuation) -> f64| v.map(|v| percent_cell(of(v))).unwrap_or_default();
    [
        c.criterion.clone(),
        c.metric_id.clone().unwrap_or_default(),
        c.description.clone(),
        svatlas_domain::sroi::display::round_dp(c.target, 6).to_string(),
        c.unit.clone(),
        c.start_date.clone().unwrap_or_default(),
        c.end_date.clone().unwrap_or_default(),
        c.area.clone().unwrap_or_default(),
        milestones_cell(&c.milestones),
        c.partners.join("; "),
        c.estimated_value_gbp
            .map(|v| v.to_string())
            .unwrap_or_default(),
        c.value_kind
            .map(|k| value_kind_id(k).to_owned())
            .unwrap_or_default(),
        c.value_basis.clone().unwrap_or_default(),
        v.map(|v| v.proxy_id.clone()).unwrap_or_default(),
        v.map(|v| v.duration_years.to_string()).unwrap_or_default(),
        pct(|v| v.deadweight),
        pct(|v| v.attribution),
        pct(|v| v.displacement),
        pct(|v| v.leakage),
        pct(|v| v.dropoff),
    ]
}

fn value_kind_id(k: ValueKind) -> &'static str {
    match k {
        ValueKind::Wellbeing => "wellbeing",
        ValueKind::Fiscal => "fiscal",
        ValueKind::Economic => "economic",
    }
}

/// The bid workbook for a tender: a "Read me" with the rules and the tender's criteria and
/// metrics, "Bid" (price), "Answers" (one row per question, with its text and weight) and
/// "Commitments" (one row per commitment). `bid` fills in what is drafted so far.
pub fn bid_workbook(
    title: &str,
    tender: &TenderDetails,
    bid: Option<&BidDetails>,
) -> Result<Vec<u8>, crate::ReportError> {
    let mut wb = Workbook::new();
    let head = header_format();
    let wrap = Format::new().set_text_wrap();
    let bold = Format::new().set_bold();

    let readme = wb.add_worksheet().set_name(SHEETS[0])?;
    readme.set_column_width(0, 100)?;
    let catalogue = Catalogue::shipped().edition(tender.edition);
    let mut lines = vec![
        format!("Bid for: {title}"),
        format!("Social Value Model edition: {}", tender.edition.title()),
        String::new(),
        "Fill in the sheets Bid (price), Answers (a method statement per question) and Commitments (one row per commitment), then import the file on the bid page.".into(),
        "An import is all or nothing: if any cell is wrong, every problem is listed with its sheet, row and column, and the bid is not changed.".into(),
        "Dates are written YYYY-MM-DD. Milestones: YYYY-MM-DD=quantity (description); ... Partners: name; name.".into(),
        "Estimated values are your estimates, shown as such: give value_kind (wellbeing, fiscal or economic); kinds are never added together.".into(),
        "To value a commitment with the sv-atlas calculator instead, give proxy_id (an outcome proxy of the library, e.g. GB-QALY; not an input rate such as NLW-2025), valuation_years (default 1) and, in percent (25 or 25%, default 0), deadweight_pct, attribution_pct, displacement_pct, leakage_pct and dropoff_pct: on import the engine's present value replaces estimated_value_gbp and its workings value_basis. It is still an estimate, of the value_kind you give. Leave proxy_id and these columns empty for no valuation.".into(),
        String::new(),
        "Criteria this tender asks for, with their reporting metrics (id, unit):".into(),
    ];
    let chosen: Vec<&str> = if tender.criteria.is_empty() {
        catalogue.criteria().map(|c| c.id.as_str()).collect()
    } else {
        tender.criteria.iter().map(String::as_str).collect()
    };
    for id in chosen {
        if let Some(c) = catalogue.criterion(id) {
            lines.push(format!("{} — {}", c.id, c.title));
            for m in &c.metrics {
                lines.push(format!("    {} ({}): {}", m.id, m.unit, m.text));
            }
        }
    }
    lines.push(String::new());
    lines.push(format!("Social Value Model wording: {OGL_STATEMENT}"));
    for (i, line) in lines.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(u32::MAX);
        if i == 0 {
            readme.write_string_with_format(row, 0, line, &bold)?;
        } else {
            readme.write_string_with_format(row, 0, line, &wrap)?;
        }
    }

    let sheet = wb.add_worksheet().set_name(SHEETS[1])?;
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 20)?;
    sheet.write_string_with_format(0, 0, "field", &head)?;
    sheet.write_string_with_format(0, 1, "value", &head)?;
    sheet.write_string(1, 0, "price_gbp")?;
    if let Some(b) = bid {
        sheet.write_number(1, 1, b.price_gbp)?;
    }

    let sheet = wb.add_worksheet().set_name(SHEETS[2])?;
    for (col, (name, width)) in [
        ("question_id", 12.0),
        ("question", 50.0),
        ("weight_percent", 10.0),
        ("answer", 80.0),
    ]
    .into_iter()
    .enumerate()
    {
        let col = u16::try_from(col).unwrap_or(0);
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, name, &head)?;
    }
    for (i, q) in tender.questions.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet.write_string(row, 0, &q.id)?;
        sheet.write_string_with_format(row, 1, &q.text, &wrap)?;
        sheet.write_number(row, 2, q.weight)?;
        if let Some(a) = bid.and_then(|b| b.answer(&q.id)) {
            sheet.write_string_with_format(row, 3, a, &wrap)?;
        }
    }

    let sheet = wb.add_worksheet().set_name(SHEETS[3])?;
    for (col, name) in COMMITMENT_COLUMNS.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(0);
        sheet.set_column_width(col, if col == 2 { 40.0 } else { 16.0 })?;
        sheet.write_string_with_format(0, col, *name, &head)?;
    }
    for (i, c) in bid
        .map(|b| b.commitments.as_slice())
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (col, cell) in commitment_cells(c).iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(0);
            if cell.is_empty() {
                continue;
            }
            match COMMITMENT_COLUMNS[usize::from(col)] {
                "target"
                | "estimated_value_gbp"
                | "valuation_years"
                | "deadweight_pct"
                | "attribution_pct"
                | "displacement_pct"
                | "leakage_pct"
                | "dropoff_pct" => match cell.parse::<f64>() {
                    Ok(n) => sheet.write_number(row, col, n)?,
                    Err(_) => sheet.write_string(row, col, cell)?,
                },
                _ => sheet.write_string(row, col, cell)?,
            };
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// The commitments as CSV (header row of [`COMMITMENT_COLUMNS`]); text that a spreadsheet
/// would read as a formula starts with an apostrophe.
pub fn commitments_csv(commitments: &[Commitment]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(COMMITMENT_COLUMNS);
    for c in commitments {
        let cells = commitment_cells(c);
        let _ = w.write_record(cells.iter().map(|s| guarded(s)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell as text: numbers without a trailing `.0`, empty for blanks.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`. Written by hand because
/// calamine's own conversion needs its chrono feature, which we do not otherwise build.
fn excel_date(serial: f64) -> String {
    // Days from 1970-01-01, then Howard Hinnant's civil-from-days.
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Undoes the export's formula guard: `'=x` reads back as `=x`.
fn unguard(s: &str) -> String {
    match s.strip_prefix('\'') {
        Some(rest) if crate::csv_export::starts_like_formula(rest) => rest.to_owned(),
        _ => s.to_owned(),
    }
}

fn number(errors: &mut Collector, row: usize, column: &str, text: &str) -> Option<f64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '£' | ' '))
        .collect();
    match cleaned.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errors.push(row, column, format!("{text:?} is not a number"));
            None
        }
    }
}

fn optional(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

fn parse_milestones(errors: &mut Collector, row: usize, text: &str) -> Vec<Milestone> {
    let mut out = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((due, rest)) = part.split_once('=') else {
            errors.push(
                row,
                "milestones",
                format!("{part:?}: write each milestone as YYYY-MM-DD=quantity (description)"),
            );
            continue;
        };
        let rest = rest.trim();
        let (quantity, description) = match rest.find('(') {
            Some(open) => (
                rest[..open].trim(),
                rest[open + 1..].trim_end_matches(')').trim(),
            ),
            None => (rest, ""),
        };
        if let Some(target) = number(errors, row, "milestones", quantity) {
            out.push(Milestone {
                due: due.trim().to_owned(),
                target,
                description: description.to_owned(),
            });
        }
    }
    out
}

/// The valuation columns of one row (13 onwards of [`COMMITMENT_COLUMNS`]): none when they
/// are all empty; figures without a proxy are an error on `proxy_id`.
fn read_valuation(
    errors: &mut Collector,
    row: usize,
    get: &dyn Fn(usize) -> String,
) -> Option<Valuation> {
    let proxy_id = get(13);
    let years_text = get(14);
    let duration_years = if years_text.is_empty() {
        Some(1)
    } else {
        number(errors, row, "valuation_years", &years_text).and_then(|y| {
            if y.fract() == 0.0 && y.abs() < 1e15 {
                Some(y as i64)
            } else {
                errors.push(
                    row,
                    "valuation_years",
                    format!("{years_text:?}: write the years as a whole number, such as 3"),
                );
                None
            }
        })
    };
    let mut shares = [0.0; 5];
    let mut figures = !years_text.is_empty();
    let mut good = duration_years.is_some();
    for (i, (column, _)) in VALUATION_PERCENT_COLUMNS.iter().enumerate() {
        let text = get(15 + i);
        let text = text.strip_suffix('%').unwrap_or(&text).trim();
        if text.is_empty() {
            continue;
        }
        figures = true;
        match number(errors, row, column, text) {
            Some(p) => shares[i] = p / 100.0,
            None => good = false,
        }
    }
    if proxy_id.is_empty() {
        if figures {
            errors.push(
                row,
                "proxy_id",
                "valuation figures without a proxy: choose the proxy to value with, or clear the valuation columns",
            );
        }
        return None;
    }
    let [deadweight, attribution, displacement, leakage, dropoff] = shares;
    good.then(|| Valuation {
        proxy_id,
        duration_years: duration_years.unwrap_or(1),
        deadweight,
        attribution,
        displacement,
        leakage,
        dropoff,
    })
}

/// One commitments table (rows of cells under a header), shared by the workbook and the CSV.
fn read_commitments(errors: &mut Collector, rows: &[Vec<String>]) -> Vec<(usize, Commitment)> {
    let Some((header, body)) = rows.split_first() else {
        errors.push(1, "A", "the commitments table has no header row");
        return Vec::new();
    };
    // Only criterion, description and target must be there; the rest (the valuation columns
    // among them) may be left out, as in files written before those columns existed.
    let mut index = [usize::MAX; COMMITMENT_COLUMNS.len()];
    for (i, name) in COMMITMENT_COLUMNS.iter().enumerate() {
        match header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
        {
            Some(p) => index[i] = p,
            None if matches!(*name, "criterion" | "description" | "target") => {
                errors.push(1, name, format!("the header has no column {name:?}"));
            }
            None => {}
        }
    }
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        if !h.is_empty() && !COMMITMENT_COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h)) {
            errors.push(
                1,
                &column_letter(i),
                format!(
                    "unknown column {h:?}; the columns are {}",
                    COMMITMENT_COLUMNS.join(", ")
                ),
            );
        }
    }
    if !errors.errors.is_empty() {
        return Vec::new();
    }
    if body.len() > MAX_ROWS {
        errors.push(
            MAX_ROWS + 2,
            "A",
            format!("at most {MAX_ROWS} rows are read"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, cells) in body.iter().enumerate() {
        let row = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |col: usize| -> String {
            let at = index[col];
            if at == usize::MAX {
                String::new()
            } else {
                unguard(cells.get(at).map(|s| s.trim()).unwrap_or(""))
            }
        };
        let target = number(errors, row, "target", &get(3)).unwrap_or(f64::NAN);
        let estimated =
            optional(get(10)).and_then(|t| number(errors, row, "estimated_value_gbp", &t));
        let valuation = read_valuation(errors, row, &get);
        let value_kind = match get(11).to_ascii_lowercase().as_str() {
            "" => None,
            "wellbeing" => Some(ValueKind::Wellbeing),
            "fiscal" => Some(ValueKind::Fiscal),
            "economic" => Some(ValueKind::Economic),
            other => {
                errors.push(
                    row,
                    "value_kind",
                    format!("{other:?}: write wellbeing, fiscal or economic"),
                );
                None
            }
        };
        out.push((
            row,
            Commitment {
                criterion: get(0),
                metric_id: optional(get(1)),
                description: get(2),
                target,
                unit: get(4),
                start_date: optional(get(5)),
                end_date: optional(get(6)),
                area: optional(get(7)),
                milestones: parse_milestones(errors, row, &get(8)),
                partners: get(9)
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
                estimated_value_gbp: estimated,
                value_kind,
                value_basis: optional(get(12)),
                valuation,
            },
        ));
    }
    out
}

fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut s = String::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.insert(0, char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    s
}

/// The column of a commitment's field path (after `commitments[i].`): its first part, or for
/// the valuation's fields (`valuation.deadweight`) the column they are written in.
fn commitment_column(path: &str) -> String {
    let path = path.trim_start_matches('.');
    match path.strip_prefix("valuation.") {
        Some("duration_years") => "valuation_years".to_owned(),
        Some(field) => VALUATION_PERCENT_COLUMNS
            .iter()
            .find(|(_, f)| *f == field)
            .map_or("proxy_id", |(column, _)| column)
            .to_owned(),
        None if path == "valuation" => "proxy_id".to_owned(),
        None => path.split(['.', '[']).next().unwrap_or("").to_owned(),
    }
}

/// The domain's message in the file's terms: the valuation's shares are percentages here.
fn file_message(column: &str, e: &DomainError) -> String {
    match VALUATION_PERCENT_COLUMNS.iter().find(|(c, _)| *c == column) {
        Some((_, field)) if e.code == "out_of_range" => {
            format!("{field} must be a percentage from 0 to 100 (25 means 25%)")
        }
        _ if column == "valuation_years" => e.message.replace("duration_years", "valuation_years"),
        _ => e.message.clone(),
    }
}

/// Turns the domain's field paths back into rows and columns of the file. The valuations are
/// checked as the import will apply them (the engine and the shipped proxy library), then the
/// bid with the engine's figures is checked against the tender.
fn locate_domain_errors(
    errors: &mut Collector,
    bid: &BidDetails,
    tender: &TenderDetails,
    commitment_rows: &[usize],
    answer_rows: &[usize],
    sheets: Option<(&str, &str, &str)>,
) {
    let mut valued = bid.clone();
    let mut found = Vec::new();
    if let Err(e) = apply_valuations(&mut valued, ProxyLibrary::shipped()) {
        found.extend(e.0);
    }
    // A commitment whose valuation failed has no engine figure yet: what the estimate's
    // fields then lack is a consequence, not a second problem.
    let unvalued: Vec<String> = found
        .iter()
        .filter_map(|e| e.field.split_once(']').map(|(c, _)| format!("{c}].")))
        .collect();
    let checked = valued
        .validate(tender, false)
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    // The engine and the tender check both look at the target: one message per cell.
    found.retain(|e| !checked.iter().any(|c| c.field == e.field));
    found.extend(checked.into_iter().filter(|e| {
        !unvalued.iter().any(|c| {
            e.field
                .strip_prefix(c.as_str())
                .is_some_and(|f| matches!(f, "estimated_value_gbp" | "value_kind" | "value_basis"))
        })
    }));
    for e in found {
        let mut message = e.message.clone();
        let (sheet, row, column) = if let Some(rest) = e.field.strip_prefix("commitments[") {
            let (n, tail) = rest.split_once(']').unwrap_or(("0", ""));
            let n: usize = n.parse().unwrap_or(0);
            let column = commitment_column(tail);
            message = file_message(&column, &e);
            (
                sheets.map(|s| s.2),
                commitment_rows.get(n).copied().unwrap_or(0),
                column,
            )
        } else if let Some(rest) = e.field.strip_prefix("answers[") {
            let n: usize = rest
                .split(']')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            (
                sheets.map(|s| s.1),
                answer_rows.get(n).copied().unwrap_or(0),
                if e.field.ends_with("question_id") {
                    "question_id".to_owned()
                } else {
                    "answer".to_owned()
                },
            )
        } else {
            (sheets.map(|s| s.0), 2, "value".to_owned())
        };
        errors.sheet = sheet.map(str::to_owned);
        errors.push(row, &column, message);
    }
}

/// Reads the commitments of a CSV (as written by [`commitments_csv`]) and checks them against
/// the tender.
pub fn read_commitments_csv(
    file: &str,
    bytes: &[u8],
    tender: &TenderDetails,
) -> Result<Vec<Commitment>, FileErrors> {
    let mut errors = Collector::new(file);
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(e) => {
            errors.push(
                1,
                "A",
                format!("the file is not UTF-8 text (byte {})", e.valid_up_to()),
            );
            return Err(errors.finish());
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        match record {
            Ok(r) => rows.push(r.iter().map(str::to_owned).collect::<Vec<_>>()),
            Err(e) => {
                errors.push(i + 1, "A", format!("not valid CSV: {e}"));
                return Err(errors.finish());
            }
        }
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
    }
    let parsed = read_commitments(&mut errors, &rows);
    if !errors.errors.is_empty() {
        return Err(errors.finish());
    }
    let rows_of: Vec<usize> = parsed.iter().map(|(r, _)| *r).collect();
    let bid = BidDetails {
        price_gbp: 1.0,
        answers: Vec::new(),
        commitments: parsed.into_iter().map(|(_, c)| c).collect(),
    }
    .normalised(tender);
    locate_domain_errors(&mut errors, &bid, tender, &rows_of, &[], None);
    if errors.errors.is_empty() {
        Ok(bid.commitments)
    } else {
        Err(errors.finish())
    }
}

/// Reads a whole bid from a workbook (as written by [`bid_workbook`]) and checks it against
/// the tender as a draft.
pub fn read_bid_workbook(
    file: &str,
    bytes: &[u8],
    tender: &TenderDetails,
) -> Result<BidDetails, FileErrors> {
    let mut errors = Collector::new(file);
    let mut workbook: Xlsx<_> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(w) => w,
        Err(e) => {
            errors.push(1, "A", format!("not an Excel workbook (.xlsx): {e}"));
            return Err(errors.finish());
        }
    };
    let mut sheet_rows = |name: &str, errors: &mut Collector| -> Option<Vec<Vec<String>>> {
        match workbook.worksheet_range(name) {
            Ok(range) => Some(
                range
                    .rows()
                    .take(MAX_ROWS + 2)
                    .map(|r| r.iter().map(cell_text).collect())
                    .collect(),
            ),
            Err(_) => {
                errors.sheet = None;
                errors.push(
                    1,
                    "A",
                    format!("the workbook has no sheet {name:?} (download the bid workbook from the bid page)"),
                );
                None
            }
        }
    };
    let (Some(bid_rows), Some(answer_rows), Some(commitment_rows)) = (
        sheet_rows(SHEETS[1], &mut errors),
        sheet_rows(SHEETS[2], &mut errors),
        sheet_rows(SHEETS[3], &mut errors),
    ) else {
        return Err(errors.finish());
    };

    errors.sheet = Some(SHEETS[1].into());
    let mut price = f64::NAN;
    let mut found_price = false;
    for (i, r) in bid_rows.iter().enumerate().skip(1) {
        if r.first().map(|s| s.trim()) == Some("price_gbp") {
            found_price = true;
            let text = r.get(1).cloned().unwrap_or_default();
            if text.is_empty() {
                errors.push(i + 1, "value", "the bid price is empty");
            } else if let Some(p) = number(&mut errors, i + 1, "value", &text) {
                price = p;
            }
        }
    }
    if !found_price {
        errors.push(2, "field", "no row named price_gbp");
    }

    errors.sheet = Some(SHEETS[2].into());
    let mut answers = Vec::new();
    let mut answer_row_numbers = Vec::new();
    let header = answer_rows.first().cloned().unwrap_or_default();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    match (col("question_id"), col("answer")) {
        (Some(q), Some(a)) => {
            for (i, r) in answer_rows.iter().enumerate().skip(1) {
                let id = r.get(q).cloned().unwrap_or_default();
                let text = r.get(a).cloned().unwrap_or_default();
                if id.is_empty() && text.is_empty() {
                    continue;
                }
                if id.is_empty() {
                    errors.push(i + 1, "question_id", "an answer without a question id");
                    continue;
                }
                if text.is_empty() {
                    continue; // a question not answered yet: fine in a draft
                }
                answers.push(Answer {
                    question_id: id,
                    text,
                });
                answer_row_numbers.push(i + 1);
            }
        }
        _ => errors.push(
            1,
            "A",
            "the header must have the columns question_id and answer",
        ),
    }

    errors.sheet = Some(SHEETS[3].into());
    let parsed = read_commitments(&mut errors, &commitment_rows);
    if !errors.errors.is_empty() {
        return Err(errors.finish());
    }
    let rows_of: Vec<usize> = parsed.iter().map(|(r, _)| *r).collect();
    let bid = BidDetails {
        price_gbp: price,
        answers,
        commitments: parsed.into_iter().map(|(_, c)| c).collect(),
    }
    .normalised(tender);
    locate_domain_errors(
        &mut errors,
        &bid,
        tender,
        &rows_of,
        &answer_row_numbers,
        Some((SHEETS[1], SHEETS[2], SHEETS[3])),
    );
    if errors.errors.is_empty() {
        Ok(bid)
    } else {
        Err(errors.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svatlas_domain::procurement::model::Edition;
    use svatlas_domain::procurement::scoring::Method;
    use svatlas_domain::procurement::tender::{Question, QuestionKind, default_scale};

    fn tender() -> TenderDetails {
        let q = |id: &str, kind, weight, criterion: Option<&str>| Question {
            id: id.into(),
            kind,
            text: format!("Question {id}"),
            weight,
            criterion: criterion.map(Into::into),
        };
        TenderDetails {
            title: "Community transport".into(),
            description: String::new(),
            contract_value_gbp: 1e6,
            closing_date: None,
            start_date: None,
            end_date: None,
            areas: vec![],
            edition: Edition::Svm2020,
            criteria: vec!["MAC 2.2".into(), "MAC 8.1".into()],
            method: Method::WeightedScore,
            price_weight: 40.0,
            questions: vec![
                q("Q1", QuestionKind::Quality, 50.0, None),
                q("SV1", QuestionKind::SocialValue, 6.0, Some("MAC 2.2")),
                q("SV2", QuestionKind::SocialValue, 4.0, Some("MAC 8.1")),
            ],
            scale: default_scale(),
        }
    }

    fn bid() -> BidDetails {
        BidDetails {
            price_gbp: 900_000.0,
            answers: vec![Answer {
                question_id: "Q1".into(),
                text: "=A fleet of minibuses".into(),
            }],
            commitments: vec![Commitment {
                criterion: "MAC 2.2".into(),
                metric_id: Some("SVM20-2.2-c".into()),
                description: "Apprenticeships".into(),
                target: 6.0,
                unit: "apprenticeships".into(),
                start_date: Some("2027-04-01".into()),
                end_date: Some("2030-03-31".into()),
                area: Some("E06000026".into()),
                milestones: vec![
                    Milestone {
                        due: "2028-03-31".into(),
                        target: 2.0,
                        description: "Year 1".into(),
                    },
                    Milestone {
                        due: "2029-03-31".into(),
                        target: 4.5,
                        description: String::new(),
                    },
                ],
                partners: vec!["Plymouth Skills Hub".into(), "Shekinah".into()],
                estimated_value_gbp: Some(12_000.5),
                value_kind: Some(ValueKind::Economic),
                value_basis: Some("-wages".into()),
                valuation: None,
            }],
        }
    }

    #[test]
    fn excel_date_serials() {
        assert_eq!(excel_date(46_478.0), "2027-04-01");
        assert_eq!(excel_date(25_569.0), "1970-01-01");
        assert_eq!(excel_date(45_351.5), "2024-02-29");
    }

    #[test]
    fn a_bid_round_trips_through_the_workbook() {
        let t = tender();
        let bytes = bid_workbook("Community transport", &t, Some(&bid())).expect("workbook");
        let back = read_bid_workbook("bid.xlsx", &bytes, &t).expect("reads back");
        assert_eq!(back, bid());
    }

    #[test]
    fn commitments_round_trip_through_csv_with_formula_guards() {
        let t = tender();
        let text = commitments_csv(&bid().commitments);
        assert!(text.contains("'-wages"), "{text}");
        let back = read_commitments_csv("c.csv", text.as_bytes(), &t).expect("reads back");
        assert_eq!(back, bid().commitments);
    }

    #[test]
    fn bad_cells_are_all_reported_with_row_and_column_and_nothing_is_read() {
        let t = tender();
        let csv = "criterion,metric_id,description,target,milestones,value_kind\n\
                   MAC 2.2,SVM20-2.2-c,Apprentices,six,,\n\
                   MAC 4.1,,Green travel,3,2028-01-01 2,money\n\
                   MAC 8.1,SVM20-8.1-a,Users' panel,4,,\n";
        let errors = read_commitments_csv("commitments.csv", csv.as_bytes(), &t).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .0
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![(2, "target"), (3, "milestones"), (3, "value_kind")],
            "{errors:?}"
        );
        assert_eq!(errors.0[0].file, "commitments.csv");
        assert!(errors.0[0].message.contains("\"six\" is not a number"));
        // Cells that parse but break the tender's rules are located too.
        let csv = "criterion,description,target,unit\nMAC 2.2,Apprentices,6,\nMAC 4.1,Green travel,3,trips\n";
        let errors = read_commitments_csv("c.csv", csv.as_bytes(), &t).unwrap_err();
        assert_eq!(errors.0.len(), 2, "{errors:?}");
        assert_eq!((errors.0[0].row, errors.0[0].column.as_str()), (2, "unit"));
        assert_eq!(
            (errors.0[1].row, errors.0[1].column.as_str()),
            (3, "criterion")
        );
        assert!(errors.0[1].message.contains("not one of the criteria"));
    }

    #[test]
    fn unknown_columns_and_missing_sheets_are_named() {
        let t = tender();
        let errors = read_commitments_csv("c.csv", b"criterion,description,target,colour\n", &t)
            .unwrap_err();
        assert_eq!(errors.0[0].column, "D");
        assert!(errors.0[0].message.contains("unknown column \"colour\""));
        let errors = read_bid_workbook("x.xlsx", b"not a zip", &t).unwrap_err();
        assert!(errors.0[0].message.contains("not an Excel workbook"));
        let mut wb = Workbook::new();
        wb.add_worksheet().set_name("Bid").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let errors = read_bid_workbook("x.xlsx", &bytes, &t).unwrap_err();
        assert_eq!(errors.0.len(), 2);
        assert!(errors.0[0].message.contains("no sheet \"Answers\""));
    }

    /// The test bid with a second commitment valued by the engine: 2 QALYs for 3 years,
    /// 25% deadweight, 10% drop-off.
    fn valued_bid() -> BidDetails {
        let mut b = bid();
        b.commitments.push(Commitment {
            criterion: "MAC 8.1".into(),
            metric_id: None,
            description: "Health checks for older passengers".into(),
            target: 2.0,
            unit: "QALYs".into(),
            start_date: None,
            end_date: None,
            area: None,
            milestones: vec![],
            partners: vec![],
            estimated_value_gbp: Some(1.0),
            value_kind: Some(ValueKind::Wellbeing),
            value_basis: None,
            valuation: Some(Valuation {
                proxy_id: "GB-QALY".into(),
                duration_years: 3,
                deadweight: 0.25,
                attribution: 0.0,
                displacement: 0.0,
                leakage: 0.0,
                dropoff: 0.1,
            }),
        });
        b
    }

    #[test]
    fn a_valuation_round_trips_through_the_workbook_and_the_csv() {
        let t = tender();
        let want = valued_bid();
        let bytes = bid_workbook("Community transport", &t, Some(&want)).expect("workbook");
        let back = read_bid_workbook("bid.xlsx", &bytes, &t).expect("reads back");
        assert_eq!(back.commitments[1].valuation, want.commitments[1].valuation);
        assert_eq!(back.commitments[0].valuation, None);
        assert_eq!(back, want);

        let text = commitments_csv(&want.commitments);
        let header = text.lines().next().unwrap();
        assert!(
            header.ends_with(
                ",value_basis,proxy_id,valuation_years,deadweight_pct,attribution_pct,\
                 displacement_pct,leakage_pct,dropoff_pct"
            ),
            "{header}"
        );
        // Percent as people type it, without float noise (0.1 × 100 is 10.000000000000002).
        assert!(
            text.contains(",QALYs,,,,,,1,wellbeing,,GB-QALY,3,25,0,0,0,10"),
            "{text}"
        );
        let back = read_commitments_csv("c.csv", text.as_bytes(), &t).expect("reads back");
        assert_eq!(back[1].valuation, want.commitments[1].valuation);
        assert_eq!(back, want.commitments);

        // Typed by hand: years empty = 1, a `%` sign allowed, other deflators 0.
        let csv = "criterion,description,target,unit,value_kind,proxy_id,deadweight_pct\n\
                   MAC 8.1,Health checks,2,QALYs,wellbeing,GB-QALY,25%\n";
        let back = read_commitments_csv("c.csv", csv.as_bytes(), &t).expect("reads");
        let v = back[0].valuation.as_ref().expect("valued");
        assert_eq!((v.duration_years, v.deadweight, v.dropoff), (1, 0.25, 0.0));
    }

    #[test]
    fn a_csv_of_the_old_thirteen_columns_still_reads() {
        let t = tender();
        let csv = format!(
            "{}\nMAC 2.2,SVM20-2.2-c,Apprenticeships,6,apprenticeships,2027-04-01,2030-03-31,\
             E06000026,2028-03-31=2 (Year 1),Plymouth Skills Hub,12000.5,economic,wages\n",
            COMMITMENT_COLUMNS[..13].join(",")
        );
        let back = read_commitments_csv("old.csv", csv.as_bytes(), &t).expect("reads");
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].estimated_value_gbp, Some(12_000.5));
        assert_eq!(back[0].value_basis.as_deref(), Some("wages"));
        assert_eq!(back[0].valuation, None);
        // A truly unknown column is still refused.
        let csv = format!("{},proxy\n", COMMITMENT_COLUMNS[..13].join(","));
        let errors = read_commitments_csv("old.csv", csv.as_bytes(), &t).unwrap_err();
        assert_eq!(errors.0[0].column, "N", "{errors:?}");
        assert!(errors.0[0].message.contains("unknown column \"proxy\""));
    }

    #[test]
    fn bad_valuation_cells_are_located_and_nothing_is_read() {
        let t = tender();
        let csv = "criterion,description,target,unit,value_kind,proxy_id,valuation_years,\
                   deadweight_pct,dropoff_pct\n\
                   MAC 8.1,Health checks,2,QALYs,wellbeing,GB-QALY,3,abc,10%\n\
                   MAC 8.1,Health checks,2,QALYs,wellbeing,,2,25,\n";
        let errors = read_commitments_csv("c.csv", csv.as_bytes(), &t).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .0
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![(2, "deadweight_pct"), (3, "proxy_id")],
            "{errors:?}"
        );
        assert!(errors.0[0].message.contains("\"abc\" is not a number"));
        assert!(
            errors.0[1]
                .message
                .contains("choose the proxy to value with, or clear the valuation columns"),
            "{}",
            errors.0[1].message
        );
        assert!(
            errors.0[1]
                .to_string()
                .starts_with("c.csv, row 3, column proxy_id:")
        );

        // The engine's own checks land on the cells too, in the file's terms.
        let csv = "criterion,description,target,unit,value_kind,proxy_id,valuation_years,\
                   deadweight_pct\n\
                   MAC 8.1,Health checks,2,QALYs,wellbeing,NLW-2025,,\n\
                   MAC 8.1,Health checks,2,QALYs,wellbeing,GB-QALY,0,150\n";
        let errors = read_commitments_csv("c.csv", csv.as_bytes(), &t).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .0
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (2, "proxy_id"),
                (3, "valuation_years"),
                (3, "deadweight_pct")
            ],
            "{errors:?}"
        );
        assert!(errors.0[0].message.contains("values inputs"), "{errors:?}");
        assert!(
            errors.0[1].message.contains("valuation_years must be"),
            "{errors:?}"
        );
        assert_eq!(
            errors.0[2].message,
            "deadweight must be a percentage from 0 to 100 (25 means 25%)"
        );
        // A negative target breaks both the engine and the tender check: one message.
        let csv = "criterion,description,target,unit,value_kind,proxy_id,valuation_years\n\
                   MAC 8.1,Health checks,-2,QALYs,wellbeing,GB-QALY,1\n";
        let errors = read_commitments_csv("c.csv", csv.as_bytes(), &t).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .0
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(found, vec![(2, "target")], "{errors:?}");
        let csv = "criterion,description,target,unit,proxy_id,valuation_years\n\
                   MAC 8.1,Health checks,2,QALYs,GB-QALY,2.5\n";
        let errors = read_commitments_csv("c.csv", csv.as_bytes(), &t).unwrap_err();
        assert_eq!(
            (errors.0[0].row, errors.0[0].column.as_str()),
            (2, "valuation_years")
        );
        assert!(errors.0[0].message.contains("whole number"), "{errors:?}");
    }

    #[test]
    fn workbook_errors_name_the_sheet() {
        let t = tender();
        let mut b = bid();
        b.commitments[0].target = -1.0;
        b.answers[0].question_id = "Q9".into();
        let bytes = bid_workbook("x", &t, Some(&b)).unwrap();
        let errors = read_bid_workbook("bid.xlsx", &bytes, &t).unwrap_err();
        let found: Vec<(Option<&str>, usize, &str)> = errors
            .0
            .iter()
            .map(|e| (e.sheet.as_deref(), e.row, e.column.as_str()))
            .collect();
        // Q9 is not one of the tender's questions, so the export leaves its answer out; the
        // bad target is caught on its row.
        assert_eq!(
            found,
            vec![
                (Some("Commitments"), 2, "target"),
                (Some("Commitments"), 2, "milestones")
            ],
            "{errors:?}"
        );
        assert_eq!(
            errors.0[0].to_string(),
            format!(
                "bid.xlsx, sheet \"Commitments\", row 2, column target: {}",
                errors.0[0].message
            )
        );
    }
}
