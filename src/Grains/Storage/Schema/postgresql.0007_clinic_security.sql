-- A clinic's security settings (see sqlite.0015_clinic_security.sql).
CREATE TABLE IF NOT EXISTS clinic_security
(
    clinic_id          TEXT   NOT NULL PRIMARY KEY,
    require_staff_totp BIGINT NOT NULL,
    changed_at_ms      BIGINT NOT NULL
);
