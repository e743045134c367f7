//! Accounts: roles inside an organisation, e-mail addresses as login names, the password policy
//! and the login lockout rule. Pure rules only; hashing and storage live in `svatlas-store`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Failed password attempts in a row that lock an account.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// Minutes an account stays locked after [`MAX_FAILED_LOGINS`] failures.
pub const LOCKOUT_MINUTES: u32 = 15;

/// Shortest accepted password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest accepted password, in characters (bounds the hashing work per request).
pub const PASSWORD_MAX_CHARS: usize = 1024;

/// Longest accepted e-mail address, in bytes (RFC 5321 path limit).
pub const EMAIL_MAX_LEN: usize = 254;

/// What a member may do inside one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages members and everything an editor can do.
    Admin,
    /// Creates and changes the organisation's projects.
    Editor,
    /// Reads the organisation's projects.
    Viewer,
}

/// A role name that is not `admin`, `editor` or `viewer`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: use admin, editor or viewer")]
pub struct UnknownRole(pub String);

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Viewer];

    /// The role's stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// Parses `admin`, `editor` or `viewer` (any case, surrounding spaces ignored).
    pub fn parse(text: &str) -> Result<Role, UnknownRole> {
        let wanted = text.trim();
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownRole(text.to_string()))
    }

    /// The role's rank: viewer 1 < editor 2 < admin 3. Each role may do everything the roles
    /// below it may.
    pub fn rank(self) -> u8 {
        match self {
            Role::Viewer => 1,
            Role::Editor => 2,
            Role::Admin => 3,
        }
    }

    /// Whether this role includes everything `minimum` may do (admin > editor > viewer).
    pub fn at_least(self, minimum: Role) -> bool {
        self.rank() >= minimum.rank()
    }

    /// Whether the role may create and change projects.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }

    /// Whether the role may add, remove and change members (and read the audit log).
    pub fn can_manage_members(self) -> bool {
        matches!(self, Role::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::parse(s)
    }
}

/// Why an e-mail address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing was given.
    #[error("email address is empty")]
    Empty,
    /// Longer than [`EMAIL_MAX_LEN`].
    #[error("email address is longer than {EMAIL_MAX_LEN} characters")]
    TooLong,
    /// Spaces or control characters inside the address.
    #[error("email address must not contain spaces or control characters")]
    Whitespace,
    /// No `@`, or more than one.
    #[error("email address must contain exactly one @, as in name@example.org")]
    At,
    /// Nothing before the `@`.
    #[error("email address has nothing before the @")]
    EmptyLocalPart,
    /// The part after the `@` is not a domain name with a dot.
    #[error("the part after the @ must be a domain such as example.org")]
    Domain,
}

/// A syntactically plausible e-mail address, trimmed and lower-cased so one person has one login.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Trims and lower-cases `text`, then checks its shape (one `@`, something before it, a
    /// dotted domain after it, no spaces). Deliverability is not checked.
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > EMAIL_MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Whitespace);
        }
        let email = trimmed.to_lowercase();
        let (local, domain) = match email.split_once('@') {
            Some((local, domain)) if !domain.contains('@') => (local, domain),
            _ => return Err(EmailError::At),
        };
        if local.is_empty() {
            return Err(EmailError::EmptyLocalPart);
        }
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
        if !domain.contains('.') || !labels_ok {
            return Err(EmailError::Domain);
        }
        Ok(Email(email))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`PASSWORD_MIN_CHARS`] characters.
    #[error("password must be at least {PASSWORD_MIN_CHARS} characters long (it has {0})")]
    TooShort(usize),
    /// More than [`PASSWORD_MAX_CHARS`] characters.
    #[error("password must be at most {PASSWORD_MAX_CHARS} characters long")]
    TooLong,
    /// Only spaces, tabs or line breaks.
    #[error("password must not be only spaces")]
    Blank,
}

/// A password that meets the policy, for setting or changing a password. Its `Debug` output
/// never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks the policy: at least [`PASSWORD_MIN_CHARS`] and at most [`PASSWORD_MAX_CHARS`]
    /// characters, not all whitespace. The password is kept exactly as given (no trimming), so
    /// what the user typed is what they sign in with.
    pub fn parse(password: &str) -> Result<NewPassword, PasswordError> {
        let chars = password.chars().count();
        if chars > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if password.chars().all(char::is_whitespace) && !password.is_empty() {
            return Err(PasswordError::Blank);
        }
        if chars < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort(chars));
        }
        Ok(NewPassword(password.to_string()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_in_any_case_and_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(role.to_string().parse::<Role>(), Ok(role));
        }
        assert_eq!(Role::parse(" Admin "), Ok(Role::Admin));
        let err = Role::parse("owner").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown role \"owner\": use admin, editor or viewer"
        );
        assert!(Role::parse("").is_err());
    }

    #[test]
    fn role_permissions() {
        assert!(Role::Admin.can_write() && Role::Admin.can_manage_members());
        assert!(Role::Editor.can_write() && !Role::Editor.can_manage_members());
        assert!(!Role::Viewer.can_write() && !Role::Viewer.can_manage_members());
    }

    #[test]
    fn roles_are_ordered_admin_over_editor_over_viewer() {
        assert!(Role::Admin.at_least(Role::Admin));
        assert!(Role::Admin.at_least(Role::Editor));
        assert!(Role::Admin.at_least(Role::Viewer));
        assert!(Role::Editor.at_least(Role::Viewer));
        assert!(!Role::Editor.at_least(Role::Admin));
        assert!(!Role::Viewer.at_least(Role::Editor));
        assert!(Role::Viewer.at_least(Role::Viewer));
        // ALL is most powerful first, so ranks fall along it.
        let ranks: Vec<u8> = Role::ALL.iter().map(|r| r.rank()).collect();
        assert_eq!(ranks, vec![3, 2, 1]);
    }

    #[test]
    fn role_serialises_lower_case() {
        assert_eq!(serde_json::to_string(&Role::Editor).unwrap(), "\"editor\"");
        let back: Role = serde_json::from_str("\"viewer\"").unwrap();
        assert_eq!(back, Role::Viewer);
    }

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Ada.Lovelace@Example.ORG \n").unwrap();
        assert_eq!(email.as_str(), "ada.lovelace@example.org");
        assert_eq!(
            Email::parse("a+tag@sub.example.co.uk").unwrap().as_str(),
            "a+tag@sub.example.co.uk"
        );
    }

    #[test]
    fn bad_emails_get_specific_errors() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        assert_eq!(Email::parse("ada"), Err(EmailError::At));
        assert_eq!(Email::parse("a@b@example.org"), Err(EmailError::At));
        assert_eq!(
            Email::parse("@example.org"),
            Err(EmailError::EmptyLocalPart)
        );
        assert_eq!(Email::parse("ada@localhost"), Err(EmailError::Domain));
        assert_eq!(Email::parse("ada@example..org"), Err(EmailError::Domain));
        assert_eq!(Email::parse("ada@example.org."), Err(EmailError::Domain));
        assert_eq!(Email::parse("ada@-example.org"), Err(EmailError::Domain));
        assert_eq!(Email::parse("ada@exa_mple.org"), Err(EmailError::Domain));
        assert_eq!(
            Email::parse("ada lovelace@example.org"),
            Err(EmailError::Whitespace)
        );
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
        assert_eq!(
            EmailError::At.to_string(),
            "email address must contain exactly one @, as in name@example.org"
        );
    }

    #[test]
    fn password_policy_bounds() {
        assert_eq!(NewPassword::parse(""), Err(PasswordError::TooShort(0)));
        assert_eq!(
            NewPassword::parse("elevenchars"),
            Err(PasswordError::TooShort(11))
        );
        assert!(NewPassword::parse("twelve chars").is_ok());
        // Characters, not bytes: twelve non-ASCII characters are enough.
        assert!(NewPassword::parse("ééééééééééé").is_err());
        assert!(NewPassword::parse("éééééééééééé").is_ok());
        assert_eq!(
            NewPassword::parse(&" ".repeat(20)),
            Err(PasswordError::Blank)
        );
        assert!(NewPassword::parse(&"x".repeat(1024)).is_ok());
        assert_eq!(
            NewPassword::parse(&"x".repeat(1025)),
            Err(PasswordError::TooLong)
        );
        // Kept exactly as typed.
        assert_eq!(
            NewPassword::parse(" correct horse ").unwrap().expose(),
            " correct horse "
        );
        assert_eq!(
            PasswordError::TooShort(3).to_string(),
            "password must be at least 12 characters long (it has 3)"
        );
    }

    #[test]
    fn new_password_debug_hides_the_password() {
        let password = NewPassword::parse("a very secret phrase").unwrap();
        assert!(!format!("{password:?}").contains("secret"));
    }
}
