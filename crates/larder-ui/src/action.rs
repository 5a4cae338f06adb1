//! Typed button actions and their compact, versioned wire form.
//!
//! Wire form: `<version><tag>[:<arg>]*`, e.g. `1p:42` (open product 42).
//! Only ids and small enums travel, never names, so every payload fits
//! Telegram's 64 bytes (and VK's 255). A payload of another version, or one
//! that does not parse, decodes to an error the UI shows as "this button is
//! outdated" — it never acts.

use larder_core::{ProductId, Unit};

/// The codec version written in front of every payload.
pub const VERSION: char = '1';

/// Main-menu sections that later parts of the desk fill in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    Sessions,
    NewOrder,
    Processing,
    Completed,
    Issued,
    Statistics,
    Staff,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Sessions,
        Section::NewOrder,
        Section::Processing,
        Section::Completed,
        Section::Issued,
        Section::Statistics,
        Section::Staff,
    ];

    fn code(self) -> &'static str {
        match self {
            Section::Sessions => "s",
            Section::NewOrder => "n",
            Section::Processing => "p",
            Section::Completed => "c",
            Section::Issued => "i",
            Section::Statistics => "t",
            Section::Staff => "f",
        }
    }

    pub fn message_id(self) -> &'static str {
        match self {
            Section::Sessions => "menu-sessions",
            Section::NewOrder => "menu-new-order",
            Section::Processing => "menu-processing",
            Section::Completed => "menu-completed",
            Section::Issued => "menu-issued",
            Section::Statistics => "menu-statistics",
            Section::Staff => "menu-staff",
        }
    }
}

/// Which product field an edit prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    Name,
    Price,
    Unit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Does nothing (page counters and other labels shown as buttons).
    Noop,
    /// An arrow at the first or last page: says so and changes nothing.
    PageEnd {
        last: bool,
    },
    Menu,
    Soon(Section),
    Products {
        archived: bool,
        page: u32,
    },
    Product(ProductId),
    NewProduct,
    DraftUnit(Unit),
    DraftSave,
    Edit(ProductId, Field),
    SetUnit(ProductId, Unit),
    Archive(ProductId),
    Restore(ProductId),
    /// Leaves a prompt or draft for the screen it came from.
    Cancel,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("payload of another version")]
    Outdated,
    #[error("payload does not parse")]
    Invalid,
}

fn unit_code(u: Unit) -> &'static str {
    match u {
        Unit::Kg => "k",
        Unit::Piece => "p",
    }
}

fn field_code(f: Field) -> &'static str {
    match f {
        Field::Name => "n",
        Field::Price => "p",
        Field::Unit => "u",
    }
}

impl Action {
    pub fn encode(&self) -> String {
        let id = |p: &ProductId| p.get().to_string();
        let (tag, args): (&str, Vec<String>) = match self {
            Action::Noop => ("_", vec![]),
            Action::PageEnd { last } => ("e", vec![u8::from(*last).to_string()]),
            Action::Menu => ("m", vec![]),
            Action::Soon(s) => ("z", vec![s.code().into()]),
            Action::Products { archived, page } => (
                "pl",
                vec![u8::from(*archived).to_string(), page.to_string()],
            ),
            Action::Product(p) => ("p", vec![id(p)]),
            Action::NewProduct => ("pn", vec![]),
            Action::DraftUnit(u) => ("pu", vec![unit_code(*u).into()]),
            Action::DraftSave => ("ps", vec![]),
            Action::Edit(p, f) => ("pe", vec![id(p), field_code(*f).into()]),
            Action::SetUnit(p, u) => ("pU", vec![id(p), unit_code(*u).into()]),
            Action::Archive(p) => ("pa", vec![id(p)]),
            Action::Restore(p) => ("pr", vec![id(p)]),
            Action::Cancel => ("x", vec![]),
        };
        let mut out = String::with_capacity(24);
        out.push(VERSION);
        out.push_str(tag);
        for a in args {
            out.push(':');
            out.push_str(&a);
        }
        out
    }

    pub fn decode(data: &str) -> Result<Action, DecodeError> {
        let mut chars = data.chars();
        match chars.next() {
            Some(VERSION) => {}
            Some(c) if c.is_ascii_digit() => return Err(DecodeError::Outdated),
            _ => return Err(DecodeError::Invalid),
        }
        let mut parts = chars.as_str().split(':');
        let tag = parts.next().ok_or(DecodeError::Invalid)?;
        let args: Vec<&str> = parts.collect();
        let action = match (tag, args.as_slice()) {
            ("_", []) => Action::Noop,
            ("e", [l]) => Action::PageEnd { last: flag(l)? },
            ("m", []) => Action::Menu,
            ("z", [s]) => Action::Soon(
                *Section::ALL
                    .iter()
                    .find(|x| x.code() == *s)
                    .ok_or(DecodeError::Invalid)?,
            ),
            ("pl", [a, page]) => Action::Products {
                archived: flag(a)?,
                page: num(page)?,
            },
            ("p", [p]) => Action::Product(product(p)?),
            ("pn", []) => Action::NewProduct,
            ("pu", [u]) => Action::DraftUnit(unit(u)?),
            ("ps", []) => Action::DraftSave,
            ("pe", [p, f]) => Action::Edit(product(p)?, field(f)?),
            ("pU", [p, u]) => Action::SetUnit(product(p)?, unit(u)?),
            ("pa", [p]) => Action::Archive(product(p)?),
            ("pr", [p]) => Action::Restore(product(p)?),
            ("x", []) => Action::Cancel,
            _ => return Err(DecodeError::Invalid),
        };
        Ok(action)
    }
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, DecodeError> {
    // Only canonical decimal forms: no signs, no leading zeros.
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return Err(DecodeError::Invalid);
    }
    s.parse().map_err(|_| DecodeError::Invalid)
}

fn product(s: &str) -> Result<ProductId, DecodeError> {
    Ok(ProductId::new(num(s)?))
}

fn flag(s: &str) -> Result<bool, DecodeError> {
    match s {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(DecodeError::Invalid),
    }
}

fn unit(s: &str) -> Result<Unit, DecodeError> {
    match s {
        "k" => Ok(Unit::Kg),
        "p" => Ok(Unit::Piece),
        _ => Err(DecodeError::Invalid),
    }
}

fn field(s: &str) -> Result<Field, DecodeError> {
    match s {
        "n" => Ok(Field::Name),
        "p" => Ok(Field::Price),
        "u" => Ok(Field::Unit),
        _ => Err(DecodeError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One example of every variant, with the largest values each can carry.
    fn every_variant() -> Vec<Action> {
        let big = ProductId::new(i64::MAX);
        let mut all = vec![
            Action::Noop,
            Action::PageEnd { last: true },
            Action::PageEnd { last: false },
            Action::Menu,
            Action::Products {
                archived: true,
                page: u32::MAX,
            },
            Action::Products {
                archived: false,
                page: 0,
            },
            Action::Product(big),
            Action::NewProduct,
            Action::DraftSave,
            Action::Archive(big),
            Action::Restore(big),
            Action::Cancel,
        ];
        all.extend(Section::ALL.map(Action::Soon));
        for u in [Unit::Kg, Unit::Piece] {
            all.push(Action::DraftUnit(u));
            all.push(Action::SetUnit(big, u));
        }
        for f in [Field::Name, Field::Price, Field::Unit] {
            all.push(Action::Edit(big, f));
        }
        all
    }

    /// Fails to compile when a variant is added, reminding to extend `every_variant`.
    fn variant_index(a: &Action) -> usize {
        match a {
            Action::Noop => 0,
            Action::Menu => 1,
            Action::Soon(_) => 2,
            Action::Products { .. } => 3,
            Action::Product(_) => 4,
            Action::NewProduct => 5,
            Action::DraftUnit(_) => 6,
            Action::DraftSave => 7,
            Action::Edit(..) => 8,
            Action::SetUnit(..) => 9,
            Action::Archive(_) => 10,
            Action::Restore(_) => 11,
            Action::Cancel => 12,
            Action::PageEnd { .. } => 13,
        }
    }

    #[test]
    fn every_variant_round_trips_within_64_bytes() {
        let all = every_variant();
        let mut seen: Vec<usize> = all.iter().map(variant_index).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 14, "every variant has an example");
        for a in all {
            let wire = a.encode();
            assert!(wire.len() <= 64, "{wire} is {} bytes", wire.len());
            assert_eq!(Action::decode(&wire), Ok(a), "{wire}");
        }
    }

    #[test]
    fn payload_of_another_version_is_outdated() {
        assert_eq!(Action::decode("0p:1"), Err(DecodeError::Outdated));
        assert_eq!(Action::decode("2m"), Err(DecodeError::Outdated));
    }

    #[test]
    fn forged_payloads_are_invalid() {
        for bad in [
            "",
            "m",
            "1",
            "1p",
            "1p:",
            "1p:-1",
            "1p:01",
            "1p:1:2",
            "1pl:2:0",
            "1zz",
            "1p:99999999999999999999",
            "1pU:1:x",
        ] {
            assert_eq!(Action::decode(bad), Err(DecodeError::Invalid), "{bad:?}");
        }
    }
}
