-- Sensitive messages: their content reaches a patient only inside a re-authentication window.
-- The flag is written once with the message; attachments it carried are marked in the same commit.
ALTER TABLE messages ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;
