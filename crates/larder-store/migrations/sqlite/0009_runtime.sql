-- The delivery runtime. The inbox is keyed by an update's identity (its id
-- and what it is), so an update id a messenger hands out again later is
-- still new; it keeps the raw update as received. The outbox gains a
-- deadline (transient failures are retried until then), an 'expired'
-- status for calls that ran out of time, and a random id fixed per row
-- (VK deduplicates sends by it).
CREATE TABLE inbox_next (
    id          INTEGER PRIMARY KEY,
    channel     TEXT   NOT NULL,
    update_id   BIGINT,
    identity    BIGINT NOT NULL,
    chat_id     BIGINT,
    payload     TEXT   NOT NULL,
    status      TEXT   NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    error       TEXT,
    received_at BIGINT NOT NULL,
    handled_at  BIGINT,
    UNIQUE (channel, identity)
);
INSERT INTO inbox_next (id, channel, update_id, identity, chat_id, payload, status, attempts,
                        error, received_at, handled_at)
SELECT id, channel, update_id, update_id, chat_id, payload, status, attempts, error,
       received_at, handled_at
FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_next RENAME TO inbox;
CREATE INDEX inbox_pending ON inbox (channel, id) WHERE status = 'pending';

CREATE TABLE outbox_next (
    id              INTEGER PRIMARY KEY,
    channel         TEXT   NOT NULL,
    chat_id         BIGINT NOT NULL,
    kind            TEXT   NOT NULL,
    payload         TEXT   NOT NULL,
    idempotency_key TEXT   NOT NULL UNIQUE,
    random_id       BIGINT NOT NULL DEFAULT 0,
    status          TEXT   NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'superseded', 'failed', 'expired')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    deadline_at     BIGINT NOT NULL,
    last_error      TEXT,
    result          TEXT,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
-- Calls still waiting were written by the previous sender: their payloads
-- keep the old format, which the adapters still read ('v1:' kinds).
INSERT INTO outbox_next (id, channel, chat_id, kind, payload, idempotency_key, random_id, status,
                         attempts, next_attempt_at, deadline_at, last_error, result, created_at,
                         finished_at)
SELECT id, channel, chat_id,
       CASE WHEN status = 'pending' THEN 'v1:' || kind ELSE kind END,
       payload, idempotency_key, id, status, attempts, next_attempt_at,
       created_at + 86400000, last_error, result, created_at, finished_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_next RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (channel, id) WHERE status = 'pending';
CREATE INDEX outbox_pending_chat ON outbox (channel, chat_id, id) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (finished_at) WHERE status IN ('failed', 'expired');

-- The last screen shown in a chat, for channels that page its buttons (VK).
ALTER TABLE chat_state ADD COLUMN shown TEXT;
