-- Mirrors schemas/sql/0003_bootstrap_keys.sql (issue 13 point 10): the key made from
-- Security:BootstrapAdminKey is marked, so that a changed configured key revokes the previous one.
ALTER TABLE api_keys ADD COLUMN bootstrap BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE api_keys SET bootstrap = TRUE WHERE name = 'bootstrap';
