//! The VCSE partner directory in the JSON API: the public directory and profiles (no token
//! needed for published ones), the organisation's own profile and needs (Bearer token, editors
//! and admins), match lists for a tender or contract, and pledges with their delivery.
//! Rules: `crate::partners::access`.

pub mod matches;
pub mod pledges;
pub mod profiles;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use svatlas_domain::partners::{
    Cause, DeliveryReport, NeedDetails, NeedKind, NeedProgress, PledgeDetails, PledgeFigure,
    PledgeStatus, ProfileDetails, need_progress,
};
use svatlas_store::partners::{NeedRecord, PledgeRecord, ProfileRecord};
use uuid::Uuid;

use crate::partners::access::Geo;

/// A cause with its words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CauseBody {
    /// Id as stored: `MAC 2.2`, `MAC 1a`, `mission:kickstart-economic-growth`, `well_served`.
    pub id: String,
    /// `criterion`, `mission` or `bristol_accord`.
    pub kind: &'static str,
    /// Words for people.
    pub label: String,
}

impl CauseBody {
    /// The body of a cause.
    pub fn of(cause: &Cause) -> Self {
        CauseBody {
            id: cause.id(),
            kind: cause.kind(),
            label: cause.label(),
        }
    }

    /// The bodies of the causes that parse.
    pub fn list(ids: &[String]) -> Vec<Self> {
        ids.iter()
            .filter_map(|c| Cause::parse(c))
            .map(|c| Self::of(&c))
            .collect()
    }
}

/// An area with its name when the server has area data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AreaBody {
    /// Area code.
    pub code: String,
    /// Official name, when known.
    pub name: Option<String>,
}

impl AreaBody {
    /// The bodies of area codes.
    pub fn list(geo: &Geo<'_>, codes: &[String]) -> Vec<Self> {
        codes
            .iter()
            .map(|c| AreaBody {
                code: c.clone(),
                name: geo.name(c),
            })
            .collect()
    }
}

/// A need with what has been pledged and delivered towards it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NeedBody {
    /// Need id.
    pub id: Uuid,
    /// What is needed.
    #[serde(flatten)]
    pub details: NeedDetails,
    /// Pledges so far; only delivery the VCSE confirmed counts as delivered.
    pub progress: NeedProgress,
}

impl NeedBody {
    /// A need and the pledges towards it (pledges of other needs are ignored).
    pub fn of(need: NeedRecord, pledges: &[PledgeRecord]) -> Self {
        let figures: Vec<PledgeFigure> = pledges
            .iter()
            .filter(|p| p.need_id == need.id)
            .map(figure)
            .collect();
        NeedBody {
            id: need.id,
            details: need.details,
            progress: need_progress(&figures),
        }
    }
}

/// A pledge as the totals need it.
pub fn figure(p: &PledgeRecord) -> PledgeFigure {
    PledgeFigure {
        pledged: p.details.quantity,
        status: p.status,
        delivered: p.delivery.as_ref().map(|d| d.quantity),
    }
}

/// A profile as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileBody {
    /// Profile id.
    pub id: Uuid,
    /// The VCSE's organisation.
    pub organisation_id: Uuid,
    /// The profile.
    #[serde(flatten)]
    pub details: ProfileDetails,
    /// The causes with their words.
    pub cause_labels: Vec<CauseBody>,
    /// The areas served with their names.
    pub area_names: Vec<AreaBody>,
    /// Its needs, open and closed, with pledged and confirmed quantities.
    pub needs: Vec<NeedBody>,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl ProfileBody {
    /// The body of a profile with its needs and the pledges towards them.
    pub fn of(
        geo: &Geo<'_>,
        p: ProfileRecord,
        needs: Vec<NeedRecord>,
        pledges: &[PledgeRecord],
    ) -> Self {
        ProfileBody {
            id: p.id,
            organisation_id: p.organisation_id,
            cause_labels: CauseBody::list(&p.details.causes),
            area_names: AreaBody::list(geo, &p.details.areas),
            details: p.details,
            needs: needs
                .into_iter()
                .map(|n| NeedBody::of(n, pledges))
                .collect(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A profile in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileSummary {
    /// Profile id.
    pub id: Uuid,
    /// Name shown.
    pub name: String,
    /// Charity number.
    pub charity_number: Option<String>,
    /// Companies House number.
    pub company_number: Option<String>,
    /// What it does.
    pub description: String,
    /// Website.
    pub website: Option<String>,
    /// Areas served.
    pub areas: Vec<AreaBody>,
    /// Causes.
    pub causes: Vec<CauseBody>,
    /// Kinds of its open needs.
    pub open_needs: Vec<NeedKind>,
    /// What it offers.
    pub offers: Vec<String>,
}

impl ProfileSummary {
    /// The summary of a profile.
    pub fn of(geo: &Geo<'_>, p: &ProfileRecord, open_needs: &BTreeSet<NeedKind>) -> Self {
        let d = &p.details;
        ProfileSummary {
            id: p.id,
            name: d.name.clone(),
            charity_number: d.charity_number.clone(),
            company_number: d.company_number.clone(),
            description: d.description.clone(),
            website: d.website.clone(),
            areas: AreaBody::list(geo, &d.areas),
            causes: CauseBody::list(&d.causes),
            open_needs: open_needs.iter().copied().collect(),
            offers: d.offers.clone(),
        }
    }
}

/// What a pledge is towards.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PledgeNeed {
    /// `volunteers`, `goods`, `funding`, `skills` or `premises`.
    pub kind: NeedKind,
    /// The need.
    pub description: String,
    /// Unit of the quantities.
    pub unit: String,
}

/// A pledge as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PledgeBody {
    /// Pledge id.
    pub id: Uuid,
    /// `pledged`, `reported`, `confirmed` or `queried`.
    pub status: PledgeStatus,
    /// The status in words.
    pub status_label: &'static str,
    /// Whether its delivery counts (confirmed by the VCSE).
    pub counts: bool,
    /// The VCSE profile.
    pub profile_id: Uuid,
    /// The VCSE's name.
    pub profile_name: String,
    /// The need.
    pub need_id: Uuid,
    /// What the need is.
    pub need: PledgeNeed,
    /// The contract it is made under.
    pub contract_id: Uuid,
    /// The contract's title.
    pub contract_title: String,
    /// The supplier.
    pub supplier_organisation_id: Uuid,
    /// The supplier's name.
    pub supplier: String,
    /// What was pledged.
    #[serde(flatten)]
    pub details: PledgeDetails,
    /// What the supplier reported delivered.
    pub delivery: Option<DeliveryReport>,
    /// The VCSE's note on its last review.
    pub review_note: Option<String>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// When.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// When pledged.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<PledgeRecord> for PledgeBody {
    fn from(p: PledgeRecord) -> Self {
        PledgeBody {
            id: p.id,
            status: p.status,
            status_label: p.status.label(),
            counts: p.status == PledgeStatus::Confirmed,
            profile_id: p.profile_id,
            profile_name: p.profile_name,
            need_id: p.need_id,
            need: PledgeNeed {
                kind: p.need.kind,
                description: p.need.description,
                unit: p.need.unit,
            },
            contract_id: p.contract_id,
            contract_title: p.contract_title,
            supplier_organisation_id: p.supplier_organisation_id,
            supplier: p.supplier_name,
            details: p.details,
            delivery: p.delivery,
            review_note: p.review_note,
            reviewed_by: p.reviewed_by,
            reviewed_at: p.reviewed_at,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}
