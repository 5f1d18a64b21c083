-- Issue 14, links admins can edit: a paused link keeps its channel but sends nothing.
ALTER TABLE links ADD COLUMN IF NOT EXISTS paused boolean NOT NULL DEFAULT false;
