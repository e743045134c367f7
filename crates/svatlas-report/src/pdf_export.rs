//! The report as an A4 PDF laid out by typst.
//!
//! The template (`templates/report.typ`) is fixed; the report reaches it only as JSON in a
//! virtual file (`/data.json`, read with typst's `json`). Strings from JSON are values, never
//! parsed as markup, so user text such as `#eval("...")` or `*bold*` prints literally. Fonts
//! (Liberation Sans, SIL OFL 1.1, `fonts/`) are built into the binary: rendering needs no
//! network, no system fonts and looks the same everywhere.

use std::sync::OnceLock;

use serde_json::{Value, json};
use svatlas_domain::calculator::{ProjectMode, ProjectReport};
use svatlas_domain::sroi::Headline;
use svatlas_domain::sroi::display::round_dp;
use typst::text::Font;
use typst_as_lib::{TypstAsLibError, TypstEngine};

use crate::xlsx_export::{discounting, timing};
use crate::{ReportError, ReportMeta, component_colour, format, sources};

const TEMPLATE: &str = include_str!("../templates/report.typ");
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../fonts/LiberationSans-BoldItalic.ttf"),
];

/// Colours of the tornado chart's two cases (Okabe-Ito blue and orange).
const LOWER_COLOUR: &str = "#0072B2";
const HIGHER_COLOUR: &str = "#E69F00";

/// The fonts, parsed once.
fn fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        FONT_FILES
            .iter()
            .flat_map(|bytes| Font::iter(typst::foundations::Bytes::new(*bytes)))
            .collect()
    })
}

/// The report as an A4 PDF: title block, headline panel with the RAG rating in words, outcomes
/// chart and table, components, years, sensitivity (tornado chart, switching values,
/// scenarios), forecast beside actual for evaluative projects, inputs with local spend,
/// assumptions and sources, notes and engine warnings. Every page's footer carries the engine
/// version and the start of the content hash. Text stays real, selectable text.
pub fn pdf(report: &ProjectReport, meta: &ReportMeta) -> Result<Vec<u8>, ReportError> {
    let data = serde_json::to_vec(&view(report, meta))?;
    render(TEMPLATE, "/report.typ", data)
}

/// Lays out a fixed template fed `data` as `/data.json`, with the built-in fonts.
pub(crate) fn render(
    template: &'static str,
    name: &'static str,
    data: Vec<u8>,
) -> Result<Vec<u8>, ReportError> {
    let engine = TypstEngine::builder()
        .main_file((name, template))
        .fonts(fonts().iter().cloned())
        .with_static_file_resolver([("/data.json", data)])
        .build();
    let document = engine.compile().output.map_err(typeset_error)?;
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|diagnostics| {
        ReportError::Pdf(
            diagnostics
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    });
    // typst memoises layout work in a process-wide cache that only shrinks when told to; a
    // server renders many different reports, so drop entries unused in the last few renders
    // (as the typst CLI does between compilations) to keep memory bounded.
    comemo::evict(EVICT_AFTER_RENDERS);
    pdf
}

/// Renders a memoised typst result may go unused before it is dropped from the cache.
const EVICT_AFTER_RENDERS: usize = 4;

fn typeset_error(e: TypstAsLibError) -> ReportError {
    match e {
        TypstAsLibError::TypstSource(diagnostics) => ReportError::Typeset(
            diagnostics
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => ReportError::Typeset(other.to_string()),
    }
}

/// Fraction of the way from `lo` to `hi` (0 when the range is empty), for chart geometry.
fn position(x: f64, lo: f64, hi: f64) -> f64 {
    if hi > lo && x.is_finite() {
        round_dp(((x - lo) / (hi - lo)).clamp(0.0, 1.0), 6)
    } else {
        0.0
    }
}

/// Everything the template shows, as strings already formatted and chart geometry already
/// worked out, so the template only lays things out.
fn view(report: &ProjectReport, meta: &ReportMeta) -> Value {
    let r = &report.result;
    let d = &report.details;
    let thresholds = report.project.rag_thresholds.unwrap_or_default();
    let (rag_fill, rag_text) = format::rag_colours(r.rag);
    let hash_short: String = report.content_hash.chars().take(12).collect();

    let outcomes: Vec<Value> = report
        .outcomes
        .iter()
        .zip(&r.outcomes)
        .enumerate()
        .map(|(i, (o, f))| {
            json!({
                "n": (i + 1).to_string(),
                "description": o.description,
                "component": o.bristol_accord.label(),
                "colour": component_colour(o.bristol_accord),
                "stakeholder": o.stakeholder.clone().unwrap_or_default(),
                "proxy": format!("{} ({} {})", o.proxy.name, format::money(o.proxy.value_gbp), o.proxy.unit),
                "quantity": format::number(o.quantity),
                "years": if o.duration_years == 1 {
                    format!("1 from year {}", o.start_year)
                } else {
                    format!("{} from year {}", o.duration_years, o.start_year)
                },
                "leakage": format::percent(o.leakage),
                "deadweight": format::percent(o.deadweight),
                "displacement": format::percent(o.displacement),
                "attribution": format::percent(o.attribution),
                "dropoff": format::percent(o.dropoff),
                "pv_gross": format::money(f.pv_gross),
                "pv_net": format::money(f.pv_net),
                "pv_net_value": f.pv_net,
            })
        })
        .collect();

    // Outcome bars: from zero to PV net, on one scale that always includes zero.
    let lo = r.outcomes.iter().map(|o| o.pv_net).fold(0.0, f64::min);
    let hi = r.outcomes.iter().map(|o| o.pv_net).fold(0.0, f64::max);
    let bars: Vec<Value> = report
        .outcomes
        .iter()
        .zip(&r.outcomes)
        .enumerate()
        .map(|(i, (o, f))| {
            let (a, b) = if f.pv_net < 0.0 {
                (f.pv_net, 0.0)
            } else {
                (0.0, f.pv_net)
            };
            json!({
                "label": format!("{}. {}", i + 1, o.description),
                "colour": component_colour(o.bristol_accord),
                "from": position(a, lo, hi),
                "to": position(b, lo, hi),
                "text": format::money(f.pv_net),
            })
        })
        .collect();

    let total_net: f64 = report.by_component.iter().map(|c| c.pv_net).sum();
    let components: Vec<Value> = report
        .by_component
        .iter()
        .map(|c| {
            json!({
                "label": c.label,
                "colour": component_colour(c.component),
                "outcomes": c.outcomes.to_string(),
                "pv_gross": format::money(c.pv_gross),
                "pv_net": format::money(c.pv_net),
                "share": if total_net != 0.0 { format::percent(c.pv_net / total_net) } else { "n/a".to_string() },
            })
        })
        .collect();

    let years: Vec<Value> = r
        .by_year
        .iter()
        .map(|y| {
            json!({
                "year": y.year.to_string(),
                "factor": format!("{:.4}", y.discount_factor),
                "gross": format::money(y.gross),
                "net": format::money(y.net),
                "pv_gross": format::money(y.pv_gross),
                "pv_net": format::money(y.pv_net),
            })
        })
        .collect();

    json!({
        "title": d.name,
        "organisation": meta.organisation,
        "version": meta.version,
        "generated_on": meta.generated_on,
        "mode": d.mode.label(),
        "mode_note": match d.mode {
            ProjectMode::Forecast => "Forecast: quantities are expectations for planned activity.",
            ProjectMode::Evaluative => "Evaluative: actual quantities, with their evidence, beside the forecast.",
        },
        "description": d.description,
        "areas": d.areas.join(", "),
        "price_base_year": d.price_base_year.to_string(),
        "engine_version": report.engine_version,
        "hash": report.content_hash,
        "footer": format!("sv-atlas · engine {} · {}", report.engine_version, hash_short),
        "headline": {
            "net_ratio": format::ratio(r.sroi_ratio),
            "gross_ratio": format::ratio(r.gross_ratio),
            "pv_gross": format::money(r.pv_gross),
            "pv_net": format::money(r.pv_net),
            "inputs": format::money(r.inputs),
            "npv": format::money(r.npv),
            "payback_months": format::payback_months(r.payback_months_guide),
            "payback_years": format::payback_years(r.payback_years_discounted),
            "rag": format::rag_word(r.rag),
            "rag_meaning": format::rag_meaning(r.rag, &thresholds),
            "rag_fill": rag_fill,
            "rag_text": rag_text,
            "actual_ratio": report.actual.as_ref().map(|a| format::ratio(a.result.sroi_ratio)),
            "actual_pv_net": report.actual.as_ref().map(|a| format::money(a.result.pv_net)),
        },
        "outcomes": outcomes,
        "bars": bars,
        "bars_zero": position(0.0, lo, hi),
        "components": components,
        "years": years,
        "years_total": {
            "gross": format::money(r.undisc_gross_total),
            "net": format::money(r.undisc_net_total),
            "pv_gross": format::money(r.pv_gross),
            "pv_net": format::money(r.pv_net),
        },
        "settings": [
            ["Discounting", discounting(report)],
            ["Timing of benefits", timing(report)],
            ["Leakage on inputs", if d.deduct_input_leakage {
                "deducted from the inputs counted (a project setting)"
            } else {
                "recorded as local spend only; inputs counted in full"
            }],
            ["Price base year", format!("{} (proxies are used as published, not uplifted)", d.price_base_year)],
        ],
        "tornado": tornado(report),
        "switching": format::switching_rows(report)
            .into_iter()
            .map(|(label, value)| json!([label, value]))
            .collect::<Vec<_>>(),
        "scenarios": scenarios(report),
        "actual": actual(report),
        "inputs": inputs(report),
        "sources": sources(report),
        "notes": report.notes.iter().map(|n| n.message.clone()).collect::<Vec<_>>(),
        "warnings": r.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
    })
}

/// Tornado chart rows: each case drawn from the base to its value, on one shared scale.
fn tornado(report: &ProjectReport) -> Value {
    let s = &report.sensitivity;
    // Ratios when there is one; otherwise (inputs £0) the net present value of benefits.
    let by_ratio = s.base_ratio.is_some();
    let pick = |ratio: Option<f64>, pv: f64| if by_ratio { ratio } else { Some(pv) };
    let show = |x: Option<f64>| x.map_or_else(|| "n/a".to_string(), format::money);
    let base = pick(s.base_ratio, s.base_pv_net).unwrap_or(0.0);
    let values = s
        .rows
        .iter()
        .flat_map(|r| {
            [
                pick(r.ratio_low, r.pv_net_low),
                pick(r.ratio_high, r.pv_net_high),
            ]
        })
        .flatten()
        .chain([base]);
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    let rows: Vec<Value> = s
        .rows
        .iter()
        .map(|r| {
            let low = pick(r.ratio_low, r.pv_net_low);
            let high = pick(r.ratio_high, r.pv_net_high);
            json!({
                "label": r.label,
                "changes": changes(&r.low_change, &r.high_change),
                "low": low.map(|v| position(v, lo, hi)),
                "high": high.map(|v| position(v, lo, hi)),
                "text": format!("{} / {}", show(low), show(high)),
            })
        })
        .collect();
    json!({
        "measure": if by_ratio { "Net social return (£ for every £1)" } else { "Present value of net benefits (inputs are £0, so no ratio)" },
        "base": position(base, lo, hi),
        "base_text": show(Some(base)),
        "lo_text": show(lo.is_finite().then_some(lo)),
        "hi_text": show(hi.is_finite().then_some(hi)),
        "lower_colour": LOWER_COLOUR,
        "higher_colour": HIGHER_COLOUR,
        "rows": rows,
    })
}

/// The two cases in few words: "±10 percentage points" when they differ only in direction.
fn changes(low: &str, high: &str) -> String {
    match (low.strip_suffix(" lower"), high.strip_suffix(" higher")) {
        (Some(a), Some(b)) if a == b => format!("±{a}"),
        _ => format!("{low} / {high}"),
    }
}

fn scenarios(report: &ProjectReport) -> Value {
    let names: Vec<&str> = report.scenarios.iter().map(|s| s.name.as_str()).collect();
    let line = |label: &str, f: &dyn Fn(&Headline) -> String| {
        let mut cells = vec![label.to_string()];
        cells.extend(report.scenarios.iter().map(|s| f(&s.figures)));
        cells
    };
    json!({
        "names": names,
        "rows": [
            line("Net social return", &|h: &Headline| format::ratio(h.sroi_ratio)),
            line("Gross social return", &|h: &Headline| format::ratio(h.gross_ratio)),
            line("Present value of benefits, net", &|h: &Headline| format::money(h.pv_net)),
            line("Net present value", &|h: &Headline| format::money(h.npv)),
            line("Payback (SROI Guide)", &|h: &Headline| format::payback_months(h.payback_months_guide)),
            line("RAG rating", &|h: &Headline| format::rag_word(h.rag).to_string()),
        ],
    })
}

fn actual(report: &ProjectReport) -> Value {
    let Some(actual) = &report.actual else {
        return Value::Null;
    };
    let rows: Vec<Value> = actual
        .rows
        .iter()
        .map(|r| {
            json!({
                "description": r.description,
                "forecast": format::number(r.forecast_quantity),
                "actual": r.actual_quantity.map_or_else(|| "not recorded".to_string(), format::number),
                "forecast_pv_net": format::money(r.forecast_pv_net),
                "actual_pv_net": format::money(r.actual_pv_net),
                "evidence": r.evidence_note.clone().unwrap_or_default(),
            })
        })
        .collect();
    json!({
        "forecast_ratio": format::ratio(report.result.sroi_ratio),
        "actual_ratio": format::ratio(actual.result.sroi_ratio),
        "forecast_pv_net": format::money(report.result.pv_net),
        "actual_pv_net": format::money(actual.result.pv_net),
        "missing": actual.missing_actuals.to_string(),
        "rows": rows,
    })
}

fn inputs(report: &ProjectReport) -> Value {
    let rows: Vec<Value> = report
        .inputs
        .iter()
        .map(|i| {
            json!({
                "description": i.description,
                "category": format::input_category(i.category),
                "value": format::money(i.value),
                "volume": format::number(i.volume),
                "amount": format::money(i.amount()),
                "year": i.year.to_string(),
                "leakage": format::percent(i.leakage),
                "local": format::money(i.amount() * (1.0 - i.leakage)),
            })
        })
        .collect();
    json!({
        "rows": rows,
        "total": format::money(report.inputs_total),
        "local_spend": format::money(report.local_spend),
        "local_share": report.local_spend_share.map(format::percent),
        "pv": format::money(report.result.inputs),
    })
}

fn sources(report: &ProjectReport) -> Value {
    let rows = sources::source_rows(report);
    json!({
        "rows": rows.iter().map(|s| json!({
            "proxy": s.proxy.name,
            "value": format!("{} {}", format::money(s.proxy.value_gbp), s.proxy.unit),
            "price_year": s.proxy.price_year,
            "source": s.proxy.source,
            "licence": s.licence,
            "verification": s.verification,
            "used_by": s.used_by.join("; "),
        })).collect::<Vec<_>>(),
        "ogl": rows.iter().any(|s| s.ogl).then_some(sources::OGL_STATEMENT),
        "note": sources::PROXY_NOTE,
    })
}
