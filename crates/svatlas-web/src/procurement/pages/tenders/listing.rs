//! The tenders list and the form on it that starts a tender (a refused form shows the list
//! again with its problems).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::procurement::tender::default_scale;
use svatlas_domain::sroi::display::format_money;
use svatlas_store::procurement::TenderRecord;
use uuid::Uuid;

use super::forms::{Fields, QuestionRow, TenderForm, TenderFormFields};
use super::{EditionCriteria, ScaleRow, Tag, catalogue_views, status_tag};
use crate::platform::auth::{Caller, PageCaller};
use crate::platform::error::{AppError, PageError};
use crate::platform::extract::PageForm;
use crate::platform::format::plain;
use crate::platform::forms::show_again;
use crate::platform::views::{FormErrors, Layout};
use crate::state::AppState;

// `POST /tenders`: create a draft tender from the form.

/// Creates a draft tender in the chosen organisation (editors and admins) and opens it.
#[utoipa::path(post, path = "/tenders", tag = "pages",
    request_body(content = TenderFormFields, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Created (draft): to the tender; not signed in: to /login"),
        (status = 403, description = "Viewer role only", content_type = "text/html"),
        (status = 404, description = "organisation_id names an organisation the caller is not in", content_type = "text/html"),
        (status = 422, description = "The form has problems; shown beside the fields", content_type = "text/html")))]
pub async fn create_tender_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = TenderForm::from_fields(&Fields::new(pairs));
    let organisation = caller.form_organisation(&form.organisation_id, "creating a tender")?;
    let (details, organisation) = match (form.parse(), organisation) {
        (Ok(d), Some(org)) => (d, org),
        (parsed, organisation) => {
            let mut errors = FormErrors::default();
            if organisation.is_none() {
                errors.add(
                    "t-organisation_id",
                    "Choose the organisation that buys: you can edit in several",
                );
            }
            errors.0.extend(parsed.err().unwrap_or_default().0);
            let page = tenders_page(&state, &caller, Some(form), errors).await?;
            return Ok(show_again(page));
        }
    };
    match state
        .store()
        .create_tender(
            &caller.user.email,
            organisation,
            Some(caller.user.id),
            &details,
        )
        .await
    {
        Ok(t) => Ok(Redirect::to(&format!("/tenders/{}", t.id)).into_response()),
        Err(e) => {
            let errors = FormErrors::from_store("t-title", e)?;
            let page = tenders_page(&state, &caller, Some(form), errors).await?;
            Ok(show_again(page))
        }
    }
}

// `GET /tenders`: the tenders the caller buys and those they are invited to bid for, and the
// form that creates a tender.

/// One tender in a list.
pub struct TenderRow {
    pub id: Uuid,
    pub title: String,
    pub organisation: String,
    pub status: Tag,
    pub closing_date: String,
    pub value: String,
}

impl TenderRow {
    fn of(t: &TenderRecord) -> Self {
        TenderRow {
            id: t.id,
            title: t.details.title.clone(),
            organisation: t.organisation_name.clone(),
            status: status_tag(t.status),
            closing_date: t
                .details
                .closing_date
                .clone()
                .unwrap_or_else(|| "Not set".into()),
            value: format_money(t.details.contract_value_gbp),
        }
    }
}

/// One question row of the form with its problems.
pub struct QuestionRowView {
    /// Row index (field names `q{r}_...`).
    pub r: usize,
    /// Row number for people.
    pub n: usize,
    pub row: QuestionRow,
    pub id_error: Option<String>,
    pub kind_error: Option<String>,
    pub text_error: Option<String>,
    pub weight_error: Option<String>,
    pub criterion_error: Option<String>,
}

/// The form's question rows with their problems.
pub fn question_rows(form: &TenderForm, errors: &FormErrors) -> Vec<QuestionRowView> {
    form.questions
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let e = |f: &str| errors.get(&format!("t-q{r}-{f}")).map(str::to_owned);
            QuestionRowView {
                r,
                n: r + 1,
                row: row.clone(),
                id_error: e("id"),
                kind_error: e("kind"),
                text_error: e("text"),
                weight_error: e("weight"),
                criterion_error: e("criterion"),
            }
        })
        .collect()
}

/// The tenders page.
#[derive(Template, WebTemplate)]
#[template(path = "procurement/tenders/list.html")]
pub struct TendersPage {
    pub layout: Layout,
    pub buying: Vec<TenderRow>,
    pub invited: Vec<TenderRow>,
    /// Organisations where the caller may create tenders: (id, name).
    pub editable: Vec<(Uuid, String)>,
    pub editions: Vec<EditionCriteria>,
    pub scale: Vec<ScaleRow>,
    pub form: TenderForm,
    pub question_rows: Vec<QuestionRowView>,
    pub errors: FormErrors,
}

/// Builds the page (also used to show the create form's errors).
pub async fn tenders_page(
    state: &AppState,
    caller: &Caller,
    form: Option<TenderForm>,
    errors: FormErrors,
) -> Result<TendersPage, AppError> {
    let orgs: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let buying = state.store().tenders_of(&orgs).await?;
    let invited = state.store().tenders_invited(&orgs).await?;
    let form = form.unwrap_or_else(TenderForm::blank);
    Ok(TendersPage {
        layout: Layout::signed_in("procurement", caller),
        buying: buying.iter().map(TenderRow::of).collect(),
        invited: invited
            .iter()
            .filter(|t| !orgs.contains(&t.organisation_id))
            .map(TenderRow::of)
            .collect(),
        editable: caller.editable_organisations(),
        editions: catalogue_views(),
        scale: default_scale()
            .into_iter()
            .map(|l| ScaleRow {
                score: plain(l.score),
                descriptor: l.descriptor,
            })
            .collect(),
        question_rows: question_rows(&form, &errors),
        form,
        errors,
    })
}

/// Your tenders: those your organisations buy and those they are invited to bid for.
#[utoipa::path(get, path = "/tenders", tag = "pages",
    responses(
        (status = 200, description = "Your tenders, and the form to create one", content_type = "text/html"),
        (status = 303, description = "Not signed in: to /login")))]
pub async fn list_tenders_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
) -> Result<TendersPage, PageError> {
    Ok(tenders_page(&state, &caller, None, FormErrors::default()).await?)
}
