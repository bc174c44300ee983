-- Reminders for embedded mode (Orleans has no ADO.NET reminder provider for SQLite; see SqliteReminderTable).
CREATE TABLE IF NOT EXISTS reminders
(
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    start_at_ms   INTEGER NOT NULL,
    period_ms     INTEGER NOT NULL,
    grain_hash    INTEGER NOT NULL,
    etag          INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_reminders_hash ON reminders (service_id, grain_hash);
