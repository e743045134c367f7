//! Signing in with an e-mail address and password.

pub mod get;
pub mod post;

use crate::platform::views::FormErrors;
use crate::platform::views::Layout;

/// The sign-in page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub layout: Layout,
    /// The e-mail address typed, kept after a failed attempt (never the password).
    pub email: String,
    /// Where to go after signing in (a local path, or empty).
    pub next: String,
    pub errors: FormErrors,
}
