//! The shop's catalog, managed from the desk.

use crate::harness::{OWNER, TestApp};
use crate::on_both_backends;

on_both_backends!(categories_and_product_details_are_managed_from_the_desk);

async fn categories_and_product_details_are_managed_from_the_desk(app: TestApp) {
    app.say(OWNER, "/start").await;
    app.press(OWNER, "Products").await;
    app.press(OWNER, "Categories").await;
    app.desk_shows(OWNER, "No categories yet").await;
    for name in ["Cheese", "Dairy"] {
        app.press(OWNER, "New category").await;
        app.say(OWNER, name).await;
        app.desk_shows(OWNER, "Products in it: 0").await;
        app.press(OWNER, "Back").await;
    }
    app.press(OWNER, "New category").await;
    app.say(OWNER, "cheese").await;
    app.desk_shows(OWNER, "already exists").await;
    app.press(OWNER, "Cancel").await;
    let dairy = {
        let mut conn = app.store().conn().await.unwrap();
        larder_store::categories::all(&mut conn).await.unwrap()[1]
            .id
            .get()
    };
    let moved = app
        .ctl
        .press_data(OWNER, OWNER, &format!("1cv:{dairy}:1"), None)
        .await;
    app.handled(moved.update_id).await;
    let list = app.desk_shows(OWNER, "Categories (2)").await;
    assert!(
        list.find("Dairy") < list.find("Cheese"),
        "Dairy moved up: {list}"
    );

    app.press(OWNER, "Menu").await;
    app.create_product("Gouda", true, "250").await;
    app.press(OWNER, "Category").await;
    app.press(OWNER, "Cheese").await;
    app.desk_shows(OWNER, "📂 Cheese").await;
    app.press_type(
        OWNER,
        "Description",
        "Aged six months.\nNutty.",
        "Aged six months.",
    )
    .await;
    app.press(OWNER, "Preparation").await;
    app.say(OWNER, "abc").await;
    app.desk_shows(OWNER, "whole number of minutes").await;
    app.say(OWNER, "15").await;
    app.desk_shows(OWNER, "⏱ 15 min").await;
    let photo = app.ctl.send_photo(OWNER, OWNER, None).await;
    app.handled(photo.update_id).await;
    app.desk_shows(OWNER, "📷 photo").await;
    app.press(OWNER, "Stop-list").await;
    app.desk_shows(OWNER, "On the stop-list").await;
    app.settled().await;
    let chat = app.ctl.chat(OWNER).await;
    assert_eq!(
        chat.messages.len(),
        1,
        "the photo and typed texts are removed: {chat}"
    );

    let mut conn = app.store().conn().await.unwrap();
    let p = larder_store::products::page(&mut conn, false, 0, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(p.description.as_deref(), Some("Aged six months.\nNutty."));
    assert_eq!((p.prep_minutes, p.available), (Some(15), false));
    assert!(p.photo.is_some_and(|id| !id.is_empty()));
    let cheese = larder_store::categories::all(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Cheese")
        .unwrap();
    assert_eq!((cheese.products, p.category), (1, Some(cheese.id)));
}
