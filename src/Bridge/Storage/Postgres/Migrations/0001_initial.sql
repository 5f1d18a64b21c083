-- Tables are unqualified: the search_path of the connection is Storage:PostgresSchema. Never edit a script once released:
-- DbUp runs each name once; a change is a new script.
-- Enums are stored by name; times are timestamptz (microseconds); nested lists are jsonb.

CREATE TABLE IF NOT EXISTS links (
    id text PRIMARY KEY,
    platform text NOT NULL,
    workspace_id text NOT NULL,
    channel_id text NOT NULL,
    session_id text NOT NULL,
    group_id text NOT NULL,
    group_name text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (platform, workspace_id, channel_id, session_id, group_id)
);
CREATE INDEX IF NOT EXISTS links_by_channel ON links (platform, workspace_id, channel_id, created_at);

CREATE TABLE IF NOT EXISTS forwards (
    id text PRIMARY KEY,
    platform text NOT NULL,
    workspace_id text NOT NULL,
    channel_id text NOT NULL,
    user_id text NOT NULL,
    user_name text NOT NULL,
    text text NOT NULL,
    attachments jsonb NOT NULL,
    notes jsonb NOT NULL,
    reply jsonb NOT NULL,
    announce boolean NOT NULL,
    outcome_ready boolean NOT NULL,
    reply_state text NOT NULL,
    reply_attempts integer NOT NULL,
    next_reply_at timestamptz,
    created_at timestamptz NOT NULL,
    replied_at timestamptz,
    reply_route text NOT NULL,
    reply_error text,
    post_in_flight boolean NOT NULL,
    response_url_uses integer NOT NULL
);
-- What the reply poster and start-up read: never the forwards already replied to.
CREATE INDEX IF NOT EXISTS forwards_reply_pending ON forwards (created_at, id) WHERE reply_state = 'Pending';
-- Retention, oldest first.
CREATE INDEX IF NOT EXISTS forwards_by_created ON forwards (created_at, id);

CREATE TABLE IF NOT EXISTS jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    forward_id text NOT NULL REFERENCES forwards ON DELETE CASCADE,
    platform text NOT NULL,
    workspace_id text NOT NULL,
    channel_id text NOT NULL,
    user_id text NOT NULL,
    session_id text NOT NULL,
    group_id text NOT NULL,
    group_name text NOT NULL,
    status text NOT NULL CHECK (status IN ('Pending', 'Sending', 'Delivered', 'Failed', 'Unknown')),
    message_ids jsonb NOT NULL,
    skipped_parts jsonb NOT NULL,
    attempts jsonb NOT NULL,
    error text,
    next_attempt_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_forward ON jobs (forward_id, id);
-- Start-up reads only the unfinished jobs, not the history.
CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs (id) WHERE status IN ('Pending', 'Sending');

-- Keys longer than 200 characters are hashed by the store (StoreKey), well under the btree limit of about 2.7 kB.
CREATE TABLE IF NOT EXISTS dedupe (
    key text PRIMARY KEY,
    forward_id text,
    at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS dedupe_by_time ON dedupe (at);

CREATE TABLE IF NOT EXISTS settings (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE IF NOT EXISTS media_files (
    id text PRIMARY KEY,
    file_name text NOT NULL,
    content_type text NOT NULL,
    expires_at timestamptz NOT NULL,
    length bigint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS media_by_expiry ON media_files (expires_at);

CREATE TABLE IF NOT EXISTS media_chunks (
    media_id text NOT NULL REFERENCES media_files ON DELETE CASCADE,
    seq integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (media_id, seq)
);
-- Media is mostly compressed already (images, video, Opus): stored out of line without trying pglz on it.
ALTER TABLE media_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
