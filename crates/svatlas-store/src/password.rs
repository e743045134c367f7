//! Password hashing with argon2id (the crate's default parameters: 19 MiB, 2 passes, 1 lane),
//! run on the blocking thread pool so a login never stalls the async workers.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

use crate::StoreError;

/// A hash of a random password with the same parameters as real ones, verified when the
/// account does not exist so that the answer takes as long as for a real account.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).ok()?;
    hash_blocking(&secret).ok()
});

fn hash_blocking(password: &[u8]) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password)
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::Hashing(e.to_string()))
}

fn verify_blocking(password: &[u8], hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password, &parsed).is_ok())
}

/// Hashes a password to an argon2id PHC string with a fresh random salt.
pub(crate) async fn hash(password: &str) -> Result<String, StoreError> {
    let password = password.as_bytes().to_vec();
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| StoreError::Hashing(e.to_string()))?
}

/// Whether `password` matches the PHC string `hash`; `None` verifies against the dummy hash
/// (and answers `false`) so a missing account costs the same time as a wrong password.
pub(crate) async fn verify(password: &str, hash: Option<String>) -> Result<bool, StoreError> {
    let password = password.as_bytes().to_vec();
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_blocking(&password, &hash),
        None => {
            if let Some(dummy) = DUMMY_HASH.as_deref() {
                verify_blocking(&password, dummy);
            }
            false
        }
    })
    .await
    .map_err(|e| StoreError::Hashing(e.to_string()))
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_are_salted_argon2id_and_verify_only_the_right_password() {
        let a = super::hash("correct horse battery").await.unwrap();
        let b = super::hash("correct horse battery").await.unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "same password must get different salts");
        assert!(
            super::verify("correct horse battery", Some(a.clone()))
                .await
                .unwrap()
        );
        assert!(
            !super::verify("correct horse batterY", Some(a))
                .await
                .unwrap()
        );
        assert!(!super::verify("anything", None).await.unwrap());
        assert!(!super::verify("x", Some("not a hash".into())).await.unwrap());
    }
}
