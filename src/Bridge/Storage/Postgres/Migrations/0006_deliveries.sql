-- Admins act on deliveries. A retry is a new job linked to the one it sends again (DeliveryJob.RetryOf); the unique
-- index lets a job be retried once, however many replicas ask at the same moment.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS retry_of bigint;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS retried_by text;
CREATE UNIQUE INDEX IF NOT EXISTS jobs_retry_of ON jobs (retry_of) WHERE retry_of IS NOT NULL;
-- The traffic chart counts the last days' jobs by the hour they were created in: read along this index, not the history.
CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs (created_at);
