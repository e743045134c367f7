//! Figures as the report shows them, shared by every format. Money and ratios use the domain's
//! display rules (2 dp, half away from zero) so the PDF, the spreadsheet and the web agree.

use svatlas_domain::calculator::{ProjectReport, Verification};
use svatlas_domain::sroi::display::{format_money, format_percent, format_ratio, round_dp};
use svatlas_domain::sroi::{InputCategory, Rag, RagThresholds, SwitchingValue};

/// `"£1,234.57"`.
pub(crate) fn money(x: f64) -> String {
    format_money(x)
}

/// `"£2.42 for every £1"`, or why there is no ratio.
pub(crate) fn ratio(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a (inputs are £0)".to_string(), format_ratio)
}

/// `"25.0%"` for a share of 0.25.
pub(crate) fn percent(share: f64) -> String {
    format_percent(share)
}

/// A count or quantity: whole numbers without decimals, others to at most 2 dp, with thousands
/// separators (`"1,250"`, `"12.5"`).
pub(crate) fn number(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let rounded = round_dp(x, 2);
    let text = format!("{:.2}", rounded.abs());
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let (int_part, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut grouped = String::new();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// SROI Guide payback: `"10.24 months"`, or "not defined" (no positive first-year value, or
/// inputs are £0).
pub(crate) fn payback_months(months: Option<f64>) -> String {
    months.map_or_else(
        || "not defined".to_string(),
        |m| format!("{:.2} months", round_dp(m, 2)),
    )
}

/// Discounted payback: `"0.88 years"`, or METHOD.md's wording when never reached.
pub(crate) fn payback_years(years: Option<f64>) -> String {
    years.map_or_else(
        || "not within the benefit period".to_string(),
        |y| format!("{:.2} years", round_dp(y, 2)),
    )
}

/// The RAG word as people read it.
pub(crate) fn rag_word(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Green) => "Green",
        Some(Rag::Amber) => "Amber",
        Some(Rag::Red) => "Red",
        None => "No rating",
    }
}

/// What the RAG band means for this report's thresholds.
pub(crate) fn rag_meaning(rag: Option<Rag>, thresholds: &RagThresholds) -> String {
    let amber = money(thresholds.amber_from);
    let red = money(thresholds.red_above);
    match rag {
        Some(Rag::Green) => format!("below {amber} for every £1"),
        Some(Rag::Amber) => format!(
            "{amber} to {red} for every £1: high ratios attract scrutiny, check the assumptions"
        ),
        Some(Rag::Red) => {
            format!("above {red} for every £1: a prompt to check the assumptions, not a failure")
        }
        None => "no ratio, because inputs are £0".to_string(),
    }
}

/// RAG badge colours `(background, text)`: GOV.UK green, orange and red, each with the text
/// colour that meets 4.5:1 on it.
#[cfg(feature = "pdf")]
pub(crate) fn rag_colours(rag: Option<Rag>) -> (&'static str, &'static str) {
    match rag {
        Some(Rag::Green) => ("#00703c", "#ffffff"),
        Some(Rag::Amber) => ("#f47738", "#0b0c0c"),
        Some(Rag::Red) => ("#d4351c", "#ffffff"),
        None => ("#b1b4b6", "#0b0c0c"),
    }
}

/// Input category for people.
pub(crate) fn input_category(category: InputCategory) -> &'static str {
    match category {
        InputCategory::Cash => "Cash",
        InputCategory::InKind => "In kind",
        InputCategory::VolunteerTime => "Volunteer time",
        InputCategory::StaffTime => "Staff time",
    }
}

/// Verification label of a library proxy.
pub(crate) fn verification(v: Verification) -> &'static str {
    v.label()
}

/// How a switching value reads: its number formatted by `show`, or why there is none.
pub(crate) fn switching(value: SwitchingValue, show: impl Fn(f64) -> String) -> String {
    match value {
        SwitchingValue::Value(v) => show(v),
        SwitchingValue::NotReachable => "not reachable".to_string(),
        SwitchingValue::Undefined => "n/a (inputs are £0)".to_string(),
    }
}

/// Every switching value of a report as `(what changes, value at which the ratio is 1.00)`.
pub(crate) fn switching_rows(report: &ProjectReport) -> Vec<(String, String)> {
    let sv = &report.result.switching_values;
    let single = report.outcomes.len() == 1;
    let factor = |k: f64| format!("× {:.4}", round_dp(k, 4));
    let years = |y: f64| format!("{:.2} years", round_dp(y, 2));
    let mut rows = vec![
        (
            "Deadweight, on every outcome".to_string(),
            switching(sv.deadweight, percent),
        ),
        (
            "Displacement, on every outcome".to_string(),
            switching(sv.displacement, percent),
        ),
        (
            "Attribution, on every outcome".to_string(),
            switching(sv.attribution, percent),
        ),
        (
            "Leakage, on every outcome".to_string(),
            switching(sv.leakage, percent),
        ),
        (
            "Drop-off, on every outcome".to_string(),
            switching(sv.dropoff, percent),
        ),
        (
            "Duration, on every outcome".to_string(),
            switching(sv.duration, years),
        ),
    ];
    if single {
        rows.push((
            "Financial proxy (£ per unit)".to_string(),
            switching(sv.proxy_gbp, money),
        ));
        rows.push(("Quantity".to_string(), switching(sv.quantity, number)));
    }
    rows.push((
        "Every proxy (or every quantity) multiplied by".to_string(),
        switching(sv.proxy_scale, factor),
    ));
    rows.push((
        "Present value of inputs".to_string(),
        switching(sv.inputs_gbp, money),
    ));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_needless_decimals_and_group_thousands() {
        assert_eq!(number(20.0), "20");
        assert_eq!(number(1250.5), "1,250.5");
        assert_eq!(number(-1_234_567.126), "-1,234,567.13");
        assert_eq!(number(0.004), "0");
        assert_eq!(number(f64::NAN), "n/a");
    }

    #[test]
    fn paybacks_and_ratios_read_as_method_md_writes_them() {
        assert_eq!(payback_months(Some(10.2355)), "10.24 months");
        assert_eq!(payback_years(Some(0.882_815)), "0.88 years");
        assert_eq!(payback_years(None), "not within the benefit period");
        assert_eq!(ratio(Some(2.416_983)), "£2.42 for every £1");
        assert!(ratio(None).starts_with("n/a"));
    }

    #[test]
    fn rag_reads_as_a_word_with_its_thresholds() {
        let t = RagThresholds::default();
        assert_eq!(rag_word(Some(Rag::Amber)), "Amber");
        assert!(rag_meaning(Some(Rag::Green), &t).contains("£12.50"));
        assert!(rag_meaning(Some(Rag::Red), &t).contains("£25.00"));
    }
}
