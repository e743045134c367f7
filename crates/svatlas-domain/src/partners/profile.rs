//! A VCSE profile as its organisation enters it, and its validation.
//!
//! Registration numbers: a charity registered in England and Wales has 6 to 8 digits
//! (`1123456`), in Scotland `SC` and 6 digits (`SC012345`), in Northern Ireland `NIC` and
//! digits (`NIC100002`); a Companies House number has 8 characters: 8 digits (`01234567`, with
//! the leading zeros) or a two-letter prefix and 6 digits (`SC123456`, `CE000123`). At least
//! one of the two is needed, so buyers can check who they are dealing with.

use serde::{Deserialize, Serialize};

use super::causes::Cause;
use crate::accounts::Email;
use crate::calculator::entries::{check_area_codes, check_optional, check_required, finish};
use crate::sroi::{FieldError, ValidationErrors};

/// Longest name shown, in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Longest description, in characters.
pub const TEXT_MAX_CHARS: usize = 5_000;
/// Most areas served.
pub const MAX_AREAS: usize = 200;
/// Most causes.
pub const MAX_CAUSES: usize = 40;
/// Most offers.
pub const MAX_OFFERS: usize = 20;
/// Longest offer, in characters.
pub const OFFER_MAX_CHARS: usize = 300;
/// Longest website address, in characters.
pub const URL_MAX_CHARS: usize = 500;

/// A VCSE's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileDetails {
    /// The name shown in the directory (not blank).
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// Registered charity number: England and Wales 6–8 digits, Scotland `SC` + 6 digits,
    /// Northern Ireland `NIC` + digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charity_number: Option<String>,
    /// Companies House number, 8 characters (`01234567`, `SC123456`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_number: Option<String>,
    /// What the organisation does.
    #[serde(default)]
    pub description: String,
    /// Website, `https://...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Contact e-mail address, shown publicly when the profile is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Area codes served (districts, wards, LSOAs, regions), e.g. `E06000026`.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Causes: Social Value Model criteria of either edition (`MAC 2.2`, `MAC 1a`), 2025
    /// missions (`mission:kickstart-economic-growth`) and Bristol Accord components
    /// (`well_served`).
    #[serde(default)]
    pub causes: Vec<String>,
    /// What the organisation offers partners (free text, one item each).
    #[serde(default)]
    pub offers: Vec<String>,
    /// Listed in the public directory; unpublished profiles are seen only by the
    /// organisation's members.
    #[serde(default)]
    pub published: bool,
}

/// Whether `text` (spaces ignored, any case) is a UK charity number.
pub fn is_charity_number(text: &str) -> bool {
    let n = compact(text);
    let digits = |s: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if let Some(rest) = n.strip_prefix("SC") {
        digits(rest, 6..=6)
    } else if let Some(rest) = n.strip_prefix("NIC") {
        digits(rest, 1..=8)
    } else {
        digits(&n, 6..=8)
    }
}

/// Whether `text` (spaces ignored, any case) is a Companies House number: 8 characters, the
/// last 6 digits, the first two digits or letters (`01234567`, `SC123456`, `R0000123`).
pub fn is_company_number(text: &str) -> bool {
    let n = compact(text);
    n.len() == 8
        && n.chars().take(2).all(|c| c.is_ascii_alphanumeric())
        && n.chars().skip(2).all(|c| c.is_ascii_digit())
}

/// Upper case without spaces.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

fn optional(text: Option<String>, clean: impl Fn(&str) -> String) -> Option<String> {
    text.map(|t| clean(&t)).filter(|t| !t.is_empty())
}

/// Whether `url` is an https address with a host and no spaces.
pub(crate) fn is_https_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.')
            && !host.starts_with('.')
            && !host.contains('@')
            && url.len() <= URL_MAX_CHARS
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

impl ProfileDetails {
    /// Tidies what people type: outer spaces, upper-case numbers and area codes, causes as
    /// their ids, no duplicates, empty optional fields left out.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        self.description = self.description.trim().to_owned();
        self.charity_number = optional(self.charity_number, compact);
        self.company_number = optional(self.company_number, compact);
        self.website = optional(self.website, |t| t.trim().to_owned());
        self.contact_email = optional(self.contact_email, |t| t.trim().to_lowercase());
        let mut areas: Vec<String> = Vec::new();
        for a in self.areas {
            let a = a.trim().to_ascii_uppercase();
            if !a.is_empty() && !areas.contains(&a) {
                areas.push(a);
            }
        }
        self.areas = areas;
        let mut causes: Vec<String> = Vec::new();
        for c in self.causes {
            let c = Cause::parse(&c).map_or_else(|| c.trim().to_owned(), |c| c.id());
            if !c.is_empty() && !causes.contains(&c) {
                causes.push(c);
            }
        }
        self.causes = causes;
        self.offers = self
            .offers
            .into_iter()
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        self
    }

    /// The causes that parse, in order.
    pub fn parsed_causes(&self) -> Vec<Cause> {
        self.causes.iter().filter_map(|c| Cause::parse(c)).collect()
    }

    /// Every problem, each naming its field (`areas[2]`, `causes[0]`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = Vec::new();
        check_required(&mut errors, "name", &self.name, NAME_MAX_CHARS);
        check_optional(
            &mut errors,
            "description",
            &self.description,
            TEXT_MAX_CHARS,
        );
        let blank = |o: &Option<String>| o.as_deref().is_none_or(|t| t.trim().is_empty());
        if blank(&self.charity_number) && blank(&self.company_number) {
            errors.push(FieldError::new(
                "required",
                "charity_number",
                "give a charity number or a Companies House number (or both), so buyers can \
                 check the organisation",
            ));
        }
        if let Some(n) = &self.charity_number
            && !n.trim().is_empty()
            && !is_charity_number(n)
        {
            errors.push(FieldError::new(
                "invalid",
                "charity_number",
                "a charity number is 6 to 8 digits (England and Wales), SC and 6 digits \
                 (Scotland) or NIC and digits (Northern Ireland)",
            ));
        }
        if let Some(n) = &self.company_number
            && !n.trim().is_empty()
            && !is_company_number(n)
        {
            errors.push(FieldError::new(
                "invalid",
                "company_number",
                "a Companies House number has 8 characters: 8 digits with any leading zeros \
                 (01234567) or two letters and 6 digits (SC123456)",
            ));
        }
        if let Some(w) = &self.website
            && !is_https_url(w.trim())
        {
            errors.push(FieldError::new(
                "invalid",
                "website",
                format!(
                    "the website must be an address starting https://, at most {URL_MAX_CHARS} \
                     characters"
                ),
            ));
        }
        if let Some(e) = &self.contact_email
            && Email::parse(e).is_err()
        {
            errors.push(FieldError::new(
                "invalid",
                "contact_email",
                "the contact e-mail must be an address like name@example.org",
            ));
        }
        self.validate_lists(&mut errors);
        finish(errors)
    }

    fn validate_lists(&self, errors: &mut Vec<FieldError>) {
        if self.areas.len() > MAX_AREAS {
            errors.push(FieldError::new(
                "too_many",
                "areas",
                format!("at most {MAX_AREAS} areas served"),
            ));
        }
        check_area_codes(errors, &self.areas);
        if self.causes.len() > MAX_CAUSES {
            errors.push(FieldError::new(
                "too_many",
                "causes",
                format!("at most {MAX_CAUSES} causes"),
            ));
        }
        for (i, c) in self.causes.iter().enumerate() {
            if Cause::parse(c).is_none() {
                errors.push(FieldError::new(
                    "unknown",
                    format!("causes[{i}]"),
                    format!(
                        "{c:?} is not a Social Value Model criterion (MAC 2.2, MAC 1a), a 2025 \
                         mission or a Bristol Accord component"
                    ),
                ));
            }
        }
        if self.offers.len() > MAX_OFFERS {
            errors.push(FieldError::new(
                "too_many",
                "offers",
                format!("at most {MAX_OFFERS} offers"),
            ));
        }
        for (i, o) in self.offers.iter().enumerate() {
            check_required(errors, &format!("offers[{i}]"), o, OFFER_MAX_CHARS);
        }
        if self.published {
            if self.areas.is_empty() {
                errors.push(FieldError::new(
                    "required",
                    "areas",
                    "a published profile names at least one area served, so people searching \
                     by place can find it",
                ));
            }
            if self.causes.is_empty() {
                errors.push(FieldError::new(
                    "required",
                    "causes",
                    "a published profile names at least one cause, so people searching by cause \
                     can find it",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn profile() -> ProfileDetails {
        ProfileDetails {
            name: "Plymouth Skills Hub".into(),
            charity_number: Some("1123456".into()),
            company_number: None,
            description: "Training and jobs for young people".into(),
            website: Some("https://skills.example.org".into()),
            contact_email: Some("hello@skills.example.org".into()),
            areas: vec!["E06000026".into()],
            causes: vec!["MAC 2.2".into(), "thriving".into()],
            offers: vec!["Work placements".into()],
            published: true,
        }
    }

    #[test]
    fn charity_numbers_of_the_three_registers() {
        for ok in [
            "123456",
            "1123456",
            "11234567",
            "SC012345",
            "sc 012345",
            "NIC100002",
        ] {
            assert!(is_charity_number(ok), "{ok}");
        }
        for bad in [
            "12345",
            "123456789",
            "SC12345",
            "SC0123456",
            "NIC",
            "AB123456",
            "1123456-1",
        ] {
            assert!(!is_charity_number(bad), "{bad}");
        }
    }

    #[test]
    fn company_numbers_have_eight_characters() {
        for ok in ["01234567", "SC123456", "ce000123", "R0000123", "NI 012345"] {
            assert!(is_company_number(ok), "{ok}");
        }
        for bad in ["1234567", "012345678", "SC12345A", "S-123456", ""] {
            assert!(!is_company_number(bad), "{bad}");
        }
    }

    #[test]
    fn a_complete_profile_is_valid_and_normalises() {
        let mut p = profile();
        p.charity_number = Some(" sc 012345 ".into());
        p.areas = vec![" e06000026".into(), "E06000026".into(), "".into()];
        p.causes = vec!["mac 2.2".into(), "Thriving".into(), "MAC 2.2".into()];
        p.contact_email = Some(" Hello@Skills.Example.org ".into());
        p.website = Some("  ".into());
        let p = p.normalised();
        assert_eq!(p.charity_number.as_deref(), Some("SC012345"));
        assert_eq!(p.areas, ["E06000026"]);
        assert_eq!(p.causes, ["MAC 2.2", "thriving"]);
        assert_eq!(p.contact_email.as_deref(), Some("hello@skills.example.org"));
        assert_eq!(p.website, None);
        p.validate().expect("valid");
        assert_eq!(p.parsed_causes().len(), 2);
    }

    #[test]
    fn every_problem_names_its_field() {
        let p = ProfileDetails {
            name: " ".into(),
            charity_number: Some("12".into()),
            company_number: Some("ABC".into()),
            description: String::new(),
            website: Some("http://insecure.example".into()),
            contact_email: Some("not an address".into()),
            areas: vec!["E06-26".into()],
            causes: vec!["MAC 9.9".into()],
            offers: vec![" ".into()],
            published: false,
        };
        let errors = p.validate().expect_err("many problems");
        for field in [
            "name",
            "charity_number",
            "company_number",
            "website",
            "contact_email",
            "areas[0]",
            "causes[0]",
            "offers[0]",
        ] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_number_is_required_and_published_profiles_need_areas_and_causes() {
        let mut p = profile();
        p.charity_number = None;
        let e = p.validate().expect_err("no number");
        assert_eq!(e.for_field("charity_number").unwrap().code, "required");
        p.company_number = Some("01234567".into());
        p.validate().expect("company number is enough");
        p.areas.clear();
        p.causes.clear();
        let e = p.validate().expect_err("published without areas or causes");
        assert!(e.for_field("areas").is_some() && e.for_field("causes").is_some());
        p.published = false;
        p.validate().expect("a draft may be incomplete");
    }

    #[test]
    fn websites_must_be_https_with_a_host() {
        assert!(is_https_url("https://example.org/about"));
        for bad in [
            "http://example.org",
            "https://",
            "https://localhost",
            "https://user@evil.example",
            "https://exa mple.org",
        ] {
            assert!(!is_https_url(bad), "{bad}");
        }
    }
}
