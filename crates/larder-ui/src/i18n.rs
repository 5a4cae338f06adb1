//! Translations: every word the bot says comes from Fluent files
//! (`locales/<lang>.ftl`), compiled into the binary. A user's Telegram or VK
//! language picks the bundle; the configured default covers everyone else.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The languages shipped, with their Fluent sources.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en.ftl")),
    ("ru", include_str!("../locales/ru.ftl")),
];

pub struct I18n {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    default: &'static str,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n")
            .field("default", &self.default)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("unsupported language {0:?} (supported: en, ru)")]
    Unsupported(String),
    #[error("translation file {lang} is broken: {detail}")]
    Broken { lang: &'static str, detail: String },
}

/// Normalises a language tag ("ru-RU", "EN") to a shipped language code.
pub fn supported(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    LANGUAGES
        .iter()
        .map(|(code, _)| *code)
        .find(|code| *code == primary)
}

impl I18n {
    pub fn new(default: &str) -> Result<I18n, I18nError> {
        let default =
            supported(default).ok_or_else(|| I18nError::Unsupported(default.to_owned()))?;
        let mut bundles = HashMap::new();
        for (lang, source) in LANGUAGES {
            let resource = FluentResource::try_new((*source).to_owned()).map_err(|(_, errs)| {
                I18nError::Broken {
                    lang,
                    detail: format!("{errs:?}"),
                }
            })?;
            let id: LanguageIdentifier = lang
                .parse()
                .map_err(|_| I18nError::Unsupported((*lang).to_owned()))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errs| I18nError::Broken {
                    lang,
                    detail: format!("{errs:?}"),
                })?;
            bundles.insert(*lang, bundle);
        }
        Ok(I18n { bundles, default })
    }

    pub fn default_language(&self) -> &'static str {
        self.default
    }

    /// The language for a user: theirs when shipped, else the default.
    pub fn pick(&self, user_language: Option<&str>) -> Lang<'_> {
        let code = user_language.and_then(supported).unwrap_or(self.default);
        Lang { i18n: self, code }
    }
}

/// One language, ready to translate.
#[derive(Clone, Copy)]
pub struct Lang<'a> {
    i18n: &'a I18n,
    code: &'static str,
}

/// Downloads take their words from the same translations.
impl larder_reports::Words for Lang<'_> {
    fn word(&self, key: &str) -> Option<String> {
        self.try_t(key)
    }
}

impl<'a> Lang<'a> {
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Another person's language (`None`: the business's default), for
    /// messages to someone other than who is acting.
    pub fn switch(&self, language: Option<&str>) -> Lang<'a> {
        self.i18n.pick(language)
    }

    /// The message if this language or the default has it.
    pub fn try_t(&self, id: &str) -> Option<String> {
        let has = [self.code, self.i18n.default]
            .iter()
            .any(|c| self.i18n.bundles[c].has_message(id));
        has.then(|| self.t(id))
    }

    pub fn t(&self, id: &str) -> String {
        self.t_args(id, &[])
    }

    /// Translates `id` with named arguments; a missing message falls back to
    /// the default language, then to the id itself (and is caught by tests).
    pub fn t_args(&self, id: &str, args: &[(&str, String)]) -> String {
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, FluentValue::from(v.as_str()));
        }
        for code in [self.code, self.i18n.default] {
            let bundle = &self.i18n.bundles[code];
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(message = id, lang = code, ?errors, "translation error");
                }
                return text.into_owned();
            }
        }
        tracing::warn!(message = id, "missing translation");
        id.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<String> {
        let res = FluentResource::try_new(source.to_owned()).expect("parses");
        let mut ids: Vec<String> = res
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn every_language_has_the_same_messages() {
        let en = ids(LANGUAGES[0].1);
        for (lang, source) in LANGUAGES {
            assert_eq!(ids(source), en, "{lang} differs from en");
        }
    }

    #[test]
    fn user_language_picks_the_bundle_and_unknown_falls_back() {
        let i18n = I18n::new("en").unwrap();
        assert_eq!(i18n.pick(Some("ru-RU")).code(), "ru");
        assert_eq!(i18n.pick(Some("de")).code(), "en");
        assert_eq!(i18n.pick(None).code(), "en");
        assert!(I18n::new("xx").is_err());
    }
}

#[cfg(test)]
mod coverage {
    use super::*;

    /// Every message id the screens ask for, found in their sources.
    fn ids_used_in_code() -> Vec<String> {
        let sources = [
            include_str!("desk/mod.rs"),
            include_str!("desk/calendar.rs"),
            include_str!("desk/catalog.rs"),
            include_str!("desk/common.rs"),
            include_str!("desk/edit.rs"),
            include_str!("desk/menu.rs"),
            include_str!("desk/orders.rs"),
            include_str!("desk/products.rs"),
            include_str!("desk/sessions.rs"),
            include_str!("desk/staff.rs"),
            include_str!("desk/stats.rs"),
            include_str!("desk/target.rs"),
            include_str!("desk/texts.rs"),
            include_str!("desk/weigh.rs"),
            include_str!("paging.rs"),
            include_str!("shop/mod.rs"),
            include_str!("shop/register.rs"),
            include_str!("shop/browse.rs"),
            include_str!("shop/checkout.rs"),
            include_str!("shop/mine.rs"),
            include_str!("pipeline.rs"),
            include_str!("pipeline/cards.rs"),
            include_str!("pipeline/groups.rs"),
            include_str!("action.rs"),
        ];
        let mut ids = Vec::new();
        for src in sources {
            for piece in src.split('"').skip(1).step_by(2) {
                let looks_like_id = piece.len() > 3
                    && piece.contains('-')
                    && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
                if looks_like_id {
                    ids.push(piece.to_owned());
                }
            }
        }
        ids
    }

    #[test]
    fn every_message_the_code_uses_is_translated() {
        let i18n = I18n::new("en").unwrap();
        let mut ids = ids_used_in_code();
        ids.extend(
            larder_core::InputError::ALL_MESSAGE_IDS
                .iter()
                .map(|s| (*s).to_owned()),
        );
        ids.extend((1..=12).map(|m| format!("month-{m}")));
        ids.extend(
            larder_store::orders::HistoryField::ALL
                .into_iter()
                .map(crate::desk::orders::history_id),
        );
        ids.extend((1..=7).map(|d| format!("weekday-{d}")));
        ids.extend(
            larder_reports::EXPORT_WORDS
                .iter()
                .map(|(k, _)| (*k).to_owned()),
        );
        for more in [
            larder_core::TransitionError::ALL_MESSAGE_IDS,
            larder_core::PhoneError::ALL_MESSAGE_IDS,
            larder_core::DateError::ALL_MESSAGE_IDS,
            larder_core::TimeError::ALL_MESSAGE_IDS,
            larder_core::EmailError::ALL_MESSAGE_IDS,
        ] {
            ids.extend(more.iter().map(|s| (*s).to_owned()));
        }
        ids.extend(
            larder_core::TextError::ALL_MESSAGE_IDS
                .iter()
                .map(|s| (*s).to_owned()),
        );
        for lang in ["en", "ru"] {
            let bundle = &i18n.bundles[lang];
            for id in &ids {
                assert!(bundle.has_message(id), "{lang} lacks {id}");
            }
        }
    }
}
