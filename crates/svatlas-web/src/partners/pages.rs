//! The partner directory pages: the public directory with search by place, cause and need
//! (downloadable as CSV, Excel and JSON), a VCSE's public profile with its needs and what has
//! been pledged and confirmed, the organisation's own registration and edit forms, the ranked
//! partners of a tender or contract with each factor in words, and the pledge and delivery
//! forms.
//!
//! Handlers are thin: they check access through [`crate::partners::access`] and
//! [`crate::procurement::access`] exactly as the JSON API does (404 for what the caller may not see,
//! 403 for the wrong side or role, 409 for the wrong stage, 422 with the form shown again and a
//! GOV.UK error summary for bad input) and call the same store functions.

pub mod create;
pub mod edit;
pub mod forms;
pub mod get;
pub mod list;
pub mod matches;
pub mod needs;
pub mod pledges;

use svatlas_domain::accounts::Role;
use svatlas_domain::partners::{NeedProgress, PledgeStatus};
use svatlas_store::partners::PledgeRecord;
use uuid::Uuid;

use self::forms::DeliveryForm;
use crate::platform::format::plain;
use crate::platform::views::{FormErrors, when};

/// A link to the public register entry of a charity number.
pub fn charity_link(number: &str) -> String {
    if let Some(n) = number.strip_prefix("SC") {
        format!(
            "https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number=SC{n}"
        )
    } else if let Some(n) = number.strip_prefix("NIC") {
        format!("https://www.charitycommissionni.org.uk/charity-details/?regId={n}")
    } else {
        format!(
            "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/{number}"
        )
    }
}

/// A link to the Companies House entry of a company number.
pub fn company_link(number: &str) -> String {
    format!("https://find-and-update.company-information.service.gov.uk/company/{number}")
}

/// `40 volunteer hours`, `£2,000`, or `–` without a quantity.
pub fn quantity_words(q: Option<f64>, unit: &str) -> String {
    match q {
        None => "–".to_owned(),
        Some(q) if unit == "£" => format!("£{}", grouped(q)),
        Some(q) => format!("{} {unit}", grouped(q)),
    }
}

/// A quantity with thousands separators (`1,500`, `2.5`).
fn grouped(q: f64) -> String {
    let text = plain(q);
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// A coloured tag for a pledge's status.
pub fn status_class(status: PledgeStatus) -> &'static str {
    match status {
        PledgeStatus::Pledged => "govuk-tag--blue",
        PledgeStatus::Reported => "govuk-tag--yellow",
        PledgeStatus::Confirmed => "govuk-tag--green",
        PledgeStatus::Queried => "govuk-tag--orange",
    }
}

/// A need's totals in words.
pub struct ProgressView {
    pub pledges: usize,
    pub pledged: String,
    pub confirmed: String,
    pub unconfirmed: String,
}

impl ProgressView {
    pub fn of(p: &NeedProgress, unit: &str) -> Self {
        let q = |v: f64| quantity_words((v > 0.0).then_some(v), unit);
        ProgressView {
            pledges: p.pledges,
            pledged: q(p.pledged),
            confirmed: q(p.confirmed),
            unconfirmed: q(p.unconfirmed),
        }
    }
}

/// A pledge as the pages list it, with the forms the caller may use on it.
pub struct PledgeView {
    pub id: Uuid,
    pub profile_id: Uuid,
    pub profile_name: String,
    pub supplier: String,
    pub contract_title: String,
    pub need_kind: &'static str,
    pub need: String,
    pub pledged: String,
    pub description: String,
    pub due: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub pledged_on: String,
    pub delivered: String,
    pub delivered_on: String,
    pub evidence_link: Option<String>,
    pub delivery_note: String,
    pub review_note: String,
    pub reviewed: String,
    /// The supplier's editor may report delivery now.
    pub can_report: bool,
    /// The VCSE's editor may confirm or query now.
    pub can_review: bool,
    /// The report form's values (typed or stored).
    pub report: DeliveryForm,
    /// The review form's note as typed.
    pub review_text: String,
    pub review_decision: String,
    /// Report form fields: quantity, delivered on, evidence link, note.
    pub dq: Field,
    pub dd: Field,
    pub dl: Field,
    pub dn: Field,
    /// Review form fields: decision, note.
    pub rd: Field,
    pub rn: Field,
}

impl PledgeView {
    /// The view of a pledge for a caller with these roles on its supplier and VCSE.
    pub fn of(p: &PledgeRecord, supplier: Option<Role>, vcse: Option<Role>) -> Self {
        let unit = p.need.unit.as_str();
        let editor = |r: Option<Role>| r.is_some_and(|r| r.at_least(Role::Editor));
        PledgeView {
            id: p.id,
            profile_id: p.profile_id,
            profile_name: p.profile_name.clone(),
            supplier: p.supplier_name.clone(),
            contract_title: p.contract_title.clone(),
            need_kind: p.need.kind.label(),
            need: p.need.description.clone(),
            pledged: quantity_words(p.details.quantity, unit),
            description: p.details.description.clone(),
            due: p
                .details
                .due_date
                .as_ref()
                .map_or_else(|| "no date set".into(), |d| format!("by {d}")),
            status: p.status.label(),
            status_class: status_class(p.status),
            pledged_on: when(&p.created_at),
            delivered: p
                .delivery
                .as_ref()
                .map(|d| quantity_words(Some(d.quantity), unit))
                .unwrap_or_default(),
            delivered_on: p
                .delivery
                .as_ref()
                .map(|d| d.delivered_on.clone())
                .unwrap_or_default(),
            evidence_link: p.delivery.as_ref().and_then(|d| d.evidence_link.clone()),
            delivery_note: p
                .delivery
                .as_ref()
                .map(|d| d.note.clone())
                .unwrap_or_default(),
            review_note: p.review_note.clone().unwrap_or_default(),
            reviewed: match (&p.reviewed_by, &p.reviewed_at) {
                (Some(by), Some(at)) => format!("{by}, {}", when(at)),
                _ => String::new(),
            },
            can_report: editor(supplier) && p.status.can_report(),
            can_review: editor(vcse) && p.status.reviewable(),
            report: p
                .delivery
                .as_ref()
                .map(|d| DeliveryForm {
                    quantity: plain(d.quantity),
                    delivered_on: d.delivered_on.clone(),
                    evidence_link: d.evidence_link.clone().unwrap_or_default(),
                    note: d.note.clone(),
                })
                .unwrap_or_default(),
            review_text: String::new(),
            review_decision: String::new(),
            dq: Field::new("d", p.id, "quantity"),
            dd: Field::new("d", p.id, "delivered_on"),
            dl: Field::new("d", p.id, "evidence_link"),
            dn: Field::new("d", p.id, "note"),
            rd: Field::new("r", p.id, "decision"),
            rn: Field::new("r", p.id, "note"),
        }
    }

    /// Places the problems of this pledge's forms beside their fields.
    #[must_use]
    pub fn with_errors(mut self, errors: &FormErrors) -> Self {
        for f in [
            &mut self.dq,
            &mut self.dd,
            &mut self.dl,
            &mut self.dn,
            &mut self.rd,
            &mut self.rn,
        ] {
            f.error = errors.get(&f.id).map(str::to_owned);
        }
        self
    }
}

/// A form field's id and its problem, if any.
pub struct Field {
    pub id: String,
    pub error: Option<String>,
}

impl Field {
    fn new(form: &str, pledge: Uuid, name: &str) -> Self {
        Field {
            id: format!("{form}-{pledge}-{name}"),
            error: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_as_people_write_them() {
        assert_eq!(
            quantity_words(Some(1500.0), "volunteer hours"),
            "1,500 volunteer hours"
        );
        assert_eq!(quantity_words(Some(2000.0), "£"), "£2,000");
        assert_eq!(quantity_words(Some(2.5), "items"), "2.5 items");
        assert_eq!(quantity_words(None, "items"), "–");
        assert_eq!(grouped(1_234_567.0), "1,234,567");
        assert!(charity_link("SC012345").contains("oscr.org.uk"));
        assert!(charity_link("NIC100002").ends_with("regId=100002"));
        assert!(charity_link("1123456").ends_with("/1123456"));
    }
}
