-- SleepScoring service store (SQLite, WAL). Applied once by the service at start; the version is
-- recorded in schema_version. Never edit an applied migration: add the next numbered file.

CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,          -- public key id, shown in audits
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('technician', 'clinician', 'integration', 'admin')),
    key_sha256      TEXT NOT NULL UNIQUE,      -- SHA-256 (hex) of the secret key; the key itself is never stored
    callback_secret TEXT,                      -- integration keys only: HMAC secret for callbacks
    created_at      TEXT NOT NULL,
    revoked_at      TEXT
);

CREATE TABLE studies (
    id               TEXT PRIMARY KEY,
    sha256           TEXT NOT NULL UNIQUE,     -- of the uploaded bytes: the same file twice is one study
    status           TEXT NOT NULL CHECK (status IN ('queued', 'scoring', 'scored', 'failed')),
    stage            TEXT,                     -- pipeline step while scoring
    progress_percent REAL NOT NULL DEFAULT 0,
    size_bytes       INTEGER NOT NULL,
    uploaded_at      TEXT NOT NULL,
    uploaded_by      TEXT NOT NULL,
    deidentified     INTEGER NOT NULL,
    channel_mappings TEXT NOT NULL,            -- JSON array of FROM=TO
    lights_off       REAL,
    lights_on        REAL,
    callback_url     TEXT,
    start_time       TEXT,
    duration_seconds REAL,
    file_type        TEXT,
    edf_warnings     TEXT NOT NULL,            -- JSON array of reader warnings (codes and messages)
    model_name       TEXT,
    model_version    TEXT,
    scoring_warnings TEXT,                     -- JSON array
    epoch_count      INTEGER,
    scored_at        TEXT,
    analysed_lights_off REAL,                  -- the lights period the scorer used (upload or file annotations)
    analysed_lights_on  REAL,
    error_type       TEXT,
    error_detail     TEXT
);
CREATE INDEX studies_status_uploaded ON studies (status, uploaded_at);

CREATE TABLE idempotency_keys (
    api_key_id      TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    study_id        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
);

-- Who uploaded each study (the first uploader and every later upload of the same file): integration
-- keys see only these studies.
CREATE TABLE study_uploaders (
    study_id    TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    api_key_id  TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (study_id, api_key_id)
) WITHOUT ROWID;
CREATE INDEX study_uploaders_key ON study_uploaders (api_key_id);

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    study_id         TEXT NOT NULL UNIQUE REFERENCES studies (id) ON DELETE CASCADE,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_by       TEXT,                     -- host:pid:instance of the worker running it (diagnosis)
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    finished_at      TEXT
);
CREATE INDEX jobs_due ON jobs (status, next_attempt_at);

-- One row per epoch of a scored study; (study_id, epoch) is the key, so a rescoring replaces rows.
CREATE TABLE epochs (
    study_id     TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    epoch        INTEGER NOT NULL,
    model_stage  TEXT NOT NULL,
    scorer_stage TEXT,                          -- latest correction, null when none
    detail       TEXT NOT NULL,                 -- the epoch object of scored-study.schema.json
    PRIMARY KEY (study_id, epoch)
) WITHOUT ROWID;

-- Append-only audit of stage corrections; kept when a study is deleted.
CREATE TABLE stage_corrections (
    id           INTEGER PRIMARY KEY,
    study_id     TEXT NOT NULL,
    epoch        INTEGER NOT NULL,
    old_stage    TEXT NOT NULL,
    new_stage    TEXT NOT NULL,
    reason       TEXT,
    corrected_by TEXT NOT NULL,                 -- api key id
    corrected_at TEXT NOT NULL
);
CREATE INDEX stage_corrections_study ON stage_corrections (study_id, epoch);
CREATE TRIGGER stage_corrections_no_update BEFORE UPDATE ON stage_corrections
BEGIN SELECT RAISE(ABORT, 'stage_corrections is append-only'); END;
CREATE TRIGGER stage_corrections_no_delete BEFORE DELETE ON stage_corrections
BEGIN SELECT RAISE(ABORT, 'stage_corrections is append-only'); END;

CREATE TABLE callback_deliveries (
    id          INTEGER PRIMARY KEY,
    study_id    TEXT NOT NULL,
    url         TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('delivered', 'failed')),
    attempts    INTEGER NOT NULL,
    last_status INTEGER,
    last_error  TEXT,
    finished_at TEXT NOT NULL
);
