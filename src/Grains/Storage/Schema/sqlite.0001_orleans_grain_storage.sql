-- Grain state for Microsoft.Orleans.Persistence.AdoNet. The provider reads the three named queries
-- below from OrleansQuery at start-up and binds @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
-- @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion and @PayloadBinary.
-- A write must yield exactly one NewGrainStateVersion row when it applied and none when the version
-- it was given is stale (the provider then raises InconsistentStateException).
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              TEXT    NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    -- NULL extension keys are stored as '' so that the natural key can be UNIQUE.
    GrainIdExtensionString TEXT    NOT NULL DEFAULT '',
    GrainIdHash            INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
) WITHOUT ROWID;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey',
'SELECT PayloadBinary, Version
   FROM OrleansStorage
  WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''');');

-- Exactly one of the two statements can return a row: the UPDATE when the caller holds the current
-- version, the INSERT when the caller has never seen a version and no row exists yet.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey',
'UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary, ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), Version = Version + 1
  WHERE @GrainStateVersion IS NOT NULL
    AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
    AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
                            GrainIdHash, GrainTypeHash, PayloadBinary, ModifiedOn, Version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''),
       @GrainIdHash, @GrainTypeHash, @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
 WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING Version AS NewGrainStateVersion;');

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey',
'UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), Version = Version + 1
  WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
    AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;');
