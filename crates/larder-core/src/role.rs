//! Staff roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a staff member may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the business; may do everything.
    Owner,
    /// Takes and edits orders at the desk.
    Manager,
    /// Prepares and weighs orders.
    Cook,
    /// Delivers orders.
    Courier,
    /// Technical administrator of the installation.
    Admin,
}

/// A string that names no role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; expected owner, manager, cook, courier or admin")]
pub struct RoleParseError(pub String);

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Manager,
        Role::Cook,
        Role::Courier,
        Role::Admin,
    ];

    /// `"owner"`, `"manager"`, `"cook"`, `"courier"`, `"admin"` (also the serde form).
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Cook => "cook",
            Role::Courier => "courier",
            Role::Admin => "admin",
        }
    }

    /// Whether the role may use the order desk (owner and manager).
    pub const fn can_use_desk(self) -> bool {
        matches!(self, Role::Owner | Role::Manager)
    }

    /// Whether this is the owner.
    pub const fn is_owner(self) -> bool {
        matches!(self, Role::Owner)
    }
}

impl FromStr for Role {
    type Err = RoleParseError;

    /// The [`Role::as_str`] form, ASCII case-insensitive, surrounding spaces ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| RoleParseError(s.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
            assert_eq!(r.to_string(), r.as_str());
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{r}\""));
        }
        assert_eq!(" Owner ".parse::<Role>(), Ok(Role::Owner));
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn permissions() {
        let desk: Vec<_> = Role::ALL.into_iter().filter(|r| r.can_use_desk()).collect();
        assert_eq!(desk, [Role::Owner, Role::Manager]);
        assert!(Role::Owner.is_owner() && !Role::Admin.is_owner());
    }
}
