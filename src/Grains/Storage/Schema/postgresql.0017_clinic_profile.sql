-- Issue 22: quick replies (the clinic's, owner_id NULL, kept by its Admins; and each staff member's own) and the clinic's
-- profile (the phone number quick replies quote; office hours as one JSON document, read and written whole by the
-- clinic's profile grain). Shortcuts are unique per list; the grain checks first and says so.
CREATE TABLE IF NOT EXISTS quick_replies
(
    id            TEXT    NOT NULL PRIMARY KEY,
    clinic_id     TEXT    NOT NULL,
    owner_id      TEXT    NULL,
    shortcut      TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    updated_at_ms BIGINT  NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_quick_replies_shortcut ON quick_replies (clinic_id, COALESCE(owner_id, ''), shortcut);

CREATE TABLE IF NOT EXISTS clinic_profiles
(
    clinic_id     TEXT    NOT NULL PRIMARY KEY,
    phone         TEXT    NULL,
    office_hours_json TEXT NULL,
    changed_at_ms BIGINT  NOT NULL
);

-- Response times: the patient's first message no person has answered yet, and the first since the thread was last
-- closed (columns of the thread index: the staff's lists show the wait). Threads waiting when this runs start their clock
-- at the first patient message after the last staff message.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS waiting_since_ms BIGINT NULL;
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS episode_started_ms BIGINT NULL;
UPDATE conversations SET waiting_since_ms = (
        SELECT MIN(m.sent_at_ms) FROM messages m
         WHERE m.conversation_id = conversations.id AND m.sender_kind = 1
           AND m.seq > COALESCE((SELECT MAX(s.seq) FROM messages s WHERE s.conversation_id = conversations.id AND s.sender_kind = 0), 0))
 WHERE status <> 2 AND archived = 0;
UPDATE conversations SET episode_started_ms = waiting_since_ms;

-- One row per measured wait (kind 0: first answer of an episode, 1: a later answer, 2: resolution), with how much of it
-- was office time: the Admin's weekly report reads a clinic's rows by when they ended.
CREATE TABLE IF NOT EXISTS response_times
(
    conversation_id TEXT    NOT NULL,
    kind            INTEGER NOT NULL,
    started_at_ms   BIGINT NOT NULL,
    clinic_id       TEXT    NOT NULL,
    ended_at_ms     BIGINT NOT NULL,
    office_ms       BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, kind, started_at_ms)
);

CREATE INDEX IF NOT EXISTS ix_response_times_clinic ON response_times (clinic_id, ended_at_ms);
