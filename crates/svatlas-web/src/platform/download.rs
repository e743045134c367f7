//! Downloads of any table a page shows: CSV, XLSX and JSON, each carrying the sources and
//! licences of its figures. A page builds one [`DataTable`] and either renders it as HTML or,
//! when the URL has `format=csv|xlsx|json`, answers it as a file through [`DataTable::download`];
//! the download URL is the page URL plus `format`, so it is as stable as the page.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};
use serde_json::{Map, Value, json};
use svatlas_areas::catalog::Dataset;

use crate::platform::error::AppError;

/// How a page answers: as HTML or as one of the download formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The page itself.
    Html,
    /// Comma-separated values, UTF-8, with `#` lines naming sources and licences first.
    Csv,
    /// An Excel workbook: a data sheet and a "Source and licence" sheet.
    Xlsx,
    /// `{"title", "sources", "columns", "rows"}`.
    Json,
}

impl Format {
    /// Parses the `format` query parameter (absent or empty = HTML).
    pub fn parse(value: Option<&str>) -> Result<Format, AppError> {
        match value.map(str::trim).unwrap_or("") {
            "" | "html" => Ok(Format::Html),
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "json" => Ok(Format::Json),
            other => Err(AppError::invalid(
                "invalid_format",
                "format",
                format!("format must be html, csv, xlsx or json, not {other:?}"),
            )),
        }
    }
}

/// Where figures come from: one dataset, as the data directory lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Dataset id (anchor in `/data`).
    pub id: String,
    /// Dataset title.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Edition label.
    pub edition: String,
    /// Licence id, e.g. `OGL-UK-3.0`.
    pub licence: String,
    /// Attribution text to show next to the data.
    pub attribution: String,
    /// Landing page of the source.
    pub url: Option<String>,
}

impl Source {
    /// The source of a dataset in the catalogue.
    pub fn of(dataset: &Dataset) -> Self {
        Source {
            id: dataset.id.clone(),
            name: dataset.name.clone(),
            publisher: dataset.publisher.clone(),
            edition: dataset.edition.clone(),
            licence: dataset.licence.clone(),
            attribution: dataset.attribution.clone(),
            url: dataset.source_url.clone(),
        }
    }

    /// One line for a CSV header or a caption.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{} ({}, {}). Licence: {}. {}",
            self.name, self.publisher, self.edition, self.licence, self.attribution
        );
        if let Some(url) = &self.url {
            line.push_str(&format!(" {url}"));
        }
        line
    }
}

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (names, codes, labels).
    Text(String),
    /// A number, kept at full precision in downloads.
    Number(f64),
    /// No value (written as an empty cell, `null` in JSON).
    Missing,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        if v.is_finite() {
            Cell::Number(v)
        } else {
            Cell::Missing
        }
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Missing, Cell::from)
    }
}

impl From<u32> for Cell {
    fn from(v: u32) -> Self {
        Cell::Number(f64::from(v))
    }
}

impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        // Counts in our tables are far below 2^53, so the conversion is exact.
        #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^53")]
        Cell::Number(v as f64)
    }
}

/// A table with its title and sources, ready to download.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// Title (sheet heading, JSON `title`).
    pub title: String,
    /// File name without extension, e.g. `rankings-iod2025-imd-score-lad24`.
    pub file_stem: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
    /// Where the figures come from.
    pub sources: Vec<Source>,
    /// Notes that travel with the figures (method, caveats, estimate labels).
    pub notes: Vec<String>,
}

impl DataTable {
    /// A table with these columns and no rows yet.
    pub fn new(title: impl Into<String>, file_stem: &str, columns: &[&str]) -> Self {
        DataTable {
            title: title.into(),
            file_stem: safe_file_stem(file_stem),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
            sources: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Answers the table as a file in `format` (HTML is the caller's own page).
    pub fn download(&self, format: Format) -> Result<Response, AppError> {
        let (body, mime, ext): (Vec<u8>, &str, &str) = match format {
            Format::Html => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "download asked for HTML; the page renders that itself"
                )));
            }
            Format::Csv => (self.to_csv()?, "text/csv; charset=utf-8", "csv"),
            Format::Json => (
                serde_json::to_vec_pretty(&self.to_json())
                    .map_err(|e| AppError::Internal(e.into()))?,
                "application/json",
                "json",
            ),
            Format::Xlsx => (
                self.to_xlsx()
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("writing XLSX: {e}")))?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
        };
        let mut response = body.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        let disposition = format!("attachment; filename=\"{}.{ext}\"", self.file_stem);
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        Ok(response)
    }

    /// CSV: `#` lines with the title, sources, licences and notes, then the header and rows.
    /// Spreadsheet programs show the `#` lines as text rows; `pandas.read_csv(comment="#")`
    /// and DuckDB (`skip`) step over them.
    pub fn to_csv(&self) -> Result<Vec<u8>, AppError> {
        let mut out = Vec::new();
        let mut preamble = vec![format!("# {}", self.title)];
        preamble.extend(
            self.sources
                .iter()
                .map(|s| format!("# Source: {}", s.line())),
        );
        preamble.extend(self.notes.iter().map(|n| format!("# Note: {n}")));
        for line in preamble {
            // One line each: a stray newline inside a title would otherwise start a data row.
            out.extend_from_slice(line.replace(['\n', '\r'], " ").as_bytes());
            out.push(b'\n');
        }
        let mut writer = csv::Writer::from_writer(out);
        let csv_error = |e: csv::Error| AppError::Internal(e.into());
        writer.write_record(&self.columns).map_err(csv_error)?;
        for row in &self.rows {
            writer
                .write_record(row.iter().map(|cell| match cell {
                    Cell::Text(s) => s.clone(),
                    Cell::Number(v) => format_number(*v),
                    Cell::Missing => String::new(),
                }))
                .map_err(csv_error)?;
        }
        writer
            .into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("finishing CSV: {e}")))
    }

    /// JSON: `{"title", "sources": [...], "notes": [...], "columns": [...], "rows": [{column: value}]}`.
    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let mut object = Map::new();
                for (column, cell) in self.columns.iter().zip(row) {
                    let value = match cell {
                        Cell::Text(s) => Value::String(s.clone()),
                        Cell::Number(v) => json!(v),
                        Cell::Missing => Value::Null,
                    };
                    object.insert(column.clone(), value);
                }
                Value::Object(object)
            })
            .collect();
        let sources: Vec<Value> = self
            .sources
            .iter()
            .map(|s| {
                json!({"dataset": s.id, "name": s.name, "publisher": s.publisher,
                       "edition": s.edition, "licence": s.licence,
                       "attribution": s.attribution, "url": s.url})
            })
            .collect();
        json!({"title": self.title, "sources": sources, "notes": self.notes,
               "columns": self.columns, "rows": rows})
    }

    /// XLSX: the table on "Data" (bold frozen header, filter) and a "Source and licence" sheet.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = CellFormat::new().set_bold();
        let data = workbook.add_worksheet().set_name("Data")?;
        for (c, column) in self.columns.iter().enumerate() {
            data.write_string_with_format(0, col(c), column, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => data.write_string(r, col(c), s)?,
                    Cell::Number(v) => data.write_number(r, col(c), *v)?,
                    Cell::Missing => data,
                };
            }
        }
        data.set_freeze_panes(1, 0)?;
        if !self.columns.is_empty() {
            let last_row = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
            data.autofilter(0, 0, last_row, col(self.columns.len() - 1))?;
        }
        data.set_column_width(0, 14)?;
        data.set_column_width(1, 40)?;

        let about = workbook.add_worksheet().set_name("Source and licence")?;
        about.set_column_width(0, 14)?;
        about.set_column_width(1, 100)?;
        about.write_string_with_format(0, 0, &self.title, &bold)?;
        let mut r = 2;
        for source in &self.sources {
            for (label, value) in [
                ("Dataset", source.name.as_str()),
                ("Publisher", &source.publisher),
                ("Edition", &source.edition),
                ("Licence", &source.licence),
                ("Attribution", &source.attribution),
                ("Link", source.url.as_deref().unwrap_or("")),
            ] {
                about.write_string_with_format(r, 0, label, &bold)?;
                about.write_string(r, 1, value)?;
                r += 1;
            }
            r += 1;
        }
        for note in &self.notes {
            about.write_string_with_format(r, 0, "Note", &bold)?;
            about.write_string(r, 1, note)?;
            r += 1;
        }
        about.write_string(
            r + 1,
            0,
            "Made with sv-atlas (open-source, Apache-2.0 OR MIT).",
        )?;
        workbook.save_to_buffer()
    }
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Shortest text that reads back as the same f64 (Rust's `Display` is exact and never uses
/// exponents for the magnitudes our indicators have).
fn format_number(v: f64) -> String {
    format!("{v}")
}

/// Keeps a file name to `[A-Za-z0-9._-]`, so it is safe in a header and on any file system.
fn safe_file_stem(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "sv-atlas".to_owned()
    } else {
        cleaned
    }
}

/// Links to the three downloads of the current page: its path and query plus `format=`.
#[derive(Debug, Clone, PartialEq)]
pub struct DownloadLinks {
    /// `(label, href)` for CSV, Excel and JSON.
    pub links: Vec<(&'static str, String)>,
}

impl DownloadLinks {
    /// Links for a page at `path` with these query pairs (any `format` pair is replaced).
    pub fn new(path: &str, query: &[(&str, String)]) -> Self {
        let base: Vec<(&str, String)> = query
            .iter()
            .filter(|(k, _)| *k != "format")
            .cloned()
            .collect();
        let href = |format: &str| {
            let mut pairs = base.clone();
            pairs.push(("format", format.to_owned()));
            format!("{path}?{}", query_string(&pairs))
        };
        DownloadLinks {
            links: vec![
                ("CSV", href("csv")),
                ("Excel (XLSX)", href("xlsx")),
                ("JSON", href("json")),
            ],
        }
    }
}

/// A query string from pairs, percent-encoded, empty values left out (for links that keep the
/// rest of the page's query).
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    parts.join("&")
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass through).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> DataTable {
        let mut t = DataTable::new("IMD rank, \"test\"", "rank s/1", &["code", "name", "value"]);
        t.rows.push(vec!["E1".into(), "A, B".into(), 1.5.into()]);
        t.rows.push(vec!["E2".into(), "C".into(), Cell::Missing]);
        t.sources.push(Source {
            id: "iod2025".into(),
            name: "English Indices of Deprivation 2025".into(),
            publisher: "MHCLG".into(),
            edition: "2025".into(),
            licence: "OGL-UK-3.0".into(),
            attribution: "Contains public sector information licensed under the OGL v3.0.".into(),
            url: None,
        });
        t
    }

    #[test]
    fn csv_has_source_lines_then_a_quoted_table() {
        let csv = String::from_utf8(table().to_csv().unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "# IMD rank, \"test\"");
        assert!(lines[1].starts_with(
            "# Source: English Indices of Deprivation 2025 (MHCLG, 2025). Licence: OGL-UK-3.0."
        ));
        assert_eq!(lines[2], "code,name,value");
        assert_eq!(lines[3], "E1,\"A, B\",1.5");
        assert_eq!(lines[4], "E2,C,");
    }

    #[test]
    fn json_rows_are_objects_with_nulls_for_missing() {
        let json = table().to_json();
        assert_eq!(json["rows"][0]["name"], "A, B");
        assert_eq!(json["rows"][0]["value"], 1.5);
        assert!(json["rows"][1]["value"].is_null());
        assert_eq!(json["sources"][0]["licence"], "OGL-UK-3.0");
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(table().file_stem, "rank-s-1");
        assert_eq!(safe_file_stem("\"; rm -rf"), "---rm--rf");
    }

    #[test]
    fn download_links_replace_format_and_encode() {
        let links = DownloadLinks::new(
            "/rankings",
            &[
                ("indicator", "iod2025.imd.score".into()),
                ("within", "A&B".into()),
                ("format", "x".into()),
            ],
        );
        assert_eq!(
            links.links[0].1,
            "/rankings?indicator=iod2025.imd.score&within=A%26B&format=csv"
        );
        assert_eq!(
            links.links[2].1,
            "/rankings?indicator=iod2025.imd.score&within=A%26B&format=json"
        );
    }

    #[test]
    fn unknown_format_is_a_clear_error() {
        let err = Format::parse(Some("pdf")).unwrap_err();
        assert!(
            err.to_string()
                .contains("format must be html, csv, xlsx or json")
        );
        assert_eq!(Format::parse(None).unwrap(), Format::Html);
    }
}
