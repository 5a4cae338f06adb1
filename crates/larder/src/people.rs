//! People using the bot through the emulator, as load generators and the
//! chaos harness need them: each step presses (or types) and waits until
//! the screen shows what it should, pressing again if the bot was away
//! when the first press came (a person presses again on a spinning button).

use std::time::{Duration, Instant};

use fake_telegram::{Control, NewUser};

/// How long one step may take in all (restarts included).
const STEP: Duration = Duration::from_secs(90);

/// A press by label, or text typed.
#[derive(Clone, Copy, Debug)]
pub enum Act<'a> {
    Press(&'a str),
    Type(&'a str),
}

/// One step: `act`, then wait until the chat shows `shows` (a text, or a
/// button label when `button`). A press that changes nothing for `patience`
/// is made again (once the button is there). Returns how long it took.
pub async fn step(
    ctl: &Control,
    chat: i64,
    act: Act<'_>,
    shows: &str,
    button: bool,
    patience: Duration,
) -> anyhow::Result<Duration> {
    let t0 = Instant::now();
    loop {
        match act {
            Act::Press(label) => {
                ctl.wait_button(chat, label, STEP)
                    .await
                    .map_err(|e| anyhow::anyhow!("{chat}: no button {label:?}: {e:?}"))?;
                if let Err(e) = ctl.press_button(chat, chat, label).await {
                    // The screen changed under us (a restart re-sent it): look again.
                    if t0.elapsed() > STEP {
                        anyhow::bail!("{chat}: press {label:?}: {e:?}");
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
            Act::Type(text) => {
                ctl.send_text(chat, chat, text).await;
            }
        }
        let seen = screen_shows(ctl, chat, shows, button, patience).await;
        if seen {
            return Ok(t0.elapsed());
        }
        if t0.elapsed() > STEP {
            anyhow::bail!("{chat}: never showed {shows:?} after {act:?}");
        }
        if matches!(act, Act::Type(_)) {
            // Typed text is never lost: wait on rather than type it twice.
            continue;
        }
    }
}

/// How a person goes about it: flat out, or pausing 1–3 s before each step
/// as people do (the pause is not part of the step's time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Person {
    pub patience: Duration,
    pub human: bool,
}

impl Person {
    pub fn flat(patience: Duration) -> Person {
        Person {
            patience,
            human: false,
        }
    }

    async fn pause(&self) {
        if self.human {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u8(0);
            tokio::time::sleep(Duration::from_millis(1000 + h.finish() % 2000)).await;
        }
    }

    /// A step, after a pause if the person is human.
    pub async fn step(
        &self,
        ctl: &Control,
        chat: i64,
        act: Act<'_>,
        shows: &str,
        button: bool,
    ) -> anyhow::Result<Duration> {
        self.pause().await;
        step(ctl, chat, act, shows, button, self.patience).await
    }
}

/// A customer registers (first name, surname, phone, no e-mail) and opens
/// the menu. Returns each step's time.
pub async fn register(ctl: &Control, id: i64, who: Person) -> anyhow::Result<Vec<Duration>> {
    ctl.user(NewUser::new(id, "Guest")).await;
    let phone = format!("+7 912 {:03} {:04}", id / 10_000 % 1000, id % 10_000);
    let mut out = Vec::new();
    for (act, shows) in [
        (Act::Type("/start"), "Step 1 of 4"),
        (Act::Type("Guest"), "Step 2 of 4"),
        (Act::Type("Bench"), "Step 3 of 4"),
        (Act::Type(phone.as_str()), "Step 4 of 4"),
        (Act::Press("Skip"), "Hello, Guest"),
        (Act::Press("Menu"), "Choose a category"),
    ] {
        out.push(who.step(ctl, id, act, shows, false).await?);
    }
    Ok(out)
}

/// Waits until the chat's screen (its pinned message, else the newest from
/// the bot) shows `text` — in its text, or on a button when `button`.
async fn screen_shows(
    ctl: &Control,
    chat: i64,
    text: &str,
    button: bool,
    patience: Duration,
) -> bool {
    let deadline = Instant::now() + patience;
    loop {
        let shown = if button {
            ctl.wait_button(chat, text, patience).await
        } else {
            ctl.wait_text(chat, text, patience).await
        };
        let Ok(view) = shown else {
            return false;
        };
        if let Some(screen) = view.pinned().or_else(|| view.last_bot_message()) {
            let on_screen = if button {
                screen.labels().iter().any(|l| l.contains(text))
            } else {
                screen.text.contains(text)
            };
            if on_screen {
                return true;
            }
        }
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// When a customer wants the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// As soon as possible (the shop must be open).
    Asap,
    /// The first time tomorrow (any hour of the day).
    Tomorrow,
}

/// A customer orders a Camembert for pickup, from the menu, and is back at
/// the menu. Returns each step's time.
pub async fn order(
    ctl: &Control,
    id: i64,
    wanted: Wanted,
    who: Person,
) -> anyhow::Result<Vec<Duration>> {
    let mut out = Vec::new();
    for (label, shows, button) in [
        ("Other", "Other", false),
        ("Camembert", "180.00", false),
        ("Add to cart", "In cart", true),
        ("Cart", "Total:", false),
        ("Check out", "Pickup or delivery?", false),
        ("Pickup", "When do you want it?", false),
    ] {
        out.push(who.step(ctl, id, Act::Press(label), shows, button).await?);
    }
    match wanted {
        Wanted::Asap => {
            out.push(
                who.step(
                    ctl,
                    id,
                    Act::Press("As soon as possible"),
                    "Any wishes",
                    false,
                )
                .await?,
            );
        }
        Wanted::Tomorrow => {
            out.push(
                who.step(ctl, id, Act::Press("tomorrow"), "Choose a time on", false)
                    .await?,
            );
            let first = first_time(ctl, id).await?;
            out.push(
                who.step(ctl, id, Act::Press(&first), "Any wishes", false)
                    .await?,
            );
        }
    }
    for (label, shows) in [
        ("No comment", "To pay"),
        ("Confirm the order", "is placed"),
        ("Menu", "Choose a category"),
    ] {
        out.push(who.step(ctl, id, Act::Press(label), shows, false).await?);
    }
    Ok(out)
}

/// The first "HH:MM" button on the customer's screen.
async fn first_time(ctl: &Control, id: i64) -> anyhow::Result<String> {
    let chat = ctl.chat(id).await;
    let screen = chat
        .pinned()
        .or_else(|| chat.last_bot_message())
        .ok_or_else(|| anyhow::anyhow!("{id}: no screen"))?;
    screen
        .labels()
        .into_iter()
        .find(|l| l.len() == 5 && l.as_bytes()[2] == b':')
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("{id}: no time offered: {screen:?}"))
}

/// A staff member toggles between the products list and the menu.
pub async fn staff_round(ctl: &Control, id: i64, who: Person) -> anyhow::Result<Vec<Duration>> {
    let mut out = Vec::new();
    for (label, shows) in [("Products", "Products ("), ("Menu", "Choose a section")] {
        out.push(who.step(ctl, id, Act::Press(label), shows, false).await?);
    }
    Ok(out)
}
