//! How a download speaks: its words in the staff's language (looked up by
//! key, English when the language has no word), and the CSV form their
//! spreadsheet splits without help.

use larder_core::{Currency, OrderStatus, Unit};

/// The CSV dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvForm {
    /// `,` between fields and `.` in numbers (English-locale spreadsheets).
    Comma,
    /// `;` between fields and `,` in numbers: what Excel expects in locales
    /// whose decimal separator is a comma (Russian, most of Europe).
    Semicolon,
}

impl CsvForm {
    /// The form a language's spreadsheets read: `;` for those writing
    /// decimals with a comma.
    pub fn for_language(code: &str) -> CsvForm {
        match code.split(['-', '_']).next().unwrap_or_default() {
            "en" | "zh" | "ja" | "ko" | "he" | "th" => CsvForm::Comma,
            _ => CsvForm::Semicolon,
        }
    }

    pub(crate) fn separator(self) -> char {
        match self {
            CsvForm::Comma => ',',
            CsvForm::Semicolon => ';',
        }
    }

    pub(crate) fn decimal(self) -> char {
        match self {
            CsvForm::Comma => '.',
            CsvForm::Semicolon => ',',
        }
    }
}

/// Where a download's words come from: the word for a key
/// (`"export-client"`), or `None` for the English one.
pub trait Words: Sync {
    fn word(&self, key: &str) -> Option<String>;
}

impl<F: Fn(&str) -> Option<String> + Sync> Words for F {
    fn word(&self, key: &str) -> Option<String> {
        self(key)
    }
}

/// The words and forms of one download.
pub struct Style<'a> {
    pub currency: &'a Currency,
    pub words: &'a dyn Words,
    pub csv: CsvForm,
}

impl<'a> Style<'a> {
    /// English words and `,` CSV.
    pub fn english(currency: &'a Currency) -> Style<'a> {
        Style {
            currency,
            words: &|_: &str| None,
            csv: CsvForm::Comma,
        }
    }

    pub(crate) fn t(&self, key: &str) -> String {
        self.words
            .word(key)
            .unwrap_or_else(|| english(key).to_owned())
    }

    pub(crate) fn status(&self, s: OrderStatus) -> String {
        self.t(&format!("export-status-{}", s.as_str()))
    }

    pub(crate) fn unit(&self, u: Unit) -> String {
        self.t(&format!("export-unit-{}", u.as_str()))
    }

    /// A money column's name with the currency code: `"Goods (RUB)"`.
    pub(crate) fn money(&self, key: &str) -> String {
        format!("{} ({})", self.t(key), self.currency.code())
    }
}

/// Every key a download uses, with its English word.
pub const KEYS: &[(&str, &str)] = &[
    ("export-sheet-orders", "Orders"),
    ("export-sheet-issued", "Issued"),
    ("export-sheet-pending", "Pending"),
    ("export-sheet-production", "Production"),
    ("export-session", "Session"),
    ("export-order", "Order"),
    ("export-status", "Status"),
    ("export-client", "Client"),
    ("export-phone", "Phone"),
    ("export-delivery", "Delivery"),
    ("export-address", "Address"),
    ("export-date", "Date"),
    ("export-time", "Time"),
    ("export-created", "Created"),
    ("export-issued-on", "Issued on"),
    ("export-product", "Product"),
    ("export-unit", "Unit"),
    ("export-price", "Price"),
    ("export-ordered", "Ordered"),
    ("export-weighed", "Weighed"),
    ("export-packing", "Packing"),
    ("export-line-goods", "Line goods"),
    ("export-line-packing", "Line packing"),
    ("export-discount-percent", "Discount %"),
    ("export-discount", "Discount"),
    ("export-delivery-fee", "Delivery fee"),
    ("export-order-total", "Order total"),
    ("export-total", "Total"),
    ("export-status-processing", "processing"),
    ("export-status-completed", "completed"),
    ("export-status-issued", "issued"),
    ("export-status-cancelled", "cancelled"),
    ("export-mode-delivery", "delivery"),
    ("export-mode-pickup", "pickup"),
    ("export-unit-kg", "kg"),
    ("export-unit-piece", "piece"),
    ("export-issued-orders", "Issued orders"),
    ("export-goods", "Goods"),
    ("export-after-discount", "After discount"),
    ("export-quantity", "Quantity"),
    ("export-packed-lines", "Packed lines"),
    ("export-orders", "Orders"),
    ("export-pending-orders", "Pending orders"),
    ("export-expected-total", "Expected total"),
    ("export-unweighed-lines", "Unweighed lines"),
    ("export-production", "Production"),
    ("export-remaining", "Remaining"),
    ("export-order-sheet", "order sheet"),
    ("export-packing-list", "packing list"),
    ("export-page", "Page"),
    ("export-not-available", "not available"),
    ("export-to-pay", "To pay"),
    ("export-estimate", "(estimate)"),
    ("export-in-all", "in all"),
    ("export-note", "Note"),
];

/// The English word of a key (the key itself if it is unknown).
pub fn english(key: &str) -> &str {
    KEYS.iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, word)| word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_follow_the_language() {
        assert_eq!(CsvForm::for_language("ru"), CsvForm::Semicolon);
        assert_eq!(CsvForm::for_language("en"), CsvForm::Comma);
        assert_eq!(CsvForm::for_language("en-GB"), CsvForm::Comma);
        assert_eq!(CsvForm::for_language("de"), CsvForm::Semicolon);
    }

    #[test]
    fn every_status_and_unit_has_a_word() {
        for s in OrderStatus::ALL {
            let key = format!("export-status-{}", s.as_str());
            assert_ne!(english(&key), key);
        }
        for u in Unit::ALL {
            let key = format!("export-unit-{}", u.as_str());
            assert_ne!(english(&key), key);
        }
    }
}
