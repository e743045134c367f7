//! The Social Value Model catalogue as a page.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_domain::procurement::model::{
    Catalogue, Certainty, Edition, MAPPING_NOTE, MAPPING_STATUS, Outcome, suggested_mapping,
};

use crate::platform::download::{Cell, DataTable, DownloadLinks, Format, Source};
use crate::platform::error::PageError;
use crate::platform::extract::PageQuery;
use crate::platform::views::Layout;
use crate::procurement::model::{LICENCE, parse_edition};

// `GET /model?edition=2020|2025`: the Social Value Model catalogue for people, with a
// certainty tag on every row and downloads of the rows.

/// The page's query.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelPageQuery {
    /// `2020` or `2025` (default: 2025, the edition in force).
    pub edition: Option<String>,
    /// `csv`, `xlsx` or `json` downloads the edition's rows.
    pub format: Option<String>,
}

/// A certainty as a coloured tag.
pub struct Tag {
    pub label: &'static str,
    pub class: &'static str,
}

impl Tag {
    fn of(certainty: Certainty) -> Self {
        Tag {
            label: certainty.label(),
            class: match certainty {
                Certainty::Verified => "govuk-tag--green",
                Certainty::Corroborated => "govuk-tag--turquoise",
                Certainty::Recalled => "govuk-tag--yellow",
                Certainty::Unverified => "govuk-tag--orange",
                Certainty::IndicativeOurs => "govuk-tag--purple",
            },
        }
    }
}

/// One metric.
pub struct MetricRow {
    pub text: String,
    pub unit: String,
    pub tag: Tag,
}

/// One award criterion.
pub struct MacRow {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub tag: Tag,
    pub note: String,
    pub metrics: Vec<MetricRow>,
}

/// One policy outcome.
pub struct OutcomeView {
    pub number: u8,
    pub name: String,
    pub tag: Tag,
    pub note: String,
    pub macs: Vec<MacRow>,
}

/// One theme or mission.
pub struct ThemeView {
    pub name: String,
    pub tag: Tag,
    pub note: String,
    pub outcomes: Vec<OutcomeView>,
}

/// One row of the suggested mapping.
pub struct MappingView {
    pub from: String,
    pub to: String,
    pub retired: bool,
}

/// The catalogue page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/model.html")]
pub struct ModelPage {
    pub layout: Layout,
    pub title: &'static str,
    /// `(edition id, title, current)` for the edition switch.
    pub editions: Vec<(&'static str, &'static str, bool)>,
    pub documents: &'static str,
    pub applies: &'static str,
    pub attribution: &'static str,
    pub top_level: &'static str,
    pub metric_name: &'static str,
    pub legend: Vec<(Tag, &'static str)>,
    pub themes: Vec<ThemeView>,
    pub outcome_count: usize,
    pub mac_count: usize,
    pub metric_count: usize,
    pub mapping_status: &'static str,
    pub mapping_note: &'static str,
    pub mapping: Vec<MappingView>,
    pub downloads: DownloadLinks,
}

/// `certainty_note` and notes as one line.
fn note(certainty_note: Option<&String>, notes: &[String]) -> String {
    certainty_note
        .into_iter()
        .chain(notes)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where the edition's wording comes from, for downloads.
fn source(edition: Edition) -> Source {
    let (name, published) = match edition {
        Edition::Svm2020 => (
            "The Social Value Model (PPN 06/20)",
            "Edition 1.1, 3 December 2020",
        ),
        Edition::Svm2025 => (
            "Procurement Policy Note 002: The Social Value Model",
            "13 February 2025",
        ),
    };
    Source {
        id: format!("svm{}", edition.id()),
        name: name.to_string(),
        publisher: "UK Government (Crown copyright)".to_string(),
        edition: published.to_string(),
        licence: LICENCE.to_string(),
        attribution: edition.attribution().to_string(),
        url: None,
    }
}

/// The edition's rows as a table: one per metric, or per criterion or outcome where nothing
/// below it is transcribed.
fn table(edition: Edition) -> DataTable {
    let catalogue = Catalogue::shipped().edition(edition);
    let mut table = DataTable::new(
        format!("{}: catalogue with certainty", edition.title()),
        &format!("social-value-model-{}", edition.id()),
        &[
            "edition",
            edition.top_level(),
            "outcome_number",
            "policy_outcome",
            "outcome_certainty",
            "mac_id",
            "mac_title",
            "mac_certainty",
            "metric_id",
            "metric_text",
            "unit",
            "metric_certainty",
            "notes",
        ],
    );
    for t in &catalogue.themes {
        for o in &t.outcomes {
            let outcome: Vec<Cell> = vec![
                edition.id().into(),
                t.name.clone().into(),
                u32::from(o.number).into(),
                o.name.clone().into(),
                o.certainty.label().into(),
            ];
            if o.macs.is_empty() {
                let mut row = outcome.clone();
                row.extend(std::iter::repeat_n(Cell::Missing, 7));
                row.push(note(o.certainty_note.as_ref(), &o.notes).into());
                table.rows.push(row);
            }
            for c in &o.macs {
                let mut mac = outcome.clone();
                mac.extend([
                    c.id.clone().into(),
                    c.title.clone().into(),
                    c.certainty.label().into(),
                ]);
                let mac_note = note(c.certainty_note.as_ref(), &c.notes);
                if c.metrics.is_empty() {
                    let mut row = mac.clone();
                    row.extend(std::iter::repeat_n(Cell::Missing, 4));
                    row.push(mac_note.clone().into());
                    table.rows.push(row);
                }
                for m in &c.metrics {
                    let mut row = mac.clone();
                    row.extend([
                        m.id.clone().into(),
                        m.text.clone().into(),
                        m.unit.clone().into(),
                        m.certainty.label().into(),
                        note(m.certainty_note.as_ref(), &c.notes).into(),
                    ]);
                    table.rows.push(row);
                }
            }
        }
    }
    table.sources = vec![source(edition)];
    table.notes = Certainty::ALL
        .into_iter()
        .map(|c| format!("{}: {}", c.label(), c.description()))
        .collect();
    table
}

/// One edition of the UK Government Social Value Model (2020, PPN 06/20, or 2025, PPN 002):
/// themes or missions, policy outcomes, award criteria and metrics, each tagged with how
/// certain its wording is; the suggested 2020 → 2025 mapping; `format=` downloads the rows.
#[utoipa::path(get, path = "/model", tag = "pages", params(ModelPageQuery),
    responses(
        (status = 200, description = "The catalogue page, or its rows as a file with `format`", content_type = "text/html"),
        (status = 422, description = "Unknown edition or format", content_type = "text/html")))]
#[tracing::instrument(skip_all)]
pub async fn get_model_page(
    PageQuery(query): PageQuery<ModelPageQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let edition = match query.edition.as_deref().map(str::trim) {
        None | Some("") => Edition::Svm2025,
        other => parse_edition(other)?,
    };
    if format != Format::Html {
        return Ok(table(edition).download(format)?);
    }
    let catalogue = Catalogue::shipped().edition(edition);
    let themes: Vec<ThemeView> = catalogue
        .themes
        .iter()
        .map(|t| ThemeView {
            name: t.name.clone(),
            tag: Tag::of(t.certainty),
            note: note(t.certainty_note.as_ref(), &[]),
            outcomes: t.outcomes.iter().map(outcome_view).collect(),
        })
        .collect();
    Ok(ModelPage {
        layout: Layout::new("procurement"),
        title: edition.title(),
        editions: Edition::ALL
            .into_iter()
            .rev()
            .map(|e| (e.id(), e.title(), e == edition))
            .collect(),
        documents: edition.documents(),
        applies: edition.applies(),
        attribution: edition.attribution(),
        top_level: edition.top_level(),
        metric_name: edition.metric_name(),
        legend: Certainty::ALL
            .into_iter()
            .map(|c| (Tag::of(c), c.description()))
            .collect(),
        themes,
        outcome_count: catalogue.outcomes().count(),
        mac_count: catalogue.criteria().count(),
        metric_count: catalogue.criteria().map(|c| c.metrics.len()).sum(),
        mapping_status: MAPPING_STATUS,
        mapping_note: MAPPING_NOTE,
        mapping: suggested_mapping()
            .iter()
            .map(|r| MappingView {
                from: r.from.clone(),
                to: r.to.clone(),
                retired: r.retired,
            })
            .collect(),
        downloads: DownloadLinks::new("/model", &[("edition", edition.id().to_string())]),
    }
    .into_response())
}

fn outcome_view(o: &Outcome) -> OutcomeView {
    OutcomeView {
        number: o.number,
        name: o.name.clone(),
        tag: Tag::of(o.certainty),
        note: note(o.certainty_note.as_ref(), &o.notes),
        macs: o
            .macs
            .iter()
            .map(|c| MacRow {
                id: c.id.clone(),
                anchor: c.id.to_ascii_lowercase().replace([' ', '.'], "-"),
                title: c.title.clone(),
                tag: Tag::of(c.certainty),
                note: note(c.certainty_note.as_ref(), &c.notes),
                metrics: c
                    .metrics
                    .iter()
                    .map(|m| MetricRow {
                        text: m.text.clone(),
                        unit: m.unit.clone(),
                        tag: Tag::of(m.certainty),
                    })
                    .collect(),
            })
            .collect(),
    }
}
