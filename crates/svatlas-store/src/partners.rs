//! The VCSE partner directory: one profile per organisation, its needs, and suppliers' pledges
//! towards a need under one of their contracts, with the delivery they report and the VCSE's
//! confirmation or query.
//!
//! The store keeps the rules whoever calls: one profile per organisation, pledges only to open
//! needs of published profiles and never to the supplier's own, delivery reported only while a
//! pledge is not confirmed, reviewed only once reported. Who may call at all (membership and
//! role) is the web layer's check. Every change is audited with its organisation in the same
//! transaction; pledges and their delivery are audited for both the supplier and the VCSE.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use svatlas_domain::partners::{
    DeliveryReport, NeedDetails, NeedKind, PledgeDetails, PledgeReview, PledgeStatus,
    ProfileDetails, check_pledge_review,
};
use uuid::Uuid;

use crate::audit::NewAuditEntry;
use crate::projects::{checked, now, parse_id, to_json};
use crate::write::{audited_write, count_rows, one_row, refused};
use crate::{Store, StoreError, dispatch};

/// Most needs one profile lists.
pub const MAX_NEEDS: i64 = 50;
/// Most pledges towards one need.
pub const MAX_PLEDGES_PER_NEED: i64 = 200;

/// A profile as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The VCSE's organisation (its members write the profile).
    pub organisation_id: Uuid,
    /// The organisation's account name.
    pub organisation_name: String,
    /// The profile.
    pub details: ProfileDetails,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A need as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The profile.
    pub profile_id: Uuid,
    /// The need.
    pub details: NeedDetails,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A pledge as stored, with what the pages and API show beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PledgeRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The need.
    pub need_id: Uuid,
    /// The need as it is now.
    pub need: NeedDetails,
    /// The VCSE profile.
    pub profile_id: Uuid,
    /// The VCSE's name shown.
    pub profile_name: String,
    /// The VCSE's organisation.
    pub vcse_organisation_id: Uuid,
    /// The contract the pledge is made under.
    pub contract_id: Uuid,
    /// The contract's title.
    pub contract_title: String,
    /// The contract's buyer.
    pub buyer_organisation_id: Uuid,
    /// The pledging supplier (the contract's supplier).
    pub supplier_organisation_id: Uuid,
    /// Its name.
    pub supplier_name: String,
    /// Where it is.
    pub status: PledgeStatus,
    /// What was pledged.
    pub details: PledgeDetails,
    /// What the supplier reported delivered, once reported.
    pub delivery: Option<DeliveryReport>,
    /// The VCSE's note on its last review.
    pub review_note: Option<String>,
    /// Who reviewed it last.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Who pledged.
    pub created_by: Option<String>,
    /// When pledged.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: String,
    organisation_id: String,
    organisation_name: String,
    details: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ProfileRow {
    fn into_record(self) -> Result<ProfileRecord, StoreError> {
        Ok(ProfileRecord {
            id: parse_id(&self.id)?,
            organisation_id: parse_id(&self.organisation_id)?,
            organisation_name: self.organisation_name,
            details: serde_json::from_str(&self.details)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct NeedRow {
    id: String,
    profile_id: String,
    details: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl NeedRow {
    fn into_record(self) -> Result<NeedRecord, StoreError> {
        Ok(NeedRecord {
            id: parse_id(&self.id)?,
            profile_id: parse_id(&self.profile_id)?,
            details: serde_json::from_str(&self.details)?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PledgeRow {
    id: String,
    need_id: String,
    need_details: String,
    profile_id: String,
    profile_name: String,
    vcse_organisation_id: String,
    contract_id: String,
    contract_title: String,
    buyer_organisation_id: String,
    supplier_organisation_id: String,
    supplier_name: String,
    status: String,
    details: String,
    delivery: Option<String>,
    review_note: Option<String>,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl PledgeRow {
    fn into_record(self) -> Result<PledgeRecord, StoreError> {
        Ok(PledgeRecord {
            id: parse_id(&self.id)?,
            need_id: parse_id(&self.need_id)?,
            need: serde_json::from_str(&self.need_details)?,
            profile_id: parse_id(&self.profile_id)?,
            profile_name: self.profile_name,
            vcse_organisation_id: parse_id(&self.vcse_organisation_id)?,
            contract_id: parse_id(&self.contract_id)?,
            contract_title: self.contract_title,
            buyer_organisation_id: parse_id(&self.buyer_organisation_id)?,
            supplier_organisation_id: parse_id(&self.supplier_organisation_id)?,
            supplier_name: self.supplier_name,
            status: PledgeStatus::parse(&self.status).ok_or_else(|| {
                StoreError::Invalid(format!(
                    "stored pledge status {:?} is not known",
                    self.status
                ))
            })?,
            details: serde_json::from_str(&self.details)?,
            delivery: self
                .delivery
                .as_deref()
                .map(serde_json::from_str)
                .transpose()?,
            review_note: self.review_note,
            reviewed_by: self.reviewed_by,
            reviewed_at: self.reviewed_at,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// An optional text trimmed, `None` when nothing is left.
fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

const PROFILE_SELECT: &str = "SELECT p.id, p.organisation_id, o.name AS organisation_name, \
     p.details, p.created_at, p.updated_at \
     FROM partner_profiles p JOIN organisations o ON o.id = p.organisation_id";
const NEED_COLUMNS: &str = "id, profile_id, details, created_at, updated_at";
const PLEDGE_SELECT: &str = "SELECT pl.id, pl.need_id, n.details AS need_details, pl.profile_id, \
     pp.name AS profile_name, pp.organisation_id AS vcse_organisation_id, pl.contract_id, \
     c.title AS contract_title, c.buyer_organisation_id, pl.supplier_organisation_id, \
     o.name AS supplier_name, pl.status, pl.details, pl.delivery, pl.review_note, \
     pl.reviewed_by, pl.reviewed_at, pl.created_by, pl.created_at, pl.updated_at \
     FROM partner_pledges pl \
     JOIN partner_needs n ON n.id = pl.need_id \
     JOIN partner_profiles pp ON pp.id = pl.profile_id \
     JOIN contracts c ON c.id = pl.contract_id \
     JOIN organisations o ON o.id = pl.supplier_organisation_id";

impl Store {
    // ---- Profiles ----

    /// Creates the organisation's profile (normalised and validated); refused when it has one.
    pub async fn create_profile(
        &self,
        actor: &str,
        organisation_id: Uuid,
        created_by: Option<Uuid>,
        details: &ProfileDetails,
    ) -> Result<ProfileRecord, StoreError> {
        let details = details.clone().normalised();
        checked(details.validate())?;
        let at = now();
        let id = Uuid::new_v4().to_string();
        let org = organisation_id.to_string();
        let (text, after) = to_json(&details)?;
        let created_by = created_by.map(|u| u.to_string());
        audited_write!(self, at, |tx| {
            let n = count_rows!(&mut *tx, "partner_profiles WHERE organisation_id = $1", &org);
            if n > 0 {
                return Err(refused(
                    "this organisation has a profile already: change that one instead",
                ));
            }
            sqlx::query(
                "INSERT INTO partner_profiles (id, organisation_id, name, published, details, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id).bind(&org).bind(&details.name).bind(details.published).bind(&text)
            .bind(&created_by).bind(at).bind(at)
            .execute(&mut *tx).await?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "partner_profile", entity_id: &id,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }]);
        self.profile(parse_id(&id)?).await
    }

    /// A profile by id (the caller checks who may see it: unpublished ones are for members).
    pub async fn profile(&self, id: Uuid) -> Result<ProfileRecord, StoreError> {
        let sql = format!("{PROFILE_SELECT} WHERE p.id = $1");
        let id = id.to_string();
        let row: ProfileRow = self.row_by(&sql, &id).await?;
        row.into_record()
    }

    /// The profile of an organisation, if it has one.
    pub async fn profile_of_organisation(
        &self,
        organisation_id: Uuid,
    ) -> Result<Option<ProfileRecord>, StoreError> {
        let sql = format!("{PROFILE_SELECT} WHERE p.organisation_id = $1");
        let org = organisation_id.to_string();
        let row: Option<ProfileRow> = self.maybe_row_by(&sql, &org).await?;
        row.map(ProfileRow::into_record).transpose()
    }

    /// Every published profile, by name: the public directory (filtered by the caller).
    pub async fn published_profiles(&self) -> Result<Vec<ProfileRecord>, StoreError> {
        let sql = format!("{PROFILE_SELECT} WHERE p.published = $1 ORDER BY p.name, p.id");
        let rows: Vec<ProfileRow> = dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(true).fetch_all(pool).await?
        });
        rows.into_iter().map(ProfileRow::into_record).collect()
    }

    /// Replaces a profile's details (normalised and validated).
    pub async fn update_profile(
        &self,
        actor: &str,
        id: Uuid,
        details: &ProfileDetails,
    ) -> Result<ProfileRecord, StoreError> {
        let before = self.profile(id).await?;
        let details = details.clone().normalised();
        checked(details.validate())?;
        let at = now();
        let id_text = id.to_string();
        let org = before.organisation_id.to_string();
        let (text, after) = to_json(&details)?;
        let before_json = serde_json::to_value(&before.details)?;
        audited_write!(self, at, |tx| {
            sqlx::query(
                "UPDATE partner_profiles SET name = $1, published = $2, details = $3, updated_at = $4 \
                 WHERE id = $5",
            )
            .bind(&details.name).bind(details.published).bind(&text).bind(at).bind(&id_text)
            .execute(&mut *tx).await?;
        } audit [NewAuditEntry {
            actor, action: "update", entity: "partner_profile", entity_id: &id_text,
            before: Some(&before_json), after: Some(&after), organisation_id: Some(&org),
        }]);
        self.profile(id).await
    }

    // ---- Needs ----

    /// Adds a need to a profile (normalised and validated).
    pub async fn add_need(
        &self,
        actor: &str,
        profile_id: Uuid,
        details: &NeedDetails,
    ) -> Result<NeedRecord, StoreError> {
        let profile = self.profile(profile_id).await?;
        let details = details.clone().normalised();
        checked(details.validate())?;
        let at = now();
        let id = Uuid::new_v4().to_string();
        let profile_text = profile_id.to_string();
        let org = profile.organisation_id.to_string();
        let (text, after) = to_json(&details)?;
        audited_write!(self, at, |tx| {
            let n = count_rows!(&mut *tx, "partner_needs WHERE profile_id = $1", &profile_text);
            if n >= MAX_NEEDS {
                return Err(refused(format!(
                    "a profile can list at most {MAX_NEEDS} needs: close or change one instead"
                )));
            }
            sqlx::query(
                "INSERT INTO partner_needs (id, profile_id, position, kind, is_open, details, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id).bind(&profile_text).bind(n).bind(details.kind.id()).bind(details.open)
            .bind(&text).bind(at).bind(at)
            .execute(&mut *tx).await?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "partner_need", entity_id: &id,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }]);
        self.need(profile_id, parse_id(&id)?).await
    }

    /// Changes a need (e.g. closes it once met). Its pledges keep pointing at it.
    pub async fn update_need(
        &self,
        actor: &str,
        profile_id: Uuid,
        need_id: Uuid,
        details: &NeedDetails,
    ) -> Result<NeedRecord, StoreError> {
        let profile = self.profile(profile_id).await?;
        let before = self.need(profile_id, need_id).await?;
        let details = details.clone().normalised();
        checked(details.validate())?;
        let at = now();
        let id = need_id.to_string();
        let org = profile.organisation_id.to_string();
        let (text, after) = to_json(&details)?;
        let before_json = serde_json::to_value(&before.details)?;
        audited_write!(self, at, |tx| {
            sqlx::query(
                "UPDATE partner_needs SET kind = $1, is_open = $2, details = $3, updated_at = $4 \
                 WHERE id = $5",
            )
            .bind(details.kind.id()).bind(details.open).bind(&text).bind(at).bind(&id)
            .execute(&mut *tx).await?;
        } audit [NewAuditEntry {
            actor, action: "update", entity: "partner_need", entity_id: &id,
            before: Some(&before_json), after: Some(&after), organisation_id: Some(&org),
        }]);
        self.need(profile_id, need_id).await
    }

    /// One need; [`StoreError::NotFound`] unless it belongs to the profile.
    pub async fn need(&self, profile_id: Uuid, need_id: Uuid) -> Result<NeedRecord, StoreError> {
        let sql =
            format!("SELECT {NEED_COLUMNS} FROM partner_needs WHERE id = $1 AND profile_id = $2");
        let (id, profile) = (need_id.to_string(), profile_id.to_string());
        let row: NeedRow = dispatch!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&id).bind(&profile)
                .fetch_one(pool).await?
        });
        row.into_record()
    }

    /// A profile's needs, in the order they were added.
    pub async fn needs_of(&self, profile_id: Uuid) -> Result<Vec<NeedRecord>, StoreError> {
        let sql = format!(
            "SELECT {NEED_COLUMNS} FROM partner_needs WHERE profile_id = $1 ORDER BY position, created_at"
        );
        let profile = profile_id.to_string();
        let rows: Vec<NeedRow> = self.rows_by(&sql, &profile).await?;
        rows.into_iter().map(NeedRow::into_record).collect()
    }

    /// The kind of every open need of a published profile, for the directory: (profile, kind).
    pub async fn open_need_kinds(&self) -> Result<Vec<(Uuid, NeedKind)>, StoreError> {
        let rows: Vec<(String, String)> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT n.profile_id, n.kind FROM partner_needs n \
                 JOIN partner_profiles p ON p.id = n.profile_id \
                 WHERE n.is_open = $1 AND p.published = $1 ORDER BY n.profile_id, n.position",
            )
            .bind(true).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(p, k)| {
                let kind = NeedKind::parse(&k).ok_or_else(|| {
                    StoreError::Invalid(format!("stored need kind {k:?} is not known"))
                })?;
                Ok((parse_id(&p)?, kind))
            })
            .collect()
    }

    // ---- Pledges ----

    /// The contract's supplier pledges support to an open need of a published profile.
    pub async fn add_pledge(
        &self,
        actor: &str,
        contract_id: Uuid,
        profile_id: Uuid,
        need_id: Uuid,
        details: &PledgeDetails,
    ) -> Result<PledgeRecord, StoreError> {
        let contract = self.contract(contract_id).await?;
        let profile = self.profile(profile_id).await?;
        let need = self.need(profile_id, need_id).await?;
        let details = PledgeDetails {
            description: details.description.trim().to_owned(),
            due_date: trimmed(details.due_date.as_deref()),
            quantity: details.quantity,
        };
        checked(details.validate())?;
        if !profile.details.published {
            return Err(refused(
                "this profile is not published, so it takes no pledges",
            ));
        }
        if !need.details.open {
            return Err(refused("this need is closed: it takes no new pledges"));
        }
        if profile.organisation_id == contract.supplier_organisation_id {
            return Err(refused(
                "a supplier cannot pledge to its own organisation's need",
            ));
        }
        let at = now();
        let id = Uuid::new_v4().to_string();
        let (text, after) = to_json(&details)?;
        let after = json!({"need_id": need_id, "profile_id": profile_id, "contract_id": contract_id,
            "pledge": after});
        let supplier = contract.supplier_organisation_id.to_string();
        let vcse = profile.organisation_id.to_string();
        let (need_text, profile_text, contract_text) = (
            need_id.to_string(),
            profile_id.to_string(),
            contract_id.to_string(),
        );
        audited_write!(self, at, |tx| {
            let n = count_rows!(&mut *tx, "partner_pledges WHERE need_id = $1", &need_text);
            if n >= MAX_PLEDGES_PER_NEED {
                return Err(refused(format!("a need can take at most {MAX_PLEDGES_PER_NEED} pledges")));
            }
            // The need may have been closed since it was read.
            let open: Option<bool> = sqlx::query_scalar("SELECT is_open FROM partner_needs WHERE id = $1")
                .bind(&need_text).fetch_optional(&mut *tx).await?;
            if open != Some(true) {
                return Err(refused("this need was closed meanwhile: it takes no new pledges"));
            }
            sqlx::query(
                "INSERT INTO partner_pledges (id, need_id, profile_id, contract_id, \
                 supplier_organisation_id, status, details, quantity, delivery, delivered_quantity, \
                 review_note, reviewed_by, reviewed_at, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pledged', $6, $7, NULL, NULL, NULL, NULL, NULL, $8, $9, $10)",
            )
            .bind(&id).bind(&need_text).bind(&profile_text).bind(&contract_text).bind(&supplier)
            .bind(&text).bind(details.quantity).bind(actor).bind(at).bind(at)
            .execute(&mut *tx).await?;
        } audit NewAuditEntry {
            actor, action: "create", entity: "partner_pledge", entity_id: &id,
            before: None, after: Some(&after), organisation_id: Some(&supplier),
        }.also_for(&vcse));
        self.pledge(parse_id(&id)?).await
    }

    /// The supplier reports (or corrects) what it delivered; the pledge awaits the VCSE.
    pub async fn report_delivery(
        &self,
        actor: &str,
        pledge_id: Uuid,
        report: &DeliveryReport,
        today: &str,
    ) -> Result<PledgeRecord, StoreError> {
        let before = self.pledge(pledge_id).await?;
        let report = DeliveryReport {
            evidence_link: trimmed(report.evidence_link.as_deref()),
            note: report.note.trim().to_owned(),
            delivered_on: report.delivered_on.trim().to_owned(),
            quantity: report.quantity,
        };
        checked(report.validate(today))?;
        if !before.status.can_report() {
            return Err(refused(format!(
                "delivery of this pledge is {} already",
                before.status.label().to_lowercase()
            )));
        }
        let at = now();
        let id = pledge_id.to_string();
        let (text, after) = to_json(&report)?;
        let before_json = json!({"status": before.status, "delivery": before.delivery});
        let after = json!({"status": PledgeStatus::Reported, "delivery": after});
        let supplier = before.supplier_organisation_id.to_string();
        let vcse = before.vcse_organisation_id.to_string();
        audited_write!(self, at, |tx| {
            let changed = sqlx::query(
                "UPDATE partner_pledges SET status = 'reported', delivery = $1, delivered_quantity = $2, \
                 updated_at = $3 WHERE id = $4 AND status = $5",
            )
            .bind(&text).bind(report.quantity).bind(at).bind(&id).bind(before.status.id())
            .execute(&mut *tx).await?.rows_affected();
            one_row(changed, "pledge")?;
        } audit NewAuditEntry {
            actor, action: "report", entity: "partner_pledge", entity_id: &id,
            before: Some(&before_json), after: Some(&after), organisation_id: Some(&supplier),
        }.also_for(&vcse));
        self.pledge(pledge_id).await
    }

    /// The VCSE confirms or queries reported delivery.
    pub async fn review_pledge(
        &self,
        actor: &str,
        pledge_id: Uuid,
        review: PledgeReview,
        note: &str,
    ) -> Result<PledgeRecord, StoreError> {
        let before = self.pledge(pledge_id).await?;
        checked(check_pledge_review(review, note))?;
        if !before.status.reviewable() {
            return Err(refused(match before.status {
                PledgeStatus::Pledged => "no delivery has been reported yet".to_owned(),
                s => format!(
                    "this pledge's delivery is {} already",
                    s.label().to_lowercase()
                ),
            }));
        }
        let next = review.status();
        let at = now();
        let id = pledge_id.to_string();
        let note = note.trim();
        let stored_note = (!note.is_empty()).then_some(note);
        let before_json = json!({"status": before.status});
        let after = json!({"status": next, "note": note,
            "delivered_quantity": before.delivery.as_ref().map(|d| d.quantity)});
        let supplier = before.supplier_organisation_id.to_string();
        let vcse = before.vcse_organisation_id.to_string();
        audited_write!(self, at, |tx| {
            let changed = sqlx::query(
                "UPDATE partner_pledges SET status = $1, review_note = $2, reviewed_by = $3, \
                 reviewed_at = $4, updated_at = $5 WHERE id = $6 AND status = 'reported'",
            )
            .bind(next.id()).bind(stored_note).bind(actor).bind(at).bind(at).bind(&id)
            .execute(&mut *tx).await?.rows_affected();
            one_row(changed, "pledge")?;
        } audit NewAuditEntry {
            actor, action: "review", entity: "partner_pledge", entity_id: &id,
            before: Some(&before_json), after: Some(&after), organisation_id: Some(&supplier),
        }.also_for(&vcse));
        self.pledge(pledge_id).await
    }

    /// One pledge (the caller checks who may see it).
    pub async fn pledge(&self, id: Uuid) -> Result<PledgeRecord, StoreError> {
        let sql = format!("{PLEDGE_SELECT} WHERE pl.id = $1");
        let id = id.to_string();
        let row: PledgeRow = self.row_by(&sql, &id).await?;
        row.into_record()
    }

    /// Pledges made under a contract, oldest first.
    pub async fn pledges_of_contract(
        &self,
        contract_id: Uuid,
    ) -> Result<Vec<PledgeRecord>, StoreError> {
        self.pledges_where("pl.contract_id", contract_id).await
    }

    /// Pledges to a profile's needs, oldest first.
    pub async fn pledges_of_profile(
        &self,
        profile_id: Uuid,
    ) -> Result<Vec<PledgeRecord>, StoreError> {
        self.pledges_where("pl.profile_id", profile_id).await
    }

    async fn pledges_where(
        &self,
        column: &'static str,
        id: Uuid,
    ) -> Result<Vec<PledgeRecord>, StoreError> {
        // `column` is one of two constants above, never input.
        let sql = format!("{PLEDGE_SELECT} WHERE {column} = $1 ORDER BY pl.created_at, pl.id");
        let id = id.to_string();
        let rows: Vec<PledgeRow> = self.rows_by(&sql, &id).await?;
        rows.into_iter().map(PledgeRow::into_record).collect()
    }
}
