-- Why an order was cancelled, told to the customer and shown on the cards:
-- the customer themselves, or the shop with a reason (NULL: cancelled at the
-- desk, no reason given).
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;
