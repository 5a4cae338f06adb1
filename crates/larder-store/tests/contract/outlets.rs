//! Contract: outlets, their stock and its ledger.

use jiff::civil::date;
use larder_core::{Money, ProductId, ProductName, Unit};
use larder_store::outlets::{self, By, Move, Reason, Report, Short};
use larder_store::{Store, StoreError, products};

const SELLER: i64 = 3001;
const OTHER_SELLER: i64 = 3002;

fn by(user: i64, now: i64) -> By {
    By {
        user: Some(user),
        day: date(2026, 12, 1),
        now,
    }
}

/// Two outlets keeping an ageing cheese (by weight, 2 400.00 a kg) and jars
/// of honey (350.00 a piece).
async fn two_stalls(store: &Store) -> (i64, i64, ProductId, ProductId) {
    let mut c = store.conn().await.unwrap();
    let cheese = products::insert(
        &mut c,
        &ProductName::parse("Tomme").unwrap(),
        Unit::Kg,
        Money::from_minor(240_000),
        1,
    )
    .await
    .unwrap();
    let honey = products::insert(
        &mut c,
        &ProductName::parse("Honey").unwrap(),
        Unit::Piece,
        Money::from_minor(35_000),
        1,
    )
    .await
    .unwrap();
    let market = outlets::create(&mut c, "Market stall", Some("Central market"), 1)
        .await
        .unwrap();
    let shop = outlets::create(&mut c, "Shop", None, 1).await.unwrap();
    for outlet in [market, shop] {
        for product in [cheese, honey] {
            outlets::add_product(&mut c, outlet, product).await.unwrap();
        }
    }
    (market, shop, cheese, honey)
}

pub async fn outlet_stock_is_its_ledger_and_never_goes_below_zero(store: &Store) {
    let (market, _, cheese, honey) = two_stalls(store).await;
    let mut c = store.conn().await.unwrap();
    // Names are unique among active outlets, ignoring case.
    assert!(matches!(
        outlets::create(&mut c, "market STALL", None, 2).await,
        Err(StoreError::Duplicate)
    ));
    // Pieces weighed in: 1 250 g and 980 g; then two sales and a tasting.
    for grams in [1_250, 980] {
        let r = outlets::record(&mut c, market, cheese, Move::Receipt, grams, by(SELLER, 10));
        r.await.unwrap().unwrap();
    }
    let after = outlets::record(&mut c, market, cheese, Move::Sale, 315, by(SELLER, 11));
    assert_eq!(after.await.unwrap(), Ok(1_915));
    let tasting = Move::WriteOff(Reason::Tasting);
    outlets::record(&mut c, market, cheese, tasting, 15, by(SELLER, 12))
        .await
        .unwrap()
        .unwrap();
    // More than there is: refused with what there is, nothing recorded.
    let too_much = outlets::record(&mut c, market, cheese, Move::Sale, 5_000, by(SELLER, 13));
    assert_eq!(too_much.await.unwrap(), Err(Short { held: 1_900 }));
    assert_eq!(outlets::held(&mut c, market, cheese).await.unwrap(), 1_900);
    // Nonsense quantities are refused before anything happens.
    for bad in [0, -5] {
        assert!(matches!(
            outlets::record(&mut c, market, honey, Move::Receipt, bad, by(SELLER, 14)).await,
            Err(StoreError::Refused)
        ));
    }
    let stock = outlets::stock(&mut c, market).await.unwrap();
    let names: Vec<(&str, i64, i64)> = stock
        .iter()
        .map(|s| (s.name.as_str(), s.quantity, s.price.minor()))
        .collect();
    assert_eq!(names, [("Honey", 0, 35_000), ("Tomme", 1_900, 240_000)]);
    // Held stock keeps the product in the assortment and the outlet open.
    assert!(matches!(
        outlets::remove_product(&mut c, market, cheese).await,
        Err(StoreError::Refused)
    ));
    outlets::remove_product(&mut c, market, honey)
        .await
        .unwrap();
    let o = outlets::get(&mut c, market).await.unwrap();
    assert!(matches!(
        outlets::archive(&mut c, market, o.version, 20).await,
        Err(StoreError::Refused)
    ));
    assert!(
        outlets::product_held_anywhere(&mut c, cheese)
            .await
            .unwrap()
    );
    // The catalog stays one: a held product keeps its unit; without stock
    // anywhere it may change.
    let p = products::get(&mut c, cheese).await.unwrap();
    let pieces = products::Change::Unit(Unit::Piece);
    assert!(matches!(
        products::update(&mut c, cheese, p.version, pieces, 30).await,
        Err(StoreError::Refused)
    ));
    let p = products::get(&mut c, honey).await.unwrap();
    products::update(
        &mut c,
        honey,
        p.version,
        products::Change::Unit(Unit::Kg),
        31,
    )
    .await
    .unwrap();
}

pub async fn a_count_sets_the_stock_and_two_sellers_cannot_count_it_twice(store: &Store) {
    let (market, _, cheese, honey) = two_stalls(store).await;
    let mut c = store.conn().await.unwrap();
    outlets::record(&mut c, market, honey, Move::Receipt, 12, by(SELLER, 10))
        .await
        .unwrap()
        .unwrap();
    // Both sellers saw 12 jars; the first counts 9 (3 sold), the second's
    // count against the same 12 is refused: the stock moved meanwhile.
    let first = outlets::count(&mut c, market, honey, 9, 12, by(SELLER, 20));
    assert_eq!(first.await.unwrap(), -3);
    let second = outlets::count(&mut c, market, honey, 9, 12, by(OTHER_SELLER, 21));
    assert!(matches!(second.await, Err(StoreError::Conflict)));
    assert_eq!(outlets::held(&mut c, market, honey).await.unwrap(), 9);
    // Concurrently, on two connections: exactly one count applies.
    outlets::record(&mut c, market, cheese, Move::Receipt, 1_000, by(SELLER, 22))
        .await
        .unwrap()
        .unwrap();
    let (mut a, mut b) = (store.conn().await.unwrap(), store.conn().await.unwrap());
    let (ra, rb) = tokio::join!(
        outlets::count(&mut a, market, cheese, 700, 1_000, by(SELLER, 23)),
        outlets::count(&mut b, market, cheese, 650, 1_000, by(OTHER_SELLER, 23)),
    );
    let applied = [ra.is_ok(), rb.is_ok()];
    assert_eq!(applied.iter().filter(|ok| **ok).count(), 1, "{ra:?} {rb:?}");
    let held = outlets::held(&mut c, market, cheese).await.unwrap();
    assert!(held == 700 || held == 650, "{held}");
    // A count above the books is a surplus, allowed.
    let surplus = outlets::count(&mut c, market, honey, 10, 9, by(SELLER, 24));
    assert_eq!(surplus.await.unwrap(), 1);
    let day = outlets::day(&mut c, market, date(2026, 12, 1))
        .await
        .unwrap();
    let honey_day = day.iter().find(|l| l.name == "Honey").unwrap();
    assert_eq!(
        (honey_day.counted_short, honey_day.surplus),
        (3, 1),
        "{honey_day:?}"
    );
    assert!(matches!(
        outlets::count(&mut c, market, honey, -1, 10, by(SELLER, 25)).await,
        Err(StoreError::Refused)
    ));
}

pub async fn corrections_are_new_movements_made_once(store: &Store) {
    let (market, _, cheese, honey) = two_stalls(store).await;
    let mut c = store.conn().await.unwrap();
    outlets::record(&mut c, market, honey, Move::Receipt, 5, by(SELLER, 10))
        .await
        .unwrap()
        .unwrap();
    outlets::record(&mut c, market, honey, Move::Sale, 2, by(SELLER, 11))
        .await
        .unwrap()
        .unwrap();
    let sale: i64 = sqlx::query_scalar("SELECT MAX(id) FROM stock_movements")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    // The sale was a mistake: undone by a new movement, once.
    assert_eq!(
        outlets::correct(&mut c, sale, by(SELLER, 12))
            .await
            .unwrap(),
        Ok(5)
    );
    assert!(matches!(
        outlets::correct(&mut c, sale, by(SELLER, 13)).await,
        Err(StoreError::Refused)
    ));
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stock_movements")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(rows, 3, "nothing is edited: the ledger only grows");
    // A receipt cannot be undone once its stock is sold.
    outlets::record(&mut c, market, cheese, Move::Receipt, 400, by(SELLER, 14))
        .await
        .unwrap()
        .unwrap();
    let receipt: i64 = sqlx::query_scalar("SELECT MAX(id) FROM stock_movements")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    outlets::record(&mut c, market, cheese, Move::Sale, 300, by(SELLER, 15))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        outlets::correct(&mut c, receipt, by(SELLER, 16))
            .await
            .unwrap(),
        Err(Short { held: 100 })
    );
    let day = outlets::day(&mut c, market, date(2026, 12, 1))
        .await
        .unwrap();
    let honey_day = day.iter().find(|l| l.name == "Honey").unwrap();
    assert_eq!((honey_day.sold, honey_day.expected), (0, Money::ZERO));
}

pub async fn a_transfer_is_in_transit_until_received_once(store: &Store) {
    let (market, shop, cheese, _) = two_stalls(store).await;
    let mut c = store.conn().await.unwrap();
    outlets::record(&mut c, market, cheese, Move::Receipt, 2_000, by(SELLER, 10))
        .await
        .unwrap()
        .unwrap();
    let short = outlets::send(&mut c, market, shop, cheese, 2_500, by(SELLER, 11));
    assert_eq!(short.await.unwrap(), Err(Short { held: 2_000 }));
    assert!(outlets::in_transit(&mut c, shop).await.unwrap().is_empty());
    let id = outlets::send(&mut c, market, shop, cheese, 600, by(SELLER, 12))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outlets::held(&mut c, market, cheese).await.unwrap(), 1_400);
    assert_eq!(outlets::held(&mut c, shop, cheese).await.unwrap(), 0);
    let moving = outlets::in_transit(&mut c, shop).await.unwrap();
    assert_eq!((moving.len(), moving[0].quantity), (1, 600));
    assert_eq!(
        outlets::receive(&mut c, id, by(OTHER_SELLER, 13))
            .await
            .unwrap(),
        600
    );
    assert!(matches!(
        outlets::receive(&mut c, id, by(OTHER_SELLER, 14)).await,
        Err(StoreError::Refused)
    ));
    assert_eq!(outlets::held(&mut c, shop, cheese).await.unwrap(), 600);
    assert!(outlets::in_transit(&mut c, shop).await.unwrap().is_empty());
}

pub async fn a_day_shows_what_sales_should_bring_and_reports_are_per_outlet(store: &Store) {
    let (market, shop, cheese, honey) = two_stalls(store).await;
    let mut c = store.conn().await.unwrap();
    // The market sells honey at its own price.
    outlets::set_price(&mut c, market, honey, Some(Money::from_minor(40_000)))
        .await
        .unwrap();
    outlets::record(&mut c, market, cheese, Move::Receipt, 2_000, by(SELLER, 10))
        .await
        .unwrap()
        .unwrap();
    outlets::record(&mut c, market, honey, Move::Receipt, 10, by(SELLER, 10))
        .await
        .unwrap()
        .unwrap();
    // An itemised sale of 315 g (756.00), then the count finds 1 185 g: 500 g
    // more went (1 200.00), and 2 jars (800.00 at the market's price).
    outlets::record(&mut c, market, cheese, Move::Sale, 315, by(SELLER, 11))
        .await
        .unwrap()
        .unwrap();
    outlets::count(&mut c, market, cheese, 1_185, 1_685, by(SELLER, 20))
        .await
        .unwrap();
    outlets::count(&mut c, market, honey, 8, 10, by(SELLER, 20))
        .await
        .unwrap();
    let spoiled = Move::WriteOff(Reason::Spoiled);
    outlets::record(&mut c, market, cheese, spoiled, 85, by(SELLER, 21))
        .await
        .unwrap()
        .unwrap();
    let day = outlets::day(&mut c, market, date(2026, 12, 1))
        .await
        .unwrap();
    let got: Vec<(&str, i64, i64, i64, i64)> = day
        .iter()
        .map(|l| {
            (
                l.name.as_str(),
                l.sold,
                l.counted_short,
                l.written_off,
                l.expected.minor(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Honey", 0, 2, 0, 80_000),
            ("Tomme", 315, 500, 85, 75_600 + 120_000)
        ]
    );
    // Zero receipts may be reported; a report is the outlet's own, once a
    // day, amended with the version read.
    let nothing = Report {
        receipts: 0,
        cash: Money::ZERO,
        card: Money::ZERO,
        note: Some("rain".into()),
    };
    let day1 = date(2026, 12, 1);
    outlets::report(&mut c, shop, day1, &nothing, None, by(OTHER_SELLER, 30))
        .await
        .unwrap();
    let market_report = Report {
        receipts: 4,
        cash: Money::from_minor(200_000),
        card: Money::from_minor(75_000),
        note: None,
    };
    outlets::report(&mut c, market, day1, &market_report, None, by(SELLER, 31))
        .await
        .unwrap();
    assert!(matches!(
        outlets::report(&mut c, market, day1, &market_report, None, by(SELLER, 32)).await,
        Err(StoreError::Duplicate)
    ));
    let amended = Report {
        receipts: 5,
        ..market_report.clone()
    };
    outlets::report(&mut c, market, day1, &amended, Some(1), by(SELLER, 33))
        .await
        .unwrap();
    assert!(matches!(
        outlets::report(&mut c, market, day1, &amended, Some(1), by(SELLER, 34)).await,
        Err(StoreError::Conflict)
    ));
    let shop_report = outlets::report_of(&mut c, shop, day1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        shop_report.report, nothing,
        "amending the market left the shop alone"
    );
    let market_now = outlets::report_of(&mut c, market, day1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((market_now.report.receipts, market_now.version), (5, 2));
    assert_eq!(outlets::days(&mut c, market, 10).await.unwrap(), [day1]);
    // The period view prices the same way as the day's lines, in one query.
    let period = outlets::period(&mut c, day1, date(2026, 12, 31))
        .await
        .unwrap();
    let seen: Vec<(i64, i64, Option<i64>)> = period
        .iter()
        .map(|d| {
            (
                d.outlet_id,
                d.expected.minor(),
                d.report.as_ref().map(|r| r.receipts),
            )
        })
        .collect();
    let market_expected: i64 = day.iter().map(|l| l.expected.minor()).sum();
    assert_eq!(
        seen,
        [(market, market_expected, Some(5)), (shop, 0, Some(0))]
    );
    assert!(
        outlets::period(&mut c, date(2026, 11, 1), date(2026, 11, 30))
            .await
            .unwrap()
            .is_empty()
    );
}
