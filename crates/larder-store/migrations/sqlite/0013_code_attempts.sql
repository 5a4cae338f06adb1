-- Wrong codes typed by one account (staff invites, setup codes, account
-- links) in the current window: after too many, codes are refused for a
-- while, so a code cannot be guessed by trying.
CREATE TABLE code_attempts (
    channel TEXT NOT NULL,
    user_id BIGINT NOT NULL,
    failures INTEGER NOT NULL,
    first_at BIGINT NOT NULL,
    PRIMARY KEY (channel, user_id)
);
