//! Domain types of larder: money, quantities, prices, typed-input parsers,
//! validated texts, ids and roles. No IO.
//!
//! Money and weights are integers throughout (minor units, grams); the one
//! rounding rule is [`round_div_half_away`] — half away from zero, applied
//! once per computed value.

mod currency;
mod ids;
mod input;
mod input_error;
mod money;
mod number;
mod percent;
mod price;
mod quantity;
mod role;
mod rounding;
mod text;

pub use currency::{Currency, CurrencyError, MAX_CURRENCY_DECIMALS};
pub use ids::{ChatId, CustomerId, OrderId, OrderLineId, ProductId, SessionId, TgUserId};
pub use input::{Limits, parse_price, parse_quantity};
pub use input_error::InputError;
pub use money::Money;
pub use number::MAX_INPUT_CHARS;
pub use percent::{Percent, PercentRangeError};
pub use price::{ArithmeticError, NonPositivePrice, UnitPrice, line_total};
pub use quantity::{NegativeQuantity, Quantity, Unit, UnitParseError, format_kg};
pub use role::{Role, RoleParseError};
pub use rounding::{checked_round_div_half_away, round_div_half_away};
pub use text::{ProductName, TextError, normalize_single_line};
