//! Tenders in the JSON API (Bearer tokens): the buyer sets one up, invites suppliers, names
//! its evaluation panel, opens and closes it, reads the ranked results and awards it; invited
//! suppliers read it and write, submit or withdraw their bid. Rules: `crate::procurement::access`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use svatlas_domain::accounts::Role;
use svatlas_domain::calculator::ProxyLibrary;
use svatlas_domain::procurement::bid::{BidDetails, BidStatus, ValueKind};
use svatlas_domain::procurement::evaluation::{BidResult, PanelRole, ResultsError};
use svatlas_domain::procurement::scoring::{Method, ScoringWarning};
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus, TenderWarning};
use svatlas_domain::procurement::valuation::apply_valuations;
use svatlas_store::StoreError;
use svatlas_store::procurement::{BidRecord, TenderRecord};
use uuid::Uuid;

use crate::platform::auth::ApiCaller;
use crate::platform::error::{AppError, ErrorBody};
use crate::platform::extract::{ApiJson, ApiMultipart, ApiPath};
use crate::platform::upload::one_file;
use crate::procurement::access::{Side, tender_for};
use crate::procurement::api::contracts::ContractBody;
use crate::procurement::bid_files::{BidFile, MAX_BID_FILE_BYTES, download, import};
use crate::state::AppState;

/// A tender as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenderBody {
    /// Tender id.
    pub id: Uuid,
    /// The buyer organisation.
    pub organisation_id: Uuid,
    /// The buyer's name.
    pub buyer: String,
    /// `draft`, `open`, `evaluation`, `awarded` or `cancelled`.
    pub status: TenderStatus,
    /// Settings.
    #[serde(flatten)]
    pub details: TenderDetails,
    /// Sum of the quality questions' weights, percent.
    pub quality_weight: f64,
    /// Sum of the social value questions' weights (`W_sv`), percent.
    pub social_value_weight: f64,
    /// Warnings about the settings (e.g. `W_sv` above 30%).
    pub warnings: Vec<TenderWarning>,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<TenderRecord> for TenderBody {
    fn from(t: TenderRecord) -> Self {
        TenderBody {
            id: t.id,
            organisation_id: t.organisation_id,
            buyer: t.organisation_name,
            status: t.status,
            quality_weight: t.details.quality_weight(),
            social_value_weight: t.details.social_value_weight(),
            warnings: t.details.warnings(),
            details: t.details,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// An estimated value of one kind (kinds are never added together).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EstimatedValue {
    /// `wellbeing`, `fiscal` or `economic`.
    pub kind: ValueKind,
    /// Sum of the bidder's estimates of that kind, £ (an estimate).
    pub estimated_gbp: f64,
}

/// A bid as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BidBody {
    /// Bid id.
    pub id: Uuid,
    /// The tender.
    pub tender_id: Uuid,
    /// The supplier organisation.
    pub organisation_id: Uuid,
    /// The supplier's name.
    pub supplier: String,
    /// `draft`, `submitted` or `withdrawn`.
    pub status: BidStatus,
    /// Price, answers and commitments.
    #[serde(flatten)]
    pub details: BidDetails,
    /// The bidder's monetised estimates by kind, labelled estimates, never one total.
    pub estimated_values: Vec<EstimatedValue>,
    /// When submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<BidRecord> for BidBody {
    fn from(b: BidRecord) -> Self {
        BidBody {
            id: b.id,
            tender_id: b.tender_id,
            organisation_id: b.organisation_id,
            supplier: b.organisation_name,
            status: b.status,
            estimated_values: b
                .details
                .estimated_value_by_kind()
                .into_iter()
                .map(|(kind, estimated_gbp)| EstimatedValue {
                    kind,
                    estimated_gbp,
                })
                .collect(),
            details: b.details,
            submitted_at: b.submitted_at,
            updated_at: b.updated_at,
        }
    }
}

/// A panel member.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PanelBody {
    /// User id.
    pub user_id: Uuid,
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// `evaluator` or `moderator`.
    pub role: PanelRole,
}

impl From<svatlas_store::procurement::PanelMember> for PanelBody {
    fn from(m: svatlas_store::procurement::PanelMember) -> Self {
        PanelBody {
            user_id: m.user_id,
            name: m.name,
            email: m.email,
            role: m.role,
        }
    }
}

// `POST /api/v1/tenders/{id}/award`: award the tender to a bid; its commitments become KPIs.

/// The winning bid.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// A submitted bid of this tender.
    pub bid_id: Uuid,
}

/// Awards the tender (buyer admins) once every consensus score is in; answers the contract.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/award", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = Award,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The contract, with KPIs from the bid's commitments", body = ContractBody),
        (status = 403, description = "Not a buyer admin", body = ErrorBody),
        (status = 404, description = "No such tender or submitted bid", body = ErrorBody),
        (status = 409, description = "Not in evaluation, or consensus scores missing", body = ErrorBody)))]
pub async fn award_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<Award>,
) -> Result<(StatusCode, Json<ContractBody>), AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Admin)?;
    let contract = state
        .store()
        .award_tender(&caller.user.email, id, body.value.bid_id)
        .await?;
    Ok((StatusCode::CREATED, Json(contract.into())))
}

// `GET` and `PUT /api/v1/tenders/{id}/bid`: the caller's organisation's own bid.
/// Reads the supplier's own bid (any member of an invited supplier).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bid", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your bid", body = BidBody),
        (status = 403, description = "The buyer, who does not bid", body = ErrorBody),
        (status = 404, description = "No such tender, or no bid yet", body = ErrorBody)))]
pub async fn get_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<BidBody>, AppError> {
    let supplier = tender_for(&state, &caller, id)
        .await?
        .require_supplier(Role::Viewer)?;
    match state.store().bid_of(id, supplier).await? {
        Some(bid) => Ok(Json(bid.into())),
        None => Err(AppError::NotFound(
            "your organisation has no bid for this tender yet".into(),
        )),
    }
}

/// Saves the supplier's draft bid (editors and admins of an invited supplier, while the tender
/// is open). A draft may leave answers out; submitting needs them all. A commitment with a
/// `valuation` is valued by the calculator's engine: its `estimated_value_gbp` and
/// `value_basis` are replaced by the engine's figure and workings.
#[utoipa::path(put, path = "/api/v1/tenders/{id}/bid", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = BidDetails,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved (draft)", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is not open, or the bid is submitted", body = ErrorBody),
        (status = 422, description = "A value is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn save_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<BidDetails>,
) -> Result<Json<BidBody>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    let supplier = access.require_supplier(Role::Editor)?;
    let mut details = body.value.normalised(&access.tender.details);
    // Commitments asking to be valued get the engine's figure before anything is checked.
    apply_valuations(&mut details, ProxyLibrary::shipped())?;
    details.validate(&access.tender.details, false)?;
    let bid = state
        .store()
        .save_bid(&caller.user.email, id, supplier, &details)
        .await?;
    Ok(Json(bid.into()))
}

// The supplier's bid offline: `GET /api/v1/tenders/{id}/bid.xlsx` and `.../bid.csv`, and
// `POST /api/v1/tenders/{id}/bid/import` (all or nothing, errors located by sheet, row and
// column).

/// The bid workbook: "Read me" (rules, the tender's criteria and metrics), "Bid" (price),
/// "Answers" (a row per question) and "Commitments" (a row per commitment), filled with the
/// draft so far (invited suppliers' members).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bid.xlsx", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "The buyer, who does not bid", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_bid_xlsx(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    download(&state, &caller, id, BidFile::Xlsx).await
}

/// The bid's commitments as CSV, one row each (columns as the workbook's "Commitments").
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bid.csv", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The commitments", content_type = "text/csv"),
        (status = 403, description = "The buyer, who does not bid", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_bid_csv(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, AppError> {
    download(&state, &caller, id, BidFile::Csv).await
}

/// The upload: one file in the field `file`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // only described: the handler reads the multipart stream itself
pub struct BidUpload {
    /// The bid workbook (.xlsx) or a commitments CSV (.csv).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Imports a bid file (multipart field `file`, at most 2 MB): a workbook replaces the whole
/// draft, a CSV its commitments. Any bad cell refuses the whole file: every problem is listed,
/// each with `field` = `Sheet!row:column` (CSV: `row:column`).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/bid/import", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body(content = BidUpload, content_type = "multipart/form-data", description = "Field `file`: the bid workbook (.xlsx) or a commitments CSV (.csv)"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported into the draft bid", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is not open, the bid is submitted, or a CSV with no draft yet", body = ErrorBody),
        (status = 413, description = "Larger than 2 MB", body = ErrorBody),
        (status = 422, description = "Problems in the file, each located", body = ErrorBody)))]
pub async fn import_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    ApiMultipart(mut multipart): ApiMultipart,
) -> Result<Json<BidBody>, AppError> {
    let (name, bytes) = one_file(&mut multipart, "file", MAX_BID_FILE_BYTES).await?;
    let bid = import(&state, &caller, id, &name, &bytes).await?;
    Ok(Json(bid.into()))
}

// `GET /api/v1/tenders/{id}/bids`: the submitted bids, for the buyer once bids are closed.

/// Lists the submitted bids (buyer members, from the close of bids: bids are sealed until then).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/bids", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted bids, by supplier name", body = Vec<BidBody>),
        (status = 403, description = "A supplier, who sees only its own bid", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Bids are sealed until the tender closes", body = ErrorBody)))]
pub async fn list_bids(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<BidBody>>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(svatlas_domain::accounts::Role::Viewer)?;
    if !access.sees_bids() {
        return Err(AppError::Conflict(
            "bids are sealed until the tender closes for evaluation".into(),
        ));
    }
    let bids = state
        .store()
        .bids_of_tender(id, BidStatus::Submitted)
        .await?;
    Ok(Json(bids.into_iter().map(Into::into).collect()))
}

// `POST /api/v1/tenders`: a buyer creates a draft tender.

/// A new tender: its settings, and the buyer organisation when the caller edits in several.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateTender {
    /// The buyer organisation; needed only when the caller can edit in several.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    /// Settings.
    #[serde(flatten)]
    pub details: TenderDetails,
}

/// Creates a draft tender in the caller's organisation (editors and admins).
#[utoipa::path(post, path = "/api/v1/tenders", tag = "procurement",
    request_body = CreateTender,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created (draft)", body = TenderBody),
        (status = 403, description = "Viewer role only", body = ErrorBody),
        (status = 404, description = "organisation_id names an organisation the caller is not in", body = ErrorBody),
        (status = 422, description = "A setting is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn create_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: ApiJson<CreateTender>,
) -> Result<(StatusCode, Json<TenderBody>), AppError> {
    let request = body.value;
    let org = caller.acting_organisation(request.organisation_id, "creating a tender", "acts")?;
    request.details.validate()?;
    let tender = state
        .store()
        .create_tender(
            &caller.user.email,
            org,
            Some(caller.user.id),
            &request.details,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(tender.into())))
}

// `GET /api/v1/tenders/{id}`: one tender, with what the caller's side may see.

/// An invited supplier.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationBody {
    /// Organisation id.
    pub organisation_id: Uuid,
    /// Its name.
    pub name: String,
}

/// A tender with the caller's view of it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenderView {
    /// The tender.
    #[serde(flatten)]
    pub tender: TenderBody,
    /// `buyer` or `supplier`.
    pub your_side: String,
    /// Invited suppliers (buyer only; empty for suppliers).
    pub invitations: Vec<InvitationBody>,
    /// The evaluation panel (buyer only).
    pub panel: Vec<PanelBody>,
}

/// Reads a tender (buyer members; members of invited suppliers once it is open).
#[utoipa::path(get, path = "/api/v1/tenders/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The tender", body = TenderView),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<TenderView>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    let buyer = matches!(access.side, Side::Buyer(_));
    let invitations = if buyer {
        state
            .store()
            .invitations(id)
            .await?
            .into_iter()
            .map(|i| InvitationBody {
                organisation_id: i.organisation_id,
                name: i.organisation_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(TenderView {
        your_side: if buyer { "buyer" } else { "supplier" }.into(),
        invitations,
        panel: if buyer {
            access.panel.into_iter().map(Into::into).collect()
        } else {
            Vec::new()
        },
        tender: access.tender.into(),
    }))
}

// `POST /api/v1/tenders/{id}/invitations`: invite a supplier organisation to bid.

/// The supplier to invite.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Invite {
    /// The supplier organisation's id (shown to its members on their organisation page).
    pub organisation_id: Uuid,
}

/// Invites a supplier (buyer editors and admins); answers every invited supplier.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/invitations", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = Invite,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Invited suppliers", body = Vec<InvitationBody>),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is awarded or cancelled", body = ErrorBody),
        (status = 422, description = "No such organisation, or the buyer itself", body = ErrorBody)))]
pub async fn invite_supplier(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<Invite>,
) -> Result<Json<Vec<InvitationBody>>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    match state
        .store()
        .invite_supplier(&caller.user.email, id, body.value.organisation_id)
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(AppError::invalid(
                "unknown",
                "organisation_id",
                "no organisation has that id: ask the supplier for the id on their organisation page",
            ));
        }
        other => other?,
    }
    let list = state.store().invitations(id).await?;
    Ok(Json(
        list.into_iter()
            .map(|i| InvitationBody {
                organisation_id: i.organisation_id,
                name: i.organisation_name,
            })
            .collect(),
    ))
}

// `GET /api/v1/tenders`: tenders the caller buys and tenders they are invited to.

/// The caller's tenders.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenderList {
    /// Tenders of the caller's organisations (as buyer), newest change first.
    pub buying: Vec<TenderBody>,
    /// Tenders the caller's organisations are invited to bid for (not drafts).
    pub invited: Vec<TenderBody>,
}

/// Lists the caller's tenders as buyer and as invited supplier.
#[utoipa::path(get, path = "/api/v1/tenders", tag = "procurement",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's tenders", body = TenderList)))]
pub async fn list_tenders(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<TenderList>, AppError> {
    let orgs: Vec<Uuid> = caller
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    let buying = state.store().tenders_of(&orgs).await?;
    let invited = state.store().tenders_invited(&orgs).await?;
    Ok(Json(TenderList {
        buying: buying.into_iter().map(Into::into).collect(),
        invited: invited
            .into_iter()
            .filter(|t| !orgs.contains(&t.organisation_id))
            .map(Into::into)
            .collect(),
    }))
}

// `POST /api/v1/tenders/{id}/panel`: put a buyer member on (or off) the evaluation panel.

/// A panel change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PanelChange {
    /// A member of the buyer organisation.
    pub user_id: Uuid,
    /// `evaluator` or `moderator`.
    pub role: PanelRole,
    /// `true` to take them off the panel in that role.
    #[serde(default)]
    pub remove: bool,
}

/// Changes the panel (buyer admins); answers the whole panel.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/panel", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = PanelChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The panel", body = Vec<PanelBody>),
        (status = 403, description = "Not a buyer admin", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is awarded or cancelled", body = ErrorBody),
        (status = 422, description = "The user is not a member of the buyer organisation", body = ErrorBody)))]
pub async fn change_panel(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<PanelChange>,
) -> Result<Json<Vec<PanelBody>>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Admin)?;
    let c = body.value;
    state
        .store()
        .set_panel_member(&caller.user.email, id, c.user_id, c.role, !c.remove)
        .await?;
    let panel = state.store().panel(id).await?;
    Ok(Json(panel.into_iter().map(Into::into).collect()))
}

// `GET /api/v1/tenders/{id}/results`: weighted scores, totals and ranking from the consensus.

/// One ranked bid.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResultBody {
    /// The bid.
    pub bid_id: Uuid,
    /// Quality points, social value points and the scoring figures with rank.
    #[serde(flatten)]
    pub result: BidResult,
}

/// The results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Results {
    /// The tender's method.
    pub method: Method,
    /// Bids by supplier name, each with its rank (1 = winner).
    pub bids: Vec<ResultBody>,
    /// Warnings from the scoring rules.
    pub warnings: Vec<ScoringWarning>,
}

/// Works out the results (buyer members, once bids are closed and every consensus is in).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/results", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Ranked bids", body = Results),
        (status = 403, description = "A supplier", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Bids are sealed, or consensus scores are missing (listed)", body = ErrorBody)))]
pub async fn get_results(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Results>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Viewer)?;
    if !access.sees_bids() {
        return Err(AppError::Conflict(
            "bids are sealed until the tender closes for evaluation".into(),
        ));
    }
    let (bids, results) = state.store().tender_results(id).await?;
    let results = results.map_err(|e| match e {
        ResultsError::Scoring(m) => AppError::Conflict(m),
        other => AppError::Conflict(other.to_string()),
    })?;
    Ok(Json(Results {
        method: results.method,
        bids: bids
            .iter()
            .zip(results.bids)
            .map(|(b, result)| ResultBody {
                bid_id: b.id,
                result,
            })
            .collect(),
        warnings: results.warnings,
    }))
}

// `GET /api/v1/tenders/{id}/scores`: the evaluation scores the caller may see.

/// One evaluator's score.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScoreBody {
    /// The bid.
    pub bid_id: Uuid,
    /// The question.
    pub question_id: String,
    /// The evaluator.
    pub evaluator_id: Uuid,
    /// Their name.
    pub evaluator: String,
    /// Score on the tender's scale.
    pub score: f64,
    /// Their rationale.
    pub rationale: String,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// A consensus score.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConsensusBody {
    /// The bid.
    pub bid_id: Uuid,
    /// The question.
    pub question_id: String,
    /// Consensus score.
    pub score: f64,
    /// The moderator's justification.
    pub justification: String,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// The scores the caller may see.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Scores {
    /// Individual scores: the moderator sees all; an evaluator their own and those of moderated
    /// questions; other buyer members those of moderated questions once awarded.
    pub scores: Vec<ScoreBody>,
    /// Consensus scores recorded so far.
    pub consensus: Vec<ConsensusBody>,
}

/// Reads the evaluation scores (buyer members; evaluators cannot see each other's scores
/// before moderation).
#[utoipa::path(get, path = "/api/v1/tenders/{id}/scores", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Scores the caller may see", body = Scores),
        (status = 403, description = "A supplier", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody)))]
pub async fn get_scores(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Scores>, AppError> {
    let access = tender_for(&state, &caller, id).await?;
    access.require_buyer(Role::Viewer)?;
    let consensus = state.store().consensus_of_tender(id).await?;
    let scores = access.visible_scores(state.store().scores_of_tender(id).await?, &consensus);
    Ok(Json(Scores {
        scores: scores
            .into_iter()
            .map(|s| ScoreBody {
                bid_id: s.bid_id,
                question_id: s.question_id,
                evaluator_id: s.evaluator_id,
                evaluator: s.evaluator_name,
                score: s.score.score,
                rationale: s.score.rationale,
                updated_at: s.updated_at,
            })
            .collect(),
        consensus: consensus
            .into_iter()
            .map(|c| ConsensusBody {
                bid_id: c.bid_id,
                question_id: c.question_id,
                score: c.score.score,
                justification: c.score.rationale,
                updated_at: c.updated_at,
            })
            .collect(),
    }))
}

// `POST /api/v1/tenders/{id}/status`: open, close for evaluation, or cancel a tender.

/// The status to move to.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `open` (from draft), `evaluation` (from open: bids close) or `cancelled`.
    pub status: TenderStatus,
}

/// Moves a tender on (buyer editors and admins). Award is `POST .../award`.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/status", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = StatusChange,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Moved", body = TenderBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "That move is not possible from the current status", body = ErrorBody)))]
pub async fn change_status(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<StatusChange>,
) -> Result<Json<TenderBody>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    let tender = state
        .store()
        .set_tender_status(&caller.user.email, id, body.value.status)
        .await?;
    Ok(Json(tender.into()))
}

// `POST /api/v1/tenders/{id}/bid/submit` and `.../bid/withdraw`.

async fn own_bid(
    state: &AppState,
    caller: &crate::platform::auth::Caller,
    id: Uuid,
) -> Result<Uuid, AppError> {
    let supplier = tender_for(state, caller, id)
        .await?
        .require_supplier(Role::Editor)?;
    state
        .store()
        .bid_of(id, supplier)
        .await?
        .map(|b| b.id)
        .ok_or_else(|| {
            AppError::NotFound("your organisation has no bid for this tender yet".into())
        })
}

/// Submits the supplier's draft bid: every question must be answered. It can no longer change
/// unless withdrawn while the tender is open.
#[utoipa::path(post, path = "/api/v1/tenders/{id}/bid/submit", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or no bid yet", body = ErrorBody),
        (status = 409, description = "The tender is not open, or the bid is not a draft", body = ErrorBody),
        (status = 422, description = "A question has no answer yet", body = ErrorBody)))]
pub async fn submit_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<BidBody>, AppError> {
    let bid = own_bid(&state, &caller, id).await?;
    let bid = state.store().submit_bid(&caller.user.email, bid).await?;
    Ok(Json(bid.into()))
}

/// Withdraws a submitted bid while the tender is open (save it again to make it a draft).
#[utoipa::path(post, path = "/api/v1/tenders/{id}/bid/withdraw", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = BidBody),
        (status = 403, description = "The buyer, or a viewer", body = ErrorBody),
        (status = 404, description = "No such tender, or no bid yet", body = ErrorBody),
        (status = 409, description = "The tender is not open, or the bid is not submitted", body = ErrorBody)))]
pub async fn withdraw_bid(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<BidBody>, AppError> {
    let bid = own_bid(&state, &caller, id).await?;
    let bid = state.store().withdraw_bid(&caller.user.email, bid).await?;
    Ok(Json(bid.into()))
}

// `PUT /api/v1/tenders/{id}`: replace a draft tender's settings.

/// Replaces the settings of a draft tender (buyer editors and admins).
#[utoipa::path(put, path = "/api/v1/tenders/{id}", tag = "procurement",
    params(("id" = Uuid, Path, description = "Tender id")),
    request_body = TenderDetails,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = TenderBody),
        (status = 403, description = "Not a buyer editor", body = ErrorBody),
        (status = 404, description = "No such tender, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The tender is no longer a draft", body = ErrorBody),
        (status = 422, description = "A setting is not acceptable; `field` names it", body = ErrorBody)))]
pub async fn update_tender(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<Uuid>,
    body: ApiJson<TenderDetails>,
) -> Result<Json<TenderBody>, AppError> {
    tender_for(&state, &caller, id)
        .await?
        .require_buyer(Role::Editor)?;
    body.value.validate()?;
    let tender = state
        .store()
        .update_tender(&caller.user.email, id, &body.value)
        .await?;
    Ok(Json(tender.into()))
}
