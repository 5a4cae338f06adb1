-- The delivery runtime. The inbox is keyed by an update's identity (its id
-- and what it is), so an update id a messenger hands out again later is
-- still new; it keeps the raw update as received. The outbox gains a
-- deadline (transient failures are retried until then), an 'expired'
-- status for calls that ran out of time, and a random id fixed per row
-- (VK deduplicates sends by it).
ALTER TABLE inbox ADD COLUMN identity BIGINT;
UPDATE inbox SET identity = update_id;
ALTER TABLE inbox ALTER COLUMN identity SET NOT NULL;
ALTER TABLE inbox ALTER COLUMN update_id DROP NOT NULL;
ALTER TABLE inbox DROP CONSTRAINT inbox_channel_update_id_key;
ALTER TABLE inbox ADD CONSTRAINT inbox_channel_identity_key UNIQUE (channel, identity);
DROP INDEX inbox_pending;
CREATE INDEX inbox_pending ON inbox (channel, id) WHERE status = 'pending';

ALTER TABLE outbox ADD COLUMN random_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN deadline_at BIGINT;
UPDATE outbox SET deadline_at = created_at + 86400000, random_id = id;
ALTER TABLE outbox ALTER COLUMN deadline_at SET NOT NULL;
-- Calls still waiting were written by the previous sender: their payloads
-- keep the old format, which the adapters still read ('v1:' kinds).
UPDATE outbox SET kind = 'v1:' || kind WHERE status = 'pending';
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'superseded', 'failed', 'expired'));
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (channel, id) WHERE status = 'pending';
CREATE INDEX outbox_pending_chat ON outbox (channel, chat_id, id) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (finished_at) WHERE status IN ('failed', 'expired');

-- The last screen shown in a chat, for channels that page its buttons (VK).
ALTER TABLE chat_state ADD COLUMN shown TEXT;
