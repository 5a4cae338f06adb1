//! The shop on VK: a VK customer orders, the Telegram kitchen handles the
//! order, and the customer hears of it on VK.

use std::time::Duration;

use crate::harness::{Db, TestApp};
use crate::shop_flow::{ADMIN, ADMINS, COOK, KITCHEN, restaurant_setup, restaurant_unstarted};

const VERA: i64 = 777;
const WAIT: Duration = Duration::from_secs(15);

struct VkApp {
    app: TestApp,
    vk: fake_vk::Control,
    _emulator: fake_vk::FakeVk,
}

async fn vk_restaurant(db: Db) -> Option<VkApp> {
    let mut app = restaurant_unstarted(db).await?;
    let emulator = fake_vk::FakeVk::start(fake_vk::Config::default())
        .await
        .unwrap();
    app.config.vk.token = Some(larder::config::Secret::new(emulator.token()));
    app.config.vk.group_id = emulator.group_id();
    app.config.vk.api_url = emulator.base_url();
    app.config.vk.wait_s = 2;
    let vk = emulator.control();
    vk.user(fake_vk::NewUser::new(VERA, "Vera").last_name("Ivanova"))
        .await;
    app.start().await;
    restaurant_setup(&app).await;
    Some(VkApp {
        app,
        vk,
        _emulator: emulator,
    })
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = super::vk_restaurant(crate::harness::Db::Sqlite).await.expect("sqlite");
                super::$name(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = super::vk_restaurant(crate::harness::Db::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

on_both!(a_vk_customer_orders_and_hears_of_every_step_on_vk);

impl VkApp {
    async fn sees(&self, text: &str) {
        if self.vk.wait_text(VERA, text, WAIT).await.is_err() {
            let peer = self.vk.peer(VERA).await;
            let texts: Vec<_> = peer.messages.iter().map(|m| m.text.clone()).collect();
            panic!("VK never showed {text:?}: {texts:#?}");
        }
    }

    async fn say(&self, text: &str, then: &str) {
        self.vk.send_text(VERA, text).await;
        self.sees(then).await;
    }

    async fn press(&self, label: &str, then: &str) {
        if self.vk.wait_button(VERA, label, WAIT).await.is_err() {
            panic!(
                "VK never showed a button {label:?}: {:#?}",
                self.vk.peer(VERA).await
            );
        }
        self.vk
            .press(VERA, label)
            .await
            .unwrap_or_else(|e| panic!("press {label:?}: {e:?}"));
        self.sees(then).await;
    }
}

async fn a_vk_customer_orders_and_hears_of_every_step_on_vk(t: VkApp) {
    // VK has no /start: the first message opens the shop.
    t.say("Hello", "Step 1 of 4").await;
    t.say("Vera", "Step 2 of 4").await;
    t.say("Ivanova", "Step 3 of 4").await;
    t.say("69 55 51 11", "Step 4 of 4").await;
    t.press("Skip", "Hello, Vera!").await;
    t.press("Menu", "Choose a category").await;
    t.press("Soups", "Soups").await;
    t.press("Borscht", "150.00 ₽/pc").await;
    t.press("Add to cart", "150.00 ₽/pc").await;
    t.press("Cart", "Total: 150.00").await;
    t.press("Check out", "Pickup or delivery?").await;
    t.press("Pickup", "When do you want it?").await;
    t.press("As soon as possible", "Any wishes").await;
    t.press("No comment", "To pay: 150.00").await;
    t.press("Confirm the order", "Order №1 is placed").await;
    // The Telegram kitchen handles it; Vera hears of it on VK.
    let app = &t.app;
    app.sees(KITCHEN, "Order №1").await;
    app.press_in(KITCHEN, COOK, "Accept").await;
    t.sees("the kitchen has started on it").await;
    app.press_in(KITCHEN, COOK, "Prepared").await;
    t.sees("come and pick it up").await;
    app.press_in(ADMINS, ADMIN, "Picked up").await;
    t.sees("was picked up").await;
    let mut c = app.store().conn().await.unwrap();
    let o = larder_store::orders::get(&mut c, larder_core::OrderId::new(1))
        .await
        .unwrap();
    assert_eq!(
        (o.client_name.as_str(), o.phone.as_deref()),
        ("Vera Ivanova", Some("+37369555111"))
    );
    let p = larder_store::shop::pipeline(&mut c, o.id).await.unwrap();
    assert_eq!(p.origin, Some(larder_store::Channel::Vk));
    drop(c);
    // Feedback on VK too.
    t.press("⭐⭐⭐⭐⭐", "Rate the dishes").await;
    let answers = t.vk.snackbars(VERA).await;
    assert!(
        answers
            .iter()
            .any(|a| a.text.as_deref() == Some("Thank you for your feedback!")),
        "{answers:?}"
    );
}
