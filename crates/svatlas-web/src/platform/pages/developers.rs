use axum::Extension;
use std::sync::Arc;

use crate::platform::views::{DevelopersPage, Layout, RouteRow};

// `GET /developers`: the API reference, listing every route from the OpenAPI document.

/// API reference page, generated from the same OpenAPI document as `/api/v1/openapi.json`.
#[utoipa::path(get, path = "/developers", tag = "pages",
    responses((status = 200, description = "API reference page", content_type = "text/html")))]
pub async fn get_developers(
    Extension(doc): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> DevelopersPage {
    let mut routes = Vec::new();
    let mut anchored = std::collections::HashSet::new();
    for (path, item) in &doc.paths.paths {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, operation) in operations {
            if let Some(op) = operation {
                routes.push(RouteRow {
                    method: method.to_string(),
                    path: path.clone(),
                    summary: op
                        .summary
                        .clone()
                        .or_else(|| op.description.clone())
                        .unwrap_or_default(),
                    anchor: op
                        .tags
                        .as_ref()
                        .and_then(|t| t.first().cloned())
                        .filter(|tag| anchored.insert(tag.clone())),
                });
            }
        }
    }
    DevelopersPage {
        layout: Layout::new("platform"),
        routes,
    }
}
