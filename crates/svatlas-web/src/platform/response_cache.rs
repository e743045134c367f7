//! Finished answers of the busiest read-only pages, kept as bytes.
//!
//! The area data never changes while a server runs (it is loaded at start), so an area page or
//! area JSON answer for the same URL is the same every time: rendering it once and serving the
//! bytes afterwards turns a ~0.5 ms render into a map lookup. The cache is bounded by total
//! size and simply starts again when full; only successful answers are kept. Each answer is
//! also kept gzip-compressed, so clients that accept gzip (every browser) get the small body
//! without compressing it again per request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use std::io::Write as _;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Total body bytes kept before the cache starts again.
pub const BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// One cached answer.
#[derive(Debug)]
pub struct Cached {
    body: Bytes,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
}

impl Cached {
    /// The answer as a 200 response (the body is shared, not copied), gzip-encoded when the
    /// request's `Accept-Encoding` allows it.
    pub fn response(&self, request: &HeaderMap) -> Response {
        let gzip = self.gzip.as_ref().filter(|_| accepts_gzip(request));
        let mut response = match gzip {
            Some(gzip) => gzip.clone().into_response(),
            None => self.body.clone().into_response(),
        };
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if gzip.is_some() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }
}

/// True when `Accept-Encoding` lists gzip (or `*`) without `q=0`.
fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f64>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 4), Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Byte-bounded map from request URL to its answer.
#[derive(Debug)]
pub struct ResponseCache {
    budget: usize,
    inner: Mutex<Inner>,
}

impl Default for ResponseCache {
    fn default() -> Self {
        ResponseCache::with_budget(BUDGET_BYTES)
    }
}

#[derive(Debug, Default)]
struct Inner {
    bytes: usize,
    map: HashMap<String, Arc<Cached>>,
}

impl ResponseCache {
    /// A cache holding at most `budget` bytes of bodies and keys.
    pub fn with_budget(budget: usize) -> Self {
        ResponseCache {
            budget,
            inner: Mutex::default(),
        }
    }

    /// The cached answer for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<Cached>> {
        // Insert and clear only, so a poisoned lock still holds a consistent map.
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.map.get(key).cloned()
    }

    /// Keeps `body` as the answer for `key` and returns it as a response to `request`.
    pub fn insert(
        &self,
        key: String,
        body: impl Into<Bytes>,
        content_type: &'static str,
        request: &HeaderMap,
    ) -> Response {
        let body = body.into();
        let cached = Arc::new(Cached {
            gzip: gzip(&body),
            body,
            content_type: HeaderValue::from_static(content_type),
        });
        let response = cached.response(request);
        let size = cached.body.len() + cached.gzip.as_ref().map_or(0, Bytes::len) + key.len();
        if size <= self.budget {
            let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            if inner.bytes + size > self.budget {
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
    use std::io::Read as _;

    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn gzip_only_when_accepted() {
        assert!(accepts_gzip(&accept("gzip, deflate, br")));
        assert!(accepts_gzip(&accept("br;q=1.0, gzip;q=0.8")));
        assert!(accepts_gzip(&accept("*")));
        assert!(!accepts_gzip(&accept("gzip;q=0")));
        assert!(!accepts_gzip(&accept("br")));
        assert!(!accepts_gzip(&HeaderMap::new()));

        let cache = ResponseCache::default();
        let text = "sv-atlas ".repeat(1000);
        cache.insert("/t".into(), text.clone(), "text/html", &HeaderMap::new());
        let hit = cache.get("/t").unwrap();
        let plain = hit.response(&HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let zipped = hit.response(&accept("gzip"));
        assert_eq!(zipped.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(zipped.headers()[header::VARY], "accept-encoding");
        // The stored gzip body decodes to the page.
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&hit.gzip.as_ref().unwrap()[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, text);
    }

    #[test]
    fn keeps_answers_and_starts_again_when_full() {
        let none = HeaderMap::new();
        let entry = |key: &str, len: usize| {
            let body = vec![b'x'; len];
            key.len() + len + gzip(&body).unwrap().len()
        };
        let budget = entry("/a", 10) + entry("/b", 20) + 5;
        let cache = ResponseCache::with_budget(budget);
        assert!(cache.get("/a").is_none());
        let first = cache.insert("/a".into(), vec![b'x'; 10], "text/plain", &none);
        assert_eq!(first.headers()[header::CONTENT_TYPE], "text/plain");
        cache.insert("/b".into(), vec![b'x'; 20], "text/plain", &none);
        assert_eq!(cache.len(), 2, "both fit the budget");
        // One more does not fit with the rest: the map starts again with it.
        cache.insert("/c".into(), vec![b'x'; 10], "text/plain", &none);
        assert!(cache.get("/a").is_none() && cache.get("/b").is_none());
        assert!(cache.get("/c").is_some());
        // One larger than the whole budget is answered but not kept.
        let huge = cache.insert("/huge".into(), vec![b'x'; budget], "text/plain", &none);
        assert_eq!(huge.status(), axum::http::StatusCode::OK);
        assert!(cache.get("/huge").is_none());
        assert!(cache.get("/c").is_some());
    }
}
