-- What the record list needs without reading each snapshot (issue 21):
--   withdrawn: the clinic's system marked the record entered-in-error. It leaves the composer's palette and the
--              patient's view and cannot be attached again; messages that carry it say it was withdrawn.
--   is_open:   an active prescription or an invoice with something left to pay, listed before the rest.
--   source_version_id, source_updated_ms: the sending system's meta.versionId and meta.lastUpdated of the version
--              stored, so a late, older version never overwrites a newer one.
ALTER TABLE artifacts ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE artifacts ADD COLUMN is_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE artifacts ADD COLUMN source_version_id TEXT NULL;
ALTER TABLE artifacts ADD COLUMN source_updated_ms INTEGER NULL;

-- Records stored before this migration: the same rules (RecordSnapshot.IsWithdrawn, IsOpen) read from the snapshot.
UPDATE artifacts
   SET withdrawn = CASE WHEN COALESCE(json_extract(snapshot_json, '$.Appointment.Status'),
                                      json_extract(snapshot_json, '$.Invoice.Status'),
                                      json_extract(snapshot_json, '$.Prescription.Status')) = 'entered-in-error' THEN 1 ELSE 0 END,
       is_open = CASE WHEN json_extract(snapshot_json, '$.Prescription.Status') = 'active'
                        OR (json_extract(snapshot_json, '$.Invoice.Balance') > 0
                            AND json_extract(snapshot_json, '$.Invoice.Status') IN ('draft', 'issued')) THEN 1 ELSE 0 END;
