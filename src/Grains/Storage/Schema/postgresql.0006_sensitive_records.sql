-- Records sent in sensitive messages (see sqlite.0013_sensitive_records.sql).
ALTER TABLE artifacts ADD COLUMN IF NOT EXISTS sensitive BIGINT NOT NULL DEFAULT 0;
