//! The customers' side: like the desk, one message edited in place. This
//! part registers a customer (first name, surname, phone — shared as the
//! person's own contact or typed — and e-mail), shows and edits the profile,
//! and erases personal data on request.

mod register;

use serde::{Deserialize, Serialize};

use crate::action::CustomerField;
use crate::{Ctx, Input, Reply, UiError};

/// Where a customer's chat is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shop", rename_all = "snake_case")]
pub enum ShopScreen {
    #[default]
    Home,
    RegFirstName,
    RegLastName,
    RegPhone,
    RegEmail,
    Profile,
    Edit {
        field: CustomerField,
    },
    Forget,
}

/// Persistent state of a customer's chat.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopState {
    pub screen: ShopScreen,
}

impl ShopState {
    /// Restores from stored JSON; anything else (e.g. a desk state) starts at home.
    pub fn restore(screen: &str) -> ShopState {
        ShopState {
            screen: serde_json::from_str(screen).unwrap_or_default(),
        }
    }

    pub fn screen_json(&self) -> String {
        serde_json::to_string(&self.screen).unwrap_or_else(|_| "null".into())
    }
}

/// Handles one input of a customer's private chat.
pub async fn handle(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    input: Input,
) -> Result<Reply, UiError> {
    register::handle(ctx, state, input).await
}
