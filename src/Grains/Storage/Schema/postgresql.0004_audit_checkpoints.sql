-- Signed checkpoints of the audit chains (see sqlite.0012_audit_checkpoints.sql).
CREATE TABLE IF NOT EXISTS audit_checkpoints
(
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain         TEXT   NOT NULL,
    up_to_id      BIGINT NOT NULL,
    hash          TEXT   NOT NULL,
    signature     TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_audit_checkpoints_chain ON audit_checkpoints (chain, up_to_id);

CREATE INDEX IF NOT EXISTS ix_audit_log_patient ON audit_log (chain, patient_id, id);
CREATE INDEX IF NOT EXISTS ix_audit_log_actor ON audit_log (chain, actor_id, id);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_checkpoints_append_only') THEN
        CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
            FOR EACH ROW EXECUTE FUNCTION clinicchat_refuse_change();
    END IF;
END;
$$;

-- Retention: the application never deletes audit rows. Row triggers do not fire on TRUNCATE, and
-- grants are a second line: no role gets UPDATE, DELETE or TRUNCATE through PUBLIC. (The owner
-- keeps its rights; production should run the application as a role that does not own the tables.)
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM PUBLIC;
