//! Open opportunities: tenders a buyer lists for suppliers to find, suppliers' requests to bid
//! and the buyer's decisions.
//!
//! Only an open, listed tender is an opportunity; a draft may be listed ahead and shows once it
//! opens. Accepting a request adds the supplier's invitation in the same transaction, so from
//! then on the invitation's rules (what the supplier sees, that it may bid) apply unchanged.
//! Every change is audited for the buyer and for the supplier.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use svatlas_domain::procurement::opportunity::{
    Decision, RequestStatus, check_decision, check_message,
};
use svatlas_domain::procurement::tender::TenderStatus;
use uuid::Uuid;

use crate::audit::NewAuditEntry;
use crate::procurement::{MAX_INVITATIONS, TENDER_SELECT, TenderRecord, TenderRow, status_words};
use crate::projects::{checked, now, parse_id};
use crate::write::{audited_write, count_rows, refused};
use crate::{Store, StoreError, dispatch};

/// Most requests to bid one tender keeps.
pub const MAX_REQUESTS: i64 = 500;
/// Most open opportunities listed at once (the newest are kept).
pub const MAX_LISTED: i64 = 5_000;

/// A supplier organisation's request to bid for a listed tender.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenderRequest {
    /// The tender.
    pub tender_id: Uuid,
    /// The supplier organisation asking.
    pub organisation_id: Uuid,
    /// Its name.
    pub organisation_name: String,
    /// Requested, accepted or declined.
    pub status: RequestStatus,
    /// What the supplier wrote with it.
    pub message: String,
    /// The buyer's reason (a decline) or note (an acceptance).
    pub note: String,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
    /// When the buyer decided.
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    tender_id: String,
    organisation_id: String,
    organisation_name: String,
    status: String,
    message: String,
    note: String,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
}

impl RequestRow {
    fn into_record(self) -> Result<TenderRequest, StoreError> {
        Ok(TenderRequest {
            tender_id: parse_id(&self.tender_id)?,
            organisation_id: parse_id(&self.organisation_id)?,
            organisation_name: self.organisation_name,
            status: RequestStatus::parse(&self.status).ok_or_else(|| {
                StoreError::Invalid(format!(
                    "stored request status {:?} is not known",
                    self.status
                ))
            })?,
            message: self.message,
            note: self.note,
            created_at: self.created_at,
            decided_at: self.decided_at,
        })
    }
}

const REQUEST_SELECT: &str = "SELECT r.tender_id, r.organisation_id, o.name AS organisation_name, \
     r.status, r.message, r.note, r.created_at, r.decided_at \
     FROM tender_requests r JOIN organisations o ON o.id = r.organisation_id";

impl Store {
    /// Lists a draft or open tender for suppliers to find (`listed = true`) or takes it off.
    /// Answers whether it is listed now; changing nothing is harmless.
    pub async fn set_listing(
        &self,
        actor: &str,
        tender_id: Uuid,
        listed: bool,
    ) -> Result<bool, StoreError> {
        let tender = self.tender(tender_id).await?;
        if !matches!(tender.status, TenderStatus::Draft | TenderStatus::Open) {
            return Err(refused(format!(
                "only a draft or open tender can be listed for suppliers: {}",
                status_words(tender.status)
            )));
        }
        let at = now();
        let id = tender_id.to_string();
        let org = tender.organisation_id.to_string();
        let after = json!({"listed": listed});
        audited_write!(self, at, |tx| {
            let changed = if listed {
                sqlx::query("INSERT INTO tender_listings (tender_id, listed_at) VALUES ($1, $2) ON CONFLICT (tender_id) DO NOTHING")
                    .bind(&id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                sqlx::query("DELETE FROM tender_listings WHERE tender_id = $1")
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            };
            // Changing nothing is not a change to audit.
        } audit (changed > 0).then_some(NewAuditEntry {
            actor, action: if listed { "list" } else { "unlist" }, entity: "tender",
            entity_id: &id, before: None, after: Some(&after), organisation_id: Some(&org),
        }));
        Ok(listed)
    }

    /// Whether a tender is listed for suppliers (it shows only while open).
    pub async fn is_listed(&self, tender_id: Uuid) -> Result<bool, StoreError> {
        let id = tender_id.to_string();
        let n: i64 = dispatch!(self, pool => {
            count_rows!(pool, "tender_listings WHERE tender_id = $1", &id)
        });
        Ok(n > 0)
    }

    /// Open listed tenders, most recently listed first, at most [`MAX_LISTED`] (the web layer
    /// searches and pages them).
    pub async fn opportunities(&self) -> Result<Vec<TenderRecord>, StoreError> {
        let sql = format!(
            "{TENDER_SELECT} JOIN tender_listings l ON l.tender_id = t.id \
             WHERE t.status = 'open' ORDER BY l.listed_at DESC, t.id LIMIT $1"
        );
        let rows: Vec<TenderRow> = dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(MAX_LISTED)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(TenderRow::into_record).collect()
    }

    /// One opportunity: the tender when it is open and listed, otherwise `NotFound`.
    pub async fn opportunity(&self, tender_id: Uuid) -> Result<TenderRecord, StoreError> {
        let tender = self.tender(tender_id).await?;
        if tender.status == TenderStatus::Open && self.is_listed(tender_id).await? {
            Ok(tender)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// A supplier organisation asks to bid for an open listed tender. Refused for the buyer
    /// itself, an organisation already invited, or one that has asked before.
    pub async fn request_to_bid(
        &self,
        actor: &str,
        tender_id: Uuid,
        organisation_id: Uuid,
        requested_by: Option<Uuid>,
        message: &str,
    ) -> Result<TenderRequest, StoreError> {
        checked(check_message(message))?;
        let tender = self.opportunity(tender_id).await?;
        if organisation_id == tender.organisation_id {
            return Err(refused("the buyer cannot bid for its own tender"));
        }
        let supplier = self.organisation_by_id(organisation_id).await?;
        if self.is_invited(tender_id, organisation_id).await? {
            return Err(refused(format!(
                "{} is already invited: the tender is on its tenders page",
                supplier.name
            )));
        }
        if let Some(earlier) = self.tender_request(tender_id, organisation_id).await? {
            return Err(refused(match earlier.status {
                RequestStatus::Requested => {
                    format!(
                        "{} has already asked to bid: the buyer has not answered yet",
                        supplier.name
                    )
                }
                RequestStatus::Declined => format!(
                    "the buyer declined {}'s request: {}",
                    supplier.name, earlier.note
                ),
                RequestStatus::Accepted => format!("{} is already invited", supplier.name),
            }));
        }
        let at = now();
        let t = tender_id.to_string();
        let o = organisation_id.to_string();
        let buyer = tender.organisation_id.to_string();
        let by = requested_by.map(|u| u.to_string());
        let message = message.trim();
        audited_write!(self, at, |tx| {
            let count = count_rows!(&mut *tx, "tender_requests WHERE tender_id = $1", &t);
            if count >= MAX_REQUESTS {
                return Err(refused(format!("a tender takes at most {MAX_REQUESTS} requests to bid")));
            }
            // The primary key makes a second request racing this one fail rather than double.
            sqlx::query(
                "INSERT INTO tender_requests (tender_id, organisation_id, status, message, note, \
                 requested_by, created_at) VALUES ($1, $2, 'requested', $3, '', $4, $5)",
            )
            .bind(&t)
            .bind(&o)
            .bind(message)
            .bind(&by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = json!({"organisation_id": o, "organisation": supplier.name, "message": message});
        } audit [NewAuditEntry {
            actor, action: "request", entity: "tender", entity_id: &t,
            before: None, after: Some(&after), organisation_id: Some(&buyer),
        }, NewAuditEntry {
            actor, action: "requested", entity: "tender", entity_id: &t,
            before: None, after: Some(&json!({"buyer": tender.organisation_name, "title": tender.details.title})),
            organisation_id: Some(&o),
        }]);
        self.tender_request(tender_id, organisation_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// An organisation's request for a tender, if it made one.
    pub async fn tender_request(
        &self,
        tender_id: Uuid,
        organisation_id: Uuid,
    ) -> Result<Option<TenderRequest>, StoreError> {
        let sql = format!("{REQUEST_SELECT} WHERE r.tender_id = $1 AND r.organisation_id = $2");
        let t = tender_id.to_string();
        let o = organisation_id.to_string();
        let row: Option<RequestRow> = dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&t).bind(&o).fetch_optional(pool).await?
        });
        row.map(RequestRow::into_record).transpose()
    }

    /// Every request for a tender, oldest first.
    pub async fn tender_requests(&self, tender_id: Uuid) -> Result<Vec<TenderRequest>, StoreError> {
        let sql = format!("{REQUEST_SELECT} WHERE r.tender_id = $1 ORDER BY r.created_at, o.name");
        let t = tender_id.to_string();
        let rows: Vec<RequestRow> = self.rows_by(&sql, &t).await?;
        rows.into_iter().map(RequestRow::into_record).collect()
    }

    /// The buyer accepts (inviting the supplier) or declines (with a reason) a request that
    /// awaits it, while the tender is open.
    pub async fn decide_request(
        &self,
        actor: &str,
        tender_id: Uuid,
        organisation_id: Uuid,
        decision: Decision,
        note: &str,
    ) -> Result<TenderRequest, StoreError> {
        checked(check_decision(decision, note))?;
        let tender = self.tender(tender_id).await?;
        let request = self
            .tender_request(tender_id, organisation_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if tender.status != TenderStatus::Open {
            return Err(refused(format!(
                "requests are answered while the tender is open: {}",
                status_words(tender.status)
            )));
        }
        if request.status != RequestStatus::Requested {
            return Err(refused(format!(
                "this request was answered already: {}",
                request.status.label()
            )));
        }
        let at = now();
        let t = tender_id.to_string();
        let o = organisation_id.to_string();
        let buyer = tender.organisation_id.to_string();
        let status = decision.status().id();
        let note = note.trim();
        audited_write!(self, at, |tx| {
            let changed = sqlx::query(
                "UPDATE tender_requests SET status = $1, note = $2, decided_at = $3 \
                 WHERE tender_id = $4 AND organisation_id = $5 AND status = 'requested'",
            )
            .bind(status)
            .bind(note)
            .bind(at)
            .bind(&t)
            .bind(&o)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(refused("the request was answered meanwhile: reload the page"));
            }
            if decision == Decision::Accept {
                let invited = count_rows!(&mut *tx, "tender_invitations WHERE tender_id = $1", &t);
                if invited >= MAX_INVITATIONS {
                    return Err(refused(format!("a tender can invite at most {MAX_INVITATIONS} suppliers")));
                }
                sqlx::query(
                    "INSERT INTO tender_invitations (tender_id, organisation_id, created_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (tender_id, organisation_id) DO NOTHING",
                )
                .bind(&t)
                .bind(&o)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            let after = json!({"organisation_id": o, "organisation": request.organisation_name,
                               "status": status, "note": note});
        } audit [NewAuditEntry {
            actor, action: "decide_request", entity: "tender", entity_id: &t,
            before: Some(&json!({"status": "requested"})), after: Some(&after),
            organisation_id: Some(&buyer),
        }, NewAuditEntry {
            actor, action: "request_decided", entity: "tender", entity_id: &t,
            before: None, after: Some(&json!({"buyer": tender.organisation_name, "status": status, "note": note})),
            organisation_id: Some(&o),
        }]);
        self.tender_request(tender_id, organisation_id)
            .await?
            .ok_or(StoreError::NotFound)
    }
}
