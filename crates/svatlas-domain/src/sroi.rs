//! Social return on investment (SROI) engine, as specified in `METHOD.md`.
//!
//! The entry point is [`calculate`]: it validates a [`Project`] (inputs by year and outcomes with
//! their deflators) and returns an [`SroiResult`] with present values, ratios, NPV, payback, the
//! RAG colour, a per-year table, per-outcome figures, switching values and warnings.
//! [`sensitivity`] runs the default one-at-a-time set for a tornado chart and [`scenarios`]
//! compares named sets of assumptions side by side.
//!
//! Numeric policy (METHOD.md §10): everything is computed in `f64` from unrounded values;
//! rounding happens only for display ([`display`]).
//!
//! ```
//! use svatlas_domain::sroi::{self, Outcome, Project};
//!
//! let mut outcome = Outcome::new("Participants into work", 20.0, 6500.0);
//! outcome.duration_years = 3;
//! outcome.leakage = 0.05;
//! outcome.deadweight = 0.25;
//! outcome.displacement = 0.10;
//! outcome.attribution = 0.20;
//! outcome.dropoff = 0.30;
//! let project = Project::with_year0_inputs(56_884.0, vec![outcome]);
//!
//! let result = sroi::calculate(&project).expect("valid project");
//! assert_eq!(sroi::display::format_ratio(result.sroi_ratio.expect("inputs > 0")), "£2.42 for every £1");
//! ```

mod additionality;
mod discount;
pub mod display;
mod engine;
mod inputs;
mod project;
mod rag;
mod sensitivity;
pub(crate) use sensitivity::report_steps;
mod switching;
mod validate;

pub use additionality::{HcaInputs, additionality};
pub use discount::{MAX_TABLE_YEAR, discount_factors, green_book_rate, rate_for_year};
pub use display::{format_money, format_ratio, round_money, round_ratio};
pub use engine::{OutcomeResult, SroiResult, Warning, WarningCode, YearRow, calculate};
pub use inputs::{Input, InputCategory, inputs_by_year, local_spend};
pub use project::{Convention, Deflator, DiscountSchedule, Outcome, Project};
pub use rag::{Rag, RagThresholds, rag};
pub use sensitivity::{
    Headline, MAX_SCENARIOS, Scenario, ScenarioResult, Sensitivity, SensitivityParameter,
    SensitivityRow, scenarios, sensitivity,
};
pub use switching::{SwitchingValue, SwitchingValues};
pub use validate::{
    FieldError, LONG_DURATION_WARNING_YEARS, MAX_ABS_AMOUNT, MAX_DISCOUNT_RATE, MAX_DURATION_YEARS,
    MAX_INPUT_GBP, MAX_OUTCOMES, MAX_YEAR, ValidationErrors, validate,
};
