//! Your account: who you are, your organisations, your password and your API tokens.

pub mod create_token;
pub mod get;
pub mod password;
pub mod revoke_token;

use svatlas_domain::accounts::PASSWORD_MIN_CHARS;
use svatlas_store::accounts::{Membership, User};
use uuid::Uuid;

use crate::platform::auth::Caller;
use crate::platform::error::AppError;
use crate::platform::views::Layout;
use crate::platform::views::{FormErrors, when};
use crate::state::AppState;

/// One API token as listed.
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    /// When it was revoked, if it was.
    pub revoked: Option<String>,
}

/// The account page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub layout: Layout,
    pub user: User,
    pub memberships: Vec<Membership>,
    pub tokens: Vec<TokenRow>,
    pub errors: FormErrors,
    /// What just succeeded, if anything.
    pub notice: Option<&'static str>,
    /// The token name typed, kept after a failed attempt.
    pub token_name: String,
    pub min_password: usize,
}

impl AccountPage {
    /// The page for `caller`, with these form problems.
    pub async fn load(
        state: &AppState,
        caller: Caller,
        errors: FormErrors,
    ) -> Result<AccountPage, AppError> {
        let tokens = state
            .store()
            .api_tokens_of(caller.user.id)
            .await?
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                created: when(&t.created_at),
                last_used: t
                    .last_used_at
                    .as_ref()
                    .map_or_else(|| "Never".to_owned(), when),
                revoked: t.revoked_at.as_ref().map(when),
            })
            .collect();
        Ok(AccountPage {
            layout: Layout::new("accounts"),
            user: caller.user,
            memberships: caller.memberships,
            tokens,
            errors,
            notice: None,
            token_name: String::new(),
            min_password: PASSWORD_MIN_CHARS,
        })
    }
}
