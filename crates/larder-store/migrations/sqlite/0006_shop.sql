-- The shop: orders may be cancelled and may come from a customer through a
-- messenger (with the kitchen's and the courier's progress), customers'
-- carts, the staff groups with the order cards posted there, and reviews.
-- SQLite cannot change a CHECK constraint, so `orders` is rebuilt (the
-- migration runner turns foreign keys off while a migration runs and checks
-- them before committing).
CREATE TABLE orders_new (
    id               INTEGER PRIMARY KEY,
    session_id       BIGINT NOT NULL REFERENCES sessions (id),
    number           BIGINT NOT NULL,
    status           TEXT   NOT NULL DEFAULT 'processing'
                     CHECK (status IN ('processing', 'completed', 'issued', 'cancelled')),
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
    cancelled_at     BIGINT,
    customer_id      BIGINT REFERENCES customers (id),
    origin           TEXT CHECK (origin IN ('telegram', 'vk')),
    checkout_key     TEXT UNIQUE,
    ready_by         BIGINT,
    accepted_at      BIGINT,
    accepted_by      BIGINT,
    prepared_by      BIGINT,
    courier_id       BIGINT,
    courier_name     TEXT,
    taken_at         BIGINT,
    told_stage       BIGINT NOT NULL DEFAULT 0,
    UNIQUE (session_id, number)
);
INSERT INTO orders_new (id, session_id, number, status, client_name, phone, delivery, address,
    issue_date, issue_time, discount_bp, fee_manual_minor, fee_fixed_minor, note,
    customer_user_id, created_by, created_at, completed_at, issued_at, issued_on, version,
    updated_at)
SELECT id, session_id, number, status, client_name, phone, delivery, address,
    issue_date, issue_time, discount_bp, fee_manual_minor, fee_fixed_minor, note,
    customer_user_id, created_by, created_at, completed_at, issued_at, issued_on, version,
    updated_at
FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_by_status_date ON orders (status, issue_date, issue_time);
CREATE INDEX orders_by_status_issued ON orders (status, issued_at);
CREATE INDEX orders_by_session ON orders (session_id, status);
CREATE INDEX orders_by_customer ON orders (customer_id, created_at);

ALTER TABLE customers ADD COLUMN unreachable_at BIGINT;

CREATE TABLE cart_items (
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id  BIGINT NOT NULL REFERENCES products (id),
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (customer_id, product_id)
);

CREATE TABLE staff_groups (
    role       TEXT   PRIMARY KEY CHECK (role IN ('kitchen', 'couriers', 'admins')),
    channel    TEXT   NOT NULL,
    chat_id    BIGINT NOT NULL,
    title      TEXT   NOT NULL,
    bound_by   BIGINT NOT NULL,
    bound_at   BIGINT NOT NULL,
    lost_at    BIGINT,
    lost_why   TEXT
);

CREATE TABLE order_cards (
    id         INTEGER PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL CHECK (kind IN ('kitchen', 'couriers', 'admins', 'courier', 'review')),
    channel    TEXT   NOT NULL,
    chat_id    BIGINT NOT NULL,
    message_id BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (order_id, kind)
);
CREATE INDEX order_cards_by_chat ON order_cards (channel, chat_id);

CREATE TABLE reviews (
    order_id     BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    customer_id  BIGINT REFERENCES customers (id),
    rating       BIGINT CHECK (rating BETWEEN 1 AND 5),
    comment      TEXT,
    state        TEXT   NOT NULL DEFAULT 'none'
                 CHECK (state IN ('none', 'pending', 'published', 'rejected')),
    moderated_by BIGINT,
    moderated_at BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX reviews_published ON reviews (state, created_at);

CREATE TABLE dish_ratings (
    order_id   BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id),
    rating     BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX dish_ratings_by_product ON dish_ratings (product_id);
