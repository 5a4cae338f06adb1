//! The web chat at `/`: a page that plays a person through the control API.

use crate::common::start;

#[tokio::test]
async fn the_root_serves_the_demo_page() {
    let (vk, _ctl) = start().await;
    let response = reqwest::get(format!("{}/", vk.base_url()))
        .await
        .expect("the emulator answers");
    assert_eq!(response.status(), 200);
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = response.text().await.expect("a body");
    assert!(
        page.contains("/control/peers/"),
        "the page talks to the control API"
    );
    vk.shutdown().await;
}
