-- Issue 13: each upload request is honoured on its own (points 2, 3, 6).
-- * A study per distinct upload: the same file from another key, or with other settings, is a new
--   study with its own callback, lights and access. studies.sha256 loses its UNIQUE constraint
--   (SQLite cannot drop it in place, so the table is rebuilt; the migrator runs this with foreign
--   keys off and checks them before committing) and gains request_sha256, the fingerprint of the
--   upload (file SHA-256 and settings) by which a repeat of the same request is found.
-- * Idempotency keys follow the IETF idempotency-key draft: the key is taken before the body is
--   read (state 'processing'), then holds the request fingerprint and the first response.
-- * Jobs count the times the service died while running them (a crash, a kill, out of memory).

CREATE TABLE studies_next (
    id               TEXT PRIMARY KEY,
    sha256           TEXT NOT NULL,            -- of the uploaded bytes
    request_sha256   TEXT NOT NULL,            -- of the file's SHA-256 and the upload's settings; '' for studies of version 1
    status           TEXT NOT NULL CHECK (status IN ('queued', 'scoring', 'scored', 'failed')),
    stage            TEXT,
    progress_percent REAL NOT NULL DEFAULT 0,
    size_bytes       INTEGER NOT NULL,
    uploaded_at      TEXT NOT NULL,
    uploaded_by      TEXT NOT NULL,
    deidentified     INTEGER NOT NULL,
    channel_mappings TEXT NOT NULL,
    lights_off       REAL,
    lights_on        REAL,
    callback_url     TEXT,
    start_time       TEXT,
    duration_seconds REAL,
    file_type        TEXT,
    edf_warnings     TEXT NOT NULL,
    model_name       TEXT,
    model_version    TEXT,
    scoring_warnings TEXT,
    epoch_count      INTEGER,
    scored_at        TEXT,
    analysed_lights_off REAL,
    analysed_lights_on  REAL,
    error_type       TEXT,
    error_detail     TEXT
);
INSERT INTO studies_next (id, sha256, request_sha256, status, stage, progress_percent, size_bytes, uploaded_at, uploaded_by, deidentified,
                          channel_mappings, lights_off, lights_on, callback_url, start_time, duration_seconds, file_type, edf_warnings,
                          model_name, model_version, scoring_warnings, epoch_count, scored_at, analysed_lights_off, analysed_lights_on,
                          error_type, error_detail)
SELECT id, sha256, '', status, stage, progress_percent, size_bytes, uploaded_at, uploaded_by, deidentified,
       channel_mappings, lights_off, lights_on, callback_url, start_time, duration_seconds, file_type, edf_warnings,
       model_name, model_version, scoring_warnings, epoch_count, scored_at, analysed_lights_off, analysed_lights_on,
       error_type, error_detail
FROM studies;
DROP TABLE studies;
ALTER TABLE studies_next RENAME TO studies;
CREATE INDEX studies_status_uploaded ON studies (status, uploaded_at);
CREATE INDEX studies_request ON studies (uploaded_by, request_sha256);

CREATE TABLE idempotency_keys_next (
    api_key_id      TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('processing', 'done')),
    request_sha256  TEXT,                      -- the first request's fingerprint; null while it is processed or for keys of version 1
    study_id        TEXT,                      -- the study the first request answered with
    response_status INTEGER,                   -- and its HTTP status
    created_at      TEXT NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);
INSERT INTO idempotency_keys_next (api_key_id, idempotency_key, state, request_sha256, study_id, response_status, created_at)
SELECT api_key_id, idempotency_key, 'done', NULL, study_id, 200, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_next RENAME TO idempotency_keys;

ALTER TABLE jobs ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0;
