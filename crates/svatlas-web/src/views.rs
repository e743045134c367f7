//! Page templates (askama, checked at compile time, HTML-escaped by default).

use askama::Template;
use askama_web::WebTemplate;

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
#[template(path = "developers.html")]
pub struct DevelopersPage {
    pub version: &'static str,
    pub routes: Vec<RouteRow>,
}

/// The HTML 404 page.
#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    pub version: &'static str,
}

/// The running sv-atlas version, shown in every page footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// An error shown as a page (see [`crate::error::PageError`]).
#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub version: &'static str,
    pub status: u16,
    pub title: &'static str,
    /// (query parameter, message) for each problem; the parameter links to its form field.
    pub problems: Vec<(Option<String>, String)>,
}
