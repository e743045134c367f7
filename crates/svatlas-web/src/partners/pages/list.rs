//! `GET /partners`: the public directory, searched by place, cause and kind of need, with the
//! list to download as CSV, Excel or JSON (`format=csv|xlsx|json`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use svatlas_domain::accounts::Role;
use svatlas_domain::partners::{Cause, NeedKind, all_causes};
use uuid::Uuid;

use super::forms::group_of;
use crate::partners::access::search_notes;
use crate::partners::access::{DEFAULT_PER_PAGE, Geo, Search, match_sources, parse_search, search};
use crate::platform::auth::MaybePageCaller;
use crate::platform::download::{DataTable, DownloadLinks, Format, query_string};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::ApiQuery;
use crate::platform::extract::positive;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, sentence};
use crate::state::AppState;

/// The search, as the form sends it.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// An area code: organisations serving it, an area containing it or an area within it.
    pub place: Option<String>,
    /// A cause id (`MAC 2.2`, `mission:kickstart-economic-growth`, `well_served`).
    pub cause: Option<String>,
    /// A kind of open need: `volunteers`, `goods`, `funding`, `skills` or `premises`.
    pub need: Option<String>,
    /// Page, from 1.
    pub page: Option<String>,
    /// `csv`, `xlsx` or `json` to download every organisation found.
    pub format: Option<String>,
}

/// One `<option>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options under one `<optgroup>`.
pub struct ChoiceGroup {
    pub label: String,
    pub options: Vec<Choice>,
}

/// One organisation in the list.
pub struct Row {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub areas: Vec<String>,
    pub causes: Vec<String>,
    pub needs: Vec<&'static str>,
}

/// The directory page.
#[derive(Template, WebTemplate)]
#[template(path = "partners/list.html")]
pub struct DirectoryPage {
    pub layout: Layout,
    pub signed_in: bool,
    /// The caller's organisations' profiles: (id, name).
    pub own: Vec<(Uuid, String)>,
    /// Whether the caller edits an organisation without a profile.
    pub can_register: bool,
    pub place: String,
    pub place_name: Option<String>,
    pub cause_groups: Vec<ChoiceGroup>,
    pub need_choices: Vec<Choice>,
    pub rows: Vec<Row>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub searched: String,
    pub downloads: DownloadLinks,
    pub notes: Vec<String>,
    pub errors: FormErrors,
}

/// Cause options grouped by kind, the chosen one selected.
pub fn cause_choices(chosen: &str) -> Vec<ChoiceGroup> {
    let chosen = Cause::parse(chosen).map(|c| c.id());
    let mut groups: Vec<ChoiceGroup> = Vec::new();
    for cause in all_causes() {
        let label = group_of(&cause);
        let choice = Choice {
            selected: chosen.as_deref() == Some(cause.id().as_str()),
            label: cause.label(),
            value: cause.id(),
        };
        match groups.last_mut() {
            Some(g) if g.label == label => g.options.push(choice),
            _ => groups.push(ChoiceGroup {
                label: label.to_owned(),
                options: vec![choice],
            }),
        }
    }
    groups
}

/// Kinds of need as options.
pub fn need_choices(chosen: &str) -> Vec<Choice> {
    NeedKind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.id().to_owned(),
            label: k.label().to_owned(),
            selected: k.id() == chosen,
        })
        .collect()
}

/// The public directory of published profiles.
#[utoipa::path(get, path = "/partners", tag = "pages", params(DirectoryQuery),
    responses(
        (status = 200, description = "The directory (or a download with `format`)", content_type = "text/html"),
        (status = 422, description = "A search value is not acceptable; shown in an error summary", content_type = "text/html")))]
pub async fn list_partners_page(
    State(state): State<AppState>,
    MaybePageCaller(caller): MaybePageCaller,
    ApiQuery(query): ApiQuery<DirectoryQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(query.format.as_deref())?;
    let geo = Geo::of(&state);
    let mut errors = FormErrors::default();
    // A page number past the end or unreadable shows the nearest page rather than an error:
    // it only ever comes from a link.
    let page = positive("page", query.page.as_deref(), 1).unwrap_or(1);
    let parsed = parse_search(
        &geo,
        query.place.as_deref(),
        query.cause.as_deref(),
        query.need.as_deref(),
    )
    .unwrap_or_else(|problems| {
        for p in problems {
            errors.add(p.field.clone().unwrap_or_default(), sentence(&p.message));
        }
        Search::default()
    });
    if format != Format::Html && !errors.is_empty() {
        let problems = errors
            .0
            .iter()
            .map(|(f, m)| {
                crate::platform::error::ErrorDetail::new("invalid", Some(f.clone()), m.clone())
            })
            .collect();
        return Err(AppError::Unprocessable(problems).into());
    }
    let found = if errors.is_empty() {
        search(&state, &parsed).await?
    } else {
        Vec::new()
    };
    let label = |c: &String| Cause::parse(c).map_or_else(|| c.clone(), |c| c.label());
    let area = |c: &String| match geo.name(c) {
        Some(n) => format!("{n} ({c})"),
        None => c.clone(),
    };
    let pairs = [
        ("place", query.place.clone().unwrap_or_default()),
        ("cause", query.cause.clone().unwrap_or_default()),
        ("need", query.need.clone().unwrap_or_default()),
    ];
    if format != Format::Html {
        let mut table = DataTable::new(
            "Voluntary and community partners",
            "partners",
            &[
                "Organisation",
                "Charity number",
                "Company number",
                "Areas served",
                "Causes",
                "Open needs",
                "Offers",
                "Website",
                "Contact e-mail",
                "Profile",
            ],
        );
        for (p, needs) in &found {
            let d = &p.details;
            table.rows.push(vec![
                d.name.clone().into(),
                d.charity_number.clone().unwrap_or_default().into(),
                d.company_number.clone().unwrap_or_default().into(),
                d.areas
                    .iter()
                    .map(area)
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
                d.causes
                    .iter()
                    .map(label)
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
                needs
                    .iter()
                    .map(|k| k.label())
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
                d.offers.join("; ").into(),
                d.website.clone().unwrap_or_default().into(),
                d.contact_email.clone().unwrap_or_default().into(),
                format!("/partners/{}", p.id).into(),
            ]);
        }
        table.notes = search_notes(&geo, parsed.place.is_some());
        table.notes.push(
            "Profiles are written by each organisation; sv-atlas does not check them. Check \
             charity and company numbers with the Charity Commission, OSCR, the Charity \
             Commission for Northern Ireland and Companies House."
                .into(),
        );
        let search_words = [
            parsed.place.as_ref().map(|p| format!("place {}", area(p))),
            parsed
                .cause
                .as_ref()
                .map(|c| format!("cause {}", c.label())),
            parsed.need.map(|n| format!("need {}", n.label())),
        ];
        let search_words: Vec<String> = search_words.into_iter().flatten().collect();
        if !search_words.is_empty() {
            table
                .notes
                .push(format!("Searched for {}.", search_words.join(", ")));
        }
        table.sources = match_sources(&state)
            .into_iter()
            .filter(|s| s.id == "social-value-model")
            .collect();
        return Ok(table.download(format)?);
    }

    let total = found.len();
    let pages = total.div_ceil(DEFAULT_PER_PAGE).max(1);
    let page = page.min(pages);
    let rows = found
        .iter()
        .skip((page - 1) * DEFAULT_PER_PAGE)
        .take(DEFAULT_PER_PAGE)
        .map(|(p, needs)| Row {
            id: p.id,
            name: p.details.name.clone(),
            description: excerpt(&p.details.description, 200),
            areas: p.details.areas.iter().map(area).collect(),
            causes: p.details.causes.iter().map(label).collect(),
            needs: needs.iter().map(|k| k.label()).collect(),
        })
        .collect();
    let link = |n: usize| {
        let mut q = pairs.to_vec();
        q.push(("page", n.to_string()));
        format!("/partners?{}#results", query_string(&q))
    };
    let (own, can_register) = match &caller {
        Some(c) => {
            let mut own = Vec::new();
            let mut can_register = false;
            for m in &c.memberships {
                match state
                    .store()
                    .profile_of_organisation(m.organisation_id)
                    .await?
                {
                    Some(p) => own.push((p.id, p.details.name)),
                    None => can_register |= m.role.at_least(Role::Editor),
                }
            }
            (own, can_register)
        }
        None => (Vec::new(), false),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DirectoryPage {
        layout: Layout::new("partners"),
        signed_in: caller.is_some(),
        own,
        can_register,
        place: query.place.clone().unwrap_or_default(),
        place_name: parsed.place.as_ref().and_then(|p| geo.name(p)),
        cause_groups: cause_choices(query.cause.as_deref().unwrap_or("")),
        need_choices: need_choices(query.need.as_deref().unwrap_or("").trim()),
        rows,
        total,
        page,
        pages,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        searched: [
            parsed
                .place
                .as_ref()
                .map(|p| format!("serving {}", area(p))),
            parsed
                .cause
                .as_ref()
                .map(|c| format!("working on {}", c.label())),
            parsed
                .need
                .map(|n| format!("needing {}", n.label().to_lowercase())),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", "),
        downloads: DownloadLinks::new("/partners", &pairs),
        notes: search_notes(&geo, parsed.place.is_some()),
        errors,
    };
    Ok((status, page).into_response())
}

/// At most `max` characters, cut at a word with `…`.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}
