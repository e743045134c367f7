//! A project report laid out for the web page: every figure formatted once, here, so the
//! template only places text (and the PDF, spreadsheet and page agree on the numbers).

use svatlas_domain::calculator::ProjectReport;
use svatlas_domain::sroi::display::{format_money, format_ratio};
use svatlas_domain::sroi::{InputCategory, Rag, SwitchingValue, WarningCode};

use crate::platform::svg::sroi_charts::{self, ColouredBar, TornadoRow};

/// Colour of a Bristol Accord component (shared with the PDF so both read the same).
pub fn component_colour(number: u8) -> &'static str {
    svatlas_report::COMPONENT_COLOURS[usize::from(number.clamp(1, 8)) - 1]
}

/// One labelled figure.
pub struct Figure {
    /// What it is.
    pub label: &'static str,
    /// The formatted value.
    pub value: String,
    /// A short explanation.
    pub hint: &'static str,
}

/// One outcome's row.
pub struct OutcomeRow {
    pub description: String,
    pub component: String,
    /// Bristol Accord component number (1 to 8), for the `swatch-N` colour class.
    pub number: u8,
    pub stakeholder: String,
    pub proxy: String,
    pub proxy_value: String,
    pub quantity: String,
    pub years: String,
    pub deflators: String,
    pub pv_gross: String,
    pub pv_net: String,
}

/// Totals of one component.
pub struct ComponentRow {
    pub label: String,
    /// Component number (1 to 8).
    pub number: u8,
    pub outcomes: usize,
    pub pv_gross: String,
    pub pv_net: String,
}

/// One benefit year.
pub struct YearView {
    pub year: u32,
    pub discount_factor: String,
    pub gross: String,
    pub net: String,
    pub pv_gross: String,
    pub pv_net: String,
}

/// One tornado row as a table row.
pub struct SensitivityView {
    pub label: String,
    pub low_change: String,
    pub high_change: String,
    pub ratio_low: String,
    pub ratio_high: String,
}

/// One scenario column.
pub struct ScenarioView {
    pub name: String,
    pub ratio: String,
    pub pv_net: String,
    pub npv: String,
}

/// Forecast beside actual for one outcome.
pub struct ActualView {
    pub description: String,
    pub forecast_quantity: String,
    pub actual_quantity: String,
    pub evidence_note: String,
    pub forecast_pv_net: String,
    pub actual_pv_net: String,
}

/// One input.
pub struct InputView {
    pub description: String,
    pub category: &'static str,
    pub amount: String,
    pub year: u32,
    pub leakage: String,
}

/// One proxy source.
pub struct SourceView {
    pub outcome: String,
    pub proxy: String,
    pub value: String,
    pub price_year: String,
    pub source: String,
    pub library_id: String,
}

/// The whole report, formatted.
pub struct ReportView {
    pub name: String,
    pub description: String,
    pub mode: &'static str,
    pub evaluative: bool,
    pub price_base_year: i32,
    pub engine_version: String,
    pub content_hash: String,
    pub ratio: String,
    pub gross_ratio: String,
    pub rag: Option<(&'static str, &'static str)>,
    pub headline: Vec<Figure>,
    pub warnings: Vec<String>,
    pub outcomes_chart: String,
    pub outcomes: Vec<OutcomeRow>,
    pub components: Vec<ComponentRow>,
    pub years: Vec<YearView>,
    pub tornado: String,
    pub sensitivity: Vec<SensitivityView>,
    pub switching: Vec<(&'static str, String)>,
    pub scenarios: Vec<ScenarioView>,
    pub actual_ratio: Option<String>,
    pub actual: Vec<ActualView>,
    pub inputs: Vec<InputView>,
    pub inputs_total: String,
    pub local_spend: String,
    pub local_spend_share: String,
    pub sources: Vec<SourceView>,
    pub notes: Vec<String>,
    pub areas: Vec<String>,
}

fn ratio_text(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "Not defined (inputs are £0)".to_string(), format_ratio)
}

fn percent(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn plain(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 {
        crate::platform::format::number(Some(v), 0)
    } else {
        crate::platform::format::number(Some(v), 2)
    }
}

fn switching(v: SwitchingValue, f: impl Fn(f64) -> String) -> String {
    match v {
        SwitchingValue::Value(x) => f(x),
        SwitchingValue::NotReachable => "Not reachable: the ratio stays above £1".to_string(),
        SwitchingValue::Undefined => "Not defined".to_string(),
    }
}

const fn category_label(c: InputCategory) -> &'static str {
    match c {
        InputCategory::Cash => "Cash",
        InputCategory::InKind => "In kind",
        InputCategory::VolunteerTime => "Volunteer time",
        InputCategory::StaffTime => "Staff time",
    }
}

impl ReportView {
    /// Formats a report.
    pub fn new(report: &ProjectReport) -> Self {
        let r = &report.result;
        let rag = r.rag.map(|rag| match rag {
            Rag::Green => ("green", "Green: within the usual range"),
            Rag::Amber => ("amber", "Amber: high, check the assumptions"),
            Rag::Red => ("red", "Red: very high, check the assumptions"),
        });
        let months = r
            .payback_months_guide
            .map_or_else(|| "Not reached".to_string(), |m| format!("{m:.2} months"));
        let years = r
            .payback_years_discounted
            .map_or_else(|| "Not reached".to_string(), |y| format!("{y:.2} years"));
        let headline = vec![
            Figure {
                label: "Present value of gross benefits",
                value: format_money(r.pv_gross),
                hint: "Before deadweight, displacement, attribution, leakage and drop-off",
            },
            Figure {
                label: "Present value of net benefits",
                value: format_money(r.pv_net),
                hint: "After the deflators and drop-off",
            },
            Figure {
                label: "Present value of inputs",
                value: format_money(r.inputs),
                hint: "What was put in, discounted",
            },
            Figure {
                label: "Net present value",
                value: format_money(r.npv),
                hint: "Net benefits minus inputs",
            },
            Figure {
                label: "Payback",
                value: months,
                hint: "SROI Guide: inputs ÷ (first-year net value ÷ 12)",
            },
            Figure {
                label: "Discounted payback",
                value: years,
                hint: "When discounted net benefits reach the inputs",
            },
        ];
        let mut warnings: Vec<String> = r
            .warnings
            .iter()
            .map(|w| match w.code {
                WarningCode::NoDeflators => format!(
                    "{} Claims with no deadweight, displacement, attribution or leakage are rarely credible.",
                    w.message
                ),
                _ => w.message.clone(),
            })
            .collect();
        warnings.dedup();

        let bars: Vec<ColouredBar> = report
            .outcomes
            .iter()
            .zip(&r.outcomes)
            .map(|(o, res)| ColouredBar {
                label: o.description.clone(),
                value: res.pv_net,
                text: format_money(res.pv_net),
                fill: component_colour(o.bristol_accord.number()).to_string(),
                category: o.bristol_accord.label().to_string(),
            })
            .collect();
        let legend: Vec<(String, String)> = report
            .by_component
            .iter()
            .map(|c| {
                (
                    c.label.clone(),
                    component_colour(c.component.number()).to_string(),
                )
            })
            .collect();
        let outcomes_chart = sroi_charts::coloured_bars(
            "outcomes-chart",
            "Present value of net benefits by outcome",
            "One bar per outcome, coloured by Bristol Accord component; the table below gives the same figures.",
            &bars,
            &legend,
        );
        let outcomes = report
            .outcomes
            .iter()
            .zip(&r.outcomes)
            .map(|(o, res)| OutcomeRow {
                description: o.description.clone(),
                component: o.bristol_accord.label().to_string(),
                number: o.bristol_accord.number(),
                stakeholder: o.stakeholder.clone().unwrap_or_default(),
                proxy: o.proxy.name.clone(),
                proxy_value: format!("{} {}", format_money(o.proxy.value_gbp), o.proxy.unit),
                quantity: plain(o.quantity),
                years: format!(
                    "{} from year {}",
                    if o.duration_years == 1 {
                        "1 year".to_string()
                    } else {
                        format!("{} years", o.duration_years)
                    },
                    o.start_year
                ),
                deflators: format!(
                    "DW {} · DS {} · AT {} · LK {} · DO {}",
                    percent(o.deadweight),
                    percent(o.displacement),
                    percent(o.attribution),
                    percent(o.leakage),
                    percent(o.dropoff)
                ),
                pv_gross: format_money(res.pv_gross),
                pv_net: format_money(res.pv_net),
            })
            .collect();
        let components = report
            .by_component
            .iter()
            .map(|c| ComponentRow {
                label: c.label.clone(),
                number: c.component.number(),
                outcomes: c.outcomes,
                pv_gross: format_money(c.pv_gross),
                pv_net: format_money(c.pv_net),
            })
            .collect();
        let years = r
            .by_year
            .iter()
            .map(|y| YearView {
                year: y.year,
                discount_factor: format!("{:.4}", y.discount_factor),
                gross: format_money(y.gross),
                net: format_money(y.net),
                pv_gross: format_money(y.pv_gross),
                pv_net: format_money(y.pv_net),
            })
            .collect();

        let s = &report.sensitivity;
        let tornado_rows: Vec<TornadoRow> = s
            .rows
            .iter()
            .filter_map(|row| {
                let (lo, hi) = (row.ratio_low?, row.ratio_high?);
                Some(TornadoRow {
                    label: row.label.clone(),
                    low: lo,
                    high: hi,
                    text: format!("{} / {}", format_money(lo), format_money(hi)),
                })
            })
            .collect();
        let tornado = match s.base_ratio {
            Some(base) if !tornado_rows.is_empty() => sroi_charts::tornado(
                "tornado",
                "Sensitivity of the social return to each assumption",
                "Each bar runs from the return with the assumption moved down to the return with it moved up; the dashed line is the return as entered.",
                base,
                &tornado_rows,
            ),
            _ => String::new(),
        };
        let ratio_or = |v: Option<f64>| v.map_or_else(|| "n/a".to_string(), format_ratio);
        let sensitivity = s
            .rows
            .iter()
            .map(|row| SensitivityView {
                label: row.label.clone(),
                low_change: row.low_change.clone(),
                high_change: row.high_change.clone(),
                ratio_low: ratio_or(row.ratio_low),
                ratio_high: ratio_or(row.ratio_high),
            })
            .collect();
        let sv = &r.switching_values;
        let single = report.outcomes.len() == 1;
        let switching_list = vec![
            (
                "Deadweight on every outcome",
                switching(sv.deadweight, percent),
            ),
            (
                "Displacement on every outcome",
                switching(sv.displacement, percent),
            ),
            (
                "Attribution on every outcome",
                switching(sv.attribution, percent),
            ),
            ("Leakage on every outcome", switching(sv.leakage, percent)),
            ("Drop-off on every outcome", switching(sv.dropoff, percent)),
            (
                if single {
                    "Financial proxy"
                } else {
                    "Every proxy multiplied by"
                },
                switching(sv.proxy_gbp, |v| {
                    if single {
                        format_money(v)
                    } else {
                        format!("{v:.2}")
                    }
                }),
            ),
            (
                if single {
                    "Quantity"
                } else {
                    "Every quantity multiplied by"
                },
                switching(sv.quantity, |v| {
                    if single { plain(v) } else { format!("{v:.2}") }
                }),
            ),
            (
                "Present value of inputs",
                switching(sv.inputs_gbp, format_money),
            ),
        ];
        let scenarios = report
            .scenarios
            .iter()
            .map(|sc| ScenarioView {
                name: sc.name.clone(),
                ratio: ratio_text(sc.figures.sroi_ratio),
                pv_net: format_money(sc.figures.pv_net),
                npv: format_money(sc.figures.npv),
            })
            .collect();
        let (actual_ratio, actual) = match &report.actual {
            Some(a) => (
                Some(ratio_text(a.result.sroi_ratio)),
                a.rows
                    .iter()
                    .map(|row| ActualView {
                        description: row.description.clone(),
                        forecast_quantity: plain(row.forecast_quantity),
                        actual_quantity: row
                            .actual_quantity
                            .map_or_else(|| "Not recorded".to_string(), plain),
                        evidence_note: row.evidence_note.clone().unwrap_or_default(),
                        forecast_pv_net: format_money(row.forecast_pv_net),
                        actual_pv_net: format_money(row.actual_pv_net),
                    })
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        let inputs = report
            .inputs
            .iter()
            .map(|i| InputView {
                description: i.description.clone(),
                category: category_label(i.category),
                amount: format_money(i.amount()),
                year: i.year,
                leakage: percent(i.leakage),
            })
            .collect();
        let sources = report
            .outcomes
            .iter()
            .map(|o| SourceView {
                outcome: o.description.clone(),
                proxy: o.proxy.name.clone(),
                value: format!("{} {}", format_money(o.proxy.value_gbp), o.proxy.unit),
                price_year: o.proxy.price_year.clone(),
                source: o.proxy.source.clone(),
                library_id: o
                    .proxy
                    .proxy_id
                    .clone()
                    .unwrap_or_else(|| "Own value".to_string()),
            })
            .collect();
        ReportView {
            name: report.details.name.clone(),
            description: report.details.description.clone(),
            mode: report.details.mode.label(),
            evaluative: report.actual.is_some(),
            price_base_year: report.details.price_base_year,
            engine_version: report.engine_version.clone(),
            content_hash: report.content_hash.clone(),
            ratio: ratio_text(r.sroi_ratio),
            gross_ratio: ratio_text(r.gross_ratio),
            rag,
            headline,
            warnings,
            outcomes_chart,
            outcomes,
            components,
            years,
            tornado,
            sensitivity,
            switching: switching_list,
            scenarios,
            actual_ratio,
            actual,
            inputs,
            inputs_total: format_money(report.inputs_total),
            local_spend: format_money(report.local_spend),
            local_spend_share: report
                .local_spend_share
                .map_or_else(|| "n/a".to_string(), percent),
            sources,
            notes: report.notes.iter().map(|n| n.message.clone()).collect(),
            areas: report.details.areas.clone(),
        }
    }
}
