//! Fast CSV reading (optionally gzipped) with file/line/column error positions.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use csv::ByteRecord;
use flate2::read::MultiGzDecoder;

use super::IngestError;

/// A CSV file being read record by record.
pub(crate) struct Table {
    file: String,
    reader: csv::Reader<Box<dyn Read>>,
    headers: Vec<String>,
    record: ByteRecord,
}

impl Table {
    /// Open `rel` (relative to `data_dir`); `.gz` files are decompressed on the fly.
    pub(crate) fn open(data_dir: &Path, rel: &str) -> Result<Table, IngestError> {
        let path = data_dir.join(rel);
        let file = File::open(&path).map_err(|e| IngestError::io(rel, &e))?;
        let buffered = BufReader::with_capacity(1 << 16, file);
        let inner: Box<dyn Read> = if rel.ends_with(".gz") {
            Box::new(BufReader::with_capacity(
                1 << 16,
                MultiGzDecoder::new(buffered),
            ))
        } else {
            Box::new(buffered)
        };
        Table::from_reader(rel.to_owned(), inner)
    }

    /// Read CSV from any reader; `file` is used in error messages.
    pub(crate) fn from_reader(file: String, inner: Box<dyn Read>) -> Result<Table, IngestError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(inner);
        let raw = reader
            .byte_headers()
            .map_err(|e| csv_error(&file, &e))?
            .clone();
        let mut headers = Vec::with_capacity(raw.len());
        for (i, h) in raw.iter().enumerate() {
            let text = std::str::from_utf8(h).map_err(|_| IngestError {
                file: file.clone(),
                line: 1,
                column: i + 1,
                message: "header is not valid UTF-8".to_owned(),
            })?;
            // Excel exports start with a BOM and often pad headers with spaces.
            headers.push(text.trim_start_matches('\u{feff}').trim().to_owned());
        }
        Ok(Table {
            file,
            reader,
            headers,
            record: ByteRecord::new(),
        })
    }

    /// File name used in errors.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// Trimmed header names.
    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }

    /// 0-based index of a required column.
    pub(crate) fn col(&self, header: &str) -> Result<usize, IngestError> {
        self.find(header).ok_or_else(|| IngestError {
            file: self.file.clone(),
            line: 1,
            column: 1,
            message: format!("missing column {header:?}"),
        })
    }

    /// 0-based index of an optional column.
    pub(crate) fn find(&self, header: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == header)
    }

    /// Advance to the next record; `false` at end of file. Blank lines are skipped by csv.
    pub(crate) fn next_record(&mut self) -> Result<bool, IngestError> {
        self.reader
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(&self.file, &e))
    }

    /// 1-based line of the current record.
    pub(crate) fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// Error at the current record and 0-based column `idx`.
    pub(crate) fn error(&self, idx: usize, message: impl Into<String>) -> IngestError {
        IngestError {
            file: self.file.clone(),
            line: self.line(),
            column: idx + 1,
            message: message.into(),
        }
    }

    /// Number of fields in the current record.
    pub(crate) fn len(&self) -> usize {
        self.record.len()
    }

    /// Raw bytes of field `idx`.
    pub(crate) fn bytes(&self, idx: usize) -> Result<&[u8], IngestError> {
        self.record.get(idx).ok_or_else(|| {
            self.error(
                idx,
                format!(
                    "missing field {:?} (row has {} fields)",
                    self.headers.get(idx).map_or("", String::as_str),
                    self.record.len()
                ),
            )
        })
    }

    /// Trimmed text of field `idx`.
    pub(crate) fn text(&self, idx: usize) -> Result<&str, IngestError> {
        let raw = self.bytes(idx)?;
        std::str::from_utf8(raw)
            .map(str::trim)
            .map_err(|_| self.error(idx, "field is not valid UTF-8"))
    }

    /// Non-empty trimmed text of field `idx`.
    pub(crate) fn required_text(&self, idx: usize) -> Result<&str, IngestError> {
        let t = self.text(idx)?;
        if t.is_empty() {
            Err(self.error(
                idx,
                format!(
                    "empty {:?}",
                    self.headers.get(idx).map_or("", String::as_str)
                ),
            ))
        } else {
            Ok(t)
        }
    }

    /// Number in field `idx`; missing markers become NaN (see [`parse_number`]).
    pub(crate) fn number(&self, idx: usize) -> Result<f64, IngestError> {
        let raw = self.bytes(idx)?;
        parse_number(raw).ok_or_else(|| {
            self.error(
                idx,
                format!("not a number: {:?}", String::from_utf8_lossy(raw)),
            )
        })
    }
}

/// Parse a published number. Empty, `*`, `NA`, `N/A`, `..` and `-` mean missing (NaN); thousands separators
/// (`"29,199"`) and a trailing `%` (value kept in percent) are accepted. `None` if not a number.
pub(crate) fn parse_number(raw: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(raw).ok()?.trim();
    if text.is_empty() || matches!(text, "*" | "NA" | "N/A" | "n/a" | ".." | "-") {
        return Some(f64::NAN);
    }
    let text = text.strip_suffix('%').unwrap_or(text).trim_end();
    let parsed = if text.contains(',') {
        text.replace(',', "").parse::<f64>().ok()?
    } else {
        text.parse::<f64>().ok()?
    };
    // Rust accepts "inf"/"nan"; published data never uses them, so treat them as malformed.
    parsed.is_finite().then_some(parsed)
}

fn csv_error(file: &str, e: &csv::Error) -> IngestError {
    let (line, message) = match e.kind() {
        csv::ErrorKind::Utf8 { pos, err } => (
            pos.as_ref().map_or(0, csv::Position::line),
            format!("invalid UTF-8: {err}"),
        ),
        csv::ErrorKind::UnequalLengths { pos, .. } => {
            (pos.as_ref().map_or(0, csv::Position::line), e.to_string())
        }
        _ => (e.position().map_or(0, csv::Position::line), e.to_string()),
    };
    IngestError {
        file: file.to_owned(),
        line,
        column: 0,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_published_number_formats() {
        assert_eq!(parse_number(b"29,199"), Some(29199.0));
        assert_eq!(parse_number(b"29199.00"), Some(29199.0));
        assert_eq!(parse_number(b" 13% "), Some(13.0));
        assert_eq!(parse_number(b"-1.771"), Some(-1.771));
        assert!(parse_number(b"*").is_some_and(f64::is_nan));
        assert!(parse_number(b"").is_some_and(f64::is_nan));
        assert_eq!(parse_number(b"abc"), None);
        assert_eq!(parse_number(b"inf"), None);
    }

    #[test]
    fn errors_carry_line_and_column() {
        let csv = "code,value\nA,1\nB,x\n";
        let mut t = Table::from_reader("t.csv".into(), Box::new(csv.as_bytes())).expect("open");
        let v = t.col("value").expect("col");
        assert!(t.next_record().expect("row"));
        assert_eq!(t.number(v).expect("num"), 1.0);
        assert!(t.next_record().expect("row"));
        let err = t.number(v).expect_err("bad number");
        assert_eq!((err.line, err.column), (3, 2));
        assert_eq!(err.to_string(), "t.csv:3:2: not a number: \"x\"");
    }
}
