//! Importer for user-supplied CSV datasets (one row per area, one numeric column per indicator).

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::table::{Table, parse_number};
use super::{ColumnBuilder, DatasetBundle, IngestError};
use crate::catalog::{Dataset, Indicator, slug};
use crate::geography::AreaType;

/// Most problems reported in detail; the rest are only counted.
pub const MAX_REPORTED_PROBLEMS: usize = 20;

/// One problem found in a user file (positions 1-based; column 0 = whole row/file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestProblem {
    /// File name as given.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl From<IngestError> for IngestProblem {
    fn from(e: IngestError) -> Self {
        IngestProblem {
            file: e.file,
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }
}

/// Why an import was rejected: the first [`MAX_REPORTED_PROBLEMS`] problems and the total count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{total} problem(s) in the file; first: {}", problems.first().map_or_else(String::new, |p| format!("{}:{}:{}: {}", p.file, p.line, p.column, p.message)))]
pub struct ImportProblems {
    /// Up to [`MAX_REPORTED_PROBLEMS`] problems, in file order.
    pub problems: Vec<IngestProblem>,
    /// Total number of problems found.
    pub total: usize,
}

struct Problems {
    file: String,
    list: Vec<IngestProblem>,
    total: usize,
}

impl Problems {
    fn add(&mut self, line: u64, column: usize, message: impl Into<String>) {
        self.total += 1;
        if self.list.len() < MAX_REPORTED_PROBLEMS {
            self.list.push(IngestProblem {
                file: self.file.clone(),
                line,
                column,
                message: message.into(),
            });
        }
    }

    fn add_error(&mut self, e: IngestError) {
        self.add(e.line, e.column, e.message);
    }
}

/// Whether a header names a label column (ignored) rather than a value column.
fn is_label_column(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    h == "name" || h.ends_with("_name") || h.ends_with(" name") || h == "label"
}

/// Import a user CSV from a file path (see [`user_csv`]).
pub fn user_csv_file(
    path: &Path,
    dataset: &str,
    code_column: &str,
    geography: AreaType,
    known_codes: &HashSet<String>,
) -> Result<DatasetBundle, ImportProblems> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let file = std::fs::File::open(path).map_err(|e| ImportProblems {
        problems: vec![IngestProblem {
            file: name.clone(),
            line: 0,
            column: 0,
            message: e.to_string(),
        }],
        total: 1,
    })?;
    user_csv(
        std::io::BufReader::new(file),
        &name,
        dataset,
        code_column,
        geography,
        known_codes,
    )
}

/// Import a user CSV: one row per area, `code_column` holds area codes of `geography`
/// (checked against `known_codes`), every other column is a numeric indicator
/// (`<dataset>.user.<column slug>`) except label columns (`name`, `*_name`, `label`).
/// Empty cells are missing values. Rejects unknown codes, codes of another geography, duplicate
/// codes and non-numeric values; on any problem nothing is returned except the problems.
pub fn user_csv<R: Read + 'static>(
    reader: R,
    file_name: &str,
    dataset: &str,
    code_column: &str,
    geography: AreaType,
    known_codes: &HashSet<String>,
) -> Result<DatasetBundle, ImportProblems> {
    let mut problems = Problems {
        file: file_name.to_owned(),
        list: Vec::new(),
        total: 0,
    };
    let reject = |p: Problems| ImportProblems {
        problems: p.list,
        total: p.total,
    };
    if slug(dataset) != dataset || dataset.is_empty() {
        problems.add(
            0,
            0,
            format!("dataset id {dataset:?} must be lower-case letters, digits and underscores"),
        );
        return Err(reject(problems));
    }
    let mut table = match Table::from_reader(file_name.to_owned(), Box::new(reader)) {
        Ok(t) => t,
        Err(e) => {
            problems.add_error(e);
            return Err(reject(problems));
        }
    };
    let Some(code_col) = table.find(code_column) else {
        problems.add(1, 0, format!("missing code column {code_column:?}"));
        return Err(reject(problems));
    };
    let mut builder = ColumnBuilder::new();
    let mut specs = Vec::new();
    let mut ids = HashSet::new();
    for (i, header) in table.headers().iter().enumerate() {
        if i == code_col || is_label_column(header) {
            continue;
        }
        let measure = slug(header);
        if measure.is_empty() {
            problems.add(1, i + 1, "column header is empty");
            continue;
        }
        if !ids.insert(measure.clone()) {
            problems.add(1, i + 1, format!("duplicate column {header:?}"));
            continue;
        }
        let slot = builder.add(Indicator::new(
            dataset,
            "user",
            &measure,
            header.as_str(),
            "value",
            geography,
            None,
            format!("User-supplied column {header:?} from {file_name}."),
        ));
        specs.push((i, slot));
    }
    if specs.is_empty() && problems.total == 0 {
        problems.add(1, 0, "no value columns");
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut rows = 0usize;
    loop {
        match table.next_record() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.add_error(e);
                // The csv reader cannot resync after a hard error; stop here.
                break;
            }
        }
        rows += 1;
        let line = table.line();
        if table.len() != table.headers().len() {
            problems.add(
                line,
                0,
                format!(
                    "row has {} fields, header has {}",
                    table.len(),
                    table.headers().len()
                ),
            );
            continue;
        }
        let code = match table.text(code_col) {
            Ok(c) => c.to_owned(),
            Err(e) => {
                problems.add_error(e);
                continue;
            }
        };
        if code.is_empty() {
            problems.add(line, code_col + 1, "empty area code");
            continue;
        }
        if !known_codes.contains(&code) {
            let candidates = AreaType::candidates_for_code(&code);
            if !candidates.is_empty() && !candidates.contains(&geography) {
                let other: Vec<&str> = candidates.iter().map(|t| t.as_str()).collect();
                problems.add(
                    line,
                    code_col + 1,
                    format!(
                        "{code} looks like a {} code, expected {geography}",
                        other.join("/")
                    ),
                );
            } else {
                problems.add(
                    line,
                    code_col + 1,
                    format!("unknown {geography} code {code}"),
                );
            }
            continue;
        }
        if !seen.insert(code.clone()) {
            problems.add(line, code_col + 1, format!("duplicate area code {code}"));
            continue;
        }
        for &(col, slot) in &specs {
            let raw = table.bytes(col).unwrap_or(b"");
            match parse_number(raw) {
                Some(v) => builder.push(slot, &code, v),
                None => problems.add(
                    line,
                    col + 1,
                    format!("not a number: {:?}", String::from_utf8_lossy(raw)),
                ),
            }
        }
    }
    if rows == 0 && problems.total == 0 {
        problems.add(1, 0, "no data rows");
    }
    if problems.total > 0 {
        return Err(reject(problems));
    }
    let mut bundle = DatasetBundle::with_dataset(Dataset {
        id: dataset.to_owned(),
        name: dataset.to_owned(),
        edition: String::new(),
        publisher: "user upload".to_owned(),
        licence: "unknown".to_owned(),
        source_url: None,
        geography,
        description: format!("Imported from {file_name}."),
        attribution: String::new(),
    });
    bundle.absorb(builder);
    Ok(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn known() -> HashSet<String> {
        ["E01000001", "E01000002", "E01000003"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    }

    fn import(text: &str) -> Result<DatasetBundle, ImportProblems> {
        user_csv(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            "upload.csv",
            "mydata",
            "code",
            AreaType::Lsoa21,
            &known(),
        )
    }

    #[test]
    fn imports_a_clean_file() {
        let b = import("code,name,Food bank visits,rate\nE01000001,A,10,0.5\nE01000002,B,,1.5\n")
            .expect("ok");
        assert_eq!(b.indicators.len(), 2);
        assert_eq!(b.indicators[0].id, "mydata.user.food_bank_visits");
        let visits = b.column("mydata.user.food_bank_visits").expect("col");
        assert_eq!(visits.codes, vec!["E01000001"]);
        assert_eq!(
            b.column("mydata.user.rate").expect("col").values,
            vec![0.5, 1.5]
        );
    }

    #[test]
    fn reports_each_problem_with_position() {
        let err = import(
            "code,value\nE01000001,1\nE01000001,2\nE01999999,3\nE06000026,4\nE01000002,abc\n",
        )
        .expect_err("bad");
        assert_eq!(err.total, 4);
        let msgs: Vec<(u64, usize)> = err.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(msgs, vec![(3, 1), (4, 1), (5, 1), (6, 2)]);
        assert!(err.problems[0].message.contains("duplicate"));
        assert!(err.problems[1].message.contains("unknown"));
        assert!(err.problems[2].message.contains("expected lsoa21"));
        assert!(err.problems[3].message.contains("not a number"));
    }

    #[test]
    fn caps_reported_problems_but_counts_all() {
        let mut text = String::from("code,value\n");
        for i in 0..50 {
            text.push_str(&format!("X{i},1\n"));
        }
        let err = import(&text).expect_err("bad");
        assert_eq!(err.total, 50);
        assert_eq!(err.problems.len(), MAX_REPORTED_PROBLEMS);
    }

    #[test]
    fn rejects_missing_code_column_and_bad_dataset_id() {
        assert_eq!(
            import("area,value\nE01000001,1\n").expect_err("bad").total,
            1
        );
        let err = user_csv(
            std::io::Cursor::new(b"code,v\n".to_vec()),
            "f",
            "Bad Id",
            "code",
            AreaType::Lsoa21,
            &known(),
        )
        .expect_err("bad");
        assert!(err.problems[0].message.contains("dataset id"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = user_csv(std::io::Cursor::new(bytes), "fuzz.csv", "fuzz", "code", AreaType::Lsoa21, &known());
        }

        #[test]
        fn csv_like_input_never_panics(rows in proptest::collection::vec(
            proptest::collection::vec("[A-Za-z0-9 ,.%*\"-]{0,12}", 0..5), 0..20)) {
            let mut text = String::from("code,value,other\n");
            for r in rows {
                text.push_str(&r.join(","));
                text.push('\n');
            }
            let _ = import(&text);
        }
    }
}
