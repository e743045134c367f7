//! Renders project reports as CSV, XLSX and PDF and reads each file back.

mod report {
    pub mod csv_file;
    pub mod fixtures;
    #[cfg(feature = "pdf")]
    pub mod pdf_file;
    pub mod xlsx_file;
}
