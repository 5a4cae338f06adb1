//! Integration tests of the emulator: the Bot API contract as teloxide sees
//! it, and the behaviour tests drive through the control client.

mod common;
mod contract;
mod errors;
mod faults;
mod files;
mod lifecycle;
mod limits;
mod markup;
mod polling;
mod press;
