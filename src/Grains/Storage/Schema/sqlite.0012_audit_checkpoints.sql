-- Signed checkpoints of the audit chains: each row is an HMAC-SHA256 (key from configuration,
-- ClinicChat:Audit:CheckpointKey) over a chain's head at the time. Someone who edits audit_log and
-- recomputes every later hash still cannot forge the signature, so verification catches the rewrite.
CREATE TABLE IF NOT EXISTS audit_checkpoints
(
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    chain         TEXT    NOT NULL,
    up_to_id      INTEGER NOT NULL,
    hash          TEXT    NOT NULL,
    signature     TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_audit_checkpoints_chain ON audit_checkpoints (chain, up_to_id);

CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;

-- The Admin page filters a clinic's log by patient or staff member, newest first.
CREATE INDEX IF NOT EXISTS ix_audit_log_patient ON audit_log (chain, patient_id, id);
CREATE INDEX IF NOT EXISTS ix_audit_log_actor ON audit_log (chain, actor_id, id);
