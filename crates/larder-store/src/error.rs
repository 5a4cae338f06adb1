/// What can go wrong in storage, with the cases callers act on made explicit.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write (e.g. an active product name).
    #[error("duplicate")]
    Duplicate,
    /// The row changed since it was read (optimistic version check lost).
    #[error("changed concurrently")]
    Conflict,
    /// The operation is not allowed for this row (e.g. archiving the Inbox).
    #[error("not allowed for this row")]
    Refused,
    /// The order's state machine refuses the change (a status move the
    /// table does not allow, or lines not weighed yet).
    #[error(transparent)]
    Transition(larder_core::TransitionError),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("migration {version} failed: {source}")]
    Migration { version: i64, source: sqlx::Error },
    #[error(transparent)]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Db(e),
        }
    }
}

impl StoreError {
    /// True when trying again later may succeed: the database is out of
    /// reach, busy, or gave up a transaction to resolve a conflict between
    /// concurrent ones. False for what the data itself refuses (a missing
    /// row, a broken reference, a duplicate): that fails the same way again.
    pub fn is_transient(&self) -> bool {
        let StoreError::Db(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(d) => {
                let code = d.code().unwrap_or_default();
                // SQLite: busy, locked (and their extended codes).
                let sqlite = code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
                // PostgreSQL: serialization failure, deadlock, shutting
                // down, too many connections, connection exceptions.
                let postgres = matches!(
                    code.as_ref(),
                    "40001" | "40P01" | "57P01" | "57P02" | "57P03" | "53300"
                ) || code.starts_with("08");
                sqlite || postgres
            }
            _ => false,
        }
    }

    /// True when the database itself is unreachable or failing, not the data.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Db(
                sqlx::Error::Io(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Tls(_)
            )
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// A database error with a code, as a driver reports it.
    #[derive(Debug)]
    struct Coded(&'static str);

    impl std::fmt::Display for Coded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "error {}", self.0)
        }
    }

    impl std::error::Error for Coded {}

    impl sqlx::error::DatabaseError for Coded {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<Cow<'_, str>> {
            Some(Cow::Borrowed(self.0))
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn db(code: &'static str) -> StoreError {
        StoreError::from(sqlx::Error::Database(Box::new(Coded(code))))
    }

    #[test]
    fn the_database_away_or_busy_is_transient_and_the_data_refusing_is_not() {
        let io = sqlx::Error::Io(std::io::Error::other("connection reset"));
        assert!(StoreError::from(io).is_transient());
        assert!(StoreError::from(sqlx::Error::PoolTimedOut).is_transient());
        // SQLite: busy, locked, and busy's extended code (517).
        for code in ["5", "6", "517"] {
            assert!(db(code).is_transient(), "{code}");
        }
        // PostgreSQL: serialization failure, deadlock, shutdown, connection.
        for code in ["40001", "40P01", "57P01", "08006"] {
            assert!(db(code).is_transient(), "{code}");
        }
        // A broken reference (SQLite 787, PostgreSQL 23503), a check, a
        // missing row: the same again whatever happens.
        for code in ["787", "23503", "23514"] {
            assert!(!db(code).is_transient(), "{code}");
        }
        assert!(!StoreError::from(sqlx::Error::RowNotFound).is_transient());
        assert!(!StoreError::Conflict.is_transient());
    }
}
