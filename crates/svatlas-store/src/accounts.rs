//! Accounts: organisations, users and their memberships, password logins with lockout, and
//! personal API tokens. Every change writes the audit log in the same transaction; audit
//! entries never carry a password, a password hash or a token.
//!
//! Events about a user (creation, lockout, password change, API tokens) are audited with entity
//! `user` and the user's id, so [`Store::audit_for_organisation`] shows them to the admins of
//! every organisation the user belongs to.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use svatlas_domain::accounts::{Email, LOCKOUT_MINUTES, MAX_FAILED_LOGINS, NewPassword, Role};
use uuid::Uuid;

use crate::audit::NewAuditEntry;
use crate::write::{audited_write, count_rows};
use crate::{Store, StoreError, dispatch, password};

/// Longest accepted organisation, user or token name, in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Every API token starts with this, so leaked tokens are easy to recognise and scan for.
pub const TOKEN_PREFIX: &str = "sva_";
/// Characters of a token kept for display (`sva_` and the first 8 hex digits).
const TOKEN_DISPLAY_LEN: usize = 12;

/// An organisation: owns projects, has members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    /// Opaque id.
    pub id: Uuid,
    /// Name as first written (unique regardless of case).
    pub name: String,
    /// When it was created (UTC).
    pub created_at: DateTime<Utc>,
}

/// A person who can sign in. The password hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// Opaque id.
    pub id: Uuid,
    /// Login name: the normalised e-mail address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Wrong passwords since the last successful login or lockout.
    pub failed_logins: i32,
    /// Logins are refused until then.
    pub locked_until: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// When the account last changed.
    pub updated_at: DateTime<Utc>,
}

/// A user's role in one organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    /// The organisation.
    pub organisation_id: Uuid,
    /// Its name, for display.
    pub organisation_name: String,
    /// What the user may do there.
    pub role: Role,
}

/// What is needed to create a user (and, if new, their organisation).
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Login e-mail.
    pub email: &'a Email,
    /// Display name.
    pub name: &'a str,
    /// Initial password (already checked against the policy).
    pub password: &'a NewPassword,
    /// Organisation name: joined if it exists (matched regardless of case), else created.
    pub organisation: &'a str,
    /// Role in that organisation.
    pub role: Role,
}

/// The result of [`Store::create_user`].
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedUser {
    /// The new user.
    pub user: User,
    /// The organisation they joined.
    pub organisation: Organisation,
    /// Whether that organisation was created for them.
    pub organisation_created: bool,
}

/// The answer to a login attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginOutcome {
    /// Right e-mail and password.
    Success(User),
    /// Unknown e-mail or wrong password (deliberately not told apart).
    Rejected,
    /// Too many wrong passwords: no password is accepted until `until`.
    Locked {
        /// End of the lockout (UTC).
        until: DateTime<Utc>,
    },
}

/// The answer to [`Store::change_password`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    /// The new password is in place.
    Changed,
    /// The current password given was wrong; nothing changed.
    WrongCurrentPassword,
}

/// A personal API token as listed (the token itself is only shown once, at creation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    /// Opaque id.
    pub id: Uuid,
    /// Owner.
    pub user_id: Uuid,
    /// What the owner called it.
    pub name: String,
    /// The first characters of the token, to recognise it (`sva_1a2b3c4d`).
    pub prefix: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last authenticated a request.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A newly created token: `token` is the secret, shown to its owner once and stored only hashed.
#[derive(Clone, PartialEq)]
pub struct CreatedApiToken {
    /// The bearer token (`sva_` + 64 hex digits).
    pub token: String,
    /// Its listing.
    pub info: ApiToken,
}

impl std::fmt::Debug for CreatedApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedApiToken")
            .field("token", &"***")
            .field("info", &self.info)
            .finish()
    }
}

/// Who a bearer token speaks for.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenOwner {
    /// The token used.
    pub token_id: Uuid,
    /// Its owner.
    pub user: User,
    /// The owner's organisations and roles.
    pub memberships: Vec<Membership>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    name: String,
    password_hash: String,
    failed_logins: i32,
    locked_until: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl UserRow {
    fn into_user(self) -> Result<User, StoreError> {
        Ok(User {
            id: parse_id(&self.id)?,
            email: self.email,
            name: self.name,
            failed_logins: self.failed_logins,
            locked_until: self.locked_until,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: String,
    name: String,
    created_at: DateTime<Utc>,
}

impl OrganisationRow {
    fn into_organisation(self) -> Result<Organisation, StoreError> {
        Ok(Organisation {
            id: parse_id(&self.id)?,
            name: self.name,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    organisation_id: String,
    organisation_name: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: String,
    user_id: String,
    name: String,
    prefix: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TokenRow {
    fn into_token(self) -> Result<ApiToken, StoreError> {
        Ok(ApiToken {
            id: parse_id(&self.id)?,
            user_id: parse_id(&self.user_id)?,
            name: self.name,
            prefix: self.prefix,
            created_at: self.created_at,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
        })
    }
}

fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text)
        .map_err(|_| StoreError::Invalid(format!("stored id {text:?} is not a UUID")))
}

/// Trims a name and checks it is present and not too long; `what` names it in the message.
fn clean_name(what: &str, text: &str) -> Result<String, StoreError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid(format!("{what} is empty")));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(StoreError::Invalid(format!(
            "{what} is longer than {NAME_MAX_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(format!(
            "{what} must not contain control characters"
        )));
    }
    Ok(name.to_string())
}

/// A unique-constraint violation becomes [`StoreError::Duplicate`] with `message`; anything
/// else converts as usual.
fn duplicate(error: sqlx::Error, message: impl FnOnce() -> String) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(message()),
        _ => error.into(),
    }
}

/// SHA-256 of a token, as stored.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Now, truncated to whole microseconds so values read back equal on both backends.
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

impl Store {
    /// Creates a user with a membership in the named organisation, creating the organisation
    /// when no organisation has that name (ignoring case), all in one transaction with its
    /// audit entries. A taken e-mail gives [`StoreError::Duplicate`].
    pub async fn create_user(
        &self,
        actor: &str,
        new: &NewUser<'_>,
    ) -> Result<CreatedUser, StoreError> {
        let name = clean_name("name", new.name)?;
        let organisation_name = clean_name("organisation name", new.organisation)?;
        let organisation_key = organisation_name.to_lowercase();
        let password_hash = password::hash(new.password.expose()).await?;
        let at = now();
        let user = User {
            id: Uuid::new_v4(),
            email: new.email.as_str().to_string(),
            name,
            failed_logins: 0,
            locked_until: None,
            created_at: at,
            updated_at: at,
        };
        let user_id = user.id.to_string();
        let user_after = json!({"email": user.email, "name": user.name});
        let created = audited_write!(self, at, |tx| {
            let existing: Option<OrganisationRow> = sqlx::query_as(
                "SELECT id, name, created_at FROM organisations WHERE name_key = $1",
            )
            .bind(&organisation_key)
            .fetch_optional(&mut *tx)
            .await?;
            let (organisation, organisation_created) = match existing {
                Some(row) => (row.into_organisation()?, false),
                None => {
                    let organisation = Organisation {
                        id: Uuid::new_v4(),
                        name: organisation_name.clone(),
                        created_at: at,
                    };
                    let id = organisation.id.to_string();
                    sqlx::query(
                        "INSERT INTO organisations (id, name, name_key, created_at) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(&id)
                    .bind(&organisation.name)
                    .bind(&organisation_key)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        duplicate(e, || {
                            format!("an organisation named {organisation_name:?} already exists")
                        })
                    })?;
                    (organisation, true)
                }
            };
            let organisation_id = organisation.id.to_string();
            sqlx::query(
                "INSERT INTO users (id, email, name, password_hash, failed_logins, locked_until, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, 0, NULL, $5, $6)",
            )
            .bind(&user_id)
            .bind(&user.email)
            .bind(&user.name)
            .bind(&password_hash)
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate(e, || format!("a user with email {} already exists", user.email)))?;
            sqlx::query(
                "INSERT INTO memberships (organisation_id, user_id, role, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&organisation_id)
            .bind(&user_id)
            .bind(new.role.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let membership_after = json!({"user_id": user_id, "email": user.email, "role": new.role});
            let organisation_after = json!({"name": organisation.name});
            let membership_id = format!("{organisation_id}/{user_id}");
            let create = |entity, entity_id, after| NewAuditEntry {
                actor, action: "create", entity, entity_id, before: None, after: Some(after),
                organisation_id: Some(&organisation_id),
            };
        } audit organisation_created
            .then(|| create("organisation", &organisation_id, &organisation_after))
            .into_iter()
            .chain([
                create("user", &user_id, &user_after),
                create("membership", &membership_id, &membership_after),
            ])
            => CreatedUser { user, organisation, organisation_created });
        Ok(created)
    }

    /// The organisation with this name (ignoring case and surrounding spaces).
    pub async fn organisation_by_name(&self, name: &str) -> Result<Organisation, StoreError> {
        let key = name.trim().to_lowercase();
        let row: OrganisationRow = dispatch!(self, pool => {
            sqlx::query_as("SELECT id, name, created_at FROM organisations WHERE name_key = $1")
                .bind(&key)
                .fetch_one(pool)
                .await?
        });
        row.into_organisation()
    }

    /// Adds an existing user to an organisation with a role; [`StoreError::Duplicate`] when
    /// they are a member already, [`StoreError::NotFound`] when either does not exist.
    pub async fn add_membership(
        &self,
        actor: &str,
        organisation_id: Uuid,
        user_id: Uuid,
        role: Role,
    ) -> Result<(), StoreError> {
        let organisation_id = organisation_id.to_string();
        let user_id = user_id.to_string();
        let at = now();
        let after = json!({"user_id": user_id, "role": role});
        let entity_id = format!("{organisation_id}/{user_id}");
        audited_write!(self, at, |tx| {
            let found: i64 = sqlx::query_scalar(
                "SELECT CAST((SELECT COUNT(*) FROM organisations WHERE id = $1) \
                 + (SELECT COUNT(*) FROM users WHERE id = $2) AS BIGINT)",
            )
            .bind(&organisation_id)
            .bind(&user_id)
            .fetch_one(&mut *tx)
            .await?;
            if found != 2 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO memberships (organisation_id, user_id, role, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&organisation_id)
            .bind(&user_id)
            .bind(role.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate(e, || "that user is already a member of the organisation".to_string()))?;
        } audit [NewAuditEntry {
            actor,
            action: "create",
            entity: "membership",
            entity_id: &entity_id,
            before: None,
            after: Some(&after),
            organisation_id: Some(&organisation_id),
        }]);
        Ok(())
    }

    /// The user with this e-mail, or [`StoreError::NotFound`].
    pub async fn user_by_email(&self, email: &Email) -> Result<User, StoreError> {
        self.user_row_by_email(email)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_user()
    }

    async fn user_row_by_email(&self, email: &Email) -> Result<Option<UserRow>, StoreError> {
        let sql = "SELECT id, email, name, password_hash, failed_logins, locked_until, \
                   created_at, updated_at FROM users WHERE email = $1";
        Ok(dispatch!(self, pool => {
            sqlx::query_as(sql).bind(email.as_str()).fetch_optional(pool).await?
        }))
    }

    async fn user_row_by_id(&self, id: Uuid) -> Result<UserRow, StoreError> {
        let sql = "SELECT id, email, name, password_hash, failed_logins, locked_until, \
                   created_at, updated_at FROM users WHERE id = $1";
        let id = id.to_string();
        Ok(dispatch!(self, pool => {
            sqlx::query_as(sql).bind(&id).fetch_one(pool).await?
        }))
    }

    /// The user's organisations and roles, by organisation name.
    pub async fn memberships_of(&self, user_id: Uuid) -> Result<Vec<Membership>, StoreError> {
        let user_id = user_id.to_string();
        let rows: Vec<MembershipRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT m.organisation_id, o.name AS organisation_name, m.role \
                 FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
                 WHERE m.user_id = $1 ORDER BY o.name_key",
            )
            .bind(&user_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(Membership {
                    organisation_id: parse_id(&row.organisation_id)?,
                    organisation_name: row.organisation_name,
                    role: Role::parse(&row.role)
                        .map_err(|e| StoreError::Invalid(format!("stored {e}")))?,
                })
            })
            .collect()
    }

    /// Checks an e-mail and password. An unknown or malformed e-mail is verified against a
    /// dummy hash, so it takes as long as a wrong password and gives the same answer. Each wrong
    /// password counts; the [`MAX_FAILED_LOGINS`]th in a row locks the account for
    /// [`LOCKOUT_MINUTES`] (audited as `lock`), during which even the right password is refused.
    /// A successful login clears the count.
    pub async fn verify_login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<LoginOutcome, StoreError> {
        let row = match Email::parse(email) {
            Ok(email) => self.user_row_by_email(&email).await?,
            Err(_) => None,
        };
        let Some(row) = row else {
            password::verify(password, None).await?;
            return Ok(LoginOutcome::Rejected);
        };
        let at = now();
        if let Some(until) = row.locked_until
            && until > at
        {
            return Ok(LoginOutcome::Locked { until });
        }
        if password::verify(password, Some(row.password_hash.clone())).await? {
            if row.failed_logins != 0 || row.locked_until.is_some() {
                dispatch!(self, pool => {
                    sqlx::query(
                        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
                    )
                    .bind(&row.id)
                    .execute(pool)
                    .await?;
                });
            }
            let mut user = row.into_user()?;
            user.failed_logins = 0;
            user.locked_until = None;
            return Ok(LoginOutcome::Success(user));
        }
        let lock_until = at + Duration::minutes(i64::from(LOCKOUT_MINUTES));
        let max = i32::try_from(MAX_FAILED_LOGINS).unwrap_or(i32::MAX);
        let before = json!({"failed_logins": MAX_FAILED_LOGINS - 1});
        let after = json!({"locked_until": lock_until, "reason": "too many wrong passwords"});
        let locked: Option<DateTime<Utc>> = audited_write!(self, at, |tx| {
            // One statement, so concurrent wrong guesses cannot slip past the count.
            let locked: Option<DateTime<Utc>> = sqlx::query_scalar(
                "UPDATE users SET \
                 locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE NULL END, \
                 failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 \
                                      ELSE failed_logins + 1 END \
                 WHERE id = $3 RETURNING locked_until",
            )
            .bind(max)
            .bind(lock_until)
            .bind(&row.id)
            .fetch_one(&mut *tx)
            .await?;
            // Only the guess that locks the account is audited.
        } audit locked.is_some().then_some(NewAuditEntry {
            actor: &row.email, action: "lock", entity: "user", entity_id: &row.id,
            before: Some(&before), after: Some(&after), organisation_id: None,
        }) => locked);
        Ok(match locked {
            Some(until) => LoginOutcome::Locked { until },
            None => LoginOutcome::Rejected,
        })
    }

    /// Replaces a user's password after checking the current one (a wrong current password
    /// counts towards the lockout like any wrong login).
    pub async fn change_password(
        &self,
        actor: &str,
        user_id: Uuid,
        current: &str,
        new: &NewPassword,
    ) -> Result<PasswordChange, StoreError> {
        let row = self.user_row_by_id(user_id).await?;
        match self.verify_login(&row.email, current).await? {
            LoginOutcome::Success(_) => {}
            LoginOutcome::Rejected | LoginOutcome::Locked { .. } => {
                return Ok(PasswordChange::WrongCurrentPassword);
            }
        }
        let hash = password::hash(new.expose()).await?;
        let at = now();
        let after = json!({"password": "changed"});
        audited_write!(self, at, |tx| {
            sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(&hash)
                .bind(at)
                .bind(&row.id)
                .execute(&mut *tx)
                .await?;
        } audit [NewAuditEntry {
            actor,
            action: "change_password",
            entity: "user",
            entity_id: &row.id,
            before: None,
            after: Some(&after),
            organisation_id: None,
        }]);
        Ok(PasswordChange::Changed)
    }

    /// Creates a personal API token for a user: 32 random bytes as `sva_` + 64 hex digits,
    /// returned once and stored only as its SHA-256.
    pub async fn create_api_token(
        &self,
        actor: &str,
        user_id: Uuid,
        name: &str,
    ) -> Result<CreatedApiToken, StoreError> {
        let name = clean_name("token name", name)?;
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| StoreError::Hashing(format!("no random numbers: {e}")))?;
        let token: String = std::iter::once(TOKEN_PREFIX.to_string())
            .chain(secret.iter().map(|b| format!("{b:02x}")))
            .collect();
        let at = now();
        let info = ApiToken {
            id: Uuid::new_v4(),
            user_id,
            name,
            prefix: token[..TOKEN_DISPLAY_LEN].to_string(),
            created_at: at,
            last_used_at: None,
            revoked_at: None,
        };
        let id = info.id.to_string();
        let owner = user_id.to_string();
        let hash = token_hash(&token);
        let after = json!({"token_id": id, "name": info.name, "prefix": info.prefix});
        audited_write!(self, at, |tx| {
            sqlx::query(
                "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(&owner)
            .bind(&info.name)
            .bind(&hash)
            .bind(&info.prefix)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
                _ => e.into(),
            })?;
        } audit [NewAuditEntry {
            actor,
            action: "create_api_token",
            entity: "user",
            entity_id: &owner,
            before: None,
            after: Some(&after),
            organisation_id: None,
        }]);
        Ok(CreatedApiToken { token, info })
    }

    /// The user a bearer token speaks for, with their memberships, recording the use;
    /// [`StoreError::NotFound`] for an unknown, malformed or revoked token.
    pub async fn resolve_api_token(&self, token: &str) -> Result<TokenOwner, StoreError> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() != TOKEN_PREFIX.len() + 64 {
            return Err(StoreError::NotFound);
        }
        let hash = token_hash(token);
        let at = now();
        let row: Option<(String, String)> = dispatch!(self, pool => {
            sqlx::query_as(
                "UPDATE api_tokens SET last_used_at = $1 \
                 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING id, user_id",
            )
            .bind(at)
            .bind(&hash)
            .fetch_optional(pool)
            .await?
        });
        let (token_id, user_id) = row.ok_or(StoreError::NotFound)?;
        let user = self
            .user_row_by_id(parse_id(&user_id)?)
            .await?
            .into_user()?;
        let memberships = self.memberships_of(user.id).await?;
        Ok(TokenOwner {
            token_id: parse_id(&token_id)?,
            user,
            memberships,
        })
    }

    /// A user's tokens, newest first (revoked ones included, marked).
    pub async fn api_tokens_of(&self, user_id: Uuid) -> Result<Vec<ApiToken>, StoreError> {
        let user_id = user_id.to_string();
        let rows: Vec<TokenRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at \
                 FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id",
            )
            .bind(&user_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TokenRow::into_token).collect()
    }

    /// Revokes one of a user's tokens; [`StoreError::NotFound`] when the user has no such
    /// token or it is revoked already.
    pub async fn revoke_api_token(
        &self,
        actor: &str,
        user_id: Uuid,
        token_id: Uuid,
    ) -> Result<(), StoreError> {
        let owner = user_id.to_string();
        let id = token_id.to_string();
        let at = now();
        audited_write!(self, at, |tx| {
            let row: Option<TokenRow> = sqlx::query_as(
                "UPDATE api_tokens SET revoked_at = $1 \
                 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL \
                 RETURNING id, user_id, name, prefix, created_at, last_used_at, revoked_at",
            )
            .bind(at)
            .bind(&id)
            .bind(&owner)
            .fetch_optional(&mut *tx)
            .await?;
            let row = row.ok_or(StoreError::NotFound)?;
            let before = json!({"token_id": id, "name": row.name, "prefix": row.prefix, "revoked": false});
            let after = json!({"token_id": id, "name": row.name, "prefix": row.prefix, "revoked": true});
        } audit [NewAuditEntry {
            actor,
            action: "revoke_api_token",
            entity: "user",
            entity_id: &owner,
            before: Some(&before),
            after: Some(&after),
            organisation_id: None,
        }]);
        Ok(())
    }
}

/// A member of an organisation, as listed to its members.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// The member's user id.
    pub user_id: Uuid,
    /// Their login e-mail.
    pub email: String,
    /// Their display name.
    pub name: String,
    /// Their role in the organisation.
    pub role: Role,
    /// When they joined it.
    pub since: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    email: String,
    name: String,
    role: String,
    created_at: DateTime<Utc>,
}

impl MemberRow {
    fn into_member(self) -> Result<Member, StoreError> {
        Ok(Member {
            user_id: parse_id(&self.user_id)?,
            email: self.email,
            name: self.name,
            role: Role::parse(&self.role)
                .map_err(|e| StoreError::Invalid(format!("stored {e}")))?,
            since: self.created_at,
        })
    }
}

/// A change to one membership.
enum MembershipChange {
    Role(Role),
    Remove,
}

impl Store {
    /// The user with this id, or [`StoreError::NotFound`].
    pub async fn user_by_id(&self, id: Uuid) -> Result<User, StoreError> {
        self.user_row_by_id(id).await?.into_user()
    }

    /// The organisation with this id, or [`StoreError::NotFound`].
    pub async fn organisation_by_id(&self, id: Uuid) -> Result<Organisation, StoreError> {
        let id = id.to_string();
        let row: OrganisationRow = dispatch!(self, pool => {
            sqlx::query_as("SELECT id, name, created_at FROM organisations WHERE id = $1")
                .bind(&id)
                .fetch_one(pool)
                .await?
        });
        row.into_organisation()
    }

    /// The organisation's members, admins first, then by name.
    pub async fn members_of(&self, organisation_id: Uuid) -> Result<Vec<Member>, StoreError> {
        let id = organisation_id.to_string();
        let rows: Vec<MemberRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at \
                 FROM memberships m JOIN users u ON u.id = m.user_id \
                 WHERE m.organisation_id = $1 \
                 ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, \
                 u.name, u.email",
            )
            .bind(&id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(MemberRow::into_member).collect()
    }

    /// Gives a member another role, audited with the role before and after.
    /// [`StoreError::NotFound`] when the user is not a member; [`StoreError::LastAdmin`] when
    /// this would leave the organisation without an admin.
    pub async fn set_member_role(
        &self,
        actor: &str,
        organisation_id: Uuid,
        user_id: Uuid,
        role: Role,
    ) -> Result<(), StoreError> {
        self.change_membership(
            actor,
            organisation_id,
            user_id,
            MembershipChange::Role(role),
        )
        .await
    }

    /// Removes a member from an organisation (the user account stays), audited with the
    /// membership before. [`StoreError::NotFound`] when the user is not a member;
    /// [`StoreError::LastAdmin`] when they are its only admin.
    pub async fn remove_membership(
        &self,
        actor: &str,
        organisation_id: Uuid,
        user_id: Uuid,
    ) -> Result<(), StoreError> {
        self.change_membership(actor, organisation_id, user_id, MembershipChange::Remove)
            .await
    }

    async fn change_membership(
        &self,
        actor: &str,
        organisation_id: Uuid,
        user_id: Uuid,
        change: MembershipChange,
    ) -> Result<(), StoreError> {
        let organisation_id = organisation_id.to_string();
        let user_id = user_id.to_string();
        let entity_id = format!("{organisation_id}/{user_id}");
        let at = now();
        audited_write!(self, at, |tx| {
            // A no-op write on the organisation row first: PostgreSQL then holds that row's lock
            // and SQLite the write lock until commit, so two admins demoting each other at the
            // same moment are serialised and cannot leave the organisation with no admin.
            let locked = sqlx::query("UPDATE organisations SET name = name WHERE id = $1")
                .bind(&organisation_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if locked == 0 {
                return Err(StoreError::NotFound);
            }
            let current: Option<(String, String)> = sqlx::query_as(
                "SELECT m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id \
                 WHERE m.organisation_id = $1 AND m.user_id = $2",
            )
            .bind(&organisation_id)
            .bind(&user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (current_role, email) = current.ok_or(StoreError::NotFound)?;
            if let MembershipChange::Role(role) = &change
                && role.as_str() == current_role
            {
                // Nothing changes, so nothing to audit.
                return Ok(());
            }
            let keeps_admin = matches!(change, MembershipChange::Role(Role::Admin));
            if current_role == Role::Admin.as_str() && !keeps_admin {
                let admins = count_rows!(&mut *tx,
                    "memberships WHERE organisation_id = $1 AND role = 'admin'", &organisation_id);
                if admins <= 1 {
                    return Err(StoreError::LastAdmin);
                }
            }
            let before = json!({"user_id": user_id, "email": email, "role": current_role});
            let (action, after) = match change {
                MembershipChange::Role(role) => {
                    sqlx::query(
                        "UPDATE memberships SET role = $1 \
                         WHERE organisation_id = $2 AND user_id = $3",
                    )
                    .bind(role.as_str())
                    .bind(&organisation_id)
                    .bind(&user_id)
                    .execute(&mut *tx)
                    .await?;
                    ("update", Some(json!({"user_id": user_id, "email": email, "role": role})))
                }
                MembershipChange::Remove => {
                    sqlx::query("DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2")
                        .bind(&organisation_id)
                        .bind(&user_id)
                        .execute(&mut *tx)
                        .await?;
                    ("delete", None)
                }
            };
        } audit [NewAuditEntry {
            actor,
            action,
            entity: "membership",
            entity_id: &entity_id,
            before: Some(&before),
            after: after.as_ref(),
            organisation_id: Some(&organisation_id),
        }]);
        Ok(())
    }
}
