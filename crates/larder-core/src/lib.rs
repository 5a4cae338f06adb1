//! Domain types of larder: money, quantities, prices, the pricing of an
//! order, the order state machine, typed-input parsers (numbers, phones,
//! dates), validated texts, ids and roles. No IO; no clock reads: the time is
//! passed in, and [`Clock`] (re-exported from the `clock` crate) is what the
//! rest of larder asks for it.
//!
//! Money and weights are integers throughout (minor units, grams); the one
//! rounding rule is [`round_div_half_away`] — half away from zero, applied
//! once per computed value.

mod config_error;
mod currency;
mod dates;
mod email;
pub mod flow;
mod ids;
mod input;
mod input_error;
mod money;
mod note;
mod number;
mod percent;
mod phone;
mod price;
mod pricing;
mod quantity;
mod role;
mod rounding;
mod status;
mod text;

pub use clock::Clock;
pub use config_error::ConfigError;
pub use currency::{Currency, CurrencyError, MAX_CURRENCY_DECIMALS};
pub use dates::{
    DateError, MAX_DATE_YEAR, MIN_DATE_YEAR, TimeError, Toward, day_bounds_ms, format_date,
    format_time, local_ms, month_grid, parse_date, parse_time, today,
};
pub use email::{Email, EmailError};
pub use ids::{
    CategoryId, ChatId, CustomerId, OrderId, OrderLineId, ProductId, SessionId, TgUserId, UserRef,
    VkUserId,
};
pub use input::{Limits, parse_fee, parse_price, parse_quantity};
pub use input_error::InputError;
pub use money::Money;
pub use note::{Note, normalize_multi_line};
pub use number::MAX_INPUT_CHARS;
pub use percent::{Percent, PercentRangeError};
pub use phone::{Phone, PhoneError};
pub use price::{ArithmeticError, NonPositivePrice, UnitPrice, line_total};
pub use pricing::{
    DeliveryConfig, DeliveryRule, Fee, OrderPrice, PackingConfig, PackingOption, PricedLine,
    PricingConfig, PricingError, PricingLine, PricingRules, delivery_fee, price_line, price_order,
};
pub use quantity::{NegativeQuantity, Quantity, Unit, UnitParseError, format_kg};
pub use role::{Role, RoleParseError};
pub use rounding::{checked_round_div_half_away, round_div_half_away};
pub use status::{OrderStatus, StatusEvent, StatusParseError, TransitionError, can_complete};
pub use text::{Address, ClientName, ProductName, SessionName, TextError, normalize_single_line};
