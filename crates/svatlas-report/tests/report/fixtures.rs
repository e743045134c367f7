//! Reports built the way the web crate builds them, from entries as a user types them.

use svatlas_domain::calculator::{
    OutcomeEntry, ProjectDetails, ProjectMode, ProjectReport, ProxyLibrary, ProxyValue,
    build_report,
};
use svatlas_domain::frameworks::BristolAccord;
use svatlas_domain::sroi::{Input, InputCategory};
use svatlas_report::ReportMeta;

/// Text with every character typst markup gives a meaning to.
pub const TYPST_SPECIALS: &str = r"Pilot #1: $5 *fee* [draft] \ @board <ref>";

pub fn meta() -> ReportMeta {
    ReportMeta {
        organisation: "Riverside Community Trust".into(),
        generated_on: "23 November 2026".into(),
        version: Some("Version 2: Board paper".into()),
    }
}

fn own_proxy(name: &str, value: f64, year: &str) -> ProxyValue {
    ProxyValue {
        proxy_id: None,
        name: name.into(),
        value_gbp: value,
        unit: "per person".into(),
        source: "Own evaluation of the 2024 cohort".into(),
        price_year: year.into(),
    }
}

fn input(description: &str, category: InputCategory, value: f64, volume: f64) -> Input {
    Input {
        description: description.into(),
        category,
        value,
        volume,
        year: 0,
        leakage: 0.25,
    }
}

/// METHOD.md worked example 1 (employment programme): 20 participants into work valued at
/// £6,500 for 3 years, leakage 5%, deadweight 25%, displacement 10%, attribution 20%,
/// drop-off 30%; inputs £50,000 + £2,000 + 400 h × £12.21 = £56,884. Net return £2.42 per £1.
pub fn example_one() -> ProjectReport {
    let mut details = ProjectDetails::new("Employment programme", ProjectMode::Forecast, 2025);
    details.description = TYPST_SPECIALS.into();
    let mut o = OutcomeEntry::new(
        "Participants into work",
        BristolAccord::Thriving,
        own_proxy("Into work", 6500.0, "2025"),
        20.0,
    );
    o.stakeholder = Some("Participants".into());
    o.duration_years = 3;
    o.leakage = 0.05;
    o.deadweight = 0.25;
    o.displacement = 0.10;
    o.attribution = 0.20;
    o.dropoff = 0.30;
    let inputs = vec![
        input("Council grant", InputCategory::Cash, 50_000.0, 1.0),
        input("Venue", InputCategory::InKind, 2_000.0, 1.0),
        input(
            "Volunteer hours at the National Living Wage",
            InputCategory::VolunteerTime,
            12.21,
            400.0,
        ),
    ];
    build_report(&details, &[o], &inputs).expect("valid example")
}

/// An evaluative project with outcomes in two Bristol Accord components: one valued with a
/// shipped (OGL) proxy, with a formula-like stakeholder and a description full of typst markup
/// characters, and one disbenefit.
pub fn evaluative() -> ProjectReport {
    let details = ProjectDetails::new("Green streets", ProjectMode::Evaluative, 2025);
    let mut work = OutcomeEntry::new(
        "Residents into work",
        BristolAccord::Thriving,
        own_proxy("Into work", 6500.0, "2025"),
        12.0,
    );
    work.deadweight = 0.3;
    work.attribution = 0.1;
    work.duration_years = 2;
    work.dropoff = 0.2;
    work.actual_quantity = Some(9.0);
    work.evidence_note = Some("Payroll records".into());
    let wellby = ProxyLibrary::shipped()
        .get("GB-WELLBY-C")
        .expect("shipped proxy")
        .to_value();
    let mut wellbeing = OutcomeEntry::new(
        TYPST_SPECIALS,
        BristolAccord::ActiveInclusiveAndSafe,
        wellby,
        3.0,
    );
    wellbeing.stakeholder = Some("=SUM(1+1)".into());
    wellbeing.deadweight = 0.5;
    // A disbenefit: negative value, drawn left of zero.
    let mut disruption = OutcomeEntry::new(
        "Disruption during works",
        BristolAccord::ActiveInclusiveAndSafe,
        own_proxy("Disruption to a household", -150.0, "2025"),
        40.0,
    );
    disruption.actual_quantity = Some(55.0);
    disruption.evidence_note = Some("Complaints log".into());
    let inputs = vec![input("Grant", InputCategory::Cash, 40_000.0, 1.0)];
    build_report(&details, &[work, wellbeing, disruption], &inputs).expect("valid example")
}

/// A project just created: no outcomes, no inputs, so no ratio.
pub fn empty() -> ProjectReport {
    let details = ProjectDetails::new("New project", ProjectMode::Forecast, 2025);
    build_report(&details, &[], &[]).expect("valid empty project")
}
