//! The partner directory's forms: what they send (every field a string, read as (name, value)
//! pairs because checkboxes repeat a name) and how they become the domain's values, with every
//! problem placed beside its field.
//!
//! Field ids: the profile form's start `f-`, a need's `n-{need id or "new"}-`, the pledge
//! form's `p-`, a delivery report's `d-{pledge id}-`, a review's `r-{pledge id}-`.

use serde::Deserialize;
use svatlas_domain::partners::{
    Cause, DeliveryReport, NeedDetails, NeedKind, PledgeDetails, PledgeReview, ProfileDetails,
    all_causes,
};
use svatlas_domain::procurement::model::Edition;

use crate::platform::error::AppError;
use crate::platform::format::plain;
pub use crate::platform::forms::{Fields, optional_number};
use crate::platform::views::{FormErrors, sentence};

/// The API's problems (`areas[2]`, `description`) as the form's, under `prefix` (`f-`, `n-new-`);
/// any other error is passed on.
pub fn errors_from(
    prefix: &str,
    error: impl Into<AppError>,
    errors: &mut FormErrors,
) -> Result<(), AppError> {
    match error.into() {
        AppError::Unprocessable(details) => {
            for d in details {
                let field = d.field.as_deref().unwrap_or("");
                let base = field.split(['[', '.']).next().unwrap_or("");
                let id = if base.is_empty() {
                    format!("{prefix}form")
                } else {
                    format!("{prefix}{base}")
                };
                if errors.get(&id).is_none() {
                    errors.add(id, sentence(&d.message));
                }
            }
            Ok(())
        }
        other => Err(other),
    }
}

/// The profile form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub organisation_id: String,
    pub name: String,
    pub charity_number: String,
    pub company_number: String,
    pub description: String,
    pub website: String,
    pub contact_email: String,
    pub areas: String,
    pub causes: Vec<String>,
    pub offers: String,
    pub published: bool,
}

/// What the profile form sends (`application/x-www-form-urlencoded`), for the API description.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the form in the API document; the form is read as pairs"
)]
pub struct ProfileFormFields {
    /// The organisation the profile is for (when the caller edits in several; new profiles).
    pub organisation_id: Option<String>,
    /// Name shown.
    pub name: String,
    /// Charity number.
    pub charity_number: Option<String>,
    /// Companies House number.
    pub company_number: Option<String>,
    /// What the organisation does.
    pub description: Option<String>,
    /// Website, `https://...`.
    pub website: Option<String>,
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Area codes, separated by spaces or commas.
    pub areas: Option<String>,
    /// A cause id (`MAC 2.2`, `mission:take-back-our-streets`, `well_served`); repeated.
    pub causes: Option<Vec<String>>,
    /// What the organisation offers, one per line.
    pub offers: Option<String>,
    /// `yes` to list the profile in the public directory.
    pub published: Option<String>,
}

impl ProfileForm {
    /// The form of sent fields.
    pub fn from_fields(f: &Fields) -> Self {
        ProfileForm {
            organisation_id: f.get("organisation_id"),
            name: f.get("name"),
            charity_number: f.get("charity_number"),
            company_number: f.get("company_number"),
            description: f.get("description"),
            website: f.get("website"),
            contact_email: f.get("contact_email"),
            areas: f.get("areas"),
            causes: f.all("causes"),
            offers: f.get("offers"),
            published: f.get("published") == "yes",
        }
    }

    /// The form showing a stored profile.
    pub fn from_details(d: &ProfileDetails) -> Self {
        ProfileForm {
            organisation_id: String::new(),
            name: d.name.clone(),
            charity_number: d.charity_number.clone().unwrap_or_default(),
            company_number: d.company_number.clone().unwrap_or_default(),
            description: d.description.clone(),
            website: d.website.clone().unwrap_or_default(),
            contact_email: d.contact_email.clone().unwrap_or_default(),
            areas: d.areas.join(" "),
            causes: d.causes.clone(),
            offers: d.offers.join("\n"),
            published: d.published,
        }
    }

    /// The profile the form describes (checked by the caller).
    pub fn details(&self) -> ProfileDetails {
        let optional = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
        ProfileDetails {
            name: self.name.trim().to_owned(),
            charity_number: optional(&self.charity_number),
            company_number: optional(&self.company_number),
            description: self.description.trim().to_owned(),
            website: optional(&self.website),
            contact_email: optional(&self.contact_email),
            areas: self
                .areas
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            causes: self.causes.clone(),
            offers: self
                .offers
                .lines()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
            published: self.published,
        }
    }
}

/// One cause checkbox.
pub struct CauseOption {
    /// Element id (the first of all is `f-causes`, for the error summary).
    pub html_id: String,
    pub id: String,
    pub label: String,
    pub checked: bool,
}

/// Cause checkboxes of one kind, as a fieldset.
pub struct CauseGroup {
    pub legend: &'static str,
    pub options: Vec<CauseOption>,
}

/// Every cause, grouped, with those in `chosen` checked.
pub fn cause_groups(chosen: &[String]) -> Vec<CauseGroup> {
    let chosen: Vec<String> = chosen
        .iter()
        .map(|c| Cause::parse(c).map_or_else(|| c.clone(), |c| c.id()))
        .collect();
    let mut groups: Vec<CauseGroup> = Vec::new();
    for (n, cause) in all_causes().into_iter().enumerate() {
        let legend = group_of(&cause);
        let label = match &cause {
            Cause::Criterion { edition, id } => {
                let title = cause.label();
                let title = title.split_once(": ").map_or(title.as_str(), |(_, t)| t);
                format!("{id} ({}): {title}", edition.id())
            }
            Cause::Mission(m) => m.clone(),
            Cause::Accord(c) => c.label().to_owned(),
        };
        let option = CauseOption {
            html_id: if n == 0 {
                "f-causes".to_owned()
            } else {
                format!("f-causes-{n}")
            },
            checked: chosen.contains(&cause.id()),
            id: cause.id(),
            label,
        };
        match groups.last_mut() {
            Some(g) if g.legend == legend => g.options.push(option),
            _ => groups.push(CauseGroup {
                legend,
                options: vec![option],
            }),
        }
    }
    groups
}

/// The group a cause is listed under.
pub fn group_of(cause: &Cause) -> &'static str {
    match cause {
        Cause::Criterion {
            edition: Edition::Svm2020,
            ..
        } => "Social Value Model 2020: model award criteria",
        Cause::Criterion {
            edition: Edition::Svm2025,
            ..
        } => "Social Value Model 2025: model award criteria",
        Cause::Mission(_) => "Social Value Model 2025: government missions",
        Cause::Accord(_) => "Bristol Accord: characteristics of sustainable communities",
    }
}

/// A need form, as typed.
#[derive(Debug, Clone, Default)]
pub struct NeedForm {
    pub kind: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub open: bool,
}

/// What a need form sends, for the API description.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the form in the API document; the form is read as pairs"
)]
pub struct NeedFormFields {
    /// `volunteers`, `goods`, `funding`, `skills` or `premises`.
    pub kind: String,
    /// What is needed.
    pub description: String,
    /// How much (optional).
    pub quantity: Option<String>,
    /// Unit of the quantity (optional).
    pub unit: Option<String>,
    /// `yes` while the need is still wanted (changes only; new needs are open).
    pub open: Option<String>,
}

impl NeedForm {
    /// A blank form for a new need.
    pub fn blank() -> Self {
        NeedForm {
            kind: "volunteers".into(),
            open: true,
            ..NeedForm::default()
        }
    }

    /// The form of sent fields; a new need is always open.
    pub fn from_fields(f: &Fields, new: bool) -> Self {
        NeedForm {
            kind: f.get("kind"),
            description: f.get("description"),
            quantity: f.get("quantity"),
            unit: f.get("unit"),
            open: new || f.get("open") == "yes",
        }
    }

    /// The form showing a stored need.
    pub fn from_details(d: &NeedDetails) -> Self {
        NeedForm {
            kind: d.kind.id().to_owned(),
            description: d.description.clone(),
            quantity: d.quantity.map(plain).unwrap_or_default(),
            unit: d.unit.clone(),
            open: d.open,
        }
    }

    /// The need, or the problems under `prefix` (`n-new-`).
    pub fn parse(&self, prefix: &str) -> Result<NeedDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let kind = NeedKind::parse(&self.kind);
        if kind.is_none() {
            errors.add(format!("{prefix}kind"), "Choose the kind of help needed");
        }
        let quantity = optional_number(
            &mut errors,
            &format!("{prefix}quantity"),
            &self.quantity,
            "the quantity",
        );
        let need = NeedDetails {
            kind: kind.unwrap_or(NeedKind::Volunteers),
            description: self.description.clone(),
            quantity,
            unit: self.unit.clone(),
            open: self.open,
        }
        .normalised();
        if let Err(e) = need.validate() {
            let _ = errors_from(prefix, AppError::from(e), &mut errors);
        }
        if errors.is_empty() {
            Ok(need)
        } else {
            Err(errors)
        }
    }
}

/// The pledge form, as typed.
#[derive(Debug, Clone, Default)]
pub struct PledgeForm {
    /// `{profile id}:{need id}`.
    pub need: String,
    pub quantity: String,
    pub description: String,
    pub due_date: String,
}

/// What the pledge form sends, for the API description.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the form in the API document; the form is read as pairs"
)]
pub struct PledgeFormFields {
    /// The need: `{profile id}:{need id}`.
    pub need: String,
    /// How much, in the need's unit (optional).
    pub quantity: Option<String>,
    /// What the supplier will do.
    pub description: String,
    /// By when, `YYYY-MM-DD` (optional).
    pub due_date: Option<String>,
}

impl PledgeForm {
    /// The form of sent fields.
    pub fn from_fields(f: &Fields) -> Self {
        PledgeForm {
            need: f.get("need"),
            quantity: f.get("quantity"),
            description: f.get("description"),
            due_date: f.get("due_date"),
        }
    }

    /// (profile id, need id, pledge), or the problems.
    pub fn parse(&self) -> Result<(uuid::Uuid, uuid::Uuid, PledgeDetails), FormErrors> {
        let mut errors = FormErrors::default();
        let ids = self.need.split_once(':').and_then(|(p, n)| {
            Some((
                p.trim().parse::<uuid::Uuid>().ok()?,
                n.trim().parse::<uuid::Uuid>().ok()?,
            ))
        });
        if ids.is_none() {
            errors.add("p-need", "Choose the need to support");
        }
        let quantity = optional_number(&mut errors, "p-quantity", &self.quantity, "the quantity");
        let due = self.due_date.trim();
        let pledge = PledgeDetails {
            quantity,
            description: self.description.trim().to_owned(),
            due_date: (!due.is_empty()).then(|| due.to_owned()),
        };
        if let Err(e) = pledge.validate() {
            let _ = errors_from("p-", AppError::from(e), &mut errors);
        }
        match ids {
            Some((p, n)) if errors.is_empty() => Ok((p, n, pledge)),
            _ => Err(errors),
        }
    }
}

/// A delivery report form, as typed.
#[derive(Debug, Clone, Default)]
pub struct DeliveryForm {
    pub quantity: String,
    pub delivered_on: String,
    pub evidence_link: String,
    pub note: String,
}

/// What a delivery report form sends, for the API description.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the form in the API document; the form is read as pairs"
)]
pub struct DeliveryFormFields {
    /// Quantity delivered, in the need's unit.
    pub quantity: String,
    /// When, `YYYY-MM-DD`.
    pub delivered_on: String,
    /// A link to evidence (https, optional).
    pub evidence_link: Option<String>,
    /// What was done (optional).
    pub note: Option<String>,
}

impl DeliveryForm {
    /// The form of sent fields.
    pub fn from_fields(f: &Fields) -> Self {
        DeliveryForm {
            quantity: f.get("quantity"),
            delivered_on: f.get("delivered_on"),
            evidence_link: f.get("evidence_link"),
            note: f.get("note"),
        }
    }

    /// The report, or the problems under `prefix` (`d-{pledge}-`).
    pub fn parse(&self, prefix: &str, today: &str) -> Result<DeliveryReport, FormErrors> {
        let mut errors = FormErrors::default();
        let field = format!("{prefix}quantity");
        let quantity = optional_number(&mut errors, &field, &self.quantity, "the quantity");
        if quantity.is_none() && errors.get(&field).is_none() {
            errors.add(field, "Enter the quantity delivered");
        }
        let link = self.evidence_link.trim();
        let report = DeliveryReport {
            quantity: quantity.unwrap_or(0.0),
            delivered_on: self.delivered_on.trim().to_owned(),
            evidence_link: (!link.is_empty()).then(|| link.to_owned()),
            note: self.note.trim().to_owned(),
        };
        if let Err(e) = report.validate(today) {
            let _ = errors_from(prefix, AppError::from(e), &mut errors);
        }
        if errors.is_empty() {
            Ok(report)
        } else {
            Err(errors)
        }
    }
}

/// What a review form sends, for the API description.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[expect(
    dead_code,
    reason = "describes the form in the API document; the form is read as pairs"
)]
pub struct ReviewFormFields {
    /// `confirm` or `query`.
    pub decision: String,
    /// What is wrong or missing (required to query).
    pub note: Option<String>,
}

/// A review decision and note, or the problems under `prefix` (`r-{pledge}-`).
pub fn parse_review(f: &Fields, prefix: &str) -> Result<(PledgeReview, String), FormErrors> {
    let mut errors = FormErrors::default();
    let decision = match f.get("decision").as_str() {
        "confirm" => Some(PledgeReview::Confirm),
        "query" => Some(PledgeReview::Query),
        _ => None,
    };
    let note = f.get("note").trim().to_owned();
    match decision {
        None => errors.add(
            format!("{prefix}decision"),
            "Choose whether to confirm the delivery or query it",
        ),
        Some(d) => {
            if let Err(e) = svatlas_domain::partners::check_pledge_review(d, &note) {
                let _ = errors_from(prefix, AppError::from(e), &mut errors);
            }
        }
    }
    match decision {
        Some(d) if errors.is_empty() => Ok((d, note)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn the_profile_form_reads_lists_and_checkboxes() {
        let f = fields(&[
            ("name", " Skills Hub "),
            ("charity_number", "1123456"),
            ("areas", "e06000026, E05012345;E01015023"),
            ("causes", "MAC 2.2"),
            ("causes", "thriving"),
            ("offers", "Work placements\n\n Mentoring \n"),
            ("published", "yes"),
        ]);
        let d = ProfileForm::from_fields(&f).details();
        assert_eq!(d.areas, ["e06000026", "E05012345", "E01015023"]);
        assert_eq!(d.causes, ["MAC 2.2", "thriving"]);
        assert_eq!(d.offers, ["Work placements", "Mentoring"]);
        assert!(d.published);
        assert_eq!(d.company_number, None);
        let groups = cause_groups(&d.causes);
        assert_eq!(groups.len(), 4);
        assert_eq!(groups[0].options[0].html_id, "f-causes");
        assert!(
            groups
                .iter()
                .flat_map(|g| &g.options)
                .filter(|o| o.checked)
                .count()
                == 2
        );
    }

    #[test]
    fn problems_land_beside_their_fields() {
        let need = NeedForm {
            kind: "cash".into(),
            description: String::new(),
            quantity: "lots".into(),
            unit: String::new(),
            open: true,
        };
        let e = need.parse("n-new-").unwrap_err();
        for id in ["n-new-kind", "n-new-quantity", "n-new-description"] {
            assert!(e.get(id).is_some(), "{id}: {e:?}");
        }
        let pledge = PledgeForm {
            need: "nonsense".into(),
            quantity: "5".into(),
            description: "Laptops".into(),
            due_date: "2027-13-01".into(),
        };
        let e = pledge.parse().unwrap_err();
        assert!(e.get("p-need").is_some() && e.get("p-due_date").is_some());
        let report = DeliveryForm {
            quantity: String::new(),
            delivered_on: "2027-01-01".into(),
            evidence_link: "ftp://x".into(),
            note: String::new(),
        };
        let e = report.parse("d-1-", "2027-06-30").unwrap_err();
        assert!(e.get("d-1-quantity").is_some() && e.get("d-1-evidence_link").is_some());
        let e = parse_review(&fields(&[("decision", "query")]), "r-1-").unwrap_err();
        assert!(e.get("r-1-note").is_some());
        assert!(parse_review(&fields(&[("decision", "confirm")]), "r-1-").is_ok());
    }
}
