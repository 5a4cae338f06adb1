//! Pieces the messenger emulators (`fake-telegram`, `fake-vk`) share: a
//! clock tests can freeze and advance, and a TCP listener whose connections
//! a handler can cut (to lose a response after the request took effect).

/// The clock everything the emulators date reads; shared with larder's
/// (the `clock` crate) so a test can run both on one time.
pub mod clock {
    pub use ::clock::Clock;
}
pub mod conn;
