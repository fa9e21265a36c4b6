-- Issue 16: a failed study's error_type is a stable code (StudyFailureCode), no longer the .NET
-- exception's class name. Rows failed before this version get the code their cause has now; the
-- old "permanent" ArgumentException/InvalidOperationException were the scorer's lights check or a
-- fault of the code, told apart by the text the lights check writes.
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
