//! Statistics and downloads of larder: what was sold (issued orders), what
//! is still to hand over (pending orders), what is left to weigh (the
//! production list), and a session's orders and statistics as CSV or XLSX.
//!
//! # Figures
//!
//! Every amount comes from [`larder_core::price_order`] of a whole order —
//! with the order's discount, delivery flag, manual fee and the fee fixed
//! at completion — so statistics always equal what the desk and the
//! customer were shown. Lines are priced with the weighed quantity where
//! known, else the ordered one (as the desk estimates). Sums are checked:
//! an overflow is [`ReportError::Overflow`], never a wrong figure.
//!
//! Products are grouped by the `(name, unit)` snapshot on each line, so a
//! product renamed or archived since keeps its old rows, and sorted by
//! name (case-insensitively). A line weighed 0 ("not available") sells
//! nothing: it adds no quantity, packing, goods or order to what was sold.
//!
//! # Shape
//!
//! Pure functions over `&[Order]` ([`issued_stats`], [`pending_stats`],
//! [`production_list`] and the exports), plus thin async loaders
//! ([`load_issued`], [`load_pending`], [`load_session`]) built on
//! [`larder_store::orders::find`]. The statistics functions pick the
//! orders they are about by status, so a whole session's orders can be
//! passed to each of them.

mod csv;
mod export_orders;
mod export_stats;
mod load;
mod pdf;
mod pricing;
mod sheets;
mod stats;
mod table;
mod words;
mod xlsx;

use larder_core::{ArithmeticError, NonPositivePrice, PricingError, SessionId};
use larder_store::StoreError;

pub use export_orders::{period_orders_xlsx, session_orders_csv, session_orders_xlsx};
pub use export_stats::{session_stats_csv, session_stats_xlsx};
pub use load::{Period, load_issued, load_pending, load_session};
pub use sheets::session_sheets_pdf;
pub use stats::{
    IssuedStats, PendingStats, ProductPending, ProductSold, ProductionLine, issued_stats,
    pending_stats, production_list,
};
pub use words::{CsvForm, KEYS as EXPORT_WORDS, Style, Words, english};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Loading the orders failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An order could not be priced (e.g. its packing option was removed
    /// from the configuration).
    #[error("order #{number} of session {session}: {source}")]
    Pricing {
        session: SessionId,
        number: i64,
        #[source]
        source: PricingError,
    },
    /// A stored line has a price that is not positive.
    #[error("order #{number} of session {session}: {source}")]
    Price {
        session: SessionId,
        number: i64,
        #[source]
        source: NonPositivePrice,
    },
    /// A sum of amounts or quantities does not fit in 64 bits.
    #[error("amount overflow in a report")]
    Overflow,
    /// The spreadsheet could not be written.
    #[error("spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

impl From<ArithmeticError> for ReportError {
    fn from(_: ArithmeticError) -> Self {
        ReportError::Overflow
    }
}
