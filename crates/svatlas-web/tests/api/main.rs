//! In-process HTTP tests of the real router (no sockets), on every available store backend.

mod helpers;
mod pages;
mod sroi;
mod system;
