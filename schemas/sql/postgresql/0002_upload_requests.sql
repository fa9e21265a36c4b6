-- Mirrors schemas/sql/0002_upload_requests.sql (issue 13 points 2, 3, 6). PostgreSQL changes the
-- constraints in place where SQLite rebuilds the tables.
ALTER TABLE studies DROP CONSTRAINT studies_sha256_key;
ALTER TABLE studies ADD COLUMN request_sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX studies_request ON studies (uploaded_by, request_sha256);

ALTER TABLE idempotency_keys
    ADD COLUMN state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('processing', 'done')),
    ADD COLUMN request_sha256 TEXT,
    ADD COLUMN response_status INTEGER,
    ALTER COLUMN study_id DROP NOT NULL;
UPDATE idempotency_keys SET response_status = 200;
ALTER TABLE idempotency_keys ALTER COLUMN state DROP DEFAULT;

ALTER TABLE jobs ADD COLUMN interruptions BIGINT NOT NULL DEFAULT 0;
