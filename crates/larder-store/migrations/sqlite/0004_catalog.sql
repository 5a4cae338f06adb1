-- The shop's catalog: categories in a chosen order (hidden ones are not
-- shown to customers; a stop-listed one shows but cannot be ordered), and per
-- product a category, description, photo, preparation time and a stop-list flag.
CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    name       TEXT   NOT NULL,
    name_key   TEXT   NOT NULL,
    position   BIGINT NOT NULL,
    hidden     BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    available  BIGINT NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
    version    BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX categories_name ON categories (name_key);

ALTER TABLE products ADD COLUMN category_id BIGINT NULL REFERENCES categories (id);
ALTER TABLE products ADD COLUMN description TEXT NULL;
ALTER TABLE products ADD COLUMN photo TEXT NULL;
ALTER TABLE products ADD COLUMN prep_minutes BIGINT NULL CHECK (prep_minutes > 0);
ALTER TABLE products ADD COLUMN available BIGINT NOT NULL DEFAULT 1 CHECK (available IN (0, 1));
CREATE INDEX products_category ON products (category_id);
