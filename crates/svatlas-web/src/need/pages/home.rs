use axum::extract::State;
use svatlas_areas::AreaFrame;
use svatlas_areas::geography::AreaType;

use crate::need::maps::{self, HOME_INDICATOR};
use crate::platform::download::Source;
use crate::platform::format::thousands;
use crate::platform::views::Layout;
use crate::state::AppState;

// `GET /`: the home page: search, the England map of deprivation by district, headline facts
// computed from the data, and what the service offers.

/// One headline figure.
pub struct Fact {
    /// The figure, formatted.
    pub figure: String,
    /// What it counts.
    pub label: String,
    /// Page of the area the figure names.
    pub href: Option<String>,
}

/// The home page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "need/home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub database: String,
    /// England districts map, when area data and boundaries are loaded.
    pub map: Option<String>,
    /// Headline facts, when area data is loaded.
    pub facts: Vec<Fact>,
    pub sources: Vec<Source>,
}

/// Home page: what sv-atlas is and links to what exists.
#[utoipa::path(get, path = "/", tag = "pages",
    responses((status = 200, description = "Home page", content_type = "text/html")))]
pub async fn get_home(State(state): State<AppState>) -> HomePage {
    let frame = state.areas().ok();
    let map = frame.zip(state.maps()).and_then(|(frame, m)| {
        m.home_map
            .get_or_init(|| maps::england_district_map(frame, m))
            .clone()
    });
    let facts = frame.map(facts).unwrap_or_default();
    let sources = frame
        .and_then(|f| f.datasets().iter().find(|d| d.id == "iod2025"))
        .map(Source::of)
        .into_iter()
        .collect();
    HomePage {
        layout: Layout::new("home"),
        database: state.store().backend().to_string(),
        map,
        facts,
        sources,
    }
}

/// Headline figures computed from the loaded data.
fn facts(frame: &AreaFrame) -> Vec<Fact> {
    let count = |indicator: &str, level: AreaType| {
        frame
            .column(indicator, level)
            .map_or(0, |c| c.iter().filter(|v| v.is_finite()).count())
    };
    let mut facts = Vec::new();
    let lsoas = count("iod2025.imd.score", AreaType::Lsoa21);
    if lsoas > 0 {
        facts.push(Fact {
            figure: thousands(lsoas as u64),
            label: "small areas (LSOAs 2021) in England ranked by the IoD2025".to_owned(),
            href: None,
        });
    }
    let lads = count(HOME_INDICATOR, AreaType::Lad24);
    if lads > 0 {
        facts.push(Fact {
            figure: thousands(lads as u64),
            label: "local authority districts (2024) with official IoD2025 summaries".to_owned(),
            href: None,
        });
    }
    if let Some(column) = frame.column(HOME_INDICATOR, AreaType::Lad24)
        && let Some(p) = column.iter().position(|v| *v == 1.0)
        && let Some(area) = frame.areas(AreaType::Lad24).get(p)
    {
        facts.push(Fact {
            figure: area.name.clone(),
            label: "is the most deprived district by rank of average IMD score (IoD2025)"
                .to_owned(),
            href: Some(format!("/areas/{}", area.code)),
        });
    }
    facts
}
