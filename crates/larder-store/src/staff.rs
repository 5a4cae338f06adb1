//! Staff members and their roles, keyed by the messenger user id.

use larder_core::{Role, TgUserId};
use sqlx::{AnyConnection, Row};

use crate::{Result, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub user_id: TgUserId,
    pub role: Role,
    pub display_name: String,
    pub granted_at: i64,
}

pub async fn roles(conn: &mut AnyConnection, user: TgUserId) -> Result<Vec<Role>> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT role FROM staff WHERE user_id = $1 ORDER BY role")
            .bind(user.get())
            .fetch_all(conn)
            .await?;
    names.iter().map(|n| parse_role(n)).collect()
}

/// A person's roles and the name they are shown by (`None` if not staff),
/// in one read.
pub async fn member(
    conn: &mut AnyConnection,
    user: TgUserId,
) -> Result<(Vec<Role>, Option<String>)> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT role, display_name FROM staff WHERE user_id = $1 ORDER BY role")
            .bind(user.get())
            .fetch_all(conn)
            .await?;
    let name = rows.first().map(|(_, n)| n.clone());
    let roles = rows
        .iter()
        .map(|(r, _)| parse_role(r))
        .collect::<Result<Vec<_>>>()?;
    Ok((roles, name))
}

fn parse_role(name: &str) -> Result<Role> {
    name.parse()
        .map_err(|_| StoreError::Corrupt(format!("staff role {name:?}")))
}

/// Grants a role; granting one the user already has changes nothing.
pub async fn grant(
    conn: &mut AnyConnection,
    user: TgUserId,
    role: Role,
    display_name: &str,
    granted_by: Option<TgUserId>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff (user_id, role, display_name, granted_by, granted_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, role) DO NOTHING",
    )
    .bind(user.get())
    .bind(role.as_str())
    .bind(display_name)
    .bind(granted_by.map(|u| u.get()))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn revoke(conn: &mut AnyConnection, user: TgUserId, role: Role) -> Result<bool> {
    let done = sqlx::query("DELETE FROM staff WHERE user_id = $1 AND role = $2")
        .bind(user.get())
        .bind(role.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn count_with_role(conn: &mut AnyConnection, role: Role) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = $1")
            .bind(role.as_str())
            .fetch_one(conn)
            .await?,
    )
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<StaffMember>> {
    let rows = sqlx::query(
        "SELECT user_id, role, display_name, granted_at FROM staff ORDER BY granted_at, user_id, role",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StaffMember {
                user_id: TgUserId::new(r.try_get("user_id")?),
                role: parse_role(&r.try_get::<String, _>("role")?)?,
                display_name: r.try_get("display_name")?,
                granted_at: r.try_get("granted_at")?,
            })
        })
        .collect()
}

/// Keeps a staff member's shown name current (changes nothing when it is).
pub async fn set_display_name(conn: &mut AnyConnection, user: TgUserId, name: &str) -> Result<()> {
    sqlx::query("UPDATE staff SET display_name = $2 WHERE user_id = $1 AND display_name <> $2")
        .bind(user.get())
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}
