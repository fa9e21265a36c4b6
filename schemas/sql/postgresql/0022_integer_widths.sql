-- Mirrors schemas/sql/0022_integer_widths.sql (issue 16): SQLite's INTEGER is 64-bit, and the stores
-- read these columns into 64-bit fields; PostgreSQL's INTEGER is 32-bit, so they become BIGINT.
ALTER TABLE epochs ALTER COLUMN epoch TYPE BIGINT;
ALTER TABLE study_signoffs
    ALTER COLUMN reviewed_epochs TYPE BIGINT,
    ALTER COLUMN corrected_epochs TYPE BIGINT,
    ALTER COLUMN queue_epochs TYPE BIGINT,
    ALTER COLUMN queue_reviewed TYPE BIGINT;
