//! One-time invite codes that grant a staff role. Redeeming marks the code
//! used in the same statement that checks it, so of two people redeeming at
//! once exactly one wins.

use larder_core::{Role, TgUserId};
use sqlx::{AnyConnection, Connection};

use crate::savepoint::settle;
use crate::{Result, StoreError};

/// Stores a new invite; `Duplicate` if the code exists already.
pub async fn create_invite(
    conn: &mut AnyConnection,
    code: &str,
    role: Role,
    by: TgUserId,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    let mut sp = conn.begin().await?;
    let done = sqlx::query(
        "INSERT INTO invites (code, role, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(code)
    .bind(role.as_str())
    .bind(by.get())
    .bind(now)
    .bind(expires_at)
    .execute(&mut *sp)
    .await
    .map_err(StoreError::from);
    settle(sp, done).await.map(drop)
}

/// Uses the invite up and returns its role; `NotFound` if the code is
/// unknown, already used, or expired (`expires_at <= now`). Granting the
/// role is the caller's business (same transaction).
pub async fn redeem_invite(
    conn: &mut AnyConnection,
    code: &str,
    user: TgUserId,
    now: i64,
) -> Result<Role> {
    let role: Option<String> = sqlx::query_scalar(
        "UPDATE invites SET used_by = $2, used_at = $3 \
         WHERE code = $1 AND used_by IS NULL AND expires_at > $3 RETURNING role",
    )
    .bind(code)
    .bind(user.get())
    .bind(now)
    .fetch_optional(conn)
    .await?;
    let role = role.ok_or(StoreError::NotFound)?;
    role.parse()
        .map_err(|_| StoreError::Corrupt(format!("invite role {role:?}")))
}

/// Why an invite cannot be redeemed (see [`why_not`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteRefusal {
    /// Someone already joined with it.
    Used,
    /// Its week is over.
    Expired,
    /// No such invite (mistyped, or long purged).
    Unknown,
}

/// Why `code` is not (or no longer) a usable invite at `now`.
pub async fn why_not(conn: &mut AnyConnection, code: &str, now: i64) -> Result<InviteRefusal> {
    let row: Option<(Option<i64>, i64)> =
        sqlx::query_as("SELECT used_by, expires_at FROM invites WHERE code = $1")
            .bind(code)
            .fetch_optional(conn)
            .await?;
    Ok(match row {
        Some((Some(_), _)) => InviteRefusal::Used,
        Some((None, expires)) if expires <= now => InviteRefusal::Expired,
        _ => InviteRefusal::Unknown,
    })
}

/// Deletes invites that expired before `now` or were used before `now`;
/// returns how many.
pub async fn purge_invites(conn: &mut AnyConnection, before: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM invites WHERE expires_at <= $1 OR (used_at IS NOT NULL AND used_at < $1)",
    )
    .bind(before)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
