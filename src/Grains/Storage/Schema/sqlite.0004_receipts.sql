-- Receipts both ways: one cursor row per reader holds how far their devices have received
-- (delivered) and how far they have read; receipt_events keeps each advance with its time, which
-- is how "read by whom, and when" is answered per message without rewriting any message row.
ALTER TABLE read_cursors RENAME TO receipt_cursors;
ALTER TABLE receipt_cursors ADD COLUMN delivered_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE receipt_cursors ADD COLUMN reader_kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE receipt_cursors ADD COLUMN reader_name TEXT NOT NULL DEFAULT '';
UPDATE receipt_cursors SET delivered_seq = read_seq;

CREATE TABLE IF NOT EXISTS receipt_events
(
    conversation_id TEXT    NOT NULL,
    kind            INTEGER NOT NULL, -- 0 delivered, 1 read
    up_to_seq       INTEGER NOT NULL,
    reader_id       TEXT    NOT NULL,
    at_ms           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, kind, up_to_seq, reader_id)
) WITHOUT ROWID;
