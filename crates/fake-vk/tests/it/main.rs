//! Integration tests of the emulator over its real HTTP surface: the VK API
//! as a bot calls it (form bodies), the long poll, and the control API.

mod allow_deny;
mod api;
mod buttons;
mod common;
mod demo;
mod event_ids;
mod faults;
mod keyboards;
mod lengths;
mod longpoll;
mod messages;
mod rights;
mod uploads;
mod windows;
