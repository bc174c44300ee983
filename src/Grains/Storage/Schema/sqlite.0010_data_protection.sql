-- ASP.NET Core Data Protection keys (they encrypt the auth cookie). In the database rather than the
-- user profile so that a restored backup keeps sessions valid and, in cluster mode, every web node
-- reads the same keys.
CREATE TABLE IF NOT EXISTS data_protection_keys
(
    name TEXT NOT NULL PRIMARY KEY,
    xml  TEXT NOT NULL
);
