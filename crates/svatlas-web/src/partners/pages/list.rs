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
use crate::partners::access::{DEFAULT_PER_PAGE, Geo, Search, parse_search};
use crate::partners::directory::Directory;
use crate::platform::auth::{Caller, MaybePageCaller};
use crate::platform::download::{DownloadLinks, Format, query_string};
use crate::platform::error::{AppError, ErrorDetail, PageError};
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
            .map(|(f, m)| ErrorDetail::new("invalid", Some(f.clone()), m.clone()))
            .collect();
        return Err(AppError::Unprocessable(problems).into());
    }
    let directory = if errors.is_empty() {
        Directory::find(&state, &geo, &parsed).await?
    } else {
        Directory::empty(&geo, &parsed)
    };
    if format != Format::Html {
        return Ok(directory.table(&state).download(format)?);
    }
    let (own, can_register) = match &caller {
        Some(c) => own_profiles(&state, c).await?,
        None => (Vec::new(), false),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // A page number past the end or unreadable shows the nearest page rather than an error:
    // it only ever comes from a link.
    let page = positive("page", query.page.as_deref(), 1).unwrap_or(1);
    let r = results(&query, directory, page);
    let page = DirectoryPage {
        layout: Layout::new("partners").for_caller(caller.as_ref()),
        own,
        can_register,
        place: query.place.clone().unwrap_or_default(),
        place_name: parsed.place.as_ref().and_then(|p| geo.name(p)),
        cause_groups: cause_choices(query.cause.as_deref().unwrap_or("")),
        need_choices: need_choices(query.need.as_deref().unwrap_or("").trim()),
        rows: r.rows,
        total: r.total,
        page: r.page,
        pages: r.pages,
        previous: r.previous,
        next: r.next,
        searched: r.searched,
        downloads: DownloadLinks::new("/partners", &search_pairs(&query)),
        notes: r.notes,
        errors,
    };
    Ok((status, page).into_response())
}

/// The search as query pairs, for links and downloads.
fn search_pairs(query: &DirectoryQuery) -> [(&'static str, String); 3] {
    [
        ("place", query.place.clone().unwrap_or_default()),
        ("cause", query.cause.clone().unwrap_or_default()),
        ("need", query.need.clone().unwrap_or_default()),
    ]
}

/// One page of what was found, with its links and the search in words.
struct Results {
    rows: Vec<Row>,
    total: usize,
    page: usize,
    pages: usize,
    previous: Option<String>,
    next: Option<String>,
    searched: String,
    notes: Vec<String>,
}

/// Page `page` of what was found (the nearest page when past the end).
fn results(query: &DirectoryQuery, directory: Directory, page: usize) -> Results {
    let total = directory.entries.len();
    let pages = total.div_ceil(DEFAULT_PER_PAGE).max(1);
    let page = page.min(pages);
    let link = |n: usize| {
        let mut q = search_pairs(query).to_vec();
        q.push(("page", n.to_string()));
        format!("/partners?{}#results", query_string(&q))
    };
    let searched = [
        directory.place.as_ref().map(|p| format!("serving {p}")),
        directory.cause.as_ref().map(|c| format!("working on {c}")),
        directory
            .need
            .map(|n| format!("needing {}", n.to_lowercase())),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    Results {
        total,
        page,
        pages,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        searched,
        notes: directory.notes,
        rows: directory
            .entries
            .into_iter()
            .skip((page - 1) * DEFAULT_PER_PAGE)
            .take(DEFAULT_PER_PAGE)
            .map(|e| Row {
                id: e.profile.id,
                description: excerpt(&e.profile.details.description, 200),
                name: e.profile.details.name,
                areas: e.areas,
                causes: e.causes,
                needs: e.needs,
            })
            .collect(),
    }
}

/// The profiles of the caller's organisations, and whether the caller edits one without a
/// profile (so may register it).
async fn own_profiles(
    state: &AppState,
    caller: &Caller,
) -> Result<(Vec<(Uuid, String)>, bool), AppError> {
    let mut own = Vec::new();
    let mut can_register = false;
    for m in &caller.memberships {
        match state
            .store()
            .profile_of_organisation(m.organisation_id)
            .await?
        {
            Some(p) => own.push((p.id, p.details.name)),
            None => can_register |= m.role.at_least(Role::Editor),
        }
    }
    Ok((own, can_register))
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
