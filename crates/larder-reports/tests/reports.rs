//! larder-reports: statistics over a hand-computed fixture, the exports
//! read back, and the loaders on SQLite across DST changes.

#[path = "reports/exports.rs"]
mod exports;
#[path = "reports/fixture.rs"]
mod fixture;
#[path = "reports/loaders.rs"]
mod loaders;
#[path = "reports/sheets.rs"]
mod sheets;
#[path = "reports/stats.rs"]
mod stats;
