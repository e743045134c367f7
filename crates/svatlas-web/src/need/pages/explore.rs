//! Explorer pages over the local-need data: rankings, comparisons, correlations and the data
//! directory. The figures come from the same functions as the JSON API; this module only holds
//! what the pages share (form options); their figures are built in `need::figures`.

pub mod compare;
pub mod correlations;
pub mod data;
pub mod rankings;

use svatlas_areas::AreaFrame;
use svatlas_areas::geography::AreaType;

/// One `<option>`.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// An `<optgroup>` of indicators: one dataset.
pub struct OptionGroup {
    pub label: String,
    pub options: Vec<SelectOption>,
}

/// Every indicator, grouped by dataset in catalogue order, with `selected` marked.
pub fn indicator_groups(frame: &AreaFrame, selected: &str) -> Vec<OptionGroup> {
    frame
        .datasets()
        .iter()
        .map(|d| OptionGroup {
            label: format!("{} ({})", d.name, d.edition),
            options: frame
                .indicators()
                .iter()
                .filter(|i| i.dataset == d.id)
                .map(|i| SelectOption {
                    value: i.id.clone(),
                    label: i.name.clone(),
                    selected: i.id == selected,
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// Every area type, with `selected` marked.
pub fn level_options(selected: AreaType) -> Vec<SelectOption> {
    AreaType::ALL
        .iter()
        .map(|t| SelectOption {
            value: t.as_str().to_owned(),
            label: t.label().to_owned(),
            selected: *t == selected,
        })
        .collect()
}
