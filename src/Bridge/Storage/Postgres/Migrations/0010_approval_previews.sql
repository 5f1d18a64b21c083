-- Issue 16: a preview is redrawn for everyone when it is decided or expires, so where it was shown is kept; the expiry
-- sweep reads the waiting approvals whose time ran out along the partial index.
ALTER TABLE approvals ADD COLUMN IF NOT EXISTS preview_id text;
CREATE INDEX IF NOT EXISTS approvals_waiting ON approvals (expires_at, id) WHERE state = 'Waiting';
