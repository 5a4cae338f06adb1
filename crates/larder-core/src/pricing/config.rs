//! The `[pricing]` section of `larder.toml`:
//!
//! ```toml
//! [pricing]
//! [[pricing.packing]]
//! code = "vacuum"
//! name = "Vacuum"
//! per_100g = "2"
//! per_piece = "5"
//! [pricing.delivery]
//! fee = "20"
//! free_from = "300"   # optional
//! ```
//!
//! Amounts are decimal strings in major units, so the file does not depend
//! on the currency's number of decimals (and never goes through floats).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{DeliveryRule, PackingOption, PricingRules};
use crate::config_error::ConfigError;
use crate::currency::Currency;
use crate::input::{Limits, parse_fee};
use crate::money::Money;

/// `[pricing]`: packing options and the delivery rule. The default has no
/// packing options and free delivery.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PricingConfig {
    /// `[[pricing.packing]]` entries.
    pub packing: Vec<PackingConfig>,
    /// `[pricing.delivery]`.
    pub delivery: DeliveryConfig,
}

/// One `[[pricing.packing]]` entry. `code` and `name` are required; a
/// missing surcharge is `"0"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackingConfig {
    /// 1..=16 chars of `a-z`, `0-9`, `_`, `-`; unique.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Surcharge per 100 g of weighed goods, e.g. `"2"` or `"2.50"`.
    #[serde(default = "zero")]
    pub per_100g: String,
    /// Surcharge per piece of counted goods.
    #[serde(default = "zero")]
    pub per_piece: String,
}

/// `[pricing.delivery]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// The delivery fee; default `"0"`.
    pub fee: String,
    /// Delivery is free from this subtotal (before discount) on; optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_from: Option<String>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            fee: zero(),
            free_from: None,
        }
    }
}

fn zero() -> String {
    "0".to_owned()
}

impl PricingConfig {
    /// Validates the section into [`PricingRules`]. Surcharges and the fee
    /// are parsed with [`parse_fee`] (zero allowed, at most
    /// `limits.max_price_minor`); `free_from` has no upper bound besides
    /// what [`Money`] holds, since it is an order total, not a price.
    /// Error fields are paths like `"pricing.packing[1].code"`.
    pub fn rules(&self, currency: &Currency, limits: &Limits) -> Result<PricingRules, ConfigError> {
        let mut seen = HashSet::new();
        let mut packing = Vec::with_capacity(self.packing.len());
        for (i, entry) in self.packing.iter().enumerate() {
            let prefix = format!("pricing.packing[{i}]");
            let option = entry
                .option(currency, limits)
                .map_err(|e| e.within(&prefix))?;
            if !seen.insert(option.code().to_owned()) {
                return Err(ConfigError::DuplicateCode {
                    field: format!("{prefix}.code"),
                    code: option.code().to_owned(),
                });
            }
            packing.push(option);
        }
        let delivery = self
            .delivery
            .rule(currency, limits)
            .map_err(|e| e.within("pricing.delivery"))?;
        Ok(PricingRules { packing, delivery })
    }
}

impl PackingConfig {
    fn option(&self, currency: &Currency, limits: &Limits) -> Result<PackingOption, ConfigError> {
        let per_100g = amount("per_100g", &self.per_100g, currency, limits)?;
        let per_piece = amount("per_piece", &self.per_piece, currency, limits)?;
        PackingOption::new(&self.code, &self.name, per_100g, per_piece)
    }
}

impl DeliveryConfig {
    fn rule(&self, currency: &Currency, limits: &Limits) -> Result<DeliveryRule, ConfigError> {
        let fee = amount("fee", &self.fee, currency, limits)?;
        let unbounded = Limits {
            max_price_minor: i64::MAX,
            ..*limits
        };
        let free_from = self
            .free_from
            .as_deref()
            .map(|s| amount("free_from", s, currency, &unbounded))
            .transpose()?;
        Ok(DeliveryRule { fee, free_from })
    }
}

fn amount(
    field: &str,
    value: &str,
    currency: &Currency,
    limits: &Limits,
) -> Result<Money, ConfigError> {
    parse_fee(value, currency, limits).map_err(|error| ConfigError::Amount {
        field: field.to_owned(),
        value: value.to_owned(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InputError, TextError};

    fn rules(json: &str) -> Result<PricingRules, ConfigError> {
        let config: PricingConfig = serde_json::from_str(json).unwrap();
        config.rules(&Currency::default(), &Limits::default())
    }

    #[test]
    fn the_documented_example() {
        let json = r#"{
            "packing": [{"code": "vacuum", "name": "Vacuum", "per_100g": "2", "per_piece": "5"}],
            "delivery": {"fee": "20", "free_from": "300"}
        }"#;
        let r = rules(json).unwrap();
        let vacuum = r.packing("vacuum").unwrap();
        assert_eq!(
            (vacuum.name(), vacuum.per_100g(), vacuum.per_piece()),
            ("Vacuum", Money::from_minor(200), Money::from_minor(500))
        );
        assert_eq!(
            r.delivery,
            DeliveryRule {
                fee: Money::from_minor(2000),
                free_from: Some(Money::from_minor(30_000))
            }
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(rules("{}"), Ok(PricingRules::none()));
        let r = rules(r#"{"packing": [{"code": "box", "name": " Gift  box "}]}"#).unwrap();
        let gift = r.packing("box").unwrap();
        assert_eq!(gift.name(), "Gift box");
        assert_eq!(
            (gift.per_100g(), gift.per_piece()),
            (Money::ZERO, Money::ZERO)
        );
        let r = rules(r#"{"delivery": {"fee": "0,50"}}"#).unwrap();
        assert_eq!(r.delivery.fee, Money::from_minor(50));
        assert_eq!(r.delivery.free_from, None);
        assert_eq!(
            PricingConfig::default().rules(&Currency::new("JPY", 0).unwrap(), &Limits::default()),
            Ok(PricingRules::none())
        );
    }

    #[test]
    fn free_from_is_not_bounded_by_the_price_limit() {
        let r = rules(r#"{"delivery": {"fee": "20", "free_from": "5000000"}}"#).unwrap();
        assert_eq!(r.delivery.free_from, Some(Money::from_minor(500_000_000)));
        assert!(rules(r#"{"delivery": {"fee": "5000000"}}"#).is_err());
    }

    #[test]
    fn errors_name_the_field() {
        let field = |json: &str| rules(json).unwrap_err().field().to_owned();
        let two = r#"{"packing": [
            {"code": "vacuum", "name": "Vacuum"},
            {"code": "vacuum", "name": "Again"}]}"#;
        assert_eq!(
            rules(two),
            Err(ConfigError::DuplicateCode {
                field: "pricing.packing[1].code".into(),
                code: "vacuum".into()
            })
        );
        for bad in ["", "Vacuum", "vac uum", "x".repeat(17).as_str(), "вакуум"] {
            let json = format!(r#"{{"packing": [{{"code": "{bad}", "name": "V"}}]}}"#);
            assert!(
                matches!(rules(&json), Err(ConfigError::InvalidCode { .. })),
                "{bad}"
            );
        }
        assert!(rules(r#"{"packing": [{"code": "a_1-b", "name": "V"}]}"#).is_ok());
        assert_eq!(
            rules(r#"{"packing": [{"code": "v", "name": "V", "per_100g": "-1"}]}"#),
            Err(ConfigError::Amount {
                field: "pricing.packing[0].per_100g".into(),
                value: "-1".into(),
                error: InputError::Negative
            })
        );
        assert_eq!(
            rules(r#"{"packing": [{"code": "v", "name": "  "}]}"#),
            Err(ConfigError::Text {
                field: "pricing.packing[0].name".into(),
                error: TextError::Empty
            })
        );
        assert_eq!(
            field(r#"{"delivery": {"fee": "20 €"}}"#),
            "pricing.delivery.fee"
        );
        assert_eq!(
            field(r#"{"delivery": {"fee": "1", "free_from": "0.001"}}"#),
            "pricing.delivery.free_from"
        );
    }

    #[test]
    fn serde_is_strict_and_round_trips() {
        let unknown = |json: &str| serde_json::from_str::<PricingConfig>(json).is_err();
        assert!(unknown(r#"{"packaging": []}"#));
        assert!(unknown(r#"{"delivery": {"fee": "1", "free": "2"}}"#));
        assert!(
            unknown(r#"{"packing": [{"code": "v"}]}"#),
            "name is required"
        );
        assert!(
            unknown(r#"{"delivery": {"fee": 20}}"#),
            "amounts are strings"
        );
        let config = PricingConfig {
            packing: vec![PackingConfig {
                code: "vacuum".into(),
                name: "Vacuum".into(),
                per_100g: "2".into(),
                per_piece: "5".into(),
            }],
            delivery: DeliveryConfig {
                fee: "20".into(),
                free_from: Some("300".into()),
            },
        };
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(
            serde_json::from_str::<PricingConfig>(&json).unwrap(),
            config
        );
        let json = serde_json::to_string(&PricingConfig::default()).unwrap();
        assert_eq!(json, r#"{"packing":[],"delivery":{"fee":"0"}}"#);
    }
}
