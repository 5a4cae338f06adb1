//! Pieces the messenger emulators (`fake-telegram`, `fake-vk`) share: a
//! clock tests can freeze and advance, and a TCP listener whose connections
//! a handler can cut (to lose a response after the request took effect).

pub mod clock;
pub mod conn;
