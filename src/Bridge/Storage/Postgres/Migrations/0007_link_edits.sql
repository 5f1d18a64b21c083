-- Issue 14, links admins can edit and names instead of ids. A paused link keeps its channel but sends nothing; the
-- channel's name is kept where the platform gives it (Teams channelData), with a link made there and with each forward.
ALTER TABLE links ADD COLUMN IF NOT EXISTS paused boolean NOT NULL DEFAULT false;
ALTER TABLE links ADD COLUMN IF NOT EXISTS channel_name text;
ALTER TABLE forwards ADD COLUMN IF NOT EXISTS channel_name text;
