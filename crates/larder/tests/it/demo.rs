//! `larder demo` serves the web chat and a person can create a product from
//! it, through the same control API the page uses.

use std::time::Duration;

use larder::config::Config;
use larder::demo::DEMO_OWNER;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_serves_the_page_and_a_person_creates_a_product() {
    let config = Config {
        language: "en".into(),
        ..Config::default()
    };
    let clock = larder_core::Clock::starting_at(crate::harness::local(crate::harness::START));
    let demo = larder::demo::start(&config, 0, None, clock)
        .await
        .expect("demo starts");
    let page = reqwest::get(&demo.url).await.unwrap();
    assert!(page.status().is_success());
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<html") && html.contains("/control/"),
        "the page uses the control API"
    );

    let ctl = fake_telegram::Control::new(demo.emulator_url.clone());
    let wait = Duration::from_secs(10);
    ctl.wait_text(DEMO_OWNER, "Order desk", wait)
        .await
        .expect("the desk is open for the demo owner");
    for (group, _, _) in larder::demo::DEMO_GROUPS {
        ctl.wait_text(group, "This group is now", wait)
            .await
            .expect("the demo's staff groups are bound");
    }
    ctl.send_text(
        larder::demo::DEMO_CUSTOMER,
        larder::demo::DEMO_CUSTOMER,
        "/start",
    )
    .await;
    ctl.wait_text(
        larder::demo::DEMO_CUSTOMER,
        "Welcome to Demo Cheese Dairy",
        wait,
    )
    .await
    .expect("a customer starts registering");
    let vk = fake_vk::Control::new(demo.vk_url.clone());
    vk.send_text(larder::demo::DEMO_VK_CUSTOMER, "Hi").await;
    vk.wait_text(
        larder::demo::DEMO_VK_CUSTOMER,
        "Welcome to Demo Cheese Dairy",
        wait,
    )
    .await
    .expect("a VK customer starts registering too");
    let press = |label: &'static str| {
        let ctl = ctl.clone();
        async move {
            let p = ctl
                .press_button(DEMO_OWNER, DEMO_OWNER, label)
                .await
                .unwrap_or_else(|e| panic!("{label}: {e:?}"));
            ctl.wait_callback_answer(&p.callback_query_id, wait)
                .await
                .unwrap();
        }
    };
    press("Products").await;
    ctl.wait_text(DEMO_OWNER, "Products (10)", wait)
        .await
        .expect("the demo catalog is there");
    press("Add product").await;
    ctl.send_text(DEMO_OWNER, DEMO_OWNER, "Tomme de Savoie")
        .await;
    ctl.wait_text(DEMO_OWNER, "How is it sold?", wait)
        .await
        .unwrap();
    press("By weight").await;
    ctl.send_text(DEMO_OWNER, DEMO_OWNER, "380").await;
    ctl.wait_text(DEMO_OWNER, "Check and save", wait)
        .await
        .unwrap();
    press("Save").await;
    // The card (not the confirmation, which shows the price too) has the name on top.
    ctl.wait_text(DEMO_OWNER, "Tomme de Savoie\nPrice: 380.00 ₽/kg", wait)
        .await
        .expect("the saved product's card");
    press("Back").await;
    ctl.wait_text(DEMO_OWNER, "Products (11)", wait)
        .await
        .expect("the list counts the new product");
    press("▶").await;
    let chat = ctl
        .wait_text(DEMO_OWNER, "11. Tomme de Savoie", wait)
        .await
        .expect("the second page lists the new product");
    let list = &chat.pinned().expect("the desk is pinned").text;
    assert!(list.contains("11. Tomme de Savoie — 380.00 ₽/kg"), "{list}");
    demo.stop().await;
}
