-- Issue 16: callbacks go through an outbox that any node drains. A study that finishes (scored or
-- failed) with a callback URL gets a row in the transaction that finishes it; a node claims the row
-- under a lease (skipping rows other nodes hold, on PostgreSQL), posts the callback, and in one
-- transaction records the delivery and removes the row: each finish is delivered by one node.
CREATE TABLE callback_outbox (
    study_id         TEXT PRIMARY KEY REFERENCES studies (id) ON DELETE CASCADE,
    created_at       TEXT NOT NULL,
    claimed_by       TEXT,                     -- the node's claim while it delivers
    lease_expires_at TEXT                      -- then free for another node
);
-- Finished studies whose callback was never recorded (before this version, found at each start).
INSERT INTO callback_outbox (study_id, created_at)
SELECT s.id, COALESCE(s.scored_at, s.uploaded_at) FROM studies s
WHERE s.callback_url IS NOT NULL AND s.status IN ('scored', 'failed')
  AND NOT EXISTS (SELECT 1 FROM callback_deliveries d WHERE d.study_id = s.id);
