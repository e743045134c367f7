pub(crate) mod calculate_api;
pub(crate) mod pdf_routes;
pub(crate) mod project_pages;
pub(crate) mod projects_api;
