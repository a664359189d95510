-- Encryption at rest. Each tenant's data key (AES-256) is stored wrapped by the platform's master
-- key (AIAAS_MASTER_KEY_FILE, never in the database) together with the id of the master key that
-- wrapped it, so a rotation can re-wrap row by row and resume where it stopped. Deleting the row
-- crypto-shreds everything sealed under it.
CREATE TABLE tenant_data_keys (
    tenant_id     uuid        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    master_key_id text        NOT NULL,
    wrapped       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    rewrapped_at  timestamptz
);
CREATE INDEX tenant_data_keys_master_idx ON tenant_data_keys (master_key_id);

-- The one master key the data keys are wrapped by (its id, a check value derived from the key),
-- so a process given another key file refuses to start instead of failing on every read. While a
-- rotation runs, rotating_to names the new key; it is cleared when every data key is re-wrapped.
CREATE TABLE master_key_state (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    key_id      text        NOT NULL,
    rotating_to text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Sealed chunks carry their AES-GCM nonce; a NULL nonce is a row written before encryption at rest
-- existed (read as stored, in the clear, until the object is written again).
ALTER TABLE dataset_chunks ADD COLUMN nonce bytea;
ALTER TABLE training_artifact_chunks ADD COLUMN nonce bytea;
ALTER TABLE model_artifact_chunks ADD COLUMN nonce bytea;
ALTER TABLE batch_prediction_results ADD COLUMN nonce bytea;
ALTER TABLE tenant_export_chunks ADD COLUMN nonce bytea;

-- A model's artifact chunks are sealed by the worker under the training artifact's id and moved
-- here unchanged, so the id they were sealed under travels with the model version.
ALTER TABLE models ADD COLUMN artifact_sealed_as uuid;

-- Webhook signing secrets must be recoverable to sign deliveries, so they are sealed, not hashed.
ALTER TABLE alert_settings ALTER COLUMN webhook_secret DROP NOT NULL;
ALTER TABLE alert_settings ADD COLUMN webhook_secret_nonce bytea;
ALTER TABLE alert_settings ADD COLUMN webhook_secret_sealed bytea;
