-- Encryption at rest, two more places tenant data was kept in the clear. A dataset's preview (its
-- first rows, or image entry names) and a kept idempotent response (e.g. a predict answer) are
-- sealed under the tenant's data key like a one-chunk object. A row with NULL sealed columns was
-- written before this version and is read as stored (preview, response_body) until written again.
ALTER TABLE datasets ADD COLUMN preview_nonce bytea;
ALTER TABLE datasets ADD COLUMN preview_sealed bytea;
ALTER TABLE idempotency_keys ADD COLUMN response_nonce bytea;
ALTER TABLE idempotency_keys ADD COLUMN response_sealed bytea;
