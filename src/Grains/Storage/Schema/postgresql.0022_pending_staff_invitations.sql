-- A clinic's pending staff invitations (the Staff page, resend, revoke, and the duplicate check on every invite) were read
-- through the clinic's index of all its invitations, where its patients' portal invitations (one or more per patient,
-- kept for good) outnumber the staff's by thousands: 23 ms at 50,000 patient invitations, under 0.1 ms with this index
-- (docs/benchmarks.md, "Issue 23: the staff page read every portal invitation"); the same index as SQLite's.
CREATE INDEX IF NOT EXISTS ix_invitations_staff_pending
    ON invitations (clinic_id, created_at_ms, id) WHERE role <> 'Patient' AND used_at_ms IS NULL AND revoked_at_ms IS NULL;
