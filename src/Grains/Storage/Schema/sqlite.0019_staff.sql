-- Staff administration (issue 20). A deactivated member's membership claims are removed (that is what ends their
-- access); this row remembers that they were a member, with which roles, so the Admin's list still shows them and a
-- reactivation restores what they held. Their messages, authorship and audit rows are never touched.
CREATE TABLE IF NOT EXISTS staff_deactivations
(
    clinic_id         TEXT    NOT NULL,
    user_id           TEXT    NOT NULL,
    -- The roles held when deactivated, comma-separated StaffRole names (Clinician,Admin).
    roles             TEXT    NOT NULL,
    deactivated_at_ms INTEGER NOT NULL,
    deactivated_by    TEXT    NOT NULL,
    PRIMARY KEY (clinic_id, user_id)
);

-- "Last sign-in" on the Admin's staff list: the latest successful sign-in row of each member on the clinic's chain,
-- found through this small partial index instead of a scan of the clinic's whole audit chain.
CREATE INDEX IF NOT EXISTS ix_audit_log_signins ON audit_log (clinic_id, actor_id, occurred_at_ms) WHERE action = 'signin' AND outcome = 'success';
