//! Procurement: tenders of a buyer organisation, invited suppliers, the evaluation panel, bids,
//! evaluators' and consensus scores, contracts made at award, delivery claims and their review.
//!
//! The store keeps the life-cycle rules whoever calls (a tender's settings change only in
//! draft, bids only while it is open and only by invited suppliers, scores only during
//! evaluation and only by panel members, award only with every consensus score in, claims
//! reviewed once), so no caller can skip a step. Who may call at all (membership and role) is
//! the web layer's check. Every change is audited with its organisation in the same
//! transaction; a bid's submission and award are audited for both buyer and supplier.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use svatlas_domain::procurement::bid::{BidDetails, BidStatus};
use svatlas_domain::procurement::delivery::{
    ClaimDetails, ClaimStatus, Kpi, Review, check_review, kpis_from_commitments,
};
use svatlas_domain::procurement::evaluation::{
    PanelRole, QuestionScore, ScoredBid, TenderResults, results,
};
use svatlas_domain::procurement::spend::{MAX_SPEND_LINES, SpendLine};
use svatlas_domain::procurement::tender::{TenderDetails, TenderStatus};
use uuid::Uuid;

use crate::BeginWrite;
use crate::audit::{NewAuditEntry, insert_audit};
use crate::projects::{Upload, checked, now, parse_id, to_json};
use crate::write::{audited_write, count_rows, one_row, refused};
use crate::{Store, StoreError, dispatch};

/// Most evidence files on one claim.
pub const MAX_CLAIM_FILES: i64 = 20;
/// Most claims on one contract.
pub const MAX_CLAIMS: i64 = 5_000;
/// Most suppliers invited to one tender.
pub const MAX_INVITATIONS: i64 = 200;

/// A tender as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenderRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The buyer organisation.
    pub organisation_id: Uuid,
    /// Its name, for display.
    pub organisation_name: String,
    /// Where it is in its life.
    pub status: TenderStatus,
    /// Its settings.
    pub details: TenderDetails,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A member of a tender's evaluation panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelMember {
    /// User id.
    pub user_id: Uuid,
    /// E-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Evaluator or moderator.
    pub role: PanelRole,
}

/// An organisation invited to bid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invitation {
    /// The supplier organisation.
    pub organisation_id: Uuid,
    /// Its name.
    pub organisation_name: String,
    /// When invited.
    pub created_at: DateTime<Utc>,
}

/// A bid as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BidRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The tender.
    pub tender_id: Uuid,
    /// The supplier organisation.
    pub organisation_id: Uuid,
    /// Its name (the bidder's name in results).
    pub organisation_name: String,
    /// Draft, submitted or withdrawn.
    pub status: BidStatus,
    /// Its contents.
    pub details: BidDetails,
    /// When it was (last) submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// One evaluator's score of one question of one bid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRecord {
    /// The bid.
    pub bid_id: Uuid,
    /// The question.
    pub question_id: String,
    /// The evaluator.
    pub evaluator_id: Uuid,
    /// Their name.
    pub evaluator_name: String,
    /// Score and rationale.
    pub score: QuestionScore,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// The consensus score of one question of one bid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsensusRecord {
    /// The bid.
    pub bid_id: Uuid,
    /// The question.
    pub question_id: String,
    /// Score and justification.
    pub score: QuestionScore,
    /// Who moderated.
    pub moderator_id: Option<Uuid>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// A contract made at award.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The tender awarded.
    pub tender_id: Uuid,
    /// The winning bid.
    pub bid_id: Uuid,
    /// Buyer organisation.
    pub buyer_organisation_id: Uuid,
    /// Buyer's name.
    pub buyer_name: String,
    /// Supplier organisation.
    pub supplier_organisation_id: Uuid,
    /// Supplier's name.
    pub supplier_name: String,
    /// The tender's title.
    pub title: String,
    /// Its KPIs, from the winning bid's commitments.
    pub kpis: Vec<Kpi>,
    /// When awarded.
    pub created_at: DateTime<Utc>,
}

/// A delivery claim as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The contract.
    pub contract_id: Uuid,
    /// Review state.
    pub status: ClaimStatus,
    /// What the supplier reported.
    pub details: ClaimDetails,
    /// The buyer's note on its last review.
    pub review_note: Option<String>,
    /// Who reviewed it last.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Who reported it.
    pub created_by: Option<String>,
    /// When reported.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A spend line as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The contract.
    pub contract_id: Uuid,
    /// The line.
    pub line: SpendLine,
    /// Who entered it.
    pub created_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An evidence file of a claim (bytes from [`Store::claim_evidence_file`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimEvidence {
    /// Opaque id.
    pub id: Uuid,
    /// The claim.
    pub claim_id: Uuid,
    /// File name as uploaded (cleaned).
    pub file_name: String,
    /// Media type (checked by the caller).
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 hex.
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct TenderRow {
    id: String,
    organisation_id: String,
    organisation_name: String,
    status: String,
    details: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn bad_stored(what: &str, value: &str) -> StoreError {
    StoreError::Invalid(format!("stored {what} {value:?} is not known"))
}

impl TenderRow {
    pub(crate) fn into_record(self) -> Result<TenderRecord, StoreError> {
        Ok(TenderRecord {
            id: parse_id(&self.id)?,
            organisation_id: parse_id(&self.organisation_id)?,
            organisation_name: self.organisation_name,
            status: TenderStatus::parse(&self.status)
                .ok_or_else(|| bad_stored("tender status", &self.status))?,
            details: serde_json::from_str(&self.details)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct BidRow {
    id: String,
    tender_id: String,
    organisation_id: String,
    organisation_name: String,
    status: String,
    details: String,
    submitted_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl BidRow {
    fn into_record(self) -> Result<BidRecord, StoreError> {
        Ok(BidRecord {
            id: parse_id(&self.id)?,
            tender_id: parse_id(&self.tender_id)?,
            organisation_id: parse_id(&self.organisation_id)?,
            organisation_name: self.organisation_name,
            status: BidStatus::parse(&self.status)
                .ok_or_else(|| bad_stored("bid status", &self.status))?,
            details: serde_json::from_str(&self.details)?,
            submitted_at: self.submitted_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ContractRow {
    id: String,
    tender_id: String,
    bid_id: String,
    buyer_organisation_id: String,
    buyer_name: String,
    supplier_organisation_id: String,
    supplier_name: String,
    title: String,
    kpis: String,
    created_at: DateTime<Utc>,
}

impl ContractRow {
    fn into_record(self) -> Result<ContractRecord, StoreError> {
        Ok(ContractRecord {
            id: parse_id(&self.id)?,
            tender_id: parse_id(&self.tender_id)?,
            bid_id: parse_id(&self.bid_id)?,
            buyer_organisation_id: parse_id(&self.buyer_organisation_id)?,
            buyer_name: self.buyer_name,
            supplier_organisation_id: parse_id(&self.supplier_organisation_id)?,
            supplier_name: self.supplier_name,
            title: self.title,
            kpis: serde_json::from_str(&self.kpis)?,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: String,
    contract_id: String,
    status: String,
    details: String,
    review_note: Option<String>,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ClaimRow {
    fn into_record(self) -> Result<ClaimRecord, StoreError> {
        Ok(ClaimRecord {
            id: parse_id(&self.id)?,
            contract_id: parse_id(&self.contract_id)?,
            status: ClaimStatus::parse(&self.status)
                .ok_or_else(|| bad_stored("claim status", &self.status))?,
            details: serde_json::from_str(&self.details)?,
            review_note: self.review_note,
            reviewed_by: self.reviewed_by,
            reviewed_at: self.reviewed_at,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SpendRow {
    id: String,
    contract_id: String,
    data: String,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    bid_id: String,
    question_id: String,
    evaluator_id: String,
    evaluator_name: String,
    score: f64,
    rationale: String,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ConsensusRow {
    bid_id: String,
    question_id: String,
    score: f64,
    justification: String,
    moderator_id: Option<String>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: String,
    claim_id: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    uploaded_by: Option<String>,
    created_at: DateTime<Utc>,
}

impl EvidenceRow {
    fn into_file(self) -> Result<ClaimEvidence, StoreError> {
        Ok(ClaimEvidence {
            id: parse_id(&self.id)?,
            claim_id: parse_id(&self.claim_id)?,
            file_name: self.file_name,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            uploaded_by: self.uploaded_by,
            created_at: self.created_at,
        })
    }
}

pub(crate) const TENDER_SELECT: &str = "SELECT t.id, t.organisation_id, o.name AS organisation_name, \
     t.status, t.details, t.created_at, t.updated_at \
     FROM tenders t JOIN organisations o ON o.id = t.organisation_id";
const BID_SELECT: &str = "SELECT b.id, b.tender_id, b.organisation_id, o.name AS organisation_name, \
     b.status, b.details, b.submitted_at, b.created_at, b.updated_at \
     FROM bids b JOIN organisations o ON o.id = b.organisation_id";
const CONTRACT_SELECT: &str = "SELECT c.id, c.tender_id, c.bid_id, c.buyer_organisation_id, \
     ob.name AS buyer_name, c.supplier_organisation_id, os.name AS supplier_name, c.title, \
     c.kpis, c.created_at FROM contracts c \
     JOIN organisations ob ON ob.id = c.buyer_organisation_id \
     JOIN organisations os ON os.id = c.supplier_organisation_id";
const CLAIM_COLUMNS: &str = "id, contract_id, status, details, review_note, reviewed_by, \
     reviewed_at, created_by, created_at, updated_at";
const EVIDENCE_COLUMNS: &str =
    "id, claim_id, file_name, content_type, size_bytes, sha256, uploaded_by, created_at";

/// Why a tender in `status` does not take bids, scores or changes, in words.
pub(crate) fn status_words(status: TenderStatus) -> &'static str {
    match status {
        TenderStatus::Draft => "the tender is still a draft",
        TenderStatus::Open => "the tender is open for bids",
        TenderStatus::Evaluation => "the tender is closed and being evaluated",
        TenderStatus::Awarded => "the tender has been awarded",
        TenderStatus::Cancelled => "the tender was cancelled",
    }
}

impl Store {
    // ---- Tenders ----

    /// Creates a draft tender for a buyer organisation.
    pub async fn create_tender(
        &self,
        actor: &str,
        organisation_id: Uuid,
        created_by: Option<Uuid>,
        details: &TenderDetails,
    ) -> Result<TenderRecord, StoreError> {
        checked(details.validate())?;
        let at = now();
        let id = Uuid::new_v4();
        let (text, after) = to_json(details)?;
        let id_text = id.to_string();
        let org = organisation_id.to_string();
        let created_by = created_by.map(|u| u.to_string());
        audited_write!(self, at, |tx| {
            sqlx::query(
                "INSERT INTO tenders (id, organisation_id, title, status, details, created_by, \
                 created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7)",
            )
            .bind(&id_text)
            .bind(&org)
            .bind(&details.title)
            .bind(&text)
            .bind(&created_by)
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "tender", entity_id: &id_text,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }]);
        self.tender(id).await
    }

    /// A tender by id (the caller checks who may see it).
    pub async fn tender(&self, id: Uuid) -> Result<TenderRecord, StoreError> {
        let sql = format!("{TENDER_SELECT} WHERE t.id = $1");
        let id = id.to_string();
        let row: TenderRow = self.row_by(&sql, &id).await?;
        row.into_record()
    }

    /// Tenders by id in one query; an id not found is left out.
    pub async fn tenders_by_id(
        &self,
        ids: &[Uuid],
    ) -> Result<HashMap<Uuid, TenderRecord>, StoreError> {
        let sql = format!("{TENDER_SELECT} WHERE {{ids}}");
        let rows: Vec<TenderRow> = self.rows_with_ids(&sql, "t.id", ids).await?;
        rows.into_iter()
            .map(|row| row.into_record().map(|t| (t.id, t)))
            .collect()
    }

    /// Tenders of these buyer organisations, newest change first.
    pub async fn tenders_of(
        &self,
        organisations: &[Uuid],
    ) -> Result<Vec<TenderRecord>, StoreError> {
        let sql = format!("{TENDER_SELECT} WHERE t.organisation_id = $1");
        let rows: Vec<TenderRow> = self.rows_for_each(&sql, organisations).await?;
        let mut out = rows
            .into_iter()
            .map(TenderRow::into_record)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by_key(|t| std::cmp::Reverse(t.updated_at));
        Ok(out)
    }

    /// Tenders these organisations are invited to and can see (not drafts), newest first.
    pub async fn tenders_invited(
        &self,
        organisations: &[Uuid],
    ) -> Result<Vec<TenderRecord>, StoreError> {
        let sql = format!(
            "{TENDER_SELECT} JOIN tender_invitations i ON i.tender_id = t.id \
             WHERE i.organisation_id = $1 AND t.status <> 'draft'"
        );
        let rows: Vec<TenderRow> = self.rows_for_each(&sql, organisations).await?;
        let mut out = Vec::new();
        for row in rows {
            push_new(&mut out, row.into_record()?, |t| t.id);
        }
        out.sort_by_key(|t| std::cmp::Reverse(t.updated_at));
        Ok(out)
    }

    /// Replaces a draft tender's settings.
    pub async fn update_tender(
        &self,
        actor: &str,
        id: Uuid,
        details: &TenderDetails,
    ) -> Result<TenderRecord, StoreError> {
        checked(details.validate())?;
        let before = self.tender(id).await?;
        if !before.status.editable() {
            return Err(refused(format!(
                "a tender's settings change only while it is a draft; {}",
                status_words(before.status)
            )));
        }
        let at = now();
        let (text, after) = to_json(details)?;
        let before_json = serde_json::to_value(&before.details)?;
        let id_text = id.to_string();
        let org = before.organisation_id.to_string();
        audited_write!(self, at, |tx| {
            let changed = sqlx::query("UPDATE tenders SET title = $1, details = $2, updated_at = $3 WHERE id = $4 AND status = 'draft'")
                .bind(&details.title)
                .bind(&text)
                .bind(at)
                .bind(&id_text)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed != 1 {
                return Err(refused("the tender was opened meanwhile: its settings can no longer change"));
            }
        } audit [NewAuditEntry {
            actor, action: "update", entity: "tender", entity_id: &id_text,
            before: Some(&before_json), after: Some(&after), organisation_id: Some(&org),
        }]);
        self.tender(id).await
    }

    /// Moves a tender on: open it for bids, close it for evaluation, or cancel it. Award goes
    /// through [`Store::award_tender`].
    pub async fn set_tender_status(
        &self,
        actor: &str,
        id: Uuid,
        next: TenderStatus,
    ) -> Result<TenderRecord, StoreError> {
        let before = self.tender(id).await?;
        if next == TenderStatus::Awarded {
            return Err(refused("a tender is awarded by choosing the winning bid"));
        }
        if !before.status.can_become(next) {
            return Err(refused(format!(
                "a tender cannot go from {} to {}",
                before.status.label().to_lowercase(),
                next.label().to_lowercase()
            )));
        }
        let at = now();
        let id_text = id.to_string();
        let org = before.organisation_id.to_string();
        let before_json = json!({"status": before.status});
        let after_json = json!({"status": next});
        audited_write!(self, at, |tx| {
            let changed = sqlx::query("UPDATE tenders SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
                .bind(next.id())
                .bind(at)
                .bind(&id_text)
                .bind(before.status.id())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            one_row(changed, "tender")?;
        } audit [NewAuditEntry {
            actor, action: "status", entity: "tender", entity_id: &id_text,
            before: Some(&before_json), after: Some(&after_json), organisation_id: Some(&org),
        }]);
        self.tender(id).await
    }

    /// Invites a supplier organisation to bid (not the buyer itself; not once awarded or
    /// cancelled). Inviting again is harmless.
    pub async fn invite_supplier(
        &self,
        actor: &str,
        tender_id: Uuid,
        supplier: Uuid,
    ) -> Result<(), StoreError> {
        let tender = self.tender(tender_id).await?;
        if supplier == tender.organisation_id {
            return Err(refused("the buyer cannot bid for its own tender"));
        }
        // Once bids close, a new supplier could only read the tender, never bid.
        if !matches!(tender.status, TenderStatus::Draft | TenderStatus::Open) {
            return Err(refused(format!(
                "suppliers can no longer be invited: {}",
                status_words(tender.status)
            )));
        }
        let supplier_org = self.organisation_by_id(supplier).await?;
        let at = now();
        let tender_text = tender_id.to_string();
        let supplier_text = supplier.to_string();
        let org = tender.organisation_id.to_string();
        let after = json!({"organisation_id": supplier_text, "organisation": supplier_org.name});
        audited_write!(self, at, |tx| {
            let (already, count): (i64, i64) = sqlx::query_as(
                "SELECT CAST((SELECT COUNT(*) FROM tender_invitations WHERE tender_id = $1 AND organisation_id = $2) AS BIGINT), \
                 CAST((SELECT COUNT(*) FROM tender_invitations WHERE tender_id = $1) AS BIGINT)",
            )
            .bind(&tender_text)
            .bind(&supplier_text)
            .fetch_one(&mut *tx)
            .await?;
            if already > 0 {
                return Ok(());
            }
            if count >= MAX_INVITATIONS {
                return Err(refused(format!("a tender can invite at most {MAX_INVITATIONS} suppliers")));
            }
            sqlx::query("INSERT INTO tender_invitations (tender_id, organisation_id, created_at) VALUES ($1, $2, $3)")
                .bind(&tender_text)
                .bind(&supplier_text)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        } audit [NewAuditEntry {
            actor, action: "invite", entity: "tender", entity_id: &tender_text,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }, NewAuditEntry {
            // The supplier's own log names only the buyer: a draft's title is the buyer's
            // until the tender opens.
            actor, action: "invited", entity: "tender", entity_id: &tender_text,
            before: None, after: Some(&json!({"buyer": tender.organisation_name})),
            organisation_id: Some(&supplier_text),
        }]);
        Ok(())
    }

    /// The suppliers invited to a tender, by name.
    pub async fn invitations(&self, tender_id: Uuid) -> Result<Vec<Invitation>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            organisation_id: String,
            name: String,
            created_at: DateTime<Utc>,
        }
        let id = tender_id.to_string();
        let rows: Vec<Row> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT i.organisation_id, o.name, i.created_at FROM tender_invitations i \
                 JOIN organisations o ON o.id = i.organisation_id WHERE i.tender_id = $1 ORDER BY o.name",
            )
            .bind(&id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(Invitation {
                    organisation_id: parse_id(&r.organisation_id)?,
                    organisation_name: r.name,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// Whether an organisation is invited to a tender.
    pub async fn is_invited(
        &self,
        tender_id: Uuid,
        organisation: Uuid,
    ) -> Result<bool, StoreError> {
        let t = tender_id.to_string();
        let o = organisation.to_string();
        let n: i64 = dispatch!(self, pool => {
            count_rows!(pool,
                "tender_invitations WHERE tender_id = $1 AND organisation_id = $2", &t, &o)
        });
        Ok(n > 0)
    }

    /// Puts a member of the buyer organisation on the tender's panel (or takes them off with
    /// `add = false`). Panels change until the tender is awarded.
    pub async fn set_panel_member(
        &self,
        actor: &str,
        tender_id: Uuid,
        user_id: Uuid,
        role: PanelRole,
        add: bool,
    ) -> Result<(), StoreError> {
        let tender = self.tender(tender_id).await?;
        if matches!(
            tender.status,
            TenderStatus::Awarded | TenderStatus::Cancelled
        ) {
            return Err(refused(format!(
                "the panel can no longer change: {}",
                status_words(tender.status)
            )));
        }
        let member = self
            .members_of(tender.organisation_id)
            .await?
            .into_iter()
            .any(|m| m.user_id == user_id);
        if !member {
            return Err(StoreError::Invalid(
                "only members of the buyer organisation can sit on its evaluation panel".into(),
            ));
        }
        let at = now();
        let tender_text = tender_id.to_string();
        let user_text = user_id.to_string();
        let org = tender.organisation_id.to_string();
        let change = json!({"user_id": user_text, "role": role});
        audited_write!(self, at, |tx| {
            if add {
                let n = count_rows!(&mut *tx,
                    "tender_panel WHERE tender_id = $1 AND user_id = $2 AND role = $3",
                    &tender_text, &user_text, role.id());
                if n > 0 {
                    return Ok(());
                }
                sqlx::query("INSERT INTO tender_panel (tender_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(&tender_text).bind(&user_text).bind(role.id()).bind(at)
                    .execute(&mut *tx).await?;
            } else {
                let gone = sqlx::query("DELETE FROM tender_panel WHERE tender_id = $1 AND user_id = $2 AND role = $3")
                    .bind(&tender_text).bind(&user_text).bind(role.id())
                    .execute(&mut *tx).await?.rows_affected();
                if gone == 0 {
                    return Err(StoreError::NotFound);
                }
            }
        } audit [NewAuditEntry {
            actor, action: if add { "panel_add" } else { "panel_remove" }, entity: "tender",
            entity_id: &tender_text, before: (!add).then_some(&change),
            after: add.then_some(&change), organisation_id: Some(&org),
        }]);
        Ok(())
    }

    /// The tender's panel, moderators first, then by name.
    pub async fn panel(&self, tender_id: Uuid) -> Result<Vec<PanelMember>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            user_id: String,
            email: String,
            name: String,
            role: String,
        }
        let id = tender_id.to_string();
        let rows: Vec<Row> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT p.user_id, u.email, u.name, p.role FROM tender_panel p \
                 JOIN users u ON u.id = p.user_id WHERE p.tender_id = $1 \
                 ORDER BY CASE p.role WHEN 'moderator' THEN 0 ELSE 1 END, u.name, u.email",
            )
            .bind(&id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(PanelMember {
                    user_id: parse_id(&r.user_id)?,
                    email: r.email,
                    name: r.name,
                    role: PanelRole::parse(&r.role)
                        .ok_or_else(|| bad_stored("panel role", &r.role))?,
                })
            })
            .collect()
    }

    async fn on_panel(
        &self,
        tender_id: Uuid,
        user_id: Uuid,
        role: PanelRole,
    ) -> Result<bool, StoreError> {
        Ok(self
            .panel(tender_id)
            .await?
            .iter()
            .any(|m| m.user_id == user_id && m.role == role))
    }

    // ---- Bids ----

    /// Saves a supplier's draft bid (creating it the first time; a withdrawn bid becomes a
    /// draft again). Only while the tender is open, and only by an invited supplier.
    pub async fn save_bid(
        &self,
        actor: &str,
        tender_id: Uuid,
        supplier: Uuid,
        details: &BidDetails,
    ) -> Result<BidRecord, StoreError> {
        let tender = self.tender(tender_id).await?;
        if tender.status != TenderStatus::Open {
            return Err(refused(format!(
                "bids can be written only while the tender is open; {}",
                status_words(tender.status)
            )));
        }
        if !self.is_invited(tender_id, supplier).await? {
            return Err(StoreError::NotFound);
        }
        let details = details.clone().normalised(&tender.details);
        checked(details.validate(&tender.details, false))?;
        let existing = self.bid_of(tender_id, supplier).await?;
        if let Some(b) = &existing
            && b.status == BidStatus::Submitted
        {
            return Err(refused(
                "this bid has been submitted; withdraw it first to change it",
            ));
        }
        let at = now();
        let (text, after) = to_json(&details)?;
        let id = existing.as_ref().map_or_else(Uuid::new_v4, |b| b.id);
        let id_text = id.to_string();
        let tender_text = tender_id.to_string();
        let supplier_text = supplier.to_string();
        let before = existing
            .as_ref()
            .map(|b| serde_json::to_value(&b.details))
            .transpose()?;
        audited_write!(self, at, |tx| {
            if existing.is_some() {
                let changed = sqlx::query(
                    "UPDATE bids SET details = $1, status = 'draft', updated_at = $2 WHERE id = $3 AND status <> 'submitted' \
                     AND EXISTS (SELECT 1 FROM tenders t WHERE t.id = bids.tender_id AND t.status = 'open')",
                )
                .bind(&text).bind(at).bind(&id_text)
                .execute(&mut *tx).await?
                .rows_affected();
                one_row(changed, "bid or tender")?;
            } else {
                sqlx::query(
                    "INSERT INTO bids (id, tender_id, organisation_id, status, details, submitted_at, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'draft', $4, NULL, $5, $6)",
                )
                .bind(&id_text).bind(&tender_text).bind(&supplier_text).bind(&text).bind(at).bind(at)
                .execute(&mut *tx).await?;
            }
        } audit [NewAuditEntry {
            actor, action: if existing.is_some() { "update" } else { "create" }, entity: "bid",
            entity_id: &id_text, before: before.as_ref(), after: Some(&after),
            organisation_id: Some(&supplier_text),
        }]);
        self.bid(id).await
    }

    /// Submits a draft bid: it must answer every question. Audited for supplier and buyer.
    pub async fn submit_bid(&self, actor: &str, bid_id: Uuid) -> Result<BidRecord, StoreError> {
        self.move_bid(actor, bid_id, BidStatus::Submitted).await
    }

    /// Withdraws a submitted bid while the tender is still open.
    pub async fn withdraw_bid(&self, actor: &str, bid_id: Uuid) -> Result<BidRecord, StoreError> {
        self.move_bid(actor, bid_id, BidStatus::Withdrawn).await
    }

    async fn move_bid(
        &self,
        actor: &str,
        bid_id: Uuid,
        next: BidStatus,
    ) -> Result<BidRecord, StoreError> {
        let bid = self.bid(bid_id).await?;
        let tender = self.tender(bid.tender_id).await?;
        if tender.status != TenderStatus::Open {
            return Err(refused(format!(
                "bids can be {} only while the tender is open; {}",
                if next == BidStatus::Submitted {
                    "submitted"
                } else {
                    "withdrawn"
                },
                status_words(tender.status)
            )));
        }
        let from = match next {
            BidStatus::Submitted => {
                if bid.status != BidStatus::Draft {
                    return Err(refused("only a draft bid can be submitted"));
                }
                checked(bid.details.validate(&tender.details, true))?;
                BidStatus::Draft
            }
            BidStatus::Withdrawn => {
                if bid.status != BidStatus::Submitted {
                    return Err(refused("only a submitted bid can be withdrawn"));
                }
                BidStatus::Submitted
            }
            BidStatus::Draft => return Err(refused("save the bid to make it a draft again")),
        };
        let at = now();
        let id_text = bid_id.to_string();
        let supplier = bid.organisation_id.to_string();
        let buyer = tender.organisation_id.to_string();
        let change = json!({"status": next, "tender_id": tender.id, "supplier": bid.organisation_name,
            "price_gbp": bid.details.price_gbp});
        let before = json!({"status": from});
        let submitted_at = (next == BidStatus::Submitted).then_some(at);
        audited_write!(self, at, |tx| {
            let changed = sqlx::query("UPDATE bids SET status = $1, submitted_at = COALESCE($2, submitted_at), updated_at = $3 WHERE id = $4 AND status = $5")
                .bind(next.id()).bind(submitted_at).bind(at).bind(&id_text).bind(from.id())
                .execute(&mut *tx).await?.rows_affected();
            one_row(changed, "bid")?;
        } audit NewAuditEntry {
            actor, action: next.id(), entity: "bid", entity_id: &id_text,
            before: Some(&before), after: Some(&change), organisation_id: Some(&supplier),
        }.also_for(&buyer));
        self.bid(bid_id).await
    }

    /// A bid by id.
    pub async fn bid(&self, id: Uuid) -> Result<BidRecord, StoreError> {
        let sql = format!("{BID_SELECT} WHERE b.id = $1");
        let id = id.to_string();
        let row: BidRow = self.row_by(&sql, &id).await?;
        row.into_record()
    }

    /// A supplier's bid for a tender, if it has one.
    pub async fn bid_of(
        &self,
        tender_id: Uuid,
        supplier: Uuid,
    ) -> Result<Option<BidRecord>, StoreError> {
        let sql = format!("{BID_SELECT} WHERE b.tender_id = $1 AND b.organisation_id = $2");
        let t = tender_id.to_string();
        let o = supplier.to_string();
        let row: Option<BidRow> = dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&t).bind(&o).fetch_optional(pool).await?
        });
        row.map(BidRow::into_record).transpose()
    }

    /// A tender's bids in a given state (submitted ones for the buyer), by supplier name.
    pub async fn bids_of_tender(
        &self,
        tender_id: Uuid,
        status: BidStatus,
    ) -> Result<Vec<BidRecord>, StoreError> {
        let sql = format!("{BID_SELECT} WHERE b.tender_id = $1 AND b.status = $2 ORDER BY o.name");
        let t = tender_id.to_string();
        let rows: Vec<BidRow> = dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&t).bind(status.id()).fetch_all(pool).await?
        });
        rows.into_iter().map(BidRow::into_record).collect()
    }

    // ---- Evaluation ----

    /// The submitted bid `bid_id` of this tender during evaluation, or why not.
    async fn bid_in_evaluation(
        &self,
        bid_id: Uuid,
    ) -> Result<(TenderRecord, BidRecord), StoreError> {
        let bid = self.bid(bid_id).await?;
        let tender = self.tender(bid.tender_id).await?;
        if bid.status != BidStatus::Submitted {
            return Err(StoreError::NotFound);
        }
        if tender.status != TenderStatus::Evaluation {
            return Err(refused(format!(
                "bids are scored only once the tender is closed for evaluation; {}",
                status_words(tender.status)
            )));
        }
        Ok((tender, bid))
    }

    /// Records (or changes) an evaluator's score of one question of a bid. Refused once the
    /// consensus of that question is in.
    pub async fn record_score(
        &self,
        actor: &str,
        bid_id: Uuid,
        question_id: &str,
        evaluator: Uuid,
        score: &QuestionScore,
    ) -> Result<(), StoreError> {
        let (tender, _) = self.bid_in_evaluation(bid_id).await?;
        if tender.details.question(question_id).is_none() {
            return Err(StoreError::NotFound);
        }
        if !self
            .on_panel(tender.id, evaluator, PanelRole::Evaluator)
            .await?
        {
            return Err(refused("only the tender's evaluators score bids"));
        }
        checked(score.validate(&tender.details))?;
        let at = now();
        let bid_text = bid_id.to_string();
        let user_text = evaluator.to_string();
        let org = tender.organisation_id.to_string();
        let entity_id = format!("{bid_text}/{question_id}");
        let after = json!({"bid_id": bid_text, "question_id": question_id, "evaluator_id": user_text,
            "score": score.score, "rationale": score.rationale});
        audited_write!(self, at, |tx| {
            let moderated = count_rows!(&mut *tx,
                "bid_consensus WHERE bid_id = $1 AND question_id = $2", &bid_text, question_id);
            if moderated > 0 {
                return Err(refused(format!("question {question_id} of this bid is moderated already; individual scores are closed")));
            }
            let before: Option<(f64, String)> = sqlx::query_as("SELECT score, rationale FROM bid_scores WHERE bid_id = $1 AND question_id = $2 AND evaluator_id = $3")
                .bind(&bid_text).bind(question_id).bind(&user_text).fetch_optional(&mut *tx).await?;
            if before.is_some() {
                sqlx::query("UPDATE bid_scores SET score = $1, rationale = $2, updated_at = $3 WHERE bid_id = $4 AND question_id = $5 AND evaluator_id = $6")
                    .bind(score.score).bind(&score.rationale).bind(at).bind(&bid_text).bind(question_id).bind(&user_text)
                    .execute(&mut *tx).await?;
            } else {
                sqlx::query("INSERT INTO bid_scores (bid_id, question_id, evaluator_id, score, rationale, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&bid_text).bind(question_id).bind(&user_text).bind(score.score).bind(&score.rationale).bind(at)
                    .execute(&mut *tx).await?;
            }
            let before_json = before.map(|(s, r)| json!({"score": s, "rationale": r}));
        } audit [NewAuditEntry {
            actor, action: "score", entity: "bid_question", entity_id: &entity_id,
            before: before_json.as_ref(), after: Some(&after), organisation_id: Some(&org),
        }]);
        Ok(())
    }

    /// Every evaluator's scores of a tender's bids.
    pub async fn scores_of_tender(&self, tender_id: Uuid) -> Result<Vec<ScoreRecord>, StoreError> {
        let t = tender_id.to_string();
        let rows: Vec<ScoreRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT s.bid_id, s.question_id, s.evaluator_id, u.name AS evaluator_name, s.score, s.rationale, s.updated_at \
                 FROM bid_scores s JOIN bids b ON b.id = s.bid_id JOIN users u ON u.id = s.evaluator_id \
                 WHERE b.tender_id = $1 ORDER BY s.bid_id, s.question_id, u.name",
            )
            .bind(&t)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(ScoreRecord {
                    bid_id: parse_id(&r.bid_id)?,
                    question_id: r.question_id,
                    evaluator_id: parse_id(&r.evaluator_id)?,
                    evaluator_name: r.evaluator_name,
                    score: QuestionScore {
                        score: r.score,
                        rationale: r.rationale,
                    },
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// Records (or changes) the moderated consensus of one question of a bid. Needs at least
    /// one evaluator's score of it.
    pub async fn record_consensus(
        &self,
        actor: &str,
        bid_id: Uuid,
        question_id: &str,
        moderator: Uuid,
        score: &QuestionScore,
    ) -> Result<(), StoreError> {
        let (tender, _) = self.bid_in_evaluation(bid_id).await?;
        if tender.details.question(question_id).is_none() {
            return Err(StoreError::NotFound);
        }
        if !self
            .on_panel(tender.id, moderator, PanelRole::Moderator)
            .await?
        {
            return Err(refused(
                "only the tender's moderator records consensus scores",
            ));
        }
        checked(score.validate(&tender.details))?;
        let at = now();
        let bid_text = bid_id.to_string();
        let user_text = moderator.to_string();
        let org = tender.organisation_id.to_string();
        let entity_id = format!("{bid_text}/{question_id}");
        let after = json!({"bid_id": bid_text, "question_id": question_id, "moderator_id": user_text,
            "consensus": score.score, "justification": score.rationale});
        audited_write!(self, at, |tx| {
            let scored = count_rows!(&mut *tx,
                "bid_scores WHERE bid_id = $1 AND question_id = $2", &bid_text, question_id);
            if scored == 0 {
                return Err(refused(format!("no evaluator has scored question {question_id} of this bid yet")));
            }
            let before: Option<(f64, String)> = sqlx::query_as("SELECT score, justification FROM bid_consensus WHERE bid_id = $1 AND question_id = $2")
                .bind(&bid_text).bind(question_id).fetch_optional(&mut *tx).await?;
            if before.is_some() {
                sqlx::query("UPDATE bid_consensus SET score = $1, justification = $2, moderator_id = $3, updated_at = $4 WHERE bid_id = $5 AND question_id = $6")
                    .bind(score.score).bind(&score.rationale).bind(&user_text).bind(at).bind(&bid_text).bind(question_id)
                    .execute(&mut *tx).await?;
            } else {
                sqlx::query("INSERT INTO bid_consensus (bid_id, question_id, score, justification, moderator_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&bid_text).bind(question_id).bind(score.score).bind(&score.rationale).bind(&user_text).bind(at)
                    .execute(&mut *tx).await?;
            }
            let before_json = before.map(|(s, r)| json!({"consensus": s, "justification": r}));
        } audit [NewAuditEntry {
            actor, action: "moderate", entity: "bid_question", entity_id: &entity_id,
            before: before_json.as_ref(), after: Some(&after), organisation_id: Some(&org),
        }]);
        Ok(())
    }

    /// The consensus scores of a tender's bids.
    pub async fn consensus_of_tender(
        &self,
        tender_id: Uuid,
    ) -> Result<Vec<ConsensusRecord>, StoreError> {
        let t = tender_id.to_string();
        let rows: Vec<ConsensusRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT c.bid_id, c.question_id, c.score, c.justification, c.moderator_id, c.updated_at \
                 FROM bid_consensus c JOIN bids b ON b.id = c.bid_id WHERE b.tender_id = $1 \
                 ORDER BY c.bid_id, c.question_id",
            )
            .bind(&t)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(ConsensusRecord {
                    bid_id: parse_id(&r.bid_id)?,
                    question_id: r.question_id,
                    score: QuestionScore {
                        score: r.score,
                        rationale: r.justification,
                    },
                    moderator_id: r.moderator_id.as_deref().map(parse_id).transpose()?,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// The ranked results of a tender's submitted bids from their consensus scores, with the
    /// bids in the same order as the results.
    pub async fn tender_results(
        &self,
        tender_id: Uuid,
    ) -> Result<
        (
            Vec<BidRecord>,
            Result<TenderResults, svatlas_domain::procurement::evaluation::ResultsError>,
        ),
        StoreError,
    > {
        let tender = self.tender(tender_id).await?;
        let bids = self.bids_of_tender(tender_id, BidStatus::Submitted).await?;
        let consensus = self.consensus_of_tender(tender_id).await?;
        let scored: Vec<ScoredBid> = bids
            .iter()
            .map(|b| ScoredBid {
                name: b.organisation_name.clone(),
                price_gbp: b.details.price_gbp,
                consensus: consensus
                    .iter()
                    .filter(|c| c.bid_id == b.id)
                    .map(|c| (c.question_id.clone(), c.score.score))
                    .collect::<BTreeMap<_, _>>(),
            })
            .collect();
        let r = results(&tender.details, &scored);
        Ok((bids, r))
    }

    /// Awards the tender to one submitted bid: every consensus score must be in. The bid's
    /// commitments become the contract's KPIs. Audited for buyer and supplier.
    pub async fn award_tender(
        &self,
        actor: &str,
        tender_id: Uuid,
        bid_id: Uuid,
    ) -> Result<ContractRecord, StoreError> {
        let tender = self.tender(tender_id).await?;
        if tender.status != TenderStatus::Evaluation {
            return Err(refused(format!(
                "a tender is awarded after evaluation; {}",
                status_words(tender.status)
            )));
        }
        let (bids, results) = self.tender_results(tender_id).await?;
        let bid = bids
            .iter()
            .find(|b| b.id == bid_id)
            .ok_or(StoreError::NotFound)?;
        results.map_err(|e| refused(format!("the tender cannot be awarded yet: {e}")))?;
        let kpis = kpis_from_commitments(tender.details.edition, &bid.details.commitments);
        let (kpi_text, kpi_json) = to_json(&kpis)?;
        let at = now();
        let id = Uuid::new_v4();
        let id_text = id.to_string();
        let tender_text = tender_id.to_string();
        let bid_text = bid_id.to_string();
        let buyer = tender.organisation_id.to_string();
        let supplier = bid.organisation_id.to_string();
        let after = json!({"contract_id": id_text, "bid_id": bid_text, "supplier": bid.organisation_name, "kpis": kpi_json});
        audited_write!(self, at, |tx| {
            let changed = sqlx::query("UPDATE tenders SET status = 'awarded', updated_at = $1 WHERE id = $2 AND status = 'evaluation'")
                .bind(at).bind(&tender_text).execute(&mut *tx).await?.rows_affected();
            one_row(changed, "tender")?;
            sqlx::query(
                "INSERT INTO contracts (id, tender_id, bid_id, buyer_organisation_id, supplier_organisation_id, title, kpis, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id_text).bind(&tender_text).bind(&bid_text).bind(&buyer).bind(&supplier)
            .bind(&tender.details.title).bind(&kpi_text).bind(at)
            .execute(&mut *tx).await?;
        } audit NewAuditEntry {
            actor, action: "award", entity: "tender", entity_id: &tender_text,
            before: Some(&json!({"status": "evaluation"})), after: Some(&after),
            organisation_id: Some(&buyer),
        }.also_for(&supplier));
        self.contract(id).await
    }

    // ---- Contracts and delivery ----

    /// A contract by id.
    pub async fn contract(&self, id: Uuid) -> Result<ContractRecord, StoreError> {
        let sql = format!("{CONTRACT_SELECT} WHERE c.id = $1");
        let id = id.to_string();
        let row: ContractRow = self.row_by(&sql, &id).await?;
        row.into_record()
    }

    /// The contract made from a tender, if awarded.
    pub async fn contract_of_tender(
        &self,
        tender_id: Uuid,
    ) -> Result<Option<ContractRecord>, StoreError> {
        let sql = format!("{CONTRACT_SELECT} WHERE c.tender_id = $1");
        let id = tender_id.to_string();
        let row: Option<ContractRow> = self.maybe_row_by(&sql, &id).await?;
        row.map(ContractRow::into_record).transpose()
    }

    /// Contracts where these organisations are buyer or supplier, newest first.
    pub async fn contracts_of(
        &self,
        organisations: &[Uuid],
    ) -> Result<Vec<ContractRecord>, StoreError> {
        let sql = format!(
            "{CONTRACT_SELECT} WHERE c.buyer_organisation_id = $1 OR c.supplier_organisation_id = $1"
        );
        let rows: Vec<ContractRow> = self.rows_for_each(&sql, organisations).await?;
        let mut out = Vec::new();
        for row in rows {
            push_new(&mut out, row.into_record()?, |c| c.id);
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        Ok(out)
    }

    /// The supplier reports delivery against one KPI.
    pub async fn add_claim(
        &self,
        actor: &str,
        contract_id: Uuid,
        details: &ClaimDetails,
    ) -> Result<ClaimRecord, StoreError> {
        let contract = self.contract(contract_id).await?;
        checked(details.validate(&contract.kpis))?;
        let at = now();
        let id = Uuid::new_v4();
        let (text, after) = to_json(details)?;
        let id_text = id.to_string();
        let contract_text = contract_id.to_string();
        let supplier = contract.supplier_organisation_id.to_string();
        let reference = beneficiary_reference(details);
        audited_write!(self, at, |tx| {
            let n = count_rows!(&mut *tx, "delivery_claims WHERE contract_id = $1", &contract_text);
            if n >= MAX_CLAIMS {
                return Err(refused(format!("a contract can hold at most {MAX_CLAIMS} claims")));
            }
            sqlx::query(
                "INSERT INTO delivery_claims (id, contract_id, kpi_id, status, details, beneficiary_ref, \
                 review_note, reviewed_by, reviewed_at, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'reported', $4, $5, NULL, NULL, NULL, $6, $7, $8)",
            )
            .bind(&id_text).bind(&contract_text).bind(&details.kpi_id).bind(&text).bind(&reference)
            .bind(actor).bind(at).bind(at)
            .execute(&mut *tx).await?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "delivery_claim", entity_id: &id_text,
            before: None, after: Some(&after), organisation_id: Some(&supplier),
        }]);
        self.claim(contract_id, id).await
    }

    /// The supplier amends a claim awaiting review or queried; it goes back to awaiting review.
    pub async fn amend_claim(
        &self,
        actor: &str,
        contract_id: Uuid,
        claim_id: Uuid,
        details: &ClaimDetails,
    ) -> Result<ClaimRecord, StoreError> {
        let contract = self.contract(contract_id).await?;
        let before = self.claim(contract_id, claim_id).await?;
        if !before.status.amendable() {
            return Err(refused(format!(
                "a {} claim can no longer change",
                before.status.label().to_lowercase()
            )));
        }
        checked(details.validate(&contract.kpis))?;
        let at = now();
        let (text, after) = to_json(details)?;
        let before_json = json!({"status": before.status, "details": before.details});
        let id_text = claim_id.to_string();
        let supplier = contract.supplier_organisation_id.to_string();
        let reference = beneficiary_reference(details);
        audited_write!(self, at, |tx| {
            let changed = sqlx::query(
                "UPDATE delivery_claims SET kpi_id = $1, details = $2, beneficiary_ref = $3, status = 'reported', updated_at = $4 \
                 WHERE id = $5 AND status IN ('reported', 'queried')",
            )
            .bind(&details.kpi_id).bind(&text).bind(&reference).bind(at).bind(&id_text)
            .execute(&mut *tx).await?.rows_affected();
            one_row(changed, "claim")?;
        } audit [NewAuditEntry {
            actor, action: "update", entity: "delivery_claim", entity_id: &id_text,
            before: Some(&before_json), after: Some(&after), organisation_id: Some(&supplier),
        }]);
        self.claim(contract_id, claim_id).await
    }

    /// The buyer verifies, queries or rejects a claim awaiting review (or queried).
    pub async fn review_claim(
        &self,
        actor: &str,
        contract_id: Uuid,
        claim_id: Uuid,
        review: Review,
        note: &str,
    ) -> Result<ClaimRecord, StoreError> {
        let contract = self.contract(contract_id).await?;
        let before = self.claim(contract_id, claim_id).await?;
        if !before.status.reviewable() {
            return Err(refused(format!(
                "this claim is {} already",
                before.status.label().to_lowercase()
            )));
        }
        checked(check_review(review, note))?;
        let next = review.status();
        let at = now();
        let id_text = claim_id.to_string();
        let buyer = contract.buyer_organisation_id.to_string();
        let supplier = contract.supplier_organisation_id.to_string();
        let note = note.trim();
        let stored_note = (!note.is_empty()).then_some(note);
        let before_json = json!({"status": before.status});
        let after_json = json!({"status": next, "note": note, "kpi_id": before.details.kpi_id,
            "quantity": before.details.quantity});
        audited_write!(self, at, |tx| {
            let changed = sqlx::query(
                "UPDATE delivery_claims SET status = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4, updated_at = $5 \
                 WHERE id = $6 AND status = $7",
            )
            .bind(next.id()).bind(stored_note).bind(actor).bind(at).bind(at).bind(&id_text).bind(before.status.id())
            .execute(&mut *tx).await?.rows_affected();
            one_row(changed, "claim")?;
        } audit NewAuditEntry {
            actor, action: "review", entity: "delivery_claim", entity_id: &id_text,
            before: Some(&before_json), after: Some(&after_json), organisation_id: Some(&buyer),
        }.also_for(&supplier));
        self.claim(contract_id, claim_id).await
    }

    /// One claim; [`StoreError::NotFound`] unless it belongs to the contract.
    pub async fn claim(
        &self,
        contract_id: Uuid,
        claim_id: Uuid,
    ) -> Result<ClaimRecord, StoreError> {
        let sql = format!(
            "SELECT {CLAIM_COLUMNS} FROM delivery_claims WHERE id = $1 AND contract_id = $2"
        );
        let c = contract_id.to_string();
        let id = claim_id.to_string();
        let row: ClaimRow = dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&id).bind(&c).fetch_one(pool).await?
        });
        row.into_record()
    }

    /// A contract's claims, oldest first.
    pub async fn claims_of_contract(
        &self,
        contract_id: Uuid,
    ) -> Result<Vec<ClaimRecord>, StoreError> {
        let sql = format!(
            "SELECT {CLAIM_COLUMNS} FROM delivery_claims WHERE contract_id = $1 ORDER BY created_at, id"
        );
        let c = contract_id.to_string();
        let rows: Vec<ClaimRow> = self.rows_by(&sql, &c).await?;
        rows.into_iter().map(ClaimRow::into_record).collect()
    }

    /// The claims of many contracts in one query: each contract's claims oldest first, and an
    /// empty list for a contract without claims.
    pub async fn claims_of_contracts(
        &self,
        contract_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<ClaimRecord>>, StoreError> {
        let mut out: HashMap<Uuid, Vec<ClaimRecord>> =
            contract_ids.iter().map(|id| (*id, Vec::new())).collect();
        let sql = format!(
            "SELECT {CLAIM_COLUMNS} FROM delivery_claims WHERE {{ids}} ORDER BY created_at, id"
        );
        let rows: Vec<ClaimRow> = self
            .rows_with_ids(&sql, "contract_id", contract_ids)
            .await?;
        for row in rows {
            let claim = row.into_record()?;
            out.entry(claim.contract_id).or_default().push(claim);
        }
        Ok(out)
    }

    /// Every claim with a beneficiary reference on the contracts of these buyers or
    /// suppliers: (contract id, KPI id, claim id, reference), for the double-counting guard.
    pub async fn beneficiary_claims(
        &self,
        organisations: &[Uuid],
    ) -> Result<Vec<(Uuid, String, Uuid, String)>, StoreError> {
        let mut out = Vec::new();
        for c in self.contracts_of(organisations).await? {
            let id = c.id.to_string();
            let rows: Vec<(String, String, String)> = dispatch!(self, pool => {
                sqlx::query_as(
                    "SELECT kpi_id, id, beneficiary_ref FROM delivery_claims \
                     WHERE contract_id = $1 AND beneficiary_ref IS NOT NULL AND status <> 'rejected'",
                )
                .bind(&id)
                .fetch_all(pool)
                .await?
            });
            for (kpi, claim, reference) in rows {
                out.push((c.id, kpi, parse_id(&claim)?, reference));
            }
        }
        Ok(out)
    }

    /// Adds an evidence file to a claim the supplier may still amend.
    pub async fn add_claim_evidence(
        &self,
        actor: &str,
        contract_id: Uuid,
        claim_id: Uuid,
        file_name: &str,
        content_type: &str,
        content: &[u8],
    ) -> Result<ClaimEvidence, StoreError> {
        let contract = self.contract(contract_id).await?;
        let claim = self.claim(contract_id, claim_id).await?;
        if !claim.status.amendable() {
            return Err(refused(format!(
                "evidence cannot be added to a {} claim",
                claim.status.label().to_lowercase()
            )));
        }
        let upload = Upload::of(file_name, content)?;
        let at = now();
        let file = ClaimEvidence {
            id: Uuid::new_v4(),
            claim_id,
            file_name: upload.file_name,
            content_type: content_type.to_string(),
            size_bytes: upload.size_bytes,
            sha256: upload.sha256,
            uploaded_by: Some(actor.to_string()),
            created_at: at,
        };
        let id_text = file.id.to_string();
        let claim_text = claim_id.to_string();
        let supplier = contract.supplier_organisation_id.to_string();
        let after = json!({"claim_id": claim_text, "file_name": file.file_name,
            "content_type": file.content_type, "size_bytes": file.size_bytes, "sha256": file.sha256});
        audited_write!(self, at, |tx| {
            let n = count_rows!(&mut *tx, "claim_evidence WHERE claim_id = $1", &claim_text);
            if n >= MAX_CLAIM_FILES {
                return Err(refused(format!("a claim can hold at most {MAX_CLAIM_FILES} evidence files")));
            }
            sqlx::query(
                "INSERT INTO claim_evidence (id, claim_id, file_name, content_type, size_bytes, sha256, content, uploaded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id_text).bind(&claim_text).bind(&file.file_name).bind(&file.content_type)
            .bind(file.size_bytes).bind(&file.sha256).bind(content).bind(actor).bind(at)
            .execute(&mut *tx).await?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "claim_evidence", entity_id: &id_text,
            before: None, after: Some(&after), organisation_id: Some(&supplier),
        }]);
        Ok(file)
    }

    /// The evidence files of a contract's claims.
    pub async fn claim_evidence_of(
        &self,
        contract_id: Uuid,
    ) -> Result<Vec<ClaimEvidence>, StoreError> {
        let c = contract_id.to_string();
        let rows: Vec<EvidenceRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT e.id, e.claim_id, e.file_name, e.content_type, e.size_bytes, e.sha256, e.uploaded_by, e.created_at \
                 FROM claim_evidence e JOIN delivery_claims d ON d.id = e.claim_id \
                 WHERE d.contract_id = $1 ORDER BY e.created_at, e.id",
            )
            .bind(&c)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(EvidenceRow::into_file).collect()
    }

    /// One evidence file with its bytes; [`StoreError::NotFound`] unless it belongs to a claim
    /// of the contract.
    pub async fn claim_evidence_file(
        &self,
        contract_id: Uuid,
        file_id: Uuid,
    ) -> Result<(ClaimEvidence, Vec<u8>), StoreError> {
        let sql = format!(
            "SELECT e.{} FROM claim_evidence e JOIN delivery_claims d ON d.id = e.claim_id \
             WHERE e.id = $1 AND d.contract_id = $2",
            EVIDENCE_COLUMNS.replace(", ", ", e.")
        );
        let id = file_id.to_string();
        let c = contract_id.to_string();
        let (row, content): (EvidenceRow, Vec<u8>) = dispatch!(self, pool => {
            let row: EvidenceRow = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&id).bind(&c).fetch_one(pool).await?;
            let content: Vec<u8> = sqlx::query_scalar("SELECT content FROM claim_evidence WHERE id = $1")
                .bind(&id).fetch_one(pool).await?;
            (row, content)
        });
        Ok((row.into_file()?, content))
    }

    // ---- Local spend ----

    /// The supplier records spend lines with its supply chain, all in one transaction (an
    /// import of many lines lands whole or not at all).
    pub async fn add_spend(
        &self,
        actor: &str,
        contract_id: Uuid,
        lines: &[SpendLine],
    ) -> Result<Vec<SpendRecord>, StoreError> {
        let contract = self.contract(contract_id).await?;
        for (i, l) in lines.iter().enumerate() {
            l.validate().map_err(|e| {
                StoreError::Invalid(if lines.len() > 1 {
                    format!("line {}: {e}", i + 1)
                } else {
                    e.to_string()
                })
            })?;
        }
        let at = now();
        let contract_text = contract_id.to_string();
        let supplier = contract.supplier_organisation_id.to_string();
        let mut out = Vec::new();
        let limit = i64::try_from(MAX_SPEND_LINES).unwrap_or(i64::MAX);
        let adding = i64::try_from(lines.len()).unwrap_or(i64::MAX);
        dispatch!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = count_rows!(&mut *tx, "contract_spend WHERE contract_id = $1", &contract_text);
            if n.saturating_add(adding) > limit {
                return Err(refused(format!("a contract can hold at most {MAX_SPEND_LINES} spend lines")));
            }
            for (i, l) in lines.iter().enumerate() {
                // One microsecond apart, so lines read back in the order given.
                let at = at + chrono::Duration::microseconds(i64::try_from(i).unwrap_or(0));
                let id = Uuid::new_v4();
                let id_text = id.to_string();
                let (text, after) = to_json(l)?;
                sqlx::query("INSERT INTO contract_spend (id, contract_id, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&id_text).bind(&contract_text).bind(&text).bind(actor).bind(at)
                    .execute(&mut *tx).await?;
                insert_audit!(&mut *tx, &NewAuditEntry {
                    actor, action: "create", entity: "contract_spend", entity_id: &id_text,
                    before: None, after: Some(&after), organisation_id: Some(&supplier),
                }, at)?;
                out.push(SpendRecord {
                    id,
                    contract_id,
                    line: l.clone(),
                    created_by: Some(actor.to_owned()),
                    created_at: at,
                });
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// A contract's spend lines, oldest first.
    pub async fn spend_of_contract(
        &self,
        contract_id: Uuid,
    ) -> Result<Vec<SpendRecord>, StoreError> {
        let c = contract_id.to_string();
        let rows: Vec<(String, String, Option<String>, DateTime<Utc>)> = dispatch!(self, pool => {
            sqlx::query_as("SELECT id, data, created_by, created_at FROM contract_spend WHERE contract_id = $1 ORDER BY created_at, id")
                .bind(&c).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, data, created_by, created_at)| {
                Ok(SpendRecord {
                    id: parse_id(&id)?,
                    contract_id,
                    line: serde_json::from_str(&data)?,
                    created_by,
                    created_at,
                })
            })
            .collect()
    }

    /// The spend lines of many contracts in one query: each contract's oldest first, and an
    /// empty list for a contract without lines.
    pub async fn spend_of_contracts(
        &self,
        contract_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<SpendRecord>>, StoreError> {
        let mut out: HashMap<Uuid, Vec<SpendRecord>> =
            contract_ids.iter().map(|id| (*id, Vec::new())).collect();
        let sql = "SELECT id, contract_id, data, created_by, created_at FROM contract_spend \
                   WHERE {ids} ORDER BY created_at, id";
        let rows: Vec<SpendRow> = self.rows_with_ids(sql, "contract_id", contract_ids).await?;
        for row in rows {
            let contract_id = parse_id(&row.contract_id)?;
            out.entry(contract_id).or_default().push(SpendRecord {
                id: parse_id(&row.id)?,
                contract_id,
                line: serde_json::from_str(&row.data)?,
                created_by: row.created_by,
                created_at: row.created_at,
            });
        }
        Ok(out)
    }

    /// Removes a spend line entered in error (audited with the line as it was).
    pub async fn delete_spend(
        &self,
        actor: &str,
        contract_id: Uuid,
        spend_id: Uuid,
    ) -> Result<(), StoreError> {
        let contract = self.contract(contract_id).await?;
        let c = contract_id.to_string();
        let id = spend_id.to_string();
        let supplier = contract.supplier_organisation_id.to_string();
        let at = now();
        audited_write!(self, at, |tx| {
            let before: Option<String> = sqlx::query_scalar("SELECT data FROM contract_spend WHERE id = $1 AND contract_id = $2")
                .bind(&id).bind(&c).fetch_optional(&mut *tx).await?;
            let Some(before) = before else {
                return Err(StoreError::NotFound);
            };
            let before: serde_json::Value = serde_json::from_str(&before)?;
            sqlx::query("DELETE FROM contract_spend WHERE id = $1").bind(&id).execute(&mut *tx).await?;
        } audit [NewAuditEntry {
            actor, action: "delete", entity: "contract_spend", entity_id: &id,
            before: Some(&before), after: None, organisation_id: Some(&supplier),
        }]);
        Ok(())
    }

    // ---- Transparency ----

    /// Opts a buyer organisation in to (or out of) its public transparency page.
    pub async fn set_transparency(
        &self,
        actor: &str,
        organisation_id: Uuid,
        published: bool,
    ) -> Result<(), StoreError> {
        let org = organisation_id.to_string();
        let at = now();
        audited_write!(self, at, |tx| {
            let was = count_rows!(&mut *tx, "transparency_opt_in WHERE organisation_id = $1", &org);
            if (was > 0) == published {
                return Ok(());
            }
            if published {
                sqlx::query("INSERT INTO transparency_opt_in (organisation_id, opted_in_by, opted_in_at) VALUES ($1, $2, $3)")
                    .bind(&org).bind(actor).bind(at).execute(&mut *tx).await?;
            } else {
                sqlx::query("DELETE FROM transparency_opt_in WHERE organisation_id = $1").bind(&org).execute(&mut *tx).await?;
            }
        } audit [NewAuditEntry {
            actor, action: "transparency", entity: "organisation", entity_id: &org,
            before: Some(&json!({"published": !published})), after: Some(&json!({"published": published})),
            organisation_id: Some(&org),
        }]);
        Ok(())
    }

    /// Whether a buyer publishes its transparency page.
    pub async fn transparency_published(&self, organisation_id: Uuid) -> Result<bool, StoreError> {
        let org = organisation_id.to_string();
        let n: i64 = dispatch!(self, pool => {
            count_rows!(pool, "transparency_opt_in WHERE organisation_id = $1", &org)
        });
        Ok(n > 0)
    }

    /// Buyers that publish a transparency page, by name: (id, name).
    pub async fn transparent_buyers(&self) -> Result<Vec<(Uuid, String)>, StoreError> {
        let rows: Vec<(String, String)> = dispatch!(self, pool => {
            sqlx::query_as("SELECT o.id, o.name FROM transparency_opt_in t JOIN organisations o ON o.id = t.organisation_id ORDER BY o.name")
                .fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, name)| Ok((parse_id(&id)?, name)))
            .collect()
    }

    /// Contracts where this organisation is the buyer, newest first.
    pub async fn contracts_bought_by(
        &self,
        organisation_id: Uuid,
    ) -> Result<Vec<ContractRecord>, StoreError> {
        let sql = format!(
            "{CONTRACT_SELECT} WHERE c.buyer_organisation_id = $1 ORDER BY c.created_at DESC"
        );
        let org = organisation_id.to_string();
        let rows: Vec<ContractRow> = self.rows_by(&sql, &org).await?;
        rows.into_iter().map(ContractRow::into_record).collect()
    }
}

/// A claim's beneficiary reference as stored for the double-counting guard: trimmed, in
/// capitals, none when blank.
fn beneficiary_reference(details: &ClaimDetails) -> Option<String> {
    details
        .beneficiary_ref
        .as_deref()
        .map(|r| r.trim().to_uppercase())
        .filter(|r| !r.is_empty())
}

/// Adds `record` unless one with its id is there already (a record reached through two of
/// the caller's organisations is listed once, where it was first met).
fn push_new<T>(out: &mut Vec<T>, record: T, id: impl Fn(&T) -> Uuid) {
    if !out.iter().any(|x| id(x) == id(&record)) {
        out.push(record);
    }
}
