-- Mirrors schemas/sql/0010_workstation.sql (issue 14): upload labels, derivations and review
-- threshold of a scored study, the kind of each audit row, append-only sign-offs, one-time sign-in links.
ALTER TABLE studies ADD COLUMN label TEXT;
ALTER TABLE studies ADD COLUMN derivations TEXT;             -- JSON array of {name, role, source, how_found}
ALTER TABLE studies ADD COLUMN review_threshold DOUBLE PRECISION;

-- 'correct', 'accept' or 'withdraw' (then new_stage holds the model's stage, in force afterwards).
ALTER TABLE stage_corrections ADD COLUMN action TEXT NOT NULL DEFAULT 'correct';

CREATE TABLE study_signoffs (
    study_id         TEXT PRIMARY KEY,
    signed_by        TEXT NOT NULL,
    signed_by_name   TEXT NOT NULL,
    signed_by_role   TEXT NOT NULL,
    signed_at        TEXT NOT NULL,
    reviewed_epochs  INTEGER NOT NULL,
    corrected_epochs INTEGER NOT NULL,
    queue_epochs     INTEGER NOT NULL,
    queue_reviewed   INTEGER NOT NULL,
    statement        TEXT
);
CREATE FUNCTION study_signoffs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'study_signoffs is append-only';
END;
$$;
CREATE TRIGGER study_signoffs_no_change BEFORE UPDATE OR DELETE ON study_signoffs
    FOR EACH ROW EXECUTE FUNCTION study_signoffs_append_only();

CREATE TABLE sign_in_links (
    token_sha256 TEXT PRIMARY KEY,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    key_id       TEXT
);
