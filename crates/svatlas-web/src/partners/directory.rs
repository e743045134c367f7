//! The partner directory's figures: the published profiles a search found, with their areas,
//! causes and open needs in words, and what the search was. `/partners` shows them a page at a
//! time and downloads them all as one table.

use svatlas_domain::partners::Cause;
use svatlas_store::partners::ProfileRecord;

use crate::partners::access::{Geo, Search, match_sources, search, search_notes};
use crate::platform::download::DataTable;
use crate::platform::error::AppError;
use crate::state::AppState;

/// One organisation found.
pub struct DirectoryEntry {
    pub profile: ProfileRecord,
    /// Areas served, `Name (code)` where the name is known.
    pub areas: Vec<String>,
    /// Causes in words.
    pub causes: Vec<String>,
    /// Kinds of open need in words.
    pub needs: Vec<&'static str>,
}

/// Everything a search found, by name.
pub struct Directory {
    pub entries: Vec<DirectoryEntry>,
    /// The place searched, `Name (code)`.
    pub place: Option<String>,
    /// The cause searched, in words.
    pub cause: Option<String>,
    /// The kind of need searched, in words.
    pub need: Option<&'static str>,
    /// How the search was done on this server.
    pub notes: Vec<String>,
}

/// An area code with its name where the server knows it.
pub fn area_words(geo: &Geo<'_>, code: &str) -> String {
    match geo.name(code) {
        Some(n) => format!("{n} ({code})"),
        None => code.to_owned(),
    }
}

fn cause_words(cause: &str) -> String {
    Cause::parse(cause).map_or_else(|| cause.to_owned(), |c| c.label())
}

impl Directory {
    /// The profiles matching `parsed`.
    pub async fn find(state: &AppState, geo: &Geo<'_>, parsed: &Search) -> Result<Self, AppError> {
        let found = search(state, parsed).await?;
        let mut directory = Self::empty(geo, parsed);
        directory.entries = found
            .into_iter()
            .map(|(profile, needs)| DirectoryEntry {
                areas: profile
                    .details
                    .areas
                    .iter()
                    .map(|a| area_words(geo, a))
                    .collect(),
                causes: profile
                    .details
                    .causes
                    .iter()
                    .map(|c| cause_words(c))
                    .collect(),
                needs: needs.iter().map(|k| k.label()).collect(),
                profile,
            })
            .collect();
        Ok(directory)
    }

    /// The search `parsed` with nothing found (yet).
    pub fn empty(geo: &Geo<'_>, parsed: &Search) -> Self {
        Directory {
            entries: Vec::new(),
            place: parsed.place.as_ref().map(|p| area_words(geo, p)),
            cause: parsed.cause.as_ref().map(Cause::label),
            need: parsed.need.map(|n| n.label()),
            notes: search_notes(geo, parsed.place.is_some()),
        }
    }

    /// Every organisation found as a download, with the search and how to check profiles.
    pub fn table(&self, state: &AppState) -> DataTable {
        let mut table = DataTable::new(
            "Voluntary and community partners",
            "partners",
            &[
                "Organisation",
                "Charity number",
                "Company number",
                "Areas served",
                "Causes",
                "Open needs",
                "Offers",
                "Website",
                "Contact e-mail",
                "Profile",
            ],
        );
        for e in &self.entries {
            let d = &e.profile.details;
            table.rows.push(vec![
                d.name.clone().into(),
                d.charity_number.clone().unwrap_or_default().into(),
                d.company_number.clone().unwrap_or_default().into(),
                e.areas.join("; ").into(),
                e.causes.join("; ").into(),
                e.needs.join("; ").into(),
                d.offers.join("; ").into(),
                d.website.clone().unwrap_or_default().into(),
                d.contact_email.clone().unwrap_or_default().into(),
                format!("/partners/{}", e.profile.id).into(),
            ]);
        }
        table.notes = self.notes.clone();
        table.notes.push(
            "Profiles are written by each organisation; sv-atlas does not check them. Check \
             charity and company numbers with the Charity Commission, OSCR, the Charity \
             Commission for Northern Ireland and Companies House."
                .into(),
        );
        let searched: Vec<String> = [
            self.place.as_ref().map(|p| format!("place {p}")),
            self.cause.as_ref().map(|c| format!("cause {c}")),
            self.need.map(|n| format!("need {n}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !searched.is_empty() {
            table
                .notes
                .push(format!("Searched for {}.", searched.join(", ")));
        }
        table.sources = match_sources(state)
            .into_iter()
            .filter(|s| s.id == "social-value-model")
            .collect();
        table
    }
}
