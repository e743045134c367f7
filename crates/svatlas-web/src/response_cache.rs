//! Finished answers of the busiest read-only pages, kept as bytes.
//!
//! The area data never changes while a server runs (it is loaded at start), so an area page or
//! area JSON answer for the same URL is the same every time: rendering it once and serving the
//! bytes afterwards turns a ~0.5 ms render into a map lookup. The cache is bounded by total
//! size and simply starts again when full; only successful answers are kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Total body bytes kept before the cache starts again.
pub const BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// One cached answer.
#[derive(Debug)]
pub struct Cached {
    body: Bytes,
    content_type: HeaderValue,
}

impl Cached {
    /// The answer as a 200 response (the body is shared, not copied).
    pub fn response(&self) -> Response {
        let mut response = self.body.clone().into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, self.content_type.clone());
        response
    }
}

/// Byte-bounded map from request URL to its answer.
#[derive(Debug, Default)]
pub struct ResponseCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    bytes: usize,
    map: HashMap<String, Arc<Cached>>,
}

impl ResponseCache {
    /// The cached answer for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<Cached>> {
        // Insert and clear only, so a poisoned lock still holds a consistent map.
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.map.get(key).cloned()
    }

    /// Keeps `body` as the answer for `key` and returns it as a response.
    pub fn insert(
        &self,
        key: String,
        body: impl Into<Bytes>,
        content_type: &'static str,
    ) -> Response {
        let cached = Arc::new(Cached {
            body: body.into(),
            content_type: HeaderValue::from_static(content_type),
        });
        let response = cached.response();
        let size = cached.body.len() + key.len();
        if size <= BUDGET_BYTES {
            let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            if inner.bytes + size > BUDGET_BYTES {
                inner.map.clear();
                inner.bytes = 0;
            }
            if inner.map.insert(key, cached).is_none() {
                inner.bytes += size;
            }
        }
        response
    }

    /// Number of answers held (for tests).
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .map
            .len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_answers_and_starts_again_when_full() {
        let cache = ResponseCache::default();
        assert!(cache.get("/a").is_none());
        let first = cache.insert("/a".into(), "hello", "text/plain");
        assert_eq!(first.headers()[header::CONTENT_TYPE], "text/plain");
        assert_eq!(cache.len(), 1);
        assert!(cache.get("/a").is_some());
        // A body that does not fit with the rest clears the map first.
        let big = vec![b'x'; BUDGET_BYTES - 10];
        cache.insert("/big".into(), big, "text/plain");
        assert!(cache.get("/a").is_none());
        assert!(cache.get("/big").is_some());
        // One larger than the whole budget is answered but not kept.
        cache.insert("/huge".into(), vec![0u8; BUDGET_BYTES + 1], "text/plain");
        assert!(cache.get("/huge").is_none());
    }
}
