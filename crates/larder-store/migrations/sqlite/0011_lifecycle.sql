-- The data lifecycle. Files to send (exports) live in their own table with
-- the outbox row pointing at them, so outbox rows stay small and a file is
-- let go of once its call is finished. Handled updates and finished calls
-- are pruned by age: by the time they were received or queued, which never
-- changes (so the indexes cost an insert, not every status change).
CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    name       TEXT   NOT NULL,
    data       BLOB    NOT NULL,
    created_at BIGINT NOT NULL
);
ALTER TABLE outbox ADD COLUMN file_id BIGINT;
CREATE INDEX outbox_files ON outbox (file_id) WHERE file_id IS NOT NULL;
CREATE INDEX inbox_received ON inbox (received_at);
CREATE INDEX outbox_created ON outbox (created_at);
