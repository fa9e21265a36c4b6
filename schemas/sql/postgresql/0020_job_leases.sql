-- Mirrors schemas/sql/0020_job_leases.sql (issue 16): the lease of a running job, renewed by its node.
ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT;
CREATE INDEX jobs_lease ON jobs (status, lease_expires_at);
