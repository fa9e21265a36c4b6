-- Mirrors schemas/sql/0023_failure_codes.sql (issue 16): error_type becomes a stable code, not a class name.
UPDATE studies SET error_type = CASE
    WHEN error_type = 'EdfFormatException' THEN 'edf-format'
    WHEN error_type = 'MontageException' THEN 'montage'
    WHEN error_type IN ('StudyDurationException', 'StudyTooShortException') THEN 'duration'
    WHEN error_type = 'Interrupted' THEN 'interrupted'
    WHEN error_detail LIKE 'Lights-o%' THEN 'scoring-input'
    WHEN error_detail LIKE '%storage error%' THEN 'storage'
    WHEN error_detail LIKE '%database error%' THEN 'database'
    WHEN error_detail LIKE '%ran out of memory%' THEN 'out-of-memory'
    ELSE 'internal'
END
WHERE error_type IS NOT NULL;
