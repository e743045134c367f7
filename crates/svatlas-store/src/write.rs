//! How the store changes records: one write transaction per change, with its checks, its
//! writes and its audit entries, committed together or not at all.

use crate::StoreError;

/// Runs one audited change on either backend.
///
/// Opens a write transaction as `$tx`, runs the body (a check that fails may `return` early,
/// which rolls back), inserts every audit entry of `$entries` (any iterable of
/// [`NewAuditEntry`](crate::audit::NewAuditEntry)) stamped `$at`, then commits. The body's
/// statements share the entries' scope, so an entry may borrow what the body read. Evaluates to
/// `$out` when one is given after `=>`.
macro_rules! audited_write {
    ($store:expr, $at:expr, |$tx:ident| { $($body:tt)* } audit $entries:expr $(=> $out:expr)?) => {
        $crate::dispatch!($store, pool => {
            let mut $tx = $crate::BeginWrite::begin_write(pool).await?;
            $($body)*
            for entry in ::core::iter::IntoIterator::into_iter($entries) {
                $crate::audit::insert_audit!(&mut *$tx, &entry, $at)?;
            }
            $tx.commit().await?;
            $($out)?
        })
    };
}
pub(crate) use audited_write;

/// `SELECT COUNT(*) FROM $from` with its parameters bound, on any executor (a pool or an open
/// transaction): the limit and existence checks that guard a write. Evaluates to an `i64`.
macro_rules! count_rows {
    ($executor:expr, $from:literal $(, $bind:expr)* $(,)?) => {{
        let n: i64 = sqlx::query_scalar(concat!("SELECT CAST(COUNT(*) AS BIGINT) FROM ", $from))
            $(.bind($bind))*
            .fetch_one($executor)
            .await?;
        n
    }};
}
pub(crate) use count_rows;

/// A change the record's current state does not allow; the message says why.
pub(crate) fn refused(message: impl Into<String>) -> StoreError {
    StoreError::Refused(message.into())
}

/// Checks that a guarded write (`... WHERE id = $n AND status = $m`) touched its one row: none
/// means the record changed between our read and our write.
pub(crate) fn one_row(rows_affected: u64, what: &str) -> Result<(), StoreError> {
    if rows_affected == 1 {
        Ok(())
    } else {
        Err(refused(format!(
            "the {what} changed meanwhile: reload and try again"
        )))
    }
}
