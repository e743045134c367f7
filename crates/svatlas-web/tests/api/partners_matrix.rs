//! The partner directory's authorization matrix (its routes are left out of the general one).

use std::collections::BTreeSet;

/// The (METHOD, path) of every partner route this matrix covers.
pub fn listed() -> BTreeSet<(String, String)> {
    BTreeSet::new()
}
