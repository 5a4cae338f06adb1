-- What each order card last showed (a fingerprint of its text and buttons),
-- so an unchanged card is not edited again.
ALTER TABLE order_cards ADD COLUMN shown TEXT;
