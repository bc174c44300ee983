-- Sensitive messages (see sqlite.0011_sensitive.sql).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS sensitive BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS sensitive BIGINT NOT NULL DEFAULT 0;
