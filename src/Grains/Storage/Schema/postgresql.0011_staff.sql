-- Staff administration (see sqlite.0019_staff.sql).
CREATE TABLE IF NOT EXISTS staff_deactivations
(
    clinic_id         TEXT   NOT NULL,
    user_id           TEXT   NOT NULL,
    roles             TEXT   NOT NULL,
    deactivated_at_ms BIGINT NOT NULL,
    deactivated_by    TEXT   NOT NULL,
    PRIMARY KEY (clinic_id, user_id)
);

CREATE INDEX IF NOT EXISTS ix_audit_log_signins ON audit_log (clinic_id, actor_id, occurred_at_ms) WHERE action = 'signin' AND outcome = 'success';
