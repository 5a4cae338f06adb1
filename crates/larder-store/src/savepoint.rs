//! Running a group of statements all-or-nothing inside the caller's
//! transaction. PostgreSQL aborts a whole transaction on any error, so every
//! mutation that may be refused (a constraint, a stale version, a missing
//! row) runs in a savepoint and rolls back to it on failure: the caller's
//! transaction stays usable and nothing of the refused mutation remains.

use sqlx::{Any, Transaction};

use crate::Result;

/// Releases the savepoint on success, rolls back to it on failure.
pub(crate) async fn settle<T>(sp: Transaction<'_, Any>, result: Result<T>) -> Result<T> {
    match result {
        Ok(v) => {
            sp.commit().await?;
            Ok(v)
        }
        Err(e) => {
            sp.rollback().await?;
            Err(e)
        }
    }
}
