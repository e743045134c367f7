//! Number formatting for pages (figures are formatted in Rust, not in templates, so they can
//! be tested and every page shows them the same way).

/// A whole number with thousands separators: `32844` -> `"32,844"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value with `dp` decimals and thousands separators; `"–"` (en dash) when missing.
pub fn number(value: Option<f64>, dp: usize) -> String {
    match value {
        Some(v) if v.is_finite() => {
            let text = format!("{:.dp$}", v.abs());
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            let int: u64 = int.parse().unwrap_or(0);
            let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
                "-"
            } else {
                ""
            };
            if frac.is_empty() {
                format!("{sign}{}", thousands(int))
            } else {
                format!("{sign}{}.{frac}", thousands(int))
            }
        }
        _ => "–".to_owned(),
    }
}

/// The value as an indicator's unit reads best: ranks and counts whole, deciles whole,
/// proportions as percentages, scores to 2-3 decimals.
pub fn indicator_value(value: Option<f64>, unit: &str) -> String {
    match unit {
        "rank" | "decile" | "count" | "persons" | "people" | "households" => number(value, 0),
        "proportion" => value.map_or_else(
            || "–".to_owned(),
            |v| format!("{}%", number(Some(v * 100.0), 1)),
        ),
        "%" => value.map_or_else(|| "–".to_owned(), |v| format!("{}%", number(Some(v), 1))),
        _ => number(value, 3),
    }
}

/// English ordinal: 1st, 2nd, 3rd, 4th, 11th, 22nd.
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A number without trailing zeros (`12.5`, `20`).
pub fn plain(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A percentage without trailing zeros: `6%`, `12.5%`.
pub fn pct(x: f64) -> String {
    format!("{}%", plain(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_official_tables() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(32_844), "32,844");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(number(Some(-1234.567), 2), "-1,234.57");
        assert_eq!(number(Some(-0.0001), 2), "0.00");
        assert_eq!(number(None, 2), "–");
        assert_eq!(number(Some(f64::NAN), 2), "–");
        assert_eq!(indicator_value(Some(0.1234), "proportion"), "12.3%");
        assert_eq!(indicator_value(Some(1234.0), "rank"), "1,234");
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(103), "103rd");
    }
}
