//! The loaders through the store on SQLite: business days across DST.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use larder_core::{Money, Percent, Quantity, SessionId, StatusEvent, Unit, day_bounds_ms};
use larder_reports::{Period, load_issued, load_pending, load_session};
use larder_store::Store;
use larder_store::orders::{self, NewLine, NewOrder};

async fn store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate(ms("2026-12-01T10:00:00Z")).await.unwrap();
    (store, dir)
}

fn ms(utc: &str) -> i64 {
    utc.parse::<Timestamp>().unwrap().as_millisecond()
}

/// Creates a one-line order named `client`, created at `now`.
async fn create(store: &Store, session: SessionId, client: &str, now: i64) -> larder_core::OrderId {
    let order = NewOrder {
        session_id: session,
        client_name: client.into(),
        phone: None,
        delivery: false,
        address: None,
        issue_date: None,
        issue_time: None,
        discount: Percent::ZERO,
        fee: larder_core::Fee::Auto,
        note: None,
        customer: None,
        lines: vec![NewLine {
            product_id: None,
            name: "Gouda".into(),
            unit: Unit::Kg,
            price: Money::from_minor(25_000),
            ordered: Quantity::grams(300).unwrap(),
            packing: None,
            packing_rate: None,
        }],
    };
    let mut conn = store.conn().await.unwrap();
    orders::create(&mut conn, &order, None, now)
        .await
        .unwrap()
        .0
}

async fn clients(store: &Store, period: Period, tz: &TimeZone, issued: bool) -> Vec<String> {
    let mut conn = store.conn().await.unwrap();
    let found = if issued {
        load_issued(&mut conn, period, tz).await.unwrap()
    } else {
        load_pending(&mut conn, period, tz).await.unwrap()
    };
    found.into_iter().map(|o| o.client_name).collect()
}

#[tokio::test]
async fn pending_orders_fall_on_business_days_across_dst_changes() {
    let (store, _dir) = store().await;
    let berlin = TimeZone::get("Europe/Berlin").unwrap();
    let session = {
        let mut conn = store.conn().await.unwrap();
        larder_store::sessions::create(&mut conn, "Market", "", None, None, 1)
            .await
            .unwrap()
    };
    // 29.03.2026 (spring forward) runs 23:00Z..22:00Z, 23 hours;
    // 25.10.2026 (fall back) runs 22:00Z..23:00Z the next day, 25 hours.
    let days: [(Date, &str, &str); 2] = [
        (
            date(2026, 3, 29),
            "2026-03-28T23:00:00Z",
            "2026-03-29T22:00:00Z",
        ),
        (
            date(2026, 10, 25),
            "2026-10-24T22:00:00Z",
            "2026-10-25T23:00:00Z",
        ),
    ];
    for (day, start, end) in days {
        assert_eq!(day_bounds_ms(day, &berlin), (ms(start), ms(end)));
        let tag = day.to_string();
        for (name, at) in [
            ("before", ms(start) - 1),
            ("first", ms(start)),
            ("last", ms(end) - 1),
            ("after", ms(end)),
        ] {
            create(&store, session, &format!("{tag} {name}"), at).await;
        }
        let inside = clients(&store, Period::Day(day), &berlin, false).await;
        assert_eq!(inside, [format!("{tag} first"), format!("{tag} last")]);
        let next = day.tomorrow().unwrap();
        let range = clients(&store, Period::Range(day, next), &berlin, false).await;
        assert_eq!(range.len(), 3, "{range:?}");
    }
    // In UTC the same instants fall on other days.
    let utc = clients(
        &store,
        Period::Day(date(2026, 3, 29)),
        &TimeZone::UTC,
        false,
    )
    .await;
    assert_eq!(utc, ["2026-03-29 last", "2026-03-29 after"]);
    let all = clients(&store, Period::All, &berlin, false).await;
    assert_eq!(all.len(), 8);
    assert_eq!(
        clients(&store, Period::Session(session), &berlin, false)
            .await
            .len(),
        8
    );
}

#[tokio::test]
async fn issued_orders_load_by_issue_day_and_session() {
    let (store, _dir) = store().await;
    let utc = TimeZone::UTC;
    let mut conn = store.conn().await.unwrap();
    let inbox = larder_store::sessions::inbox(&mut conn).await.unwrap().id;
    let other = larder_store::sessions::create(&mut conn, "Other", "", None, None, 1)
        .await
        .unwrap();
    drop(conn);
    for (session, client, issued_on) in [
        (inbox, "a", Some(date(2026, 3, 28))),
        (inbox, "b", Some(date(2026, 3, 29))),
        (other, "c", Some(date(2026, 3, 29))),
        (other, "d", None),
    ] {
        let id = create(&store, session, client, 1).await;
        let mut conn = store.conn().await.unwrap();
        if let Some(day) = issued_on {
            let (completed, issued) = (StatusEvent::Complete, StatusEvent::Issue);
            let line = orders::get(&mut conn, id).await.unwrap().lines[0].id;
            let weight = Some(Quantity::grams(300).unwrap());
            orders::set_weighed(&mut conn, id, 1, line, weight, None, 2)
                .await
                .unwrap();
            orders::set_status(&mut conn, id, 2, completed, None, None, None, 2)
                .await
                .unwrap();
            orders::set_status(&mut conn, id, 3, issued, None, Some(day), None, 3)
                .await
                .unwrap();
        }
    }
    let day = |d| Period::Day(date(2026, 3, d));
    assert_eq!(clients(&store, day(29), &utc, true).await, ["b", "c"]);
    assert_eq!(clients(&store, day(28), &utc, true).await, ["a"]);
    let range = Period::Range(date(2026, 3, 1), date(2026, 3, 31));
    assert_eq!(clients(&store, range, &utc, true).await, ["a", "b", "c"]);
    assert_eq!(
        clients(&store, Period::All, &utc, true).await,
        ["a", "b", "c"]
    );
    assert_eq!(
        clients(&store, Period::Session(other), &utc, true).await,
        ["c"]
    );
    assert_eq!(
        clients(&store, Period::Session(other), &utc, false).await,
        ["d"]
    );
    let mut conn = store.conn().await.unwrap();
    let whole = load_session(&mut conn, other).await.unwrap();
    assert_eq!(whole.iter().map(|o| o.number).collect::<Vec<_>>(), [1, 2]);
    assert!(whole.iter().all(|o| o.lines.len() == 1));
}
