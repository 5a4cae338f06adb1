//! The checkout at every hour of the business day, on a clock the test sets:
//! before opening, at opening, mid-day, 15 minutes before closing, after
//! closing, at midnight, and on both DST-change days of the shop's time zone
//! (Europe/Chisinau; the shop opens 10:00–22:00, two borscht need 20 minutes).
//! Open: "as soon as possible" is offered; closed: when it opens, and times
//! to choose from — never an empty list.

use crate::harness::{TestApp, local};
use crate::shop_flow::{ANNA, KITCHEN, register};

crate::on_both_backends!(
    with crate::shop_flow::restaurant;
    the_checkout_offers_what_the_hour_allows,
    orders_on_dst_days_are_wanted_at_the_right_instant,
);

/// What the "when" screen should show at one moment.
struct Expect {
    at: &'static str,
    /// The "as soon as possible" button, or the line saying why not.
    asap: Result<&'static str, &'static str>,
    /// The day buttons, in order.
    days: &'static [&'static str],
    /// The first free time of the first day offered.
    first_slot: &'static str,
}

const HOURS: &[Expect] = &[
    Expect {
        at: "2026-12-01T08:00",
        asap: Err("We are closed now and open today at 10:00"),
        days: &["🕐 today", "🕐 tomorrow", "🕐 03.12"],
        first_slot: "10:30",
    },
    Expect {
        at: "2026-12-01T10:00",
        asap: Ok("As soon as possible (~10:20)"),
        days: &["🕐 today", "🕐 tomorrow", "🕐 03.12"],
        first_slot: "10:30",
    },
    Expect {
        at: "2026-12-01T12:00",
        asap: Ok("As soon as possible (~12:20)"),
        days: &["🕐 today", "🕐 tomorrow", "🕐 03.12"],
        first_slot: "12:30",
    },
    Expect {
        at: "2026-12-01T21:45",
        asap: Err("The kitchen closes at 22:00: too late to make this order today"),
        days: &["🕐 tomorrow", "🕐 03.12"],
        first_slot: "10:30",
    },
    Expect {
        at: "2026-12-01T23:00",
        asap: Err("We are closed now and open tomorrow at 10:00"),
        days: &["🕐 tomorrow", "🕐 03.12"],
        first_slot: "10:30",
    },
    Expect {
        at: "2026-12-02T00:00",
        asap: Err("We are closed now and open today at 10:00"),
        days: &["🕐 today", "🕐 tomorrow", "🕐 04.12"],
        first_slot: "10:30",
    },
    // 28.03.2027: the clocks go from 02:00 to 03:00.
    Expect {
        at: "2027-03-28T01:30",
        asap: Err("We are closed now and open today at 10:00"),
        days: &["🕐 today", "🕐 tomorrow", "🕐 30.03"],
        first_slot: "10:30",
    },
    Expect {
        at: "2027-03-28T21:50",
        asap: Err("The kitchen closes at 22:00"),
        days: &["🕐 tomorrow", "🕐 30.03"],
        first_slot: "10:30",
    },
    // 31.10.2027: the clocks go from 03:00 back to 02:00; 02:30 is the first one.
    Expect {
        at: "2027-10-31T02:30",
        asap: Err("We are closed now and open today at 10:00"),
        days: &["🕐 today", "🕐 tomorrow", "🕐 02.11"],
        first_slot: "10:30",
    },
    Expect {
        at: "2027-10-31T12:00",
        asap: Ok("As soon as possible (~12:20)"),
        days: &["🕐 today", "🕐 tomorrow", "🕐 02.11"],
        first_slot: "12:30",
    },
];

/// Borscht × 2 in Anna's cart, which she opens.
async fn fill_cart(app: &TestApp) {
    app.press(ANNA, "Menu").await;
    app.press(ANNA, "Soups").await;
    app.press(ANNA, "Borscht").await;
    app.press(ANNA, "Add to cart").await;
    app.press(ANNA, "➕").await;
    app.press(ANNA, "Cart").await;
    app.desk_shows(ANNA, "Total: 300.00").await;
}

/// From the cart to the checkout's "when" (pickup): its text and buttons.
async fn to_when(app: &TestApp) -> (String, Vec<String>) {
    app.press(ANNA, "Check out").await;
    app.press(ANNA, "Pickup").await;
    let text = app.desk_shows(ANNA, "When do you want it?").await;
    (text, labels(app).await)
}

async fn labels(app: &TestApp) -> Vec<String> {
    let chat = app.ctl.chat(ANNA).await;
    let shop = chat.pinned().expect("the shop's message");
    shop.buttons
        .iter()
        .flatten()
        .map(|b| b.text.clone())
        .collect()
}

async fn the_checkout_offers_what_the_hour_allows(app: TestApp) {
    register(&app).await;
    fill_cart(&app).await;
    for e in HOURS {
        app.set_time(e.at);
        let (text, labels) = to_when(&app).await;
        let at = e.at;
        match e.asap {
            Ok(button) => {
                assert!(
                    labels.iter().any(|l| l.contains(button)),
                    "{at}: {labels:?}"
                );
            }
            Err(line) => {
                assert!(text.contains(line), "{at}: {text}");
                assert!(
                    !labels.iter().any(|l| l.contains("As soon as possible")),
                    "{at}: {labels:?}"
                );
            }
        }
        let days: Vec<&str> = labels
            .iter()
            .map(String::as_str)
            .filter(|l| l.starts_with('🕐'))
            .collect();
        assert_eq!(days, e.days, "{at}");
        app.press(ANNA, e.days[0]).await;
        app.desk_shows(ANNA, "Choose a time on").await;
        let slots = labels_of_times(&self::labels(&app).await);
        assert_eq!(
            slots.first().map(String::as_str),
            Some(e.first_slot),
            "{at}: {slots:?}"
        );
        // The last time is closing time; nothing after it.
        assert_eq!(slots.last().map(String::as_str), Some("22:00"), "{at}");
        app.press(ANNA, "Cart").await;
        app.desk_shows(ANNA, "Total: 300.00").await;
    }
}

/// The "HH:MM" buttons of a slots screen.
fn labels_of_times(labels: &[String]) -> Vec<String> {
    labels
        .iter()
        .filter(|l| l.len() == 5 && l.as_bytes()[2] == b':')
        .cloned()
        .collect()
}

/// An order placed "as soon as possible" or for a slot on a DST day is
/// wanted at the wall-clock time the customer was shown, in both seasons.
async fn orders_on_dst_days_are_wanted_at_the_right_instant(app: TestApp) {
    register(&app).await;
    // Spring day, 12:00 (UTC+3 after the change): as soon as possible.
    app.set_time("2027-03-28T12:00");
    fill_cart(&app).await;
    to_when(&app).await;
    app.press(ANNA, "As soon as possible").await;
    app.press(ANNA, "No comment").await;
    app.desk_shows(ANNA, "as soon as possible, about 12:20")
        .await;
    app.press(ANNA, "Confirm the order").await;
    app.sees(KITCHEN, "Order №1").await;
    // Autumn day, 01:00 (the clocks go back at 03:00): a slot that day.
    app.set_time("2027-10-31T01:00");
    fill_cart(&app).await;
    to_when(&app).await;
    app.press(ANNA, "today").await;
    app.press(ANNA, "11:00").await;
    app.press(ANNA, "No comment").await;
    app.desk_shows(ANNA, "31.10.2027 11:00").await;
    app.press(ANNA, "Confirm the order").await;
    app.sees(KITCHEN, "Order №2").await;

    let mut c = app.store().conn().await.unwrap();
    let tz = jiff::tz::TimeZone::get(crate::harness::TIME_ZONE).unwrap();
    for (id, wanted) in [(1, "2027-03-28T12:20"), (2, "2027-10-31T11:00")] {
        let o = larder_store::orders::get(&mut c, larder_core::OrderId::new(id))
            .await
            .unwrap();
        let (day, time) = (o.issue_date.unwrap(), o.issue_time.unwrap());
        let instant = larder_core::local_ms(&tz, day.to_datetime(time)).unwrap();
        assert_eq!(instant, local(wanted), "order {id}: {day} {time}");
    }
    // The spring order is wanted at 09:20 UTC (UTC+3), the autumn one at
    // 09:00 UTC (UTC+2 after the change).
    assert_eq!(
        local("2027-03-28T12:20") % 86_400_000,
        9 * 3_600_000 + 20 * 60_000
    );
    assert_eq!(local("2027-10-31T11:00") % 86_400_000, 9 * 3_600_000);
}
