//! Page templates (askama, checked at compile time, HTML-escaped by default).

use askama::Template;
use askama_web::WebTemplate;

use crate::platform::auth::Caller;

/// One route in the API reference table.
pub struct RouteRow {
    pub method: String,
    pub path: String,
    pub summary: String,
    /// `id` for the first route of each tag, so `/developers#sroi` lands on that group.
    pub anchor: Option<String>,
}

/// The API reference page.
#[derive(Template, WebTemplate)]
#[template(path = "platform/developers.html")]
pub struct DevelopersPage {
    pub layout: Layout,
    pub routes: Vec<RouteRow>,
}

/// The HTML 404 page.
#[derive(Template, WebTemplate)]
#[template(path = "platform/not_found.html")]
pub struct NotFoundPage {
    pub layout: Layout,
}

/// The running sv-atlas version, shown in every page footer.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the page layout (`platform/base.html`) needs from every page: the version for the
/// footer, the section of the navigation to mark as current and who is signed in.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The running version.
    pub version: &'static str,
    /// The job the page belongs to: `home`, `need`, `sroi`, `procurement`, `partners`,
    /// `accounts` or `platform`.
    pub section: &'static str,
    /// The signed-in user's name, shown in the header beside the sign-out button: only on
    /// pages built for a caller. `None` on pages that do not look at the session, and always
    /// on pages whose HTML is cached and shared by every visitor.
    pub user: Option<String>,
}

impl Layout {
    /// The layout of a page in `section`, with nobody signed in shown.
    pub const fn new(section: &'static str) -> Self {
        Layout {
            version: VERSION,
            section,
            user: None,
        }
    }

    /// The layout of a page in `section` built for `caller`.
    pub fn signed_in(section: &'static str, caller: &Caller) -> Self {
        Layout::new(section).for_user(caller)
    }

    /// This layout showing `caller` as signed in.
    pub fn for_user(self, caller: &Caller) -> Self {
        Layout {
            user: Some(caller.user.name.clone()),
            ..self
        }
    }

    /// Whether the page is built for a signed-in caller.
    pub fn is_signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// This layout showing the caller, if there is one (pages open to everyone).
    pub fn for_caller(self, caller: Option<&Caller>) -> Self {
        match caller {
            Some(caller) => self.for_user(caller),
            None => self,
        }
    }
}

/// An error shown as a page (see [`crate::platform::error::PageError`]).
#[derive(Template, WebTemplate)]
#[template(path = "platform/error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub title: &'static str,
    /// (query parameter, message) for each problem; the parameter links to its form field.
    pub problems: Vec<(Option<String>, String)>,
}

/// Problems with a submitted form, each naming the field (its `id`) it belongs to, in the
/// order the fields appear, for the error summary and the messages beside the fields.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    /// Records a problem with `field`.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// The first problem with `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether any problem is with a field whose id starts with `prefix` (one form of several
    /// on a page).
    pub fn any_with_prefix(&self, prefix: &str) -> bool {
        self.0.iter().any(|(f, _)| f.starts_with(prefix))
    }

    /// Whether there is no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One problem.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        FormErrors(vec![(field.into(), message.into())])
    }
}

/// A UTC time as people read it: `5 March 2026, 14:07 UTC`.
pub fn when(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%-d %B %Y, %H:%M UTC").to_string()
}

/// A message's first letter in upper case (store and domain messages start lower case).
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
