-- Foundation: catalog, staff, per-chat UI state, durable inbox and outbox.
-- Timestamps are UTC instants in unix milliseconds; flags are 0/1 integers.
CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    unit        TEXT    NOT NULL CHECK (unit IN ('kg', 'piece')),
    price_minor BIGINT  NOT NULL CHECK (price_minor > 0),
    archived    BIGINT  NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    version     BIGINT  NOT NULL DEFAULT 1,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX products_active_name ON products (name_key) WHERE archived = 0;

CREATE TABLE staff (
    user_id      BIGINT NOT NULL,
    role         TEXT   NOT NULL CHECK (role IN ('owner', 'manager', 'cook', 'courier', 'admin')),
    display_name TEXT   NOT NULL,
    granted_by   BIGINT,
    granted_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE chat_state (
    channel         TEXT   NOT NULL,
    chat_id         BIGINT NOT NULL,
    screen          TEXT   NOT NULL,
    draft           TEXT,
    desk_message_id BIGINT,
    language        TEXT,
    version         BIGINT NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT   NOT NULL,
    update_id   BIGINT NOT NULL,
    chat_id     BIGINT,
    payload     TEXT   NOT NULL,
    status      TEXT   NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    error       TEXT,
    received_at BIGINT NOT NULL,
    handled_at  BIGINT,
    UNIQUE (channel, update_id)
);
CREATE INDEX inbox_pending ON inbox (status, id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT   NOT NULL,
    chat_id         BIGINT NOT NULL,
    kind            TEXT   NOT NULL,
    payload         TEXT   NOT NULL,
    idempotency_key TEXT   NOT NULL UNIQUE,
    status          TEXT   NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'superseded', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT,
    result          TEXT,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX outbox_pending ON outbox (status, chat_id, id);
