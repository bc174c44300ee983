-- The attachments a message carries, as stored with it (id, type, size; JSON). Written once with
-- the message, like the rest of the row.
ALTER TABLE messages ADD COLUMN attachments_json TEXT NULL;
