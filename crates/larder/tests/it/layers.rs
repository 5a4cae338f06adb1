//! The crates keep their layers: no messenger adapter depends on another
//! (both plug into the runtime), the domain and the runtime know no
//! messenger, and the emulators know nothing of larder.

use std::collections::BTreeMap;
use std::path::Path;

/// Each workspace crate's normal dependencies on other workspace crates.
fn workspace_edges() -> BTreeMap<String, Vec<String>> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names = Vec::new();
    let mut manifests = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            let toml: toml::Table = text.parse().unwrap();
            let name = toml["package"]["name"].as_str().unwrap().to_owned();
            names.push(name.clone());
            manifests.push((name, toml));
        }
    }
    manifests
        .into_iter()
        .map(|(name, toml)| {
            let deps = toml
                .get("dependencies")
                .and_then(|d| d.as_table())
                .map(|d| d.keys().filter(|k| names.contains(k)).cloned().collect())
                .unwrap_or_default();
            (name, deps)
        })
        .collect()
}

#[test]
fn no_adapter_depends_on_another_and_the_core_knows_no_messenger() {
    let edges = workspace_edges();
    let adapters = ["larder-telegram", "larder-vk"];
    for adapter in adapters {
        let deps = &edges[adapter];
        assert!(
            deps.iter().all(|d| !adapters.contains(&d.as_str())),
            "{adapter} depends on another adapter: {deps:?}"
        );
        assert!(
            deps.contains(&"larder-runtime".to_owned()),
            "{adapter}: {deps:?}"
        );
    }
    for layer in [
        "larder-core",
        "larder-store",
        "larder-ui",
        "larder-runtime",
        "larder-reports",
    ] {
        let deps = &edges[layer];
        assert!(
            deps.iter()
                .all(|d| !adapters.contains(&d.as_str()) && !d.starts_with("fake-")),
            "{layer} depends on a messenger: {deps:?}"
        );
    }
    for (name, deps) in &edges {
        if name.starts_with("fake-") {
            assert!(
                deps.iter().all(|d| !d.starts_with("larder")),
                "{name} depends on larder: {deps:?}"
            );
        }
    }
    assert!(edges.len() >= 12, "every crate was read: {edges:?}");
}
