//! Contract: the shop's catalog — categories and the product fields customers see.

use larder_core::{Money, ProductName, Unit};
use larder_store::categories::{self, CategoryChange};
use larder_store::{Store, StoreError, products};

pub async fn categories_keep_their_order_flags_and_unique_names(store: &Store) {
    let mut c = store.conn().await.unwrap();
    let cheese = categories::create(&mut c, "Cheese", 1).await.unwrap();
    let dairy = categories::create(&mut c, "Dairy", 1).await.unwrap();
    let bread = categories::create(&mut c, "Bread", 1).await.unwrap();
    let dup = categories::create(&mut c, "cheese", 2).await;
    assert!(matches!(dup, Err(StoreError::Duplicate)), "{dup:?}");
    categories::shift(&mut c, bread, true, 3).await.unwrap();
    categories::shift(&mut c, cheese, true, 3).await.unwrap(); // already first: no change
    let names: Vec<_> = categories::all(&mut c)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Cheese", "Bread", "Dairy"]);
    let d = categories::get(&mut c, dairy).await.unwrap();
    categories::update(&mut c, dairy, d.version, CategoryChange::Hidden(true), 4)
        .await
        .unwrap();
    let stale = categories::update(&mut c, dairy, d.version, CategoryChange::Name("Milk"), 5).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    let d = categories::get(&mut c, dairy).await.unwrap();
    categories::update(
        &mut c,
        dairy,
        d.version,
        CategoryChange::Available(false),
        6,
    )
    .await
    .unwrap();
    let d = categories::get(&mut c, dairy).await.unwrap();
    assert!(d.hidden && !d.available && d.name == "Dairy");
}

pub async fn products_carry_category_description_photo_time_and_stop_list(store: &Store) {
    let mut c = store.conn().await.unwrap();
    let cheese = categories::create(&mut c, "Cheese", 1).await.unwrap();
    let name = ProductName::parse("Brie").unwrap();
    let id = products::insert(&mut c, &name, Unit::Kg, Money::from_minor(32_000), 1)
        .await
        .unwrap();
    let fresh = products::get(&mut c, id).await.unwrap();
    assert!(fresh.available && fresh.category.is_none() && fresh.photo.is_none());
    let changes = [
        products::Change::Category(Some(cheese)),
        products::Change::Description(Some("Soft, with a white rind.\nFrom the farm.")),
        products::Change::Photo(Some("AgACAgIAAxk")),
        products::Change::PrepMinutes(Some(15)),
        products::Change::Available(false),
    ];
    for (v, change) in changes.into_iter().enumerate() {
        products::update(&mut c, id, i64::try_from(v).unwrap() + 1, change, 2)
            .await
            .unwrap();
    }
    let p = products::get(&mut c, id).await.unwrap();
    assert_eq!(p.category, Some(cheese));
    assert_eq!(
        p.description.as_deref(),
        Some("Soft, with a white rind.\nFrom the farm.")
    );
    assert_eq!(
        (p.photo.as_deref(), p.prep_minutes, p.available),
        (Some("AgACAgIAAxk"), Some(15), false)
    );
    assert_eq!(categories::get(&mut c, cheese).await.unwrap().products, 1);
    let in_cheese = products::in_category(&mut c, Some(cheese)).await.unwrap();
    assert_eq!(in_cheese.len(), 1);
    assert!(
        products::in_category(&mut c, None)
            .await
            .unwrap()
            .is_empty()
    );
}
