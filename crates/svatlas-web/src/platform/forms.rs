//! Reading submitted HTML forms: every field arrives as a string, so a missing or malformed
//! value reaches validation and is shown beside its field; a form with problems is shown again
//! with status 422 by [`show_again`].

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use svatlas_store::StoreError;

use crate::platform::error::AppError;
use crate::platform::views::{FormErrors, sentence};

/// A form as sent: (name, value) pairs, names repeating for checkboxes.
pub struct Fields {
    first: HashMap<String, String>,
    pairs: Vec<(String, String)>,
}

impl Fields {
    /// The pairs of a form.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        let mut first = HashMap::new();
        for (k, v) in &pairs {
            first.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Fields { first, pairs }
    }

    /// The first value of `name`, or empty.
    pub fn get(&self, name: &str) -> String {
        self.first.get(name).cloned().unwrap_or_default()
    }

    /// Whether the form has `name` at all.
    pub fn has(&self, name: &str) -> bool {
        self.first.contains_key(name)
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// A number typed by a person: thousands separators, a £ or % sign and spaces are allowed.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '£' | ' ' | '%'))
        .collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A required number: an unreadable one is a problem beside `field` (and counts as 0 so the
/// rest of the form can still be checked).
pub fn number(errors: &mut FormErrors, field: &str, text: &str, what: &str) -> f64 {
    parse_number(text).unwrap_or_else(|| {
        errors.add(field, format!("Enter {what} as a number, like 40 or 1,500"));
        0.0
    })
}

/// An optional number: empty is `None`; an unreadable one is a problem beside `field`.
pub fn optional_number(
    errors: &mut FormErrors,
    field: &str,
    text: &str,
    what: &str,
) -> Option<f64> {
    if text.trim().is_empty() {
        None
    } else {
        Some(number(errors, field, text, what))
    }
}

/// The form page shown again with its problems: 422, so browsers and tests see the refusal.
pub fn show_again(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

impl FormErrors {
    /// A store refusal of bad input (`Invalid`, `Duplicate`) as a problem beside `field`; any
    /// other store error is passed on to become its HTTP status.
    pub fn from_store(field: &str, error: StoreError) -> Result<FormErrors, AppError> {
        match error {
            StoreError::Invalid(message) | StoreError::Duplicate(message) => {
                Ok(FormErrors::one(field, sentence(&message)))
            }
            other => Err(other.into()),
        }
    }
}
