//! Schemas of the API description that the derive macros cannot state (item patterns, map
//! keys); each says exactly what the matching validation accepts.

use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Type};

/// Area codes: letters and digits, 1 to 12 characters (as `check_areas` accepts).
pub fn area_codes() -> utoipa::openapi::Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[A-Za-z0-9]{1,12}$")),
        )
        .build()
}

/// Amounts in £ keyed by whole years from 0 to 200 written in digits (`"0"`, `"1"`), as the
/// SROI validation accepts.
pub fn amounts_by_year() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^0*(200|1[0-9]{2}|[1-9]?[0-9])$")),
        ))
        .additional_properties(Some(AdditionalProperties::from(
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(0.0))
                .maximum(Some(crate::sroi::MAX_INPUT_GBP)),
        )))
        .build()
}
