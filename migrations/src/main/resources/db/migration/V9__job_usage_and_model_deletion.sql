-- Usage of asynchronous work names the job that caused it, and models can be deleted.

-- The training job or batch prediction an event meters (null for calls).
ALTER TABLE usage_events ADD COLUMN job_id uuid;

-- Deleting a model keeps the finished batch predictions made with it (their results are the
-- tenant's data, deleted on their own); they keep the model's name and version. Queued and
-- running ones block the deletion, so only finished jobs ever lose the reference.
ALTER TABLE batch_prediction_jobs ALTER COLUMN model_id DROP NOT NULL;
ALTER TABLE batch_prediction_jobs DROP CONSTRAINT batch_prediction_jobs_model_id_fkey;
ALTER TABLE batch_prediction_jobs ADD CONSTRAINT batch_prediction_jobs_model_id_fkey
    FOREIGN KEY (model_id) REFERENCES models (id) ON DELETE SET NULL;

-- The last version number issued per model name, so a deleted version's number is never given
-- to another model version: "churn v2" in an audit row, a batch job or a client's notes stays
-- one model.
CREATE TABLE model_version_counters (
    tenant_id    uuid    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         text    NOT NULL,
    last_version integer NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
INSERT INTO model_version_counters (tenant_id, name, last_version)
SELECT tenant_id, name, max(version) FROM models GROUP BY tenant_id, name;
