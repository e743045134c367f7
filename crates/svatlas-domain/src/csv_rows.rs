//! Reading the reference tables shipped as CSV (the proxy library, the Social Value Model) by
//! column name, so each file's columns may come in any order.

/// What went wrong where: (line, column, message); line 1 is the header, column `-` the row.
pub(crate) type CsvProblem = (u64, &'static str, String);

/// The data rows of `text`, each as its line number and the trimmed fields of `columns` in
/// that order. A missing column is a problem on line 1; a malformed row is one on its line,
/// met when the iterator reaches it, so problems are still reported in file order.
pub(crate) fn csv_rows<'a, const N: usize>(
    text: &'a str,
    columns: [&'static str; N],
) -> Result<impl Iterator<Item = Result<(u64, [String; N]), CsvProblem>> + 'a, CsvProblem> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| (1, "-", e.to_string()))?
        .clone();
    let mut index = [0usize; N];
    for (slot, name) in index.iter_mut().zip(columns) {
        *slot = headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| (1, name, format!("column {name:?} is missing")))?;
    }
    Ok(reader.into_records().map(move |record| {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            (line, "-", e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        Ok((
            line,
            index.map(|i| record.get(i).unwrap_or("").trim().to_string()),
        ))
    }))
}
