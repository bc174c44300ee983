-- Unread counts count the other side's messages after a reader's cursor: with the sender's side in
-- the index, that is a range scan over exactly those rows, never over one's own side's messages.
CREATE INDEX IF NOT EXISTS ix_messages_side ON messages (conversation_id, sender_kind, seq);
