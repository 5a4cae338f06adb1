-- Retail outlets (market stalls, shops) keeping stock of the catalog's
-- products, one ledger of movements per outlet.
CREATE TABLE outlets (
    id         INTEGER PRIMARY KEY,
    name       TEXT   NOT NULL,
    name_key   TEXT   NOT NULL,
    address    TEXT,
    archived   BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    version    BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX outlets_active_name ON outlets (name_key) WHERE archived = 0;

-- An outlet's assortment: the products it keeps, at its own price (or the
-- catalog's when NULL), the stock below which the owner hears of it, and
-- its stock: the sum of its movements, kept in the movement's transaction.
CREATE TABLE outlet_stock (
    outlet_id   BIGINT NOT NULL REFERENCES outlets (id),
    product_id  BIGINT NOT NULL REFERENCES products (id),
    price_minor BIGINT CHECK (price_minor > 0),
    low_stock   BIGINT CHECK (low_stock >= 0),
    quantity    BIGINT NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (outlet_id, product_id)
);

-- The append-only ledger: receipts, sales, write-offs, counts and
-- transfers, each with who, when, the signed quantity (grams or pieces) and
-- the unit price then. A correction is a new row naming the one it undoes.
CREATE TABLE stock_movements (
    id          INTEGER PRIMARY KEY,
    outlet_id   BIGINT NOT NULL REFERENCES outlets (id),
    product_id  BIGINT NOT NULL REFERENCES products (id),
    kind        TEXT   NOT NULL CHECK (kind IN ('receipt', 'sale', 'write_off', 'count', 'transfer_out', 'transfer_in')),
    quantity    BIGINT NOT NULL,
    unit        TEXT   NOT NULL CHECK (unit IN ('kg', 'piece')),
    price_minor BIGINT NOT NULL,
    reason      TEXT CHECK (reason IS NULL OR reason IN ('spoiled', 'tasting', 'trimming', 'other')),
    transfer_id BIGINT,
    corrects    BIGINT REFERENCES stock_movements (id),
    day         TEXT   NOT NULL,
    user_id     BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX stock_movements_outlet_day ON stock_movements (outlet_id, day);
CREATE INDEX stock_movements_day ON stock_movements (day);
CREATE UNIQUE INDEX stock_movements_corrected ON stock_movements (corrects);

-- Stock on its way: out of one outlet when sent, into the other when received.
CREATE TABLE stock_transfers (
    id          INTEGER PRIMARY KEY,
    from_outlet BIGINT NOT NULL REFERENCES outlets (id),
    to_outlet   BIGINT NOT NULL REFERENCES outlets (id),
    product_id  BIGINT NOT NULL REFERENCES products (id),
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    sent_by     BIGINT,
    sent_at     BIGINT NOT NULL,
    received_by BIGINT,
    received_at BIGINT
);

-- A seller's report of an outlet's day: one per outlet and day.
CREATE TABLE outlet_reports (
    outlet_id  BIGINT NOT NULL REFERENCES outlets (id),
    day        TEXT   NOT NULL,
    receipts   BIGINT NOT NULL CHECK (receipts >= 0),
    cash_minor BIGINT NOT NULL CHECK (cash_minor >= 0),
    card_minor BIGINT NOT NULL CHECK (card_minor >= 0),
    note       TEXT,
    user_id    BIGINT,
    version    BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (outlet_id, day)
);
