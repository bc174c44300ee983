-- EHR integrations signing in with SMART Backend Services (see sqlite.0023_integrations.sql).
CREATE TABLE IF NOT EXISTS integration_clients
(
    client_id      TEXT    NOT NULL PRIMARY KEY,
    clinic_id      TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    scopes         TEXT    NOT NULL,
    jwks           TEXT    NULL,
    jwks_url       TEXT    NULL,
    created_at_ms  BIGINT NOT NULL,
    created_by     TEXT    NOT NULL,
    revoked_at_ms  BIGINT NULL
);

CREATE INDEX IF NOT EXISTS ix_integration_clients_clinic ON integration_clients (clinic_id);

CREATE TABLE IF NOT EXISTS integration_assertions
(
    client_id      TEXT    NOT NULL,
    jti            TEXT    NOT NULL,
    expires_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE INDEX IF NOT EXISTS ix_integration_assertions_expiry ON integration_assertions (expires_at_ms);
