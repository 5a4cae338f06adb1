//! larder: a small food business's orders, run through chat. This crate is
//! the service's wiring and command line; the work lives in the other crates.

pub mod admin;
pub mod app;
pub mod at;
pub mod backup;
pub mod bench;
pub mod chaos;
pub mod child;
pub mod config;
pub mod demo;
pub mod fleet;
pub mod logging;
pub mod people;
pub mod seed;
