-- Admin page sessions ended by signing out, refused on every replica until they would have expired anyway.
CREATE TABLE IF NOT EXISTS admin_session_revocations (
    id text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_session_revocations_by_expiry ON admin_session_revocations (expires_at);
