-- A page of history answers "read by whom, and when" from each reader's first read advance at or past its messages
-- (MessageStore.ReadAdvancesAsync). Keyed by (kind, position), finding a reader's first advance after an old page read
-- every advance of every reader after it: 44 ms for the oldest page of a thread with 100,000 read advances, against
-- 0.1 ms for the newest (docs/benchmarks.md, "Issue 23: an old page of history read every later receipt"). Keyed by
-- reader, each reader's advances are one range: the first one after a page is a single seek, however long the thread.
-- SQLite cannot change a key in place: the table is copied.
CREATE TABLE receipt_events_by_reader
(
    conversation_id TEXT    NOT NULL,
    kind            INTEGER NOT NULL, -- 0 delivered, 1 read, 2 sensitive read
    up_to_seq       INTEGER NOT NULL,
    reader_id       TEXT    NOT NULL,
    at_ms           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, reader_id, kind, up_to_seq)
) WITHOUT ROWID;

INSERT INTO receipt_events_by_reader (conversation_id, kind, up_to_seq, reader_id, at_ms)
SELECT conversation_id, kind, up_to_seq, reader_id, at_ms FROM receipt_events;

DROP TABLE receipt_events;
ALTER TABLE receipt_events_by_reader RENAME TO receipt_events;
