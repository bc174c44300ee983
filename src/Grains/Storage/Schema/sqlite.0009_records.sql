-- Patient records (appointments, invoices, prescriptions) sent by a clinic's own systems as FHIR R4.
-- One row per record as it is now; (clinic, kind, FHIR resource id) is how the clinic's system names it.
CREATE TABLE IF NOT EXISTS artifacts
(
    id            TEXT    NOT NULL PRIMARY KEY,
    clinic_id     TEXT    NOT NULL,
    patient_id    TEXT    NOT NULL,
    kind          INTEGER NOT NULL,
    resource_id   TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    snapshot_json TEXT    NOT NULL,
    sort_time_ms  INTEGER NULL,
    updated_at_ms INTEGER NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_artifacts_resource ON artifacts (clinic_id, kind, resource_id);
-- The composer's palette: one patient's newest records of one kind, an index range scan.
CREATE INDEX IF NOT EXISTS ix_artifacts_patient ON artifacts (clinic_id, patient_id, kind, sort_time_ms DESC);

-- Every version a record has had, append-only: what a card showed at any time can be proven.
CREATE TABLE IF NOT EXISTS artifact_versions
(
    artifact_id    TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    snapshot_json  TEXT    NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    PRIMARY KEY (artifact_id, version)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS artifact_versions_no_update BEFORE UPDATE ON artifact_versions
BEGIN SELECT RAISE(ABORT, 'artifact versions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS artifact_versions_no_delete BEFORE DELETE ON artifact_versions
BEGIN SELECT RAISE(ABORT, 'artifact versions are append-only'); END;

-- The record cards a message carries: artifact id, version and the snapshot shown when it was sent (JSON).
ALTER TABLE messages ADD COLUMN cards_json TEXT NULL;
