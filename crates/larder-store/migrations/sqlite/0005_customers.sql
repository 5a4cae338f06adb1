-- Customers of the shop, one row per messenger account. Personal fields are
-- NULL until given and are erased on request (forgotten_at set); the row and
-- the customer's orders stay, anonymised, for statistics.
CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    channel       TEXT   NOT NULL,
    user_id       BIGINT NOT NULL,
    first_name    TEXT,
    last_name     TEXT,
    phone         TEXT,
    email         TEXT,
    last_address  TEXT,
    registered_at BIGINT,
    forgotten_at  BIGINT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (channel, user_id)
);
