-- When a forward's next reply step falls due (Forward.ReplyDueAt): the reply poster reads only what is due, along this
-- index, so its cost does not grow with the backlog of forwards waiting for delivery. Generated from the row, so no
-- writer (an older replica still running during a rolling update, say) can leave it wrong.
ALTER TABLE forwards ADD COLUMN IF NOT EXISTS reply_due_at timestamptz GENERATED ALWAYS AS (
    CASE WHEN reply_state = 'Pending'
          AND (outcome_ready OR (announce AND reply->>'ThreadId' IS NULL AND NOT COALESCE((reply->>'RepliesPrivately')::boolean, false)))
         THEN COALESCE(next_reply_at, created_at)
    END) STORED;
CREATE INDEX IF NOT EXISTS forwards_reply_due ON forwards (reply_due_at, id) WHERE reply_due_at IS NOT NULL;
