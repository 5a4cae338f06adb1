-- Several instances on one database: an update is handled only after the
-- older updates of its chat still waiting, whichever instance stored them.
CREATE INDEX inbox_pending_chat ON inbox (channel, chat_id, id) WHERE status = 'pending';
