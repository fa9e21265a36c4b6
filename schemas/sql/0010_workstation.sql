-- The scoring workstation: upload labels, the kind of each audit row, sign-off and one-time sign-in links.
-- Plain SQL that SQLite and PostgreSQL both accept.

-- A non-identifying label given at upload (e.g. an order number); optional.
ALTER TABLE studies ADD COLUMN label TEXT;

-- The model's derivations of a scored study (JSON array of {name, role, source, how_found}), so the
-- workstation marks the model's traces without reading the whole result file.
ALTER TABLE studies ADD COLUMN derivations TEXT;
-- The review threshold (model card) the study was scored with.
ALTER TABLE studies ADD COLUMN review_threshold REAL;

-- What an audit row did: 'correct' (a stage unlike the model's), 'accept' (the model's stage
-- confirmed) or 'withdraw' (the scorer's stage removed: the epoch is unreviewed again; new_stage
-- then holds the model's stage, the stage in force afterwards).
ALTER TABLE stage_corrections ADD COLUMN action TEXT NOT NULL DEFAULT 'correct';

-- A clinician's sign-off: the hypnogram is locked from then on. Append-only, one per study, kept
-- when the study is deleted (like the correction audit).
CREATE TABLE study_signoffs (
    study_id         TEXT PRIMARY KEY,
    signed_by        TEXT NOT NULL,             -- api key id
    signed_by_name   TEXT NOT NULL,             -- the key's name at signing
    signed_by_role   TEXT NOT NULL,
    signed_at        TEXT NOT NULL,
    reviewed_epochs  INTEGER NOT NULL,          -- epochs with a scorer's stage at signing
    corrected_epochs INTEGER NOT NULL,          -- of which the scorer's stage differs from the model's
    queue_epochs     INTEGER NOT NULL,          -- epochs in the review queue at signing
    queue_reviewed   INTEGER NOT NULL,          -- of which reviewed
    statement        TEXT
);
CREATE TRIGGER study_signoffs_no_update BEFORE UPDATE ON study_signoffs
BEGIN SELECT RAISE(ABORT, 'study_signoffs is append-only'); END;
CREATE TRIGGER study_signoffs_no_delete BEFORE DELETE ON study_signoffs
BEGIN SELECT RAISE(ABORT, 'study_signoffs is append-only'); END;

-- One-time sign-in links printed on the console at the first start (no keys yet). Only the
-- SHA-256 of the token is stored; a link works once, before it expires.
CREATE TABLE sign_in_links (
    token_sha256 TEXT PRIMARY KEY,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    key_id       TEXT                           -- the admin key it was exchanged for
);
