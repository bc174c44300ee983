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
