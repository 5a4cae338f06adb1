-- Orders: selling sessions, orders with their weighed lines, an audit
-- history per order, and one-time staff invites. Dates are ISO text
-- ("2026-12-25"), times "14:30"; instants are unix milliseconds.
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    name        TEXT   NOT NULL,
    name_key    TEXT   NOT NULL,
    description TEXT   NOT NULL DEFAULT '',
    held_on     TEXT,
    place       TEXT,
    archived    BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    is_inbox    BIGINT NOT NULL DEFAULT 0 CHECK (is_inbox IN (0, 1)),
    next_number BIGINT NOT NULL DEFAULT 1,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX sessions_one_inbox ON sessions (is_inbox) WHERE is_inbox = 1;
CREATE UNIQUE INDEX sessions_active_name ON sessions (name_key) WHERE archived = 0 AND is_inbox = 0;
CREATE INDEX sessions_listing ON sessions (archived, held_on);

INSERT INTO sessions (name, name_key, is_inbox, created_at, updated_at)
VALUES ('Inbox', 'inbox', 1, 0, 0);

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    session_id       BIGINT NOT NULL REFERENCES sessions (id),
    number           BIGINT NOT NULL,
    status           TEXT   NOT NULL DEFAULT 'processing'
                     CHECK (status IN ('processing', 'completed', 'issued')),
    client_name      TEXT   NOT NULL,
    phone            TEXT,
    delivery         BIGINT NOT NULL DEFAULT 0 CHECK (delivery IN (0, 1)),
    address          TEXT,
    issue_date       TEXT,
    issue_time       TEXT,
    discount_bp      BIGINT NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    fee_manual_minor BIGINT,
    fee_fixed_minor  BIGINT,
    note             TEXT,
    customer_user_id BIGINT,
    created_by       BIGINT,
    created_at       BIGINT NOT NULL,
    completed_at     BIGINT,
    issued_at        BIGINT,
    issued_on        TEXT,
    version          BIGINT NOT NULL DEFAULT 1,
    updated_at       BIGINT NOT NULL,
    UNIQUE (session_id, number)
);
CREATE INDEX orders_by_status_date ON orders (status, issue_date, issue_time);
CREATE INDEX orders_by_status_issued ON orders (status, issued_at);
CREATE INDEX orders_by_session ON orders (session_id, status);

CREATE TABLE order_lines (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    product_id  BIGINT REFERENCES products (id),
    name        TEXT   NOT NULL,
    unit        TEXT   NOT NULL CHECK (unit IN ('kg', 'piece')),
    price_minor BIGINT NOT NULL,
    ordered     BIGINT NOT NULL CHECK (ordered >= 0),
    weighed     BIGINT CHECK (weighed >= 0),
    packing     TEXT,
    UNIQUE (order_id, position)
);
CREATE INDEX order_lines_by_product ON order_lines (product_id);

CREATE TABLE order_history (
    id       INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at       BIGINT NOT NULL,
    actor    BIGINT,
    kind     TEXT   NOT NULL CHECK (kind IN ('status', 'field', 'line')),
    field    TEXT   NOT NULL,
    old      TEXT,
    new      TEXT
);
CREATE INDEX order_history_by_order ON order_history (order_id, id);

CREATE TABLE invites (
    code       TEXT PRIMARY KEY,
    role       TEXT   NOT NULL CHECK (role IN ('owner', 'manager', 'cook', 'courier', 'admin')),
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_by    BIGINT,
    used_at    BIGINT
);
