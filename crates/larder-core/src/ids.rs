//! Integer identifiers: database row ids and Telegram ids.
//!
//! Each is a distinct type so that an order id cannot be passed where a
//! product id is expected. Any `i64` is a valid id (Telegram chat ids are
//! negative for groups); serde and `Display` use the bare number.

macro_rules! id_newtype {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a raw id.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The raw id.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )+};
}

id_newtype! {
    /// A product in the catalogue.
    ProductId;
    /// A category of the shop's menu.
    CategoryId;
    /// A selling session (a market day, a delivery round).
    SessionId;
    /// A customer's order.
    OrderId;
    /// One line of an order.
    OrderLineId;
    /// A customer.
    CustomerId;
    /// A Telegram user id.
    TgUserId;
    /// A VK user id (never a Telegram id, though the numbers may coincide).
    VkUserId;
    /// A Telegram chat id (negative for groups).
    ChatId;
}

/// A person on one messenger. Staff are Telegram accounts, so only
/// [`UserRef::telegram`] yields an id the staff tables know: a VK id that
/// happens to equal an owner's Telegram id cannot be taken for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserRef {
    Telegram(TgUserId),
    Vk(VkUserId),
}

impl UserRef {
    /// The Telegram account, if this is one.
    pub const fn telegram(self) -> Option<TgUserId> {
        match self {
            UserRef::Telegram(id) => Some(id),
            UserRef::Vk(_) => None,
        }
    }

    /// The number the messenger knows the person by (unique only together
    /// with the messenger).
    pub const fn raw(self) -> i64 {
        match self {
            UserRef::Telegram(id) => id.get(),
            UserRef::Vk(id) => id.get(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn basics() {
        let id = OrderId::new(42);
        assert_eq!(id.get(), 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<OrderId>(), Ok(id));
        assert!("x".parse::<OrderId>().is_err());
        assert_eq!(i64::from(ChatId::from(-100)), -100);
        assert_eq!(serde_json::to_string(&ProductId::new(7)).unwrap(), "7");
        assert_eq!(
            serde_json::from_str::<TgUserId>("9").unwrap(),
            TgUserId::new(9)
        );
    }

    #[test]
    fn a_vk_id_is_never_a_telegram_id() {
        let vk = UserRef::Vk(VkUserId::new(42));
        let tg = UserRef::Telegram(TgUserId::new(42));
        assert_ne!(vk, tg);
        assert_eq!(
            (vk.telegram(), tg.telegram()),
            (None, Some(TgUserId::new(42)))
        );
        assert_eq!((vk.raw(), tg.raw()), (42, 42));
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(raw in any::<i64>()) {
            let id = ChatId::new(raw);
            prop_assert_eq!(id.to_string().parse::<ChatId>(), Ok(id));
            let json = serde_json::to_string(&id).unwrap();
            prop_assert_eq!(serde_json::from_str::<ChatId>(&json).unwrap(), id);
        }
    }
}
