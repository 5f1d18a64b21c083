-- Work shared between replicas. A job is run by the replica that claimed it (claimed_by) until its lease runs out
-- (lease_until); every update of the job names its claimant and is refused once another replica has claimed it.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS claimed_by text;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS lease_until timestamptz;
-- Only a group's oldest unfinished job may be claimed: found along this index, never through the group's history.
CREATE INDEX IF NOT EXISTS jobs_unfinished_by_group ON jobs (session_id, group_id, id) WHERE status IN ('Pending', 'Sending');
-- A forward's due reply is posted by the replica that claimed it, until its lease runs out.
ALTER TABLE forwards ADD COLUMN IF NOT EXISTS reply_claimed_by text;
ALTER TABLE forwards ADD COLUMN IF NOT EXISTS reply_lease_until timestamptz;
