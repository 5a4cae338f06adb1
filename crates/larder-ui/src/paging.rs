//! Paging of long lists: which slice to show and the navigation row.

use crate::action::Action;
use crate::i18n::Lang;
use crate::view::Button;

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
}
