//! Channel-neutral screens of larder: what each chat sees and what each
//! press or typed text does, independent of Telegram or VK. Adapters load a
//! chat's state, call [`desk::handle`] inside a store transaction, and turn
//! the returned [`Reply`] into API calls.

pub mod action;
pub mod commands;
pub mod desk;
pub mod i18n;
pub mod paging;
pub use desk::common::label;
pub mod pipeline;
mod random;
pub mod shop;
pub mod view;
pub mod wire;

use larder_core::{Currency, Limits, PricingRules, TgUserId, UserRef};
use larder_store::{StoreError, Tx};

pub use action::{Action, CardAction, DecodeError, DeskAction, ShopAction};
pub use i18n::{I18n, Lang};
pub use view::{Button, Span, Style, Target, Text, View};

/// What happened in a staff group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupInput {
    /// A command with its arguments (`/bind kitchen` → `bind`, `kitchen`).
    Command { name: String, args: String },
    /// A button press with its raw callback data.
    Press(String),
}

/// Handles one input of a staff group: `/bind`, the admins' commands and
/// presses on order cards.
pub async fn handle_group(
    ctx: &mut Ctx<'_>,
    chat: pipeline::GroupChat,
    input: GroupInput,
) -> Result<Reply, UiError> {
    let mark = pipeline::mark(ctx).await?;
    let mut reply = pipeline::group(ctx, chat, input).await?;
    pipeline::follow(ctx, mark, &mut reply).await?;
    Ok(reply)
}

/// Settings the screens need, built once from the service configuration.
#[derive(Clone, Debug)]
pub struct UiConfig {
    pub currency: Currency,
    pub limits: Limits,
    /// Rows per page in lists.
    pub page_size: u32,
    /// The business's time zone: "today", calendars, day boundaries.
    pub timezone: jiff::tz::TimeZone,
    pub pricing: PricingRules,
    /// Digits of the country code added to local phone numbers ("7", "373").
    pub country_code: String,
    /// The shop's name in messages to customers.
    pub shop_name: String,
    /// The bot's username, for invite links (`https://t.me/<bot>?start=CODE`).
    pub bot_username: Option<String>,
    /// Whether people who are not staff use the shop (else they are refused).
    pub shop_enabled: bool,
    /// Whether customers must give an e-mail address to register.
    pub email_required: bool,
    /// Opening hours, slots and estimates of the shop.
    pub shop: ShopRules,
}

/// How the shop takes orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShopRules {
    /// The shop's phone, given to customers who need to talk to someone.
    pub phone: Option<String>,
    /// Where pickup orders are collected.
    pub address: Option<String>,
    /// Orders are prepared from `opens` until `closes`, every day.
    pub opens: jiff::civil::Time,
    pub closes: jiff::civil::Time,
    /// Wanted times are offered in slots of this many minutes.
    pub slot_minutes: u16,
    /// How many days ahead (after today) a time may be chosen.
    pub days_ahead: u8,
    /// Minutes every order needs besides its dishes' preparation times.
    pub base_minutes: u16,
    /// The session shop orders go to (by name); `None`: the Inbox.
    pub session: Option<String>,
}

impl Default for ShopRules {
    fn default() -> Self {
        ShopRules {
            phone: None,
            address: None,
            opens: jiff::civil::time(10, 0, 0, 0),
            closes: jiff::civil::time(22, 0, 0, 0),
            slot_minutes: 30,
            days_ahead: 2,
            base_minutes: 30,
            session: None,
        }
    }
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            currency: Currency::default(),
            limits: Limits::default(),
            page_size: 8,
            timezone: jiff::tz::TimeZone::UTC,
            pricing: PricingRules::none(),
            country_code: "7".into(),
            shop_name: "larder".into(),
            bot_username: None,
            shop_enabled: false,
            email_required: false,
            shop: ShopRules::default(),
        }
    }
}

/// Who is acting.
#[derive(Clone, Debug)]
pub struct User {
    pub id: UserRef,
    pub display_name: String,
}

impl User {
    /// The acting staff member's Telegram id: staff actions (the desk, the
    /// cards) are only ever taken by Telegram accounts.
    pub fn me(&self) -> Result<TgUserId, UiError> {
        self.id.telegram().ok_or(UiError::NotStaff)
    }

    /// The roles of the person on staff: none for anyone who is not a
    /// Telegram staff member (a VK id is never looked up as a Telegram one).
    pub async fn roles(&self, tx: &mut Tx) -> Result<Vec<larder_core::Role>, UiError> {
        Ok(match self.id.telegram() {
            Some(id) => larder_store::staff::roles(tx, id).await?,
            None => Vec::new(),
        })
    }
}

/// Everything a handler may use; `tx` is the transaction its effects join.
pub struct Ctx<'a> {
    pub tx: &'a mut Tx,
    /// The messenger the input came through.
    pub channel: larder_store::Channel,
    pub lang: Lang<'a>,
    pub config: &'a UiConfig,
    pub user: User,
    pub now: i64,
    /// The one-time code that makes its sender the owner, while no owner exists.
    pub setup_code: Option<&'a str>,
    /// The person's staff roles once the desk has read them (empty before,
    /// and for anyone not on the staff): screens offer only what they may do.
    pub roles: Vec<larder_core::Role>,
}

impl Ctx<'_> {
    /// What one message's keyboard holds on this messenger.
    pub fn keys(&self) -> paging::Keys {
        paging::Keys::of(self.channel)
    }
}

/// What a person did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// `/start`, with the deep-link payload if any.
    Start(Option<String>),
    /// Any other command, without the slash.
    Command(String),
    Text(String),
    /// A photo, by its file id in the messenger.
    Photo(String),
    /// A shared contact: its phone number and, if it is a messenger user, their id.
    Contact {
        phone: String,
        user_id: Option<i64>,
    },
    /// A button press with its raw callback data.
    Press(String),
}

/// A short note shown over the chat (a toast, or an alert the user must close).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub alert: bool,
}

/// A file to send (an export).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub caption: Option<String>,
}

/// A card about an order in a staff group or a courier's chat, to send (the
/// first time) or edit in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardOut {
    pub card_id: i64,
    pub channel: larder_store::Channel,
    pub chat_id: i64,
    pub view: View,
    pub fresh: bool,
    /// The message showing the card, when it was sent before.
    pub message_id: Option<i64>,
}

/// Another person's desk message, edited (a removed staff member's desk
/// no longer shows orders).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenOut {
    pub channel: larder_store::Channel,
    pub chat_id: i64,
    /// Their desk message as last recorded (`None`: none is shown).
    pub message_id: Option<i64>,
    pub view: View,
}

/// A message to some chat of any channel (a customer told of their order,
/// the admins told of a problem).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub channel: larder_store::Channel,
    pub chat_id: i64,
    pub view: View,
}

/// What the desk message should do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Desk {
    /// Leave it as it is.
    Keep,
    /// Edit it in place to this view.
    Show(View),
    /// Replace it: send this view as a new desk message (pinned), remove the old one.
    Fresh(View),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub desk: Desk,
    pub toast: Option<Toast>,
    /// Separate messages to send to the chat (outside the desk).
    pub say: Vec<View>,
    /// Files sent to the chat; the desk then reappears below them.
    pub documents: Vec<Document>,
    /// Whether the person's typed message should be removed from the chat.
    pub delete_input: bool,
    /// Order cards to send or edit.
    pub cards: Vec<CardOut>,
    /// Messages to other chats, on any channel.
    pub notes: Vec<Note>,
    /// Other people's desk messages to edit.
    pub screens: Vec<ScreenOut>,
}

impl Reply {
    pub fn keep() -> Reply {
        Reply {
            desk: Desk::Keep,
            toast: None,
            say: vec![],
            documents: vec![],
            delete_input: false,
            cards: vec![],
            notes: vec![],
            screens: vec![],
        }
    }

    pub fn show(view: View) -> Reply {
        Reply {
            desk: Desk::Show(view),
            ..Reply::keep()
        }
    }

    pub fn with_toast(mut self, text: String) -> Reply {
        self.toast = Some(Toast { text, alert: false });
        self
    }

    pub fn with_alert(mut self, text: String) -> Reply {
        self.toast = Some(Toast { text, alert: true });
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("stored chat state is not valid: {0}")]
    State(#[from] serde_json::Error),
    #[error("report failed: {0}")]
    Report(String),
    /// A staff action reached by someone who is not a Telegram account
    /// (the routers refuse them earlier; this keeps the types honest).
    #[error("only Telegram staff act on orders")]
    NotStaff,
}

/// A private chat's state as stored: the screen and drafts, as JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    pub screen: String,
    pub draft: Option<String>,
}

/// Handles one input of a private chat: staff use the desk; anyone else the
/// shop when it is enabled (a `/start` link with a staff invite or the setup
/// code still joins the desk), or is politely refused. Returns the reply and
/// the new state when it changed.
pub async fn handle_private(
    ctx: &mut Ctx<'_>,
    stored: Option<&Stored>,
    input: Input,
) -> Result<(Reply, Option<Stored>), UiError> {
    let mark = pipeline::mark(ctx).await?;
    let (mut reply, state) = route_private(ctx, stored, input).await?;
    pipeline::follow(ctx, mark, &mut reply).await?;
    Ok((reply, state))
}

/// Told when what someone had started could not be kept across an update.
fn lost_note(ctx: &Ctx<'_>) -> View {
    let mut v = View::default();
    v.text.plain(ctx.lang.t("state-lost"));
    v
}

/// Whether a press belongs to a message other than the chat's own screen —
/// an order card, or the rating buttons under a status message — so it is
/// not "outdated" for being on another message.
pub fn is_detached_press(data: &str) -> bool {
    Action::decode(data).is_ok_and(|a| {
        a.is_card()
            || matches!(
                a,
                Action::Shop(ShopAction::Rate(..) | ShopAction::ShopUnlink)
            )
    })
}

async fn route_private(
    ctx: &mut Ctx<'_>,
    stored: Option<&Stored>,
    input: Input,
) -> Result<(Reply, Option<Stored>), UiError> {
    if let Input::Press(data) = &input
        && let Ok(Action::Card(card)) = Action::decode(data)
    {
        if ctx.channel != larder_store::Channel::Telegram {
            return Ok((Reply::keep().with_alert(ctx.lang.t("not-allowed")), None));
        }
        return Ok((pipeline::press(ctx, card).await?, None));
    }
    // Staff are Telegram accounts: on any other channel everyone is a customer.
    let (roles, shown_as) = match ctx.user.id.telegram() {
        Some(id) => larder_store::staff::member(ctx.tx, id).await?,
        None => (vec![], None),
    };
    let screen = stored.map_or("null", |s| s.screen.as_str());
    let draft = stored.and_then(|s| s.draft.as_deref());
    let telegram = ctx.channel == larder_store::Channel::Telegram;
    if !telegram && !ctx.config.shop_enabled {
        let mut v = View::default();
        v.text.line(ctx.lang.t("stranger-start"));
        return Ok((
            Reply {
                say: vec![v],
                ..Reply::keep()
            },
            None,
        ));
    }
    let for_shop = ctx.config.shop_enabled && !desk::may_use_desk(&roles);
    if for_shop {
        // Staff invites are redeemed on Telegram only. One that does not
        // work (or the setup code, mistyped) is said so, then the shop opens
        // as for anyone (not a silent registration).
        let mut refused = None;
        let input = match input {
            Input::Start(Some(code)) if telegram => {
                let mut desk_state = desk::DeskState::default();
                let invite = desk::is_invite_code(&code);
                match desk::join_with(ctx, &mut desk_state, &code, invite).await? {
                    Ok(reply) => {
                        let new = Stored {
                            screen: desk_state.screen_json(),
                            draft: desk_state.draft_json(),
                        };
                        return Ok((reply, Some(new)));
                    }
                    Err(why) if invite => {
                        refused = Some(why);
                        Input::Start(None)
                    }
                    Err(_) => Input::Start(Some(code)),
                }
            }
            other => other,
        };
        let (mut state, lost) = shop::ShopState::restore(screen);
        let before = state.clone();
        let mut reply = shop::handle(ctx, &mut state, input).await?;
        if lost {
            reply.say.push(lost_note(ctx));
        }
        if let Some(text) = refused {
            let mut v = View::default();
            v.text.plain(text);
            reply.say.insert(0, v);
        }
        let changed = (state != before || stored.is_none()).then(|| Stored {
            screen: state.screen_json(),
            draft: None,
        });
        return Ok((reply, changed));
    }
    let (mut state, lost) = desk::DeskState::restore(screen, draft);
    let before = state.clone();
    let mut reply = desk::handle(ctx, &mut state, input, &roles, shown_as.as_deref()).await?;
    if lost {
        reply.say.push(lost_note(ctx));
    }
    let changed = (state != before || lost).then(|| Stored {
        screen: state.screen_json(),
        draft: state.draft_json(),
    });
    Ok((reply, changed))
}
