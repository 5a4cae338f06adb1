//! XLSX through `rust_xlsxwriter`: one sheet per table, bold titles and
//! headers, numbers as number cells with a fixed number of decimals.
//!
//! Amounts and quantities are integers until the cell: the exact decimal
//! string (`"221.92"`) is parsed into the `f64` the file format stores —
//! the one place a float appears, and no arithmetic is done on it.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::ReportError;
use crate::table::{Cell, Table};
use crate::words::Style;

/// The tables as an XLSX workbook.
pub(crate) fn render(tables: &[Table], style: &Style<'_>) -> Result<Vec<u8>, ReportError> {
    let currency = style.currency;
    let mut workbook = Workbook::new();
    let money_format = zeros(currency.decimals());
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.name)?;
        for (r, row) in (0..).zip(&table.rows) {
            let base = if row.bold {
                Format::new().set_bold()
            } else {
                Format::new()
            };
            for (c, cell) in (0..).zip(&row.cells) {
                let num_format = match cell {
                    Cell::Empty => continue,
                    Cell::Text(s) | Cell::Plain(s) => {
                        sheet.write_string_with_format(r, c, s, &base)?;
                        continue;
                    }
                    Cell::Int(_) => "0".to_owned(),
                    Cell::Decimal { scale, .. } => zeros(*scale),
                    Cell::Money(_) => money_format.clone(),
                };
                let text = cell.number_text(currency).unwrap_or_default();
                let format = base.clone().set_num_format(num_format);
                sheet.write_number_with_format(r, c, number(&text)?, &format)?;
            }
        }
        if table.frozen_rows > 0 {
            sheet.set_freeze_panes(table.frozen_rows, 0)?;
        }
        sheet.autofit();
    }
    Ok(workbook.save_to_buffer()?)
}

/// The number format with `scale` decimals: `"0"`, `"0.00"`, `"0.000"`.
fn zeros(scale: u8) -> String {
    if scale == 0 {
        return "0".to_owned();
    }
    format!("0.{}", "0".repeat(usize::from(scale)))
}

/// The cell value of an exact decimal string.
fn number(text: &str) -> Result<f64, XlsxError> {
    text.parse()
        .map_err(|_| XlsxError::ParameterError(format!("not a number: {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_have_the_scale() {
        assert_eq!(zeros(0), "0");
        assert_eq!(zeros(2), "0.00");
        assert_eq!(zeros(3), "0.000");
        assert!(number("221.92").is_ok());
        assert!(number("").is_err());
    }
}
