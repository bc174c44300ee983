-- A page of history answers "read by whom, and when" from each reader's first read advance at or past its messages
-- (MessageStore.ReadAdvancesAsync). Keyed by (kind, position), finding a reader's first advance after an old page read
-- every advance of every reader after it (docs/benchmarks.md, "Issue 23: an old page of history read every later
-- receipt"). Keyed by reader, each reader's advances are one range: the first one after a page is a single seek,
-- however long the thread. The same columns, so ON CONFLICT DO NOTHING means what it meant.
ALTER TABLE receipt_events DROP CONSTRAINT IF EXISTS receipt_events_pkey;
ALTER TABLE receipt_events ADD CONSTRAINT receipt_events_pkey PRIMARY KEY (conversation_id, reader_id, kind, up_to_seq);
