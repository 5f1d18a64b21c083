-- When a forward's next reply step falls due (Forward.ReplyDueAt), written with every forward: the reply poster reads
-- only what is due, along this index, so its cost does not grow with the backlog of forwards waiting for delivery.
ALTER TABLE forwards ADD COLUMN IF NOT EXISTS reply_due_at timestamptz;
UPDATE forwards SET reply_due_at = COALESCE(next_reply_at, created_at)
WHERE reply_state = 'Pending'
  AND (outcome_ready OR (announce AND reply->>'ThreadId' IS NULL AND NOT COALESCE((reply->>'RepliesPrivately')::boolean, false)));
CREATE INDEX IF NOT EXISTS forwards_reply_due ON forwards (reply_due_at, id) WHERE reply_due_at IS NOT NULL;
