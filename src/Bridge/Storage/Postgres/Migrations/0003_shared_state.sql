-- State the replicas share beyond the forwards: the rate limit's permits and the Data Protection keys.

-- Each TalkNTalk request's permit, at the time the app's clock granted it (PostgresStore.TryTakeAsync).
CREATE TABLE IF NOT EXISTS rate_limit_permits (
    at timestamptz NOT NULL,
    lookup boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limit_permits_by_time ON rate_limit_permits (at);

-- ASP.NET Core Data Protection keys (the admin sign-in and form cookies), so a cookie made by one replica opens on all.
CREATE TABLE IF NOT EXISTS data_protection_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text,
    xml text NOT NULL
);
