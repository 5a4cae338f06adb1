//! Registration, profile and forgetting.

use crate::action::ShopAction;
use larder_core::{ClientName, Email, Phone};
use larder_store::StoreError;
use larder_store::customers::{self, Customer, Field};
use larder_store::{Channel, attempts, erasure};

use super::{ShopScreen, ShopState};
use crate::action::{Action, CustomerField};
use crate::view::{Button, ReplyKeyboard, View};
use crate::{Ctx, Desk, Input, Reply, UiError};

fn warn(ctx: &Ctx<'_>, id: &str, args: &[(&str, String)]) -> String {
    format!("⚠️ {}", ctx.lang.t_args(id, args))
}

/// A separate message with the "share my phone" button under the typing
/// field (Telegram only: elsewhere the number is typed).
fn ask_contact(ctx: &Ctx<'_>) -> Option<View> {
    if ctx.channel != larder_store::Channel::Telegram {
        return None;
    }
    let mut v = View::default();
    v.text.plain(ctx.lang.t("shop-share-phone-hint"));
    v.reply_keyboard = Some(ReplyKeyboard::ShareContact(ctx.lang.t("shop-share-phone")));
    Some(v)
}

/// A short message that takes the "share my phone" button away again.
fn drop_contact(ctx: &Ctx<'_>) -> Option<View> {
    if ctx.channel != larder_store::Channel::Telegram {
        return None;
    }
    let mut v = View::default();
    v.text.plain(ctx.lang.t("shop-phone-saved"));
    v.reply_keyboard = Some(ReplyKeyboard::Remove);
    Some(v)
}

/// The phone question: with the share button on Telegram, typed elsewhere
/// (with an example in the configured country's form).
fn ask_phone(ctx: &Ctx<'_>) -> String {
    if ctx.channel == larder_store::Channel::Telegram {
        return ctx.lang.t("shop-ask-phone");
    }
    let example = match ctx.config.country_code.as_str() {
        "7" => "+7 912 345-67-89".to_owned(),
        "373" => "+373 69 123 456".to_owned(),
        "380" => "+380 67 123 4567".to_owned(),
        "375" => "+375 29 123-45-67".to_owned(),
        other => format!("+{other} 123 456 789"),
    };
    ctx.lang
        .t_args("shop-ask-phone-typed", &[("example", example)])
}

pub async fn handle(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    input: Input,
) -> Result<Reply, UiError> {
    let customer =
        customers::get_or_create(ctx.tx, ctx.channel, ctx.user.id.raw(), ctx.now).await?;
    match input {
        Input::Start(_) => {
            state.screen = if customer.is_registered() {
                ShopScreen::Home
            } else {
                ShopScreen::RegFirstName
            };
            let view = render(ctx, state, &customer, None);
            Ok(Reply {
                desk: Desk::Fresh(view),
                delete_input: true,
                ..Reply::keep()
            })
        }
        Input::Command(c) if c == "forget" => {
            state.screen = ShopScreen::Forget;
            let view = render(ctx, state, &customer, None);
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Command(c) if c == "profile" && customer.is_registered() => {
            state.screen = ShopScreen::Profile;
            let view = render(ctx, state, &customer, None);
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Command(_) => {
            let view = render(ctx, state, &customer, Some(ctx.lang.t("unknown-command")));
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Text(text) => {
            let mut reply = typed(ctx, state, customer, &text).await?;
            reply.delete_input = true;
            Ok(reply)
        }
        Input::Contact { phone, user_id } => {
            let mut reply = if user_id != Some(ctx.user.id.raw()) {
                let notice = warn(ctx, "shop-contact-not-yours", &[]);
                Reply::show(render(ctx, state, &customer, Some(notice)))
            } else {
                typed(ctx, state, customer, &phone).await?
            };
            reply.delete_input = true;
            Ok(reply)
        }
        Input::Photo(_) => {
            let view = render(ctx, state, &customer, Some(ctx.lang.t("type-buttons")));
            Ok(Reply {
                delete_input: true,
                ..Reply::show(view)
            })
        }
        Input::Press(data) => press(ctx, state, customer, &data).await,
    }
}

async fn press(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    customer: Customer,
    data: &str,
) -> Result<Reply, UiError> {
    let Ok(action) = Action::decode(data) else {
        return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
    };
    let registered = customer.is_registered();
    let mut say = vec![];
    match action {
        Action::Shop(ShopAction::ShopHome) => state.screen = ShopScreen::RegFirstName,
        Action::Shop(ShopAction::ShopProfile) if registered => state.screen = ShopScreen::Profile,
        Action::Shop(ShopAction::ShopEdit(field)) if registered => {
            state.screen = ShopScreen::Edit { field };
            if field == CustomerField::Phone {
                say.extend(ask_contact(ctx));
            }
        }
        Action::Shop(ShopAction::ShopSkipEmail)
            if state.screen == ShopScreen::RegEmail && !ctx.config.email_required =>
        {
            return finish(ctx, state, customer).await;
        }
        Action::Shop(ShopAction::ShopForget) => state.screen = ShopScreen::Forget,
        Action::Shop(ShopAction::ShopUnlink) => state.screen = ShopScreen::Unlink,
        Action::Shop(ShopAction::ShopUnlinkYes) if state.screen == ShopScreen::Unlink => {
            let me = ctx.user.id.raw();
            let apart = customers::unlink(ctx.tx, ctx.channel, me, ctx.now).await?;
            tracing::info!(accounts = apart.len(), "accounts unlinked");
            let mut reply = Reply::keep();
            for (channel, chat_id) in &apart {
                let lang = language_of(ctx, *channel, *chat_id).await?;
                let mut told = View::default();
                told.text.plain(lang.t_args(
                    "shop-unlinked-told",
                    &[("messenger", messenger_name(ctx.channel).to_owned())],
                ));
                reply.notes.push(crate::Note {
                    channel: *channel,
                    chat_id: *chat_id,
                    view: told,
                });
            }
            let customer = customers::get_or_create(ctx.tx, ctx.channel, me, ctx.now).await?;
            state.screen = if customer.is_registered() {
                ShopScreen::Profile
            } else {
                ShopScreen::RegFirstName
            };
            let id = if apart.is_empty() {
                "shop-unlink-none"
            } else {
                "shop-unlinked"
            };
            reply.desk = Desk::Show(render(ctx, state, &customer, None));
            return Ok(reply.with_toast(ctx.lang.t(id)));
        }
        Action::Shop(ShopAction::ShopLink) => {
            // A registered customer gets a code to type on the other
            // messenger; anyone may type a code from there.
            let code = if registered {
                let code = crate::random::code(LINK_CODE_LEN);
                let expires = ctx.now + LINK_MINUTES * 60_000;
                customers::create_link_code(ctx.tx, customer.id, &code, expires).await?;
                Some(code)
            } else {
                None
            };
            state.screen = ShopScreen::Link { code };
        }
        Action::Shop(ShopAction::ShopForgetConfirm) if state.screen == ShopScreen::Forget => {
            let subject = erasure::of_customer(ctx.tx, customer.id).await?;
            if erasure::has_open_orders(ctx.tx, &subject).await? {
                // The kitchen and the courier still need the name, phone and address.
                let notice = warn(ctx, "shop-forget-open-orders", &[]);
                return Ok(Reply::show(render(ctx, state, &customer, Some(notice))));
            }
            let erased = erasure::erase(ctx.tx, &subject, None, ctx.now).await?;
            tracing::info!(
                customer.id = customer.id.get(),
                orders = erased.orders,
                updates = erased.updates,
                calls = erased.calls,
                "customer data erased on request"
            );
            state.screen = ShopScreen::RegFirstName;
            let customer = customers::get(ctx.tx, customer.id).await?;
            let view = render(ctx, state, &customer, Some(ctx.lang.t("shop-forgotten")));
            return Ok(Reply::show(view));
        }
        Action::Shop(ShopAction::ShopProfile)
        | Action::Shop(ShopAction::ShopEdit(_))
        | Action::Shop(ShopAction::ShopSkipEmail)
        | Action::Shop(ShopAction::ShopForgetConfirm) => {
            return Ok(Reply::keep().with_toast(ctx.lang.t("outdated-button")));
        }
        // Desk buttons, forged by a customer: nothing happens.
        _ => return Ok(Reply::keep().with_alert(ctx.lang.t("not-allowed"))),
    }
    let view = render(ctx, state, &customer, None);
    Ok(Reply {
        say,
        ..Reply::show(view)
    })
}

/// A typed (or shared) answer to the question on screen.
async fn typed(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    customer: Customer,
    text: &str,
) -> Result<Reply, UiError> {
    if let ShopScreen::Link { .. } = state.screen {
        return link(ctx, state, customer, text).await;
    }
    let field = match state.screen {
        ShopScreen::RegFirstName
        | ShopScreen::Edit {
            field: CustomerField::FirstName,
        } => CustomerField::FirstName,
        ShopScreen::RegLastName
        | ShopScreen::Edit {
            field: CustomerField::LastName,
        } => CustomerField::LastName,
        ShopScreen::RegPhone
        | ShopScreen::Edit {
            field: CustomerField::Phone,
        } => CustomerField::Phone,
        ShopScreen::RegEmail
        | ShopScreen::Edit {
            field: CustomerField::Email,
        } => CustomerField::Email,
        _ => {
            let view = render(ctx, state, &customer, Some(ctx.lang.t("type-buttons")));
            return Ok(Reply::show(view));
        }
    };
    let parsed = match field {
        CustomerField::FirstName | CustomerField::LastName => ClientName::parse(text)
            .map(|n| n.as_str().to_owned())
            .map_err(|e| warn(ctx, e.message_id(), &e.args())),
        CustomerField::Phone => Phone::parse(text, &ctx.config.country_code)
            .map(|p| p.as_str().to_owned())
            .map_err(|e| warn(ctx, e.message_id(), &e.args())),
        CustomerField::Email => Email::parse(text)
            .map(|e| e.as_str().to_owned())
            .map_err(|e| warn(ctx, e.message_id(), &e.args())),
    };
    let value = match parsed {
        Ok(v) => v,
        Err(notice) => return Ok(Reply::show(render(ctx, state, &customer, Some(notice)))),
    };
    let column = match field {
        CustomerField::FirstName => Field::FirstName,
        CustomerField::LastName => Field::LastName,
        CustomerField::Phone => Field::Phone,
        CustomerField::Email => Field::Email,
    };
    match customers::set(
        ctx.tx,
        customer.id,
        customer.version,
        column,
        Some(&value),
        ctx.now,
    )
    .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            let customer = customers::get(ctx.tx, customer.id).await?;
            let view = render(ctx, state, &customer, Some(ctx.lang.t("changed-elsewhere")));
            return Ok(Reply::show(view));
        }
        Err(e) => return Err(e.into()),
    }
    let customer = customers::get(ctx.tx, customer.id).await?;
    let mut say = vec![];
    if field == CustomerField::Phone {
        say.extend(drop_contact(ctx));
    }
    state.screen = match state.screen {
        ShopScreen::RegFirstName => ShopScreen::RegLastName,
        ShopScreen::RegLastName => {
            say.extend(ask_contact(ctx));
            ShopScreen::RegPhone
        }
        ShopScreen::RegPhone => ShopScreen::RegEmail,
        ShopScreen::RegEmail => {
            let mut reply = finish(ctx, state, customer).await?;
            reply.say.extend(say);
            return Ok(reply);
        }
        _ => ShopScreen::Profile,
    };
    let view = render(ctx, state, &customer, None);
    Ok(Reply {
        say,
        ..Reply::show(view)
    })
}

/// How long a link code works.
const LINK_MINUTES: i64 = 10;

/// Characters of a link code: 40 random bits, from the OS.
const LINK_CODE_LEN: usize = 8;

/// A typed link code: this account joins the customer who made it. Wrong
/// codes are counted per account; after too many, codes are refused for a
/// while. The account that made the code is told it was used.
async fn link(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    customer: Customer,
    text: &str,
) -> Result<Reply, UiError> {
    let me = ctx.user.id.raw();
    if let Some(until) = attempts::blocked_until(ctx.tx, ctx.channel, me, ctx.now).await? {
        let notice = warn(
            ctx,
            "code-too-many",
            &[("at", crate::pipeline::clock_of(ctx, until))],
        );
        return Ok(Reply::show(render(ctx, state, &customer, Some(notice))));
    }
    let code = crate::random::normalize(text);
    let outcome = if code.len() == LINK_CODE_LEN {
        customers::redeem_link_code(ctx.tx, &code, ctx.channel, me, ctx.now).await?
    } else {
        Err(customers::LinkRefusal::Invalid)
    };
    match outcome {
        Ok(joined) => {
            tracing::info!(customer.id = joined.id.get(), "accounts linked");
            attempts::cleared(ctx.tx, ctx.channel, me).await?;
            state.screen = if joined.is_registered() {
                ShopScreen::Home
            } else {
                ShopScreen::RegFirstName
            };
            let view = render(ctx, state, &joined, None);
            let mut reply = Reply::show(view).with_toast(ctx.lang.t("shop-linked"));
            // The account that made the code hears of it.
            let mut told = View::default();
            let phone = ctx.config.shop.phone.clone().unwrap_or_default();
            let id = if phone.is_empty() {
                "shop-linked-told"
            } else {
                "shop-linked-told-phone"
            };
            let messenger = messenger_name(ctx.channel);
            let lang = language_of(ctx, joined.channel, joined.user_id).await?;
            told.text
                .plain(lang.t_args(id, &[("messenger", messenger.to_owned()), ("phone", phone)]));
            told.button(
                lang.t("shop-unlink-button"),
                Action::Shop(ShopAction::ShopUnlink),
            );
            reply.notes.push(crate::Note {
                channel: joined.channel,
                chat_id: joined.user_id,
                view: told,
            });
            Ok(reply)
        }
        Err(why) => {
            if why == customers::LinkRefusal::Invalid {
                attempts::failed(ctx.tx, ctx.channel, me, ctx.now).await?;
            }
            let id = match why {
                customers::LinkRefusal::Invalid => "shop-link-invalid",
                customers::LinkRefusal::SameMessenger => "shop-link-same",
            };
            let notice = warn(ctx, id, &[]);
            Ok(Reply::show(render(ctx, state, &customer, Some(notice))))
        }
    }
}

/// The language another chat speaks (as last seen there), for a message to it.
async fn language_of<'a>(
    ctx: &mut Ctx<'a>,
    channel: Channel,
    chat_id: i64,
) -> Result<crate::i18n::Lang<'a>, UiError> {
    let state = larder_store::chat_state::load(ctx.tx, channel, chat_id).await?;
    Ok(ctx
        .lang
        .switch(state.as_ref().and_then(|s| s.language.as_deref())))
}

fn messenger_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Telegram => "Telegram",
        Channel::Vk => "VK",
    }
}

/// Name and phone are known: the customer is registered.
async fn finish(
    ctx: &mut Ctx<'_>,
    state: &mut ShopState,
    customer: Customer,
) -> Result<Reply, UiError> {
    customers::register(ctx.tx, customer.id, customer.version, ctx.now).await?;
    tracing::info!(customer.id = customer.id.get(), "customer registered");
    let customer = customers::get(ctx.tx, customer.id).await?;
    state.screen = ShopScreen::Home;
    Ok(Reply::show(render(ctx, state, &customer, None)).with_toast(ctx.lang.t("shop-registered")))
}

pub(super) fn render(
    ctx: &Ctx<'_>,
    state: &ShopState,
    c: &Customer,
    notice: Option<String>,
) -> View {
    let t = |id: &str| ctx.lang.t(id);
    let shop = ctx.config.shop_name.clone();
    let mut v = View::default();
    let step = |v: &mut View, n: u8, question: String| {
        v.text
            .bold(ctx.lang.t_args("shop-welcome", &[("shop", shop.clone())]))
            .newline();
        if n == 1 {
            v.text
                .italic(ctx.lang.t_args("shop-privacy", &[("shop", shop.clone())]))
                .newline()
                .newline();
        }
        v.text.line(ctx.lang.t_args(
            "shop-step",
            &[("step", n.to_string()), ("steps", "4".into())],
        ));
        v.text.plain(question);
    };
    match &state.screen {
        ShopScreen::RegFirstName => {
            step(&mut v, 1, t("shop-ask-first-name"));
            v.button(t("shop-link-existing"), Action::Shop(ShopAction::ShopLink));
        }
        ShopScreen::Link { code } => {
            v.text.bold(t("shop-link-title")).newline();
            if let Some(code) = code {
                v.text.line(ctx.lang.t_args(
                    "shop-link-code",
                    &[
                        ("code", code.clone()),
                        ("minutes", LINK_MINUTES.to_string()),
                    ],
                ));
                v.text.newline();
            }
            v.text.plain(t("shop-link-enter"));
            let back = if c.is_registered() {
                Action::Shop(ShopAction::ShopProfile)
            } else {
                Action::Shop(ShopAction::ShopHome)
            };
            v.button(t("btn-back"), back);
        }
        ShopScreen::RegLastName => step(&mut v, 2, t("shop-ask-last-name")),
        ShopScreen::RegPhone => step(&mut v, 3, ask_phone(ctx)),
        ShopScreen::RegEmail => {
            step(
                &mut v,
                4,
                t(if ctx.config.email_required {
                    "shop-ask-email"
                } else {
                    "shop-ask-email-optional"
                }),
            );
            if !ctx.config.email_required {
                v.button(t("btn-skip"), Action::Shop(ShopAction::ShopSkipEmail));
            }
        }
        ShopScreen::Home => {
            let name = c.first_name.clone().unwrap_or_default();
            v.text
                .bold(
                    ctx.lang
                        .t_args("shop-hello", &[("name", name), ("shop", shop)]),
                )
                .newline();
            v.button(t("shop-open-menu"), Action::Shop(ShopAction::ShopHome));
            v.button(t("shop-my-profile"), Action::Shop(ShopAction::ShopProfile));
        }
        ShopScreen::Profile => {
            let dash = || "—".to_owned();
            v.text.bold(t("shop-profile-title")).newline();
            v.text.line(format!(
                "{}: {}",
                t("shop-first-name"),
                c.first_name.clone().unwrap_or_else(dash)
            ));
            v.text.line(format!(
                "{}: {}",
                t("shop-last-name"),
                c.last_name.clone().unwrap_or_else(dash)
            ));
            v.text.line(format!(
                "{}: {}",
                t("shop-phone"),
                c.phone.clone().unwrap_or_else(dash)
            ));
            v.text.line(format!(
                "{}: {}",
                t("shop-email"),
                c.email.clone().unwrap_or_else(dash)
            ));
            v.row(vec![
                Button::action(
                    t("shop-first-name"),
                    Action::Shop(ShopAction::ShopEdit(CustomerField::FirstName)),
                ),
                Button::action(
                    t("shop-last-name"),
                    Action::Shop(ShopAction::ShopEdit(CustomerField::LastName)),
                ),
            ]);
            v.row(vec![
                Button::action(
                    t("shop-phone"),
                    Action::Shop(ShopAction::ShopEdit(CustomerField::Phone)),
                ),
                Button::action(
                    t("shop-email"),
                    Action::Shop(ShopAction::ShopEdit(CustomerField::Email)),
                ),
            ]);
            v.button(t("shop-link-button"), Action::Shop(ShopAction::ShopLink));
            v.row(vec![
                Button::action(t("shop-forget-me"), Action::Shop(ShopAction::ShopForget)),
                Button::action(t("btn-back"), Action::Shop(ShopAction::ShopHome)),
            ]);
        }
        ShopScreen::Edit { field } => {
            let question = match field {
                CustomerField::FirstName => t("shop-ask-first-name"),
                CustomerField::LastName => t("shop-ask-last-name"),
                CustomerField::Phone => ask_phone(ctx),
                CustomerField::Email => t("shop-ask-email"),
            };
            v.text.plain(question);
            v.button(t("btn-cancel"), Action::Shop(ShopAction::ShopProfile));
        }
        ShopScreen::Unlink => {
            v.text.plain(t("shop-unlink-ask"));
            v.row(vec![
                Button::action(
                    t("shop-unlink-yes"),
                    Action::Shop(ShopAction::ShopUnlinkYes),
                ),
                Button::action(t("btn-cancel"), Action::Shop(ShopAction::ShopHome)),
            ]);
        }
        ShopScreen::Forget => {
            v.text.bold(t("shop-forget-title")).newline();
            v.text.plain(t("shop-forget-warning"));
            let back = if c.is_registered() {
                Action::Shop(ShopAction::ShopProfile)
            } else {
                Action::Shop(ShopAction::ShopHome)
            };
            v.row(vec![
                Button::action(
                    t("shop-forget-confirm"),
                    Action::Shop(ShopAction::ShopForgetConfirm),
                ),
                Button::action(t("btn-cancel"), back),
            ]);
        }
        _ => {
            v.button(t("shop-open-menu"), Action::Shop(ShopAction::ShopHome));
        }
    }
    v.with_notice(notice.as_deref())
}
