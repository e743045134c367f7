//! `GET /partners/{id}`: a VCSE's profile with its needs and what has been pledged and
//! confirmed; its own members also see the pledges and confirm or query delivery.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use svatlas_domain::accounts::Role;
use svatlas_domain::partners::Cause;
use svatlas_store::partners::ProfileRecord;
use uuid::Uuid;

use super::{PledgeView, ProgressView, charity_link, company_link, quantity_words};
use crate::partners::access::{Geo, profile_for};
use crate::partners::api::NeedBody;
use crate::platform::auth::Caller;
use crate::platform::auth::MaybePageCaller;
use crate::platform::error::{AppError, PageError};
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, when};
use crate::state::AppState;

/// A cause as listed on a profile.
pub struct CauseView {
    pub label: String,
}

/// A need as listed on a profile.
pub struct NeedView {
    pub id: Uuid,
    pub kind: &'static str,
    pub description: String,
    pub wanted: String,
    pub open: bool,
    pub progress: ProgressView,
}

impl NeedView {
    pub fn of(n: &NeedBody) -> Self {
        NeedView {
            id: n.id,
            kind: n.details.kind.label(),
            description: n.details.description.clone(),
            wanted: quantity_words(n.details.quantity, &n.details.unit),
            open: n.details.open,
            progress: ProgressView::of(&n.progress, &n.details.unit),
        }
    }
}

/// The profile page.
#[derive(Template, WebTemplate)]
#[template(path = "partners/profile.html")]
pub struct ProfilePage {
    pub layout: Layout,
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
    pub published: bool,
    pub charity_number: Option<(String, String)>,
    pub company_number: Option<(String, String)>,
    pub description: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    /// (code, name).
    pub areas: Vec<(String, String)>,
    pub causes: Vec<CauseView>,
    pub offers: Vec<String>,
    pub needs: Vec<NeedView>,
    pub member: bool,
    pub can_edit: bool,
    pub pledges: Vec<PledgeView>,
    pub updated: String,
    pub errors: FormErrors,
}

/// What a failed review form keeps.
#[derive(Default)]
pub struct ReviewRetry {
    pub pledge: Option<Uuid>,
    pub decision: String,
    pub note: String,
    pub errors: FormErrors,
}

/// Builds the profile page for a caller already allowed to see it.
pub async fn profile_page(
    state: &AppState,
    caller: Option<&Caller>,
    profile: ProfileRecord,
    retry: ReviewRetry,
) -> Result<ProfilePage, AppError> {
    let geo = Geo::of(state);
    let role = caller.and_then(|c| c.role_in(profile.organisation_id));
    let needs = state.store().needs_of(profile.id).await?;
    let pledges = state.store().pledges_of_profile(profile.id).await?;
    let needs: Vec<NeedView> = needs
        .into_iter()
        .map(|n| NeedView::of(&NeedBody::of(n, &pledges)))
        .collect();
    let pledges = if role.is_some() {
        pledges
            .iter()
            .map(|p| {
                let supplier = caller.and_then(|c| c.role_in(p.supplier_organisation_id));
                let mut v = PledgeView::of(p, supplier, role).with_errors(&retry.errors);
                if retry.pledge == Some(p.id) {
                    v.review_text.clone_from(&retry.note);
                    v.review_decision.clone_from(&retry.decision);
                }
                v
            })
            .collect()
    } else {
        Vec::new()
    };
    let d = profile.details;
    Ok(ProfilePage {
        layout: Layout::new("partners").for_caller(caller),
        id: profile.id,
        organisation: profile.organisation_name,
        published: d.published,
        charity_number: d.charity_number.map(|n| (charity_link(&n), n)),
        company_number: d.company_number.map(|n| (company_link(&n), n)),
        description: d.description,
        website: d.website,
        contact_email: d.contact_email,
        areas: d
            .areas
            .iter()
            .map(|c| (c.clone(), geo.name(c).unwrap_or_default()))
            .collect(),
        causes: d
            .causes
            .iter()
            .filter_map(|c| Cause::parse(c))
            .map(|c| CauseView { label: c.label() })
            .collect(),
        offers: d.offers,
        needs,
        member: role.is_some(),
        can_edit: role.is_some_and(|r| r.at_least(Role::Editor)),
        pledges,
        updated: when(&profile.updated_at),
        name: d.name,
        errors: retry.errors,
    })
}

/// A VCSE's profile: public when published; an unpublished one only for its members.
#[utoipa::path(get, path = "/partners/{id}", tag = "pages",
    params(("id" = Uuid, Path, description = "Profile id")),
    responses(
        (status = 200, description = "The profile", content_type = "text/html"),
        (status = 404, description = "No such profile, or unpublished and not the caller's", content_type = "text/html")))]
pub async fn get_partner_page(
    State(state): State<AppState>,
    MaybePageCaller(caller): MaybePageCaller,
    Path(id): Path<Uuid>,
) -> Result<ProfilePage, PageError> {
    let (profile, _) = profile_for(&state, caller.as_ref(), id).await?;
    Ok(profile_page(&state, caller.as_ref(), profile, ReviewRetry::default()).await?)
}
