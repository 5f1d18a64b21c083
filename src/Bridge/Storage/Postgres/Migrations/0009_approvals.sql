-- Issue 16, preview and approval before a big broadcast. A link may require approval for every send; a held send is
-- kept whole (its forward and its groups with their member counts, as jsonb, and for a scheduled send its time) until it is decided. A decision changes
-- state only from 'Waiting', so of two presses exactly one wins; approved sends whose accept a crash interrupted are
-- found along the partial index at start-up.
ALTER TABLE links ADD COLUMN IF NOT EXISTS requires_approval boolean NOT NULL DEFAULT false;
CREATE TABLE IF NOT EXISTS approvals (
    id text PRIMARY KEY,
    forward jsonb NOT NULL,
    groups jsonb NOT NULL,
    dedupe_key text NOT NULL,
    needs_approver boolean NOT NULL,
    state text NOT NULL,
    decided_by text,
    decided_by_name text,
    decided_at timestamptz,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    send_at timestamptz,
    zone_id text
);
CREATE INDEX IF NOT EXISTS approvals_approved ON approvals (created_at, id) WHERE state = 'Approved';
