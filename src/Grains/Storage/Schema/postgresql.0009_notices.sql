-- Notices (see src/Grains/Notices): email and SMS that tell a person a message waits, never what it says.

-- One row per decision and channel. A decision that sends nothing is a row with channel 0 and state 4, so a thread
-- is decided once until the patient reads. The dispatcher sends rows in state 0 whose due time has come, leasing
-- each to one node; the row's id is the idempotency key given to the provider.
CREATE TABLE IF NOT EXISTS notice_outbox
(
    id                TEXT    NOT NULL PRIMARY KEY,
    patient_id        TEXT    NULL,
    recipient_user_id TEXT    NULL,
    clinic_id         TEXT    NULL,
    conversation_id   TEXT    NULL,
    up_to_seq         BIGINT  NULL,
    channel           BIGINT  NOT NULL,
    template          TEXT    NOT NULL,
    address           TEXT    NULL,
    link              TEXT    NULL,
    code              TEXT    NULL,
    decided_at_ms     BIGINT  NOT NULL,
    due_at_ms         BIGINT  NOT NULL,
    state             BIGINT  NOT NULL,
    attempts          BIGINT  NOT NULL DEFAULT 0,
    lease_owner       TEXT    NULL,
    lease_until_ms    BIGINT  NULL,
    provider_id       TEXT    NULL,
    sent_at_ms        BIGINT  NULL,
    error_code        TEXT    NULL,
    delivery_status   TEXT    NULL
);

-- One decision per stretch of unread messages, channel and recipient (staff notices have one row per staff member).
CREATE UNIQUE INDEX IF NOT EXISTS ux_notice_outbox_thread ON notice_outbox (conversation_id, up_to_seq, channel, template, COALESCE(recipient_user_id, ''));
CREATE INDEX IF NOT EXISTS ix_notice_outbox_due ON notice_outbox (state, due_at_ms);
CREATE INDEX IF NOT EXISTS ix_notice_outbox_patient ON notice_outbox (patient_id, decided_at_ms);
CREATE INDEX IF NOT EXISTS ix_notice_outbox_clinic ON notice_outbox (clinic_id, decided_at_ms);
CREATE INDEX IF NOT EXISTS ix_notice_outbox_provider ON notice_outbox (provider_id);

-- A patient's notice choice per clinic. No row: email on (to a verified address), SMS off.
CREATE TABLE IF NOT EXISTS notice_preferences
(
    patient_id        TEXT    NOT NULL,
    clinic_id         TEXT    NOT NULL,
    email             BIGINT  NOT NULL,
    sms               BIGINT  NOT NULL,
    sms_consent_at_ms BIGINT  NULL,
    updated_at_ms     BIGINT  NOT NULL,
    PRIMARY KEY (patient_id, clinic_id)
);

-- Numbers that replied STOP (E.164). No SMS notice goes to them until they reply START.
CREATE TABLE IF NOT EXISTS sms_opt_outs
(
    number          TEXT    NOT NULL PRIMARY KEY,
    opted_out_at_ms BIGINT NOT NULL
);

-- A thread with a message its reader has not read, and when to look again (written in the message's own commit, so
-- it costs no extra flush). The notice sweeper wakes the conversation when due_at_ms passes; the conversation
-- decides and deletes the row. audience: 1 = the patient (notice after the unread delay), 2 = the clinic's staff.
CREATE TABLE IF NOT EXISTS notice_pending
(
    conversation_id TEXT    NOT NULL,
    audience        BIGINT NOT NULL,
    due_at_ms       BIGINT NOT NULL,
    lease_until_ms  BIGINT NULL,
    PRIMARY KEY (conversation_id, audience)
);

CREATE INDEX IF NOT EXISTS ix_notice_pending_due ON notice_pending (due_at_ms);
