-- Draft attachments (see sqlite.0013_attachment_sent.sql): existing files count as sent.
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS sent BIGINT NOT NULL DEFAULT 0;
UPDATE attachments SET sent = 1;
