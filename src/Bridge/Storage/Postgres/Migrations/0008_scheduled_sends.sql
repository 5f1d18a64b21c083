-- Issue 16, scheduled sends: a forward to accept at send_at. The whole schedule (its forward and groups) is one jsonb
-- value; the columns beside it are what the store reads by: the channel's list, the waiting ones in firing order, the
-- finished ones latest first.
CREATE TABLE IF NOT EXISTS schedules (
    id text PRIMARY KEY,
    platform text NOT NULL,
    workspace_id text NOT NULL,
    channel_id text NOT NULL,
    send_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    state text NOT NULL,
    finished_at timestamptz,
    schedule jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS schedules_waiting ON schedules (send_at, created_at, id) WHERE state IN ('Pending', 'Sending');
CREATE INDEX IF NOT EXISTS schedules_finished ON schedules (finished_at DESC) WHERE state NOT IN ('Pending', 'Sending');
