//! The one model both download formats render: tables of typed cells. A
//! table is one XLSX sheet, or one block of a CSV file.

use larder_core::{Currency, Money, Quantity};

/// One cell. Amounts and quantities stay integers with a scale, so CSV
/// and XLSX show the same exact decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cell {
    Empty,
    /// Text typed by people (client names, addresses, product names): may
    /// hold anything, so CSV guards it against formula injection.
    Text(String),
    /// Text we produce or validated (headers, statuses, dates, phones).
    Plain(String),
    Int(i64),
    /// `value / 10^scale`.
    Decimal {
        value: i64,
        scale: u8,
    },
    /// In the currency's minor units.
    Money(Money),
}

impl Cell {
    pub(crate) fn plain(s: impl Into<String>) -> Cell {
        Cell::Plain(s.into())
    }

    pub(crate) fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// Grams as kilograms with 3 decimals, pieces as an integer.
    pub(crate) fn quantity(q: Quantity) -> Cell {
        match q {
            Quantity::Grams(grams) => Cell::Decimal {
                value: grams,
                scale: 3,
            },
            Quantity::Pieces(n) => Cell::Int(n),
        }
    }

    /// An exact decimal string (`"0.315"`, `"221.92"`), or `None` for a
    /// cell that is not a number.
    pub(crate) fn number_text(&self, currency: &Currency) -> Option<String> {
        match self {
            Cell::Int(n) => Some(n.to_string()),
            Cell::Decimal { value, scale } => Some(decimal(*value, *scale)),
            Cell::Money(m) => Some(currency.format(*m)),
            Cell::Empty | Cell::Text(_) | Cell::Plain(_) => None,
        }
    }
}

/// `value / 10^scale` with exactly `scale` decimals: `(315, 3)` → `"0.315"`.
pub(crate) fn decimal(value: i64, scale: u8) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    if scale == 0 {
        return format!("{sign}{abs}");
    }
    let per = 10_u64.pow(u32::from(scale));
    let width = usize::from(scale);
    format!("{sign}{}.{:0width$}", abs / per, abs % per)
}

/// A row; bold for titles and headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Row {
    pub cells: Vec<Cell>,
    pub bold: bool,
}

/// A titled table: an XLSX sheet named `name`, or a CSV block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Table {
    pub name: String,
    pub rows: Vec<Row>,
    /// Rows kept in view when scrolling the sheet.
    pub frozen_rows: u32,
}

impl Table {
    pub(crate) fn new(name: String) -> Table {
        Table {
            name,
            rows: Vec::new(),
            frozen_rows: 0,
        }
    }

    pub(crate) fn push(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row { cells, bold: false });
    }

    pub(crate) fn push_bold(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row { cells, bold: true });
    }

    /// A bold row of column names.
    pub(crate) fn header(&mut self, names: &[String]) {
        self.push_bold(names.iter().cloned().map(Cell::Plain).collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(315, 3), "0.315");
        assert_eq!(decimal(1500, 3), "1.500");
        assert_eq!(decimal(-5, 2), "-0.05");
        assert_eq!(decimal(7, 0), "7");
        assert_eq!(decimal(i64::MIN, 3), "-9223372036854775.808");
    }
}
