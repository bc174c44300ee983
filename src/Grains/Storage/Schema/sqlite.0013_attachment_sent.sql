-- An uploaded file is a draft, readable only by its uploader, until a sent message carries it; the
-- flag is set in the message's own commit. Files uploaded before this change were readable by every
-- participant, so they all count as sent (new rows are inserted with sent = 0 explicitly).
ALTER TABLE attachments ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
UPDATE attachments SET sent = 1;
