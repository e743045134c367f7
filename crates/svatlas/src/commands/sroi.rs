//! `svatlas sroi calc FILE [--json]`: the same calculation as `POST /api/v1/sroi/calculate`.

use std::fmt::Write as _;
use std::io::Read as _;
use std::process::ExitCode;

use anyhow::Context;
use svatlas_domain::sroi::{self, Project, SroiResult, SwitchingValue, display};

use crate::cli::CalcArgs;

/// Exit code for a project that is readable but not valid (distinct from I/O failures).
const INVALID_INPUT: u8 = 2;

/// Reads the project, calculates it and prints a table or the API's JSON.
pub fn calc(args: &CalcArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let text = if name == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
        text
    } else {
        std::fs::read_to_string(&args.file).with_context(|| format!("reading {name}"))?
    };
    let mut json = serde_json::Deserializer::from_str(&text);
    let project: Project = match serde_path_to_error::deserialize(&mut json) {
        Ok(project) => project,
        Err(e) => {
            let inner = e.inner();
            if inner.is_syntax() || inner.is_eof() {
                eprintln!(
                    "{name}:{}:{}: not valid JSON: {inner}",
                    inner.line(),
                    inner.column()
                );
            } else {
                eprintln!("{name}: {}: {inner}", e.path());
            }
            return Ok(ExitCode::from(INVALID_INPUT));
        }
    };
    let result = match sroi::calculate(&project) {
        Ok(result) => result,
        Err(errors) => {
            for error in &errors.0 {
                eprintln!("{name}: {}: {}", error.field, error.message);
            }
            return Ok(ExitCode::from(INVALID_INPUT));
        }
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&result).context("writing JSON")?
        );
    } else {
        print!("{}", table(&result));
    }
    Ok(ExitCode::SUCCESS)
}

/// The result as a plain-text report for a terminal.
fn table(r: &SroiResult) -> String {
    let ratio = |x: Option<f64>| {
        x.map_or_else(
            || "undefined (no inputs)".to_string(),
            display::format_ratio,
        )
    };
    let opt = |x: Option<f64>, unit: &str| {
        x.map_or_else(|| "not reached".to_string(), |v| format!("{v:.2} {unit}"))
    };
    let mut out = String::new();
    let rows = [
        ("Inputs (present value)", display::format_money(r.inputs)),
        ("Present value, gross", display::format_money(r.pv_gross)),
        ("Present value, net", display::format_money(r.pv_net)),
        ("Net present value", display::format_money(r.npv)),
        ("Gross social return", ratio(r.gross_ratio)),
        ("Net social return (SROI ratio)", ratio(r.sroi_ratio)),
        (
            "RAG",
            r.rag
                .map_or_else(|| "-".to_string(), |rag| format!("{rag:?}").to_lowercase()),
        ),
        (
            "Net SROI ratio (Guide)",
            r.net_sroi_ratio_guide
                .map_or_else(|| "-".into(), |x| format!("{x:.2}")),
        ),
        (
            "Undiscounted gross total",
            display::format_money(r.undisc_gross_total),
        ),
        (
            "Undiscounted net total",
            display::format_money(r.undisc_net_total),
        ),
        (
            "Payback (SROI Guide)",
            opt(r.payback_months_guide, "months"),
        ),
        (
            "Payback (discounted)",
            opt(r.payback_years_discounted, "years"),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "{label:<32} {value}");
    }
    let _ = writeln!(
        out,
        "\n{:>4} {:>10} {:>16} {:>16} {:>16} {:>16}",
        "Year", "DF", "Gross", "Net", "PV gross", "PV net"
    );
    for y in &r.by_year {
        let _ = writeln!(
            out,
            "{:>4} {:>10.6} {:>16} {:>16} {:>16} {:>16}",
            y.year,
            y.discount_factor,
            display::format_money(y.gross),
            display::format_money(y.net),
            display::format_money(y.pv_gross),
            display::format_money(y.pv_net)
        );
    }
    let _ = writeln!(
        out,
        "\n{:<40} {:>16} {:>16}",
        "Outcome", "PV gross", "PV net"
    );
    for o in &r.outcomes {
        let _ = writeln!(
            out,
            "{:<40} {:>16} {:>16}",
            o.name,
            display::format_money(o.pv_gross),
            display::format_money(o.pv_net)
        );
    }
    let _ = writeln!(
        out,
        "\nSwitching values (what brings the SROI ratio down to 1.00):"
    );
    let sv = &r.switching_values;
    let switching = [
        ("deadweight", &sv.deadweight),
        ("displacement", &sv.displacement),
        ("attribution", &sv.attribution),
        ("leakage", &sv.leakage),
        ("proxy_gbp", &sv.proxy_gbp),
        ("quantity", &sv.quantity),
        ("inputs_gbp", &sv.inputs_gbp),
        ("dropoff", &sv.dropoff),
        ("duration", &sv.duration),
    ];
    for (label, value) in switching {
        let shown = match value {
            SwitchingValue::Value(v) => format!("{v:.6}"),
            other => serde_json::to_string(other)
                .unwrap_or_default()
                .trim_matches('"')
                .replace('_', " "),
        };
        let _ = writeln!(out, "  {label:<14} {shown}");
    }
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {}", w.message);
    }
    let _ = writeln!(out, "\nEngine {}", r.engine_version);
    out
}
