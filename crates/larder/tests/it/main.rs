//! End-to-end tests: the real service against the Telegram emulator, each
//! with a fresh database, on SQLite and on PostgreSQL.

mod harness;

mod access;
mod admin;
mod catalog;
mod chaos;
mod delivery;
mod demo;
mod desk;
mod durability;
mod hours;
mod layers;
mod lifecycle;
mod operations;
mod orders;
mod sessions;
mod shop;
mod shop_flow;
mod vk;
mod webhook;
