-- Issue 16: many nodes share the queue. A claimed job carries a lease its node renews while scoring;
-- a job whose lease ran out belongs to a dead (or stalled) node and is taken back by another, the
-- interruption counted. claimed_by now names one claim, not only the process.
ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT;     -- ISO 8601 UTC; null unless running
CREATE INDEX jobs_lease ON jobs (status, lease_expires_at);
