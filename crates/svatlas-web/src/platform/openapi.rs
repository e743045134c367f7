//! What every API operation can answer because of how it is called, added to the API
//! description in one place so no handler has to repeat it (and none can forget it).

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// Adds, to every operation under `/api/` that lacks them: 400 for an unreadable path
/// parameter; 400, 413, 415 and 422 for a JSON body (413, 415 and 422 for a multipart upload);
/// 401 for an operation that needs a token. Each is answered in our error shape.
pub fn add_standard_responses(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.starts_with("/api/") {
            continue;
        }
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add_to(operation);
        }
    }
}

fn add_to(operation: &mut Operation) {
    let has_path_parameter = operation.parameters.iter().flatten().any(|p| match p {
        RefOr::T(p) => matches!(p.parameter_in, ParameterIn::Path),
        RefOr::Ref(_) => false,
    });
    let body_types: Vec<String> = match &operation.request_body {
        Some(RefOr::T(body)) => body.content.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let json_body = body_types.iter().any(|t| t.contains("json"));
    let multipart_body = body_types.iter().any(|t| t.starts_with("multipart/"));
    let needs_token = operation.security.as_ref().is_some_and(|s| !s.is_empty());

    if json_body {
        add(
            operation,
            "400",
            "The body is not valid JSON (`invalid_json`)",
        );
        add(
            operation,
            "413",
            "The body is over the size limit (1 MiB unless the server sets another)",
        );
        add(
            operation,
            "415",
            "The body is not sent as `Content-Type: application/json`",
        );
        add(
            operation,
            "422",
            "A value is missing, of the wrong type or out of range; `field` names it",
        );
    }
    if multipart_body {
        add(operation, "413", "The upload is over the size limit");
        add(
            operation,
            "415",
            "The body is not `multipart/form-data` with a boundary",
        );
        add(
            operation,
            "422",
            "The upload cannot be read, or has no file; `field` names it",
        );
    }
    if has_path_parameter {
        add(
            operation,
            "400",
            "A path parameter cannot be read, e.g. an id that is not a UUID (`invalid_path`)",
        );
    }
    if needs_token {
        add(
            operation,
            "401",
            "No valid token: none was sent, or it is unknown, revoked or expired",
        );
    }
}

/// Adds `status` answered with our error shape, unless the operation already declares it.
fn add(operation: &mut Operation, status: &str, description: &str) {
    let responses = &mut operation.responses.responses;
    if responses.contains_key(status) {
        return;
    }
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build();
    responses.insert(status.to_owned(), RefOr::T(response));
}

/// The schema of an optional query parameter that takes one of `values`, or is empty (which
/// means its default, as when it is left out).
pub fn one_of<'a>(values: impl IntoIterator<Item = &'a str>) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(values.into_iter().chain([""])))
        .build()
}

/// The schema of an optional body field that is null or one of `values`.
pub fn null_or_one_of<'a>(values: impl IntoIterator<Item = &'a str>) -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    let values = values.into_iter().map(serde_json::Value::from);
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values.chain([serde_json::Value::Null])))
        .build()
}
