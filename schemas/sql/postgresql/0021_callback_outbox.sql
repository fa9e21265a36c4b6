-- Mirrors schemas/sql/0021_callback_outbox.sql (issue 16): callbacks delivered through an outbox
-- that nodes claim with FOR UPDATE SKIP LOCKED under a lease.
CREATE TABLE callback_outbox (
    study_id         TEXT PRIMARY KEY REFERENCES studies (id) ON DELETE CASCADE,
    created_at       TEXT NOT NULL,
    claimed_by       TEXT,
    lease_expires_at TEXT
);
INSERT INTO callback_outbox (study_id, created_at)
SELECT s.id, COALESCE(s.scored_at, s.uploaded_at) FROM studies s
WHERE s.callback_url IS NOT NULL AND s.status IN ('scored', 'failed')
  AND NOT EXISTS (SELECT 1 FROM callback_deliveries d WHERE d.study_id = s.id);
