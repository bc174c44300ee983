-- A clinic's security settings, set by its Admins. A table of its own (not grain state) so that a change
-- and its audit row commit in one transaction. A clinic without a row here keeps whatever its grain state
-- held before this table existed (ClinicSecurityGrain reads that as a fallback).
CREATE TABLE IF NOT EXISTS clinic_security
(
    clinic_id          TEXT    NOT NULL PRIMARY KEY,
    require_staff_totp INTEGER NOT NULL,
    changed_at_ms      INTEGER NOT NULL
);
