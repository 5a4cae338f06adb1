-- One customer, two messengers: an account linked to another shares its
-- profile, cart, addresses and orders (`linked_to` names the primary row).
-- A one-time code shown in one messenger and typed in the other links them.
ALTER TABLE customers ADD COLUMN linked_to BIGINT REFERENCES customers (id);
CREATE TABLE link_codes (
    code        TEXT   PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL
);
