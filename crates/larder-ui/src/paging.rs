//! Paging of long lists: which slice to show and the navigation row, and
//! how many items a page holds on the messenger at hand ([`Keys`]): a screen
//! pages itself within the keyboard it is drawn on, so there is one pager and
//! the rows below the list (cart, checkout, back) are on every page.

use crate::action::Action;
use crate::i18n::Lang;
use crate::view::Button;

/// What one message's inline keyboard holds on a messenger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keys {
    pub rows: usize,
    pub buttons: usize,
}

impl Keys {
    /// Telegram takes 100 buttons: screens are laid out as they are.
    pub const TELEGRAM: Keys = Keys {
        rows: 100,
        buttons: 100,
    };
    /// VK's inline keyboards: 6 rows, 10 buttons (5 to a row).
    pub const VK: Keys = Keys {
        rows: 6,
        buttons: 10,
    };
    /// Buttons a pager row takes (◀ n/m ▶).
    pub const PAGER: usize = 3;

    pub fn of(channel: larder_store::Channel) -> Keys {
        match channel {
            larder_store::Channel::Telegram => Keys::TELEGRAM,
            larder_store::Channel::Vk => Keys::VK,
        }
    }

    /// A small keyboard: screens use their compact layouts.
    pub fn narrow(self) -> bool {
        self.buttons < 20
    }

    /// How many of `total` items a page holds: `per_row` items to a row,
    /// beside the `fixed` rows (their button counts) shown on every page,
    /// with room for the pager when the items do not fit at once; never more
    /// than `most`, never less than one.
    pub fn page_size(self, total: usize, per_row: usize, fixed: &[usize], most: usize) -> u32 {
        let whole = self.room(per_row, fixed).min(most);
        let size = if total <= whole {
            whole
        } else {
            self.fits(
                per_row,
                fixed.len() + 1,
                fixed.iter().sum::<usize>() + Keys::PAGER,
            )
            .min(most)
        };
        u32::try_from(size.max(1)).unwrap_or(u32::MAX)
    }

    /// How many items fit at once, `per_row` to a row, beside the `fixed`
    /// rows and without a pager.
    pub fn room(self, per_row: usize, fixed: &[usize]) -> usize {
        self.fits(per_row, fixed.len(), fixed.iter().sum())
    }

    fn fits(self, per_row: usize, rows_taken: usize, buttons_taken: usize) -> usize {
        let rows = self.rows.saturating_sub(rows_taken);
        let buttons = self.buttons.saturating_sub(buttons_taken);
        (rows * per_row.max(1)).min(buttons)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Zero-based page shown (clamped into range).
    pub index: u32,
    pub count: u32,
    pub size: u32,
}

impl Page {
    pub fn new(requested: u32, total: i64, size: u32) -> Page {
        let size = size.max(1);
        let total = u32::try_from(total.max(0)).unwrap_or(u32::MAX);
        let count = total.div_ceil(size).max(1);
        Page {
            index: requested.min(count - 1),
            count,
            size,
        }
    }

    pub fn offset(self) -> i64 {
        i64::from(self.index) * i64::from(self.size)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.size)
    }

    /// `◀ 2/5 ▶`; at the ends the arrow stays and answers
    /// "this is the first/last page".
    pub fn nav(self, lang: Lang<'_>, to: impl Fn(u32) -> Action) -> Vec<Button> {
        if self.count <= 1 {
            return vec![];
        }
        let prev = if self.index == 0 {
            Action::PageEnd { last: false }
        } else {
            to(self.index - 1)
        };
        let next = if self.index + 1 >= self.count {
            Action::PageEnd { last: true }
        } else {
            to(self.index + 1)
        };
        let counter = lang.t_args(
            "page-of",
            &[
                ("page", (self.index + 1).to_string()),
                ("pages", self.count.to_string()),
            ],
        );
        vec![
            Button::action(lang.t("btn-prev"), prev),
            Button::action(counter, Action::Noop),
            Button::action(lang.t("btn-next"), next),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_is_clamped_and_counts_round_up() {
        let p = Page::new(9, 17, 8);
        assert_eq!((p.index, p.count, p.offset()), (2, 3, 16));
        assert_eq!(Page::new(0, 0, 8).count, 1);
    }

    #[test]
    fn a_page_holds_what_the_keyboard_takes_beside_the_fixed_rows() {
        // Telegram: the configured page size.
        assert_eq!(Keys::TELEGRAM.page_size(50, 1, &[2, 1], 8), 8);
        // VK, one item to a row beside [Back][Cart]: 5 fit without a pager…
        assert_eq!(Keys::VK.page_size(5, 1, &[2], 8), 5);
        // …and 4 with one (4 + 3 + 2 buttons, 6 rows).
        assert_eq!(Keys::VK.page_size(7, 1, &[2], 8), 4);
        // Two to a row beside two rows of two: 6 fit, else 2 rows of 3 buttons.
        assert_eq!(Keys::VK.page_size(6, 2, &[2, 2], 8), 6);
        assert_eq!(Keys::VK.page_size(9, 2, &[2, 2], 8), 3);
        // Never nothing, even when the fixed rows take everything.
        assert_eq!(Keys::VK.page_size(3, 1, &[5, 5], 8), 1);
        for total in 0..40 {
            for per_row in 1..=4 {
                let size = Keys::VK.page_size(total, per_row, &[2], 8) as usize;
                let pages = total.div_ceil(size).max(1);
                let nav = if pages > 1 { Keys::PAGER } else { 0 };
                let rows = size.min(total).div_ceil(per_row) + usize::from(nav > 0) + 1;
                assert!(
                    size.min(total) + nav + 2 <= 10 && rows <= 6,
                    "{total}/{per_row}"
                );
            }
        }
    }
}
