use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::platform::error::AppError;

// `GET /assets/{file}`: static files compiled into the binary, so the server needs no files on
// disk and works from any directory.

const APP_CSS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/app.css"));
const APP_JS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/app.js"));
const GOVUK_CSS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/vendor/govuk-frontend.min.css"
));

/// A static asset (stylesheets and the small enhancement script).
#[utoipa::path(get, path = "/assets/{file}", tag = "pages",
    params(("file" = String, Path, description = "Asset file name, e.g. app.css")),
    responses((status = 200, description = "The file", content_type = "text/css"),
              (status = 404, description = "No such asset")))]
pub async fn get_asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let (body, mime) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "govuk-frontend.min.css" => (GOVUK_CSS, "text/css; charset=utf-8"),
        _ => return Err(AppError::NotFound(format!("no asset named {file:?}"))),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(response)
}
