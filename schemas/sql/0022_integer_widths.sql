-- Issue 16: nothing to change in SQLite, whose INTEGER is always 64-bit. The PostgreSQL twin widens
-- the INTEGER columns that the stores read into 64-bit fields, so both providers hand back the same types.
SELECT 1;
