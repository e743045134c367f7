pub(crate) mod partner_pages;
pub(crate) mod partners_api;
pub(crate) mod partners_matrix;
