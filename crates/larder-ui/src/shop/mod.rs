//! The customers' side: like the desk, one message edited in place.
//! Registration (first name, surname, phone — shared as the person's own
//! contact or typed — and e-mail), the profile and erasing personal data are
//! in `register`; the menu and cart in `browse`; checkout in `checkout`; the
//! customer's orders, cancelling, feedback and reviews in `mine`.

mod browse;
mod checkout;
mod hours;
mod mine;
mod register;

use crate::action::ShopAction;
use larder_core::{OrderId, ProductId};
use larder_store::customers::{self, Customer};
use serde::{Deserialize, Serialize};

use crate::action::{Action, CustomerField};
use crate::{Ctx, Desk, Input, Reply, UiError};

pub use checkout::{CheckoutForm, CheckoutStep};

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
    /// Whether to undo the link with the other messenger.
    Unlink,
    /// Linking with the other messenger: the code this account made, if any.
    Link {
        code: Option<String>,
    },
    /// Products of a category (0: products without one).
    Category {
        id: i64,
        page: u32,
    },
    Product {
        id: ProductId,
    },
    Cart,
    Checkout {
        step: CheckoutStep,
        form: CheckoutForm,
    },
    Placed {
        id: OrderId,
    },
    MyOrders {
        page: u32,
    },
    MyOrder {
        id: OrderId,
    },
    CancelAsk {
        id: OrderId,
    },
    Feedback {
        id: OrderId,
    },
    FeedbackComment {
        id: OrderId,
    },
    Reviews {
        page: u32,
    },
}

/// Persistent state of a customer's chat.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopState {
    #[serde(flatten)]
    pub screen: ShopScreen,
    /// Whether the chat's message shows a photo (it cannot be edited into
    /// text, so the next screen is sent anew).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub photo: bool,
    /// The page shown of a screen without a page of its own (home, cart,
    /// feedback, a day's times), kept with the screen it belongs to: any
    /// other screen starts at its first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paged: Option<Box<(ShopScreen, u32)>>,
}

impl ShopState {
    /// Restores from stored JSON; anything else (e.g. a desk state) starts at home.
    /// The stored state; the second value is `true` when there was one but
    /// it can no longer be read (a checkout in progress, written by another
    /// version): the customer starts again and must be told.
    pub fn restore(screen: &str) -> (ShopState, bool) {
        match serde_json::from_str(screen) {
            Ok(state) => (state, false),
            Err(_) if screen.is_empty() || screen == "null" => (ShopState::default(), false),
            Err(e) => {
                tracing::warn!(error = %e, "a stored shop state cannot be read; starting afresh");
                (ShopState::default(), true)
            }
        }
    }

    /// The page of the current screen.
    pub fn page(&self) -> u32 {
        match &self.paged {
            Some(p) if p.0 == self.screen => p.1,
            _ => 0,
        }
    }

    /// Shows `screen` from its first page.
    pub fn go(&mut self, screen: ShopScreen) {
        self.screen = screen;
        self.paged = None;
    }

    pub fn screen_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "null".into())
    }
}

/// Handles one input of a customer's private chat.
pub async fn handle(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    input: Input,
) -> Result<Reply, UiError> {
    let account = customers::account(ctx.tx, ctx.channel, ctx.user.id.raw(), ctx.now).await?;
    if account.unreachable_at.is_some() {
        // They wrote again: they can be reached.
        customers::mark_reachable(ctx.tx, account.id).await?;
    }
    let customer =
        customers::get_or_create(ctx.tx, ctx.channel, ctx.user.id.raw(), ctx.now).await?;
    let had_photo = state.photo;
    let mut reply = route(ctx, state, customer, input).await?;
    // A Telegram photo message cannot become text (nor text a photo): it
    // is sent anew. VK edits a message's photo in place.
    let shows_photo = match &reply.desk {
        Desk::Show(v) | Desk::Fresh(v) => Some(v.photo.is_some()),
        Desk::Keep => None,
    };
    let edits_photos = ctx.channel == larder_store::Channel::Vk;
    if let Some(photo) = shows_photo {
        if let Desk::Show(v) = &reply.desk
            && (photo || had_photo)
            && !edits_photos
        {
            reply.desk = Desk::Fresh(v.clone());
        }
        state.photo = photo;
    }
    Ok(reply)
}

async fn route(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    customer: Customer,
    input: Input,
) -> Result<Reply, UiError> {
    if !customer.is_registered() {
        // Unregistered where only customers go (the account was unlinked or
        // erased meanwhile): registration starts over, whatever was sent.
        let registering = matches!(
            state.screen,
            ShopScreen::RegFirstName
                | ShopScreen::RegLastName
                | ShopScreen::RegPhone
                | ShopScreen::RegEmail
                | ShopScreen::Link { .. }
                | ShopScreen::Forget
        );
        if !registering && !matches!(input, Input::Press(_)) {
            return register::handle(ctx, state, Input::Start(None)).await;
        }
        return register::handle(ctx, state, input).await;
    }
    match input {
        Input::Start(_) => {
            state.go(ShopScreen::Home);
            let view = browse::home(ctx, &customer, 0, None).await?;
            Ok(Reply {
                desk: Desk::Fresh(view),
                delete_input: true,
                ..Reply::keep()
            })
        }
        Input::Command(c) if matches!(c.as_str(), "menu" | "cart" | "orders") => {
            state.go(match c.as_str() {
                "cart" => ShopScreen::Cart,
                "orders" => ShopScreen::MyOrders { page: 0 },
                _ => ShopScreen::Home,
            });
            let view = render(ctx, state, &customer, None).await?;
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Command(c) if c == "help" => {
            let notice = Some(ctx.lang.t("shop-help"));
            let view = render(ctx, state, &customer, notice).await?;
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Command(c) if c == "forget" || c == "profile" => {
            register::handle(ctx, state, Input::Command(c)).await
        }
        Input::Command(_) => {
            let notice = Some(ctx.lang.t("unknown-command"));
            let view = render(ctx, state, &customer, notice).await?;
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Text(text) => {
            let mut reply = match &state.screen {
                ShopScreen::Checkout { .. } => {
                    checkout::typed(ctx, state, &customer, &text).await?
                }
                ShopScreen::FeedbackComment { .. } => {
                    mine::typed(ctx, state, &customer, &text).await?
                }
                ShopScreen::Edit { .. } | ShopScreen::Link { .. } => {
                    return register::handle(ctx, state, Input::Text(text)).await;
                }
                _ => {
                    let notice = Some(ctx.lang.t("type-buttons"));
                    Reply::show(render(ctx, state, &customer, notice).await?)
                }
            };
            reply.delete_input = true;
            Ok(reply)
        }
        Input::Contact { .. } | Input::Photo(_) => {
            if matches!(state.screen, ShopScreen::Edit { .. }) {
                return register::handle(ctx, state, input).await;
            }
            let notice = Some(ctx.lang.t("type-buttons"));
            let view = render(ctx, state, &customer, notice).await?;
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Press(data) => {
            let Ok(action) = Action::decode(&data) else {
                return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
            };
            press(ctx, state, customer, action, data).await
        }
    }
}

async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    customer: Customer,
    action: Action,
    data: String,
) -> Result<Reply, UiError> {
    use Action as A;
    use ShopAction as S;
    let shop = match &action {
        A::Shop(shop) => shop,
        A::Noop => return Ok(Reply::keep()),
        A::PageEnd { last } => {
            let id = if *last { "page-last" } else { "page-first" };
            return Ok(Reply::keep().with_toast(ctx.lang.t(id)));
        }
        A::Menu | A::Cancel => {
            state.go(ShopScreen::Home);
            return Ok(Reply::show(browse::home(ctx, &customer, 0, None).await?));
        }
        // Desk and card buttons, forged by a customer: nothing happens.
        A::Desk(_) | A::Card(_) => {
            return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed")));
        }
    };
    match shop {
        S::ShopHome => {
            state.go(ShopScreen::Home);
            Ok(Reply::show(browse::home(ctx, &customer, 0, None).await?))
        }
        S::ShopPage(page) => {
            state.paged = Some(Box::new((state.screen.clone(), *page)));
            Ok(Reply::show(render(ctx, state, &customer, None).await?))
        }
        S::ShopProfile
        | S::ShopEdit(_)
        | S::ShopSkipEmail
        | S::ShopForget
        | S::ShopForgetConfirm
        | S::ShopLink
        | S::ShopUnlink
        | S::ShopUnlinkYes => register::handle(ctx, state, Input::Press(data)).await,
        S::ShopCategory(..)
        | S::ShopProduct(_)
        | S::CartAdd(_)
        | S::CartSub(_)
        | S::CartRemove(_)
        | S::Cart => browse::press(ctx, state, &customer, action).await,
        S::Checkout
        | S::CheckoutMode(_)
        | S::CheckoutLastAddress
        | S::CheckoutAsap
        | S::CheckoutSlots(_)
        | S::CheckoutSlotGroup(..)
        | S::CheckoutSlot(..)
        | S::CheckoutSkipComment
        | S::CheckoutConfirm => checkout::press(ctx, state, &customer, action).await,
        S::MyOrders(_)
        | S::MyOrder(_)
        | S::MyOrderCancel(_)
        | S::MyOrderCancelYes(_)
        | S::ShopReviews(_)
        | S::Rate(..)
        | S::RateDish(..)
        | S::FeedbackComment(_)
        | S::FeedbackDone(_) => mine::press(ctx, state, &customer, action).await,
    }
}

/// Draws `page` of `buttons`, `per_row` to a row, with the pager: as many
/// as fit beside the `fixed` rows (their button counts) drawn after them,
/// at most `most`. The screen's own pager, so there is only one.
pub(super) fn paged_buttons(
    ctx: &Ctx<'_>,
    v: &mut crate::View,
    page: u32,
    buttons: Vec<crate::view::Button>,
    (per_row, fixed, most): (usize, &[usize], usize),
) {
    let size = ctx.keys().page_size(buttons.len(), per_row, fixed, most);
    let total = i64::try_from(buttons.len()).unwrap_or(0);
    let page = crate::paging::Page::new(page, total, size);
    let start = usize::try_from(page.offset()).unwrap_or(0);
    let shown: Vec<_> = buttons
        .into_iter()
        .skip(start)
        .take(size as usize)
        .collect();
    for row in shown.chunks(per_row.max(1)) {
        v.row(row.to_vec());
    }
    v.row(page.nav(ctx.lang, |p| Action::Shop(ShopAction::ShopPage(p))));
}

/// The view of the current screen.
async fn render(
    ctx: &mut Ctx<'_>,
    state: &ShopState,
    customer: &Customer,
    notice: Option<String>,
) -> Result<crate::View, UiError> {
    match &state.screen {
        ShopScreen::Home
        | ShopScreen::Category { .. }
        | ShopScreen::Product { .. }
        | ShopScreen::Cart => browse::render(ctx, state, customer, notice).await,
        ShopScreen::Checkout { .. } | ShopScreen::Placed { .. } => {
            checkout::render(ctx, state, customer, notice).await
        }
        ShopScreen::MyOrders { .. }
        | ShopScreen::MyOrder { .. }
        | ShopScreen::CancelAsk { .. }
        | ShopScreen::Feedback { .. }
        | ShopScreen::FeedbackComment { .. }
        | ShopScreen::Reviews { .. } => mine::render(ctx, state, customer, notice).await,
        _ => Ok(register::render(ctx, state, customer, notice)),
    }
}
