//! A project's report: the engine's figures for the entries as they stand, grouped and checked.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ENGINE_VERSION;
use crate::frameworks::BristolAccord;
use crate::sroi::{
    self, Input, Project, Scenario, ScenarioResult, Sensitivity, SroiResult, ValidationErrors,
};

use super::entries::{OutcomeEntry, ProjectDetails, ProjectMode};

/// Present values of the outcomes in one Bristol Accord component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComponentTotal {
    /// The component.
    pub component: BristolAccord,
    /// Its name.
    pub label: String,
    /// Outcomes in it.
    pub outcomes: usize,
    /// Present value of gross benefits, £.
    pub pv_gross: f64,
    /// Present value of net benefits, £.
    pub pv_net: f64,
}

/// Forecast beside actual for one outcome (evaluative projects).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualRow {
    /// The outcome.
    pub description: String,
    /// Forecast units.
    pub forecast_quantity: f64,
    /// Actual units, when recorded.
    pub actual_quantity: Option<f64>,
    /// Where the actual figure comes from.
    pub evidence_note: Option<String>,
    /// Present value of net benefits on the forecast, £.
    pub forecast_pv_net: f64,
    /// Present value of net benefits on the actual (0 when not recorded), £.
    pub actual_pv_net: f64,
}

/// The evaluative view: the whole calculation again on actual quantities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualComparison {
    /// Figures on actual quantities (outcomes with no actual count as 0).
    pub result: SroiResult,
    /// One row per outcome.
    pub rows: Vec<ActualRow>,
    /// Outcomes with no actual quantity yet.
    pub missing_actuals: usize,
}

/// Something the reader should know about how the figures were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportNote {
    /// Machine code (`price_year_differs`, `input_leakage_deducted`, ...).
    pub code: String,
    /// Plain-English text.
    pub message: String,
}

impl ReportNote {
    fn new(code: &str, message: String) -> Self {
        Self {
            code: code.to_string(),
            message,
        }
    }
}

/// Everything a project report shows, web, PDF, spreadsheet or CSV alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectReport {
    /// The project's settings.
    pub details: ProjectDetails,
    /// Outcomes as entered.
    pub outcomes: Vec<OutcomeEntry>,
    /// Inputs as entered.
    pub inputs: Vec<Input>,
    /// What the engine was given.
    pub project: Project,
    /// The engine's figures (forecast, or as entered).
    pub result: SroiResult,
    /// One-at-a-time sensitivity (tornado) and switching values.
    pub sensitivity: Sensitivity,
    /// Named scenarios side by side ([`default_scenarios`]).
    pub scenarios: Vec<ScenarioResult>,
    /// Present values by Bristol Accord component, in the Accord's order, components with
    /// outcomes only.
    pub by_component: Vec<ComponentTotal>,
    /// Undiscounted inputs, £ (value × volume summed).
    pub inputs_total: f64,
    /// Undiscounted inputs spent inside the target area, £.
    pub local_spend: f64,
    /// `local_spend / inputs_total`; none when inputs are £0.
    pub local_spend_share: Option<f64>,
    /// Evaluative projects: actual beside forecast.
    pub actual: Option<ActualComparison>,
    /// How the figures were made (price years, leakage on inputs, missing actuals).
    pub notes: Vec<ReportNote>,
    /// SHA-256 of the entries and engine version: equal hashes, equal reports.
    pub content_hash: String,
    /// Version of the engine.
    pub engine_version: String,
}

/// The named scenarios every report compares: proxies and quantities 20% lower, as entered,
/// and 20% higher (the same steps as the tornado chart).
pub fn default_scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "Cautious: proxies and quantities 20% lower".into(),
            proxy_scale: Some(0.8),
            quantity_scale: Some(0.8),
            ..Scenario::default()
        },
        Scenario {
            name: "As entered".into(),
            ..Scenario::default()
        },
        Scenario {
            name: "Optimistic: proxies and quantities 20% higher".into(),
            proxy_scale: Some(1.2),
            quantity_scale: Some(1.2),
            ..Scenario::default()
        },
    ]
}

/// SHA-256 (hex) of the entries and the engine version, in their JSON form.
pub fn content_hash(
    details: &ProjectDetails,
    outcomes: &[OutcomeEntry],
    inputs: &[Input],
) -> String {
    // serde_json writes struct fields in declaration order, so the bytes are stable.
    let bytes =
        serde_json::to_vec(&(ENGINE_VERSION, details, outcomes, inputs)).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Builds the report; errors name the field as `outcomes[i].quantity`, `inputs[j].value`...
pub fn build_report(
    details: &ProjectDetails,
    outcomes: &[OutcomeEntry],
    inputs: &[Input],
) -> Result<ProjectReport, ValidationErrors> {
    let mut errors = Vec::new();
    if let Err(e) = details.validate() {
        errors.extend(e.0);
    }
    for (i, o) in outcomes.iter().enumerate() {
        if let Err(e) = o.validate() {
            errors.extend(e.prefixed(&format!("outcomes[{i}].")).0);
        }
    }
    for (i, input) in inputs.iter().enumerate() {
        if let Err(e) = super::validate_input(input) {
            errors.extend(e.prefixed(&format!("inputs[{i}].")).0);
        }
    }
    if !errors.is_empty() {
        return Err(ValidationErrors(errors));
    }

    let counted: Vec<Input> = inputs
        .iter()
        .map(|i| {
            let mut i = i.clone();
            if details.deduct_input_leakage {
                i.value *= 1.0 - i.leakage;
            }
            i
        })
        .collect();
    let project = Project {
        inputs_by_year: sroi::inputs_by_year(&counted),
        outcomes: outcomes.iter().map(|o| o.to_engine(o.quantity)).collect(),
        ..Project::default()
    };
    let result = sroi::calculate(&project)?;
    let sensitivity = sroi::sensitivity(&project)?;
    let scenarios = sroi::report_steps(&project, &default_scenarios())?;

    let mut by_component: Vec<ComponentTotal> = Vec::new();
    for component in BristolAccord::all() {
        let mine: Vec<_> = outcomes
            .iter()
            .zip(&result.outcomes)
            .filter(|(o, _)| o.bristol_accord == component)
            .collect();
        if !mine.is_empty() {
            by_component.push(ComponentTotal {
                component,
                label: component.label().to_string(),
                outcomes: mine.len(),
                pv_gross: mine.iter().map(|(_, r)| r.pv_gross).sum(),
                pv_net: mine.iter().map(|(_, r)| r.pv_net).sum(),
            });
        }
    }

    let inputs_total: f64 = inputs.iter().map(Input::amount).sum();
    let local_spend = sroi::local_spend(inputs);
    let local_spend_share = (inputs_total > 0.0).then(|| local_spend / inputs_total);

    let mut notes = Vec::new();
    if details.deduct_input_leakage {
        notes.push(ReportNote::new(
            "input_leakage_deducted",
            "Inputs are counted net of their leakage (the share spent outside the target area), \
             a project setting; by default sv-atlas counts inputs in full (METHOD.md §2)."
                .into(),
        ));
    } else {
        notes.push(ReportNote::new(
            "input_leakage_recorded",
            "Inputs are counted in full; their leakage is recorded and shown as local spend only \
             (METHOD.md §2)."
                .into(),
        ));
    }
    let base = details.price_base_year.to_string();
    for o in outcomes {
        let year = o.proxy.price_year.trim();
        if !year.is_empty() && !year.starts_with(&base) {
            notes.push(ReportNote::new(
                "price_year_differs",
                format!(
                    "The proxy for \"{}\" is in {year} prices and is used as published, not \
                     uplifted to the {base} price base.",
                    o.description
                ),
            ));
        }
    }

    let actual = if details.mode == ProjectMode::Evaluative {
        let actual_project = Project {
            outcomes: outcomes
                .iter()
                .map(|o| o.to_engine(o.actual_quantity.unwrap_or(0.0)))
                .collect(),
            ..project.clone()
        };
        let actual_result = sroi::calculate(&actual_project)?;
        let missing_actuals = outcomes
            .iter()
            .filter(|o| o.actual_quantity.is_none())
            .count();
        if missing_actuals > 0 {
            notes.push(ReportNote::new(
                "actuals_missing",
                format!(
                    "{missing_actuals} of {} outcomes have no actual quantity yet; they count as \
                     0 in the actual figures.",
                    outcomes.len()
                ),
            ));
        }
        let rows = outcomes
            .iter()
            .zip(result.outcomes.iter().zip(&actual_result.outcomes))
            .map(|(o, (f, a))| ActualRow {
                description: o.description.clone(),
                forecast_quantity: o.quantity,
                actual_quantity: o.actual_quantity,
                evidence_note: o.evidence_note.clone(),
                forecast_pv_net: f.pv_net,
                actual_pv_net: a.pv_net,
            })
            .collect();
        Some(ActualComparison {
            result: actual_result,
            rows,
            missing_actuals,
        })
    } else {
        None
    };

    Ok(ProjectReport {
        content_hash: content_hash(details, outcomes, inputs),
        engine_version: ENGINE_VERSION.to_string(),
        details: details.clone(),
        outcomes: outcomes.to_vec(),
        inputs: inputs.to_vec(),
        project,
        result,
        sensitivity,
        scenarios,
        by_component,
        inputs_total,
        local_spend,
        local_spend_share,
        actual,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calculator::ProxyValue;
    use crate::sroi::{InputCategory, WarningCode};

    fn proxy(value: f64, year: &str) -> ProxyValue {
        ProxyValue {
            proxy_id: None,
            name: "Into work".into(),
            value_gbp: value,
            unit: "per person".into(),
            source: "Own evaluation".into(),
            price_year: year.into(),
        }
    }

    /// METHOD.md worked example 1 (employment programme): the engine's official vector,
    /// entered as a user would.
    fn example() -> (ProjectDetails, Vec<OutcomeEntry>, Vec<Input>) {
        let details = ProjectDetails::new("Employment programme", ProjectMode::Forecast, 2025);
        let mut o = OutcomeEntry::new(
            "Participants into work",
            BristolAccord::Thriving,
            proxy(6500.0, "2025"),
            20.0,
        );
        o.duration_years = 3;
        o.leakage = 0.05;
        o.deadweight = 0.25;
        o.displacement = 0.10;
        o.attribution = 0.20;
        o.dropoff = 0.30;
        let input = Input {
            description: "Programme cost".into(),
            category: InputCategory::Cash,
            value: 56_884.0,
            volume: 1.0,
            year: 0,
            leakage: 0.25,
        };
        (details, vec![o], vec![input])
    }

    #[test]
    fn report_reproduces_the_engine_vector_and_groups_by_component() {
        let (d, o, i) = example();
        let r = build_report(&d, &o, &i).expect("valid");
        assert_eq!(
            sroi::format_ratio(r.result.sroi_ratio.expect("ratio")),
            "£2.42 for every £1"
        );
        assert_eq!(r.by_component.len(), 1);
        assert_eq!(r.by_component[0].component, BristolAccord::Thriving);
        assert_eq!(r.by_component[0].pv_net, r.result.pv_net);
        assert_eq!(r.inputs_total, 56_884.0);
        assert!((r.local_spend - 42_663.0).abs() < 1e-9);
        assert_eq!(r.local_spend_share, Some(0.75));
        assert_eq!(r.scenarios.len(), 3);
        assert_eq!(r.scenarios[1].figures.sroi_ratio, r.result.sroi_ratio);
        assert!(r.scenarios[0].figures.pv_net < r.result.pv_net);
        assert!(r.actual.is_none());
        assert!(r.notes.iter().any(|n| n.code == "input_leakage_recorded"));
    }

    #[test]
    fn a_project_at_the_entry_limits_still_reports() {
        let (d, mut o, i) = example();
        // The largest quantity accepted: the optimistic step takes it past the limit.
        o[0].quantity = 1e12;
        let r = build_report(&d, &o, &i).expect("an accepted project always reports");
        assert_eq!(r.scenarios.len(), 3);
        assert!(r.scenarios[2].figures.pv_net > r.result.pv_net);
        assert!(r.scenarios[0].figures.pv_net < r.result.pv_net);
    }

    #[test]
    fn deducting_input_leakage_is_a_setting_and_raises_the_ratio() {
        let (mut d, o, i) = example();
        let full = build_report(&d, &o, &i).expect("valid");
        d.deduct_input_leakage = true;
        let net = build_report(&d, &o, &i).expect("valid");
        assert!((net.result.inputs - 56_884.0 * 0.75).abs() < 1e-6);
        assert!(net.result.sroi_ratio > full.result.sroi_ratio);
        assert!(net.notes.iter().any(|n| n.code == "input_leakage_deducted"));
        assert_ne!(net.content_hash, full.content_hash);
    }

    #[test]
    fn same_entries_same_hash() {
        let (d, o, i) = example();
        let a = build_report(&d, &o, &i).expect("valid");
        let b = build_report(&d, &o, &i).expect("valid");
        assert_eq!(a.content_hash, b.content_hash);
        assert_eq!(a.content_hash.len(), 64);
        let mut o2 = o.clone();
        o2[0].quantity = 21.0;
        assert_ne!(content_hash(&d, &o2, &i), a.content_hash);
    }

    #[test]
    fn evaluative_reports_actual_beside_forecast() {
        let (mut d, mut o, i) = example();
        d.mode = ProjectMode::Evaluative;
        o.push(OutcomeEntry::new(
            "Volunteering",
            BristolAccord::ActiveInclusiveAndSafe,
            proxy(100.0, "2019"),
            10.0,
        ));
        o[0].actual_quantity = Some(10.0);
        o[0].evidence_note = Some("Payroll records".into());
        let r = build_report(&d, &o, &i).expect("valid");
        let actual = r.actual.expect("evaluative");
        assert_eq!(actual.missing_actuals, 1);
        // Half the forecast participants: half the value of that outcome.
        let row = &actual.rows[0];
        assert!((row.actual_pv_net * 2.0 - row.forecast_pv_net).abs() < 1e-6);
        assert_eq!(actual.rows[1].actual_pv_net, 0.0);
        assert!(r.notes.iter().any(|n| n.code == "actuals_missing"));
        assert!(
            r.notes
                .iter()
                .any(|n| n.code == "price_year_differs" && n.message.contains("Volunteering"))
        );
    }

    #[test]
    fn double_counting_is_warned_for_same_stakeholder_and_component() {
        let (d, mut o, i) = example();
        let mut twin = o[0].clone();
        twin.description = "Participants' wellbeing from work".into();
        o[0].stakeholder = Some("Participants".into());
        twin.stakeholder = Some("participants".into());
        o.push(twin);
        let r = build_report(&d, &o, &i).expect("valid");
        assert!(
            r.result
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::PossibleDoubleCounting)
        );
    }

    #[test]
    fn errors_name_the_entry() {
        let (d, mut o, mut i) = example();
        o[0].deadweight = 2.0;
        i[0].value = -1.0;
        let e = build_report(&d, &o, &i).expect_err("invalid");
        assert!(e.for_field("outcomes[0].deadweight").is_some(), "{e:?}");
        assert!(e.for_field("inputs[0].value").is_some(), "{e:?}");
    }
}
