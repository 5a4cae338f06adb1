//! [`parse_fee`]: a price that may be zero.

use super::*;

fn rub() -> Currency {
    Currency::default()
}

#[test]
fn fees_allow_zero_but_are_otherwise_prices() {
    let fee = |s: &str| parse_fee(s, &rub(), &Limits::default()).map(Money::minor);
    assert_eq!(fee("0"), Ok(0));
    assert_eq!(fee("0,00 ₽"), Ok(0));
    assert_eq!(fee("20"), Ok(2000));
    assert_eq!(fee("2.5"), Ok(250));
    assert_eq!(fee("-1"), Err(InputError::Negative));
    assert_eq!(fee("0.001"), Err(InputError::TooManyDecimals { max: 2 }));
    assert_eq!(
        fee("1000000.01"),
        Err(InputError::TooLarge {
            max: "1000000.00".into()
        })
    );
    assert_eq!(fee(""), Err(InputError::Empty));
}
