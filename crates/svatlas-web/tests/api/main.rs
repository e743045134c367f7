//! In-process HTTP tests of the real router (no sockets), on every available store backend.
//! Folders mirror the crate: one per job, `platform/` for what all share.

#[macro_use]
mod macros;

mod accounts;
mod need;
mod partners;
mod platform;
mod procurement;
mod sroi;
