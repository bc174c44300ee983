-- Record state for the record list and version order (see sqlite.0021_record_state.sql).
ALTER TABLE artifacts ADD COLUMN IF NOT EXISTS withdrawn BIGINT NOT NULL DEFAULT 0;
ALTER TABLE artifacts ADD COLUMN IF NOT EXISTS is_open BIGINT NOT NULL DEFAULT 0;
ALTER TABLE artifacts ADD COLUMN IF NOT EXISTS source_version_id TEXT NULL;
ALTER TABLE artifacts ADD COLUMN IF NOT EXISTS source_updated_ms BIGINT NULL;

UPDATE artifacts
   SET withdrawn = CASE WHEN COALESCE(snapshot_json::jsonb #>> '{Appointment,Status}',
                                      snapshot_json::jsonb #>> '{Invoice,Status}',
                                      snapshot_json::jsonb #>> '{Prescription,Status}') = 'entered-in-error' THEN 1 ELSE 0 END,
       is_open = CASE WHEN snapshot_json::jsonb #>> '{Prescription,Status}' = 'active'
                        OR ((snapshot_json::jsonb #>> '{Invoice,Balance}')::numeric > 0
                            AND snapshot_json::jsonb #>> '{Invoice,Status}' IN ('draft', 'issued')) THEN 1 ELSE 0 END;
