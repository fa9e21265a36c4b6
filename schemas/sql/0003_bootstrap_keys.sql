-- Issue 13 point 10: the key made from Security:BootstrapAdminKey is marked, so that a changed
-- configured key revokes the previous one (it stayed valid before).
ALTER TABLE api_keys ADD COLUMN bootstrap INTEGER NOT NULL DEFAULT 0;
UPDATE api_keys SET bootstrap = 1 WHERE name = 'bootstrap';
