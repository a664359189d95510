-- Hyperparameter tuning jobs. A trial is an ordinary training job (same queue, fair scheduling,
-- leases, metering) linked to its tuning job; a successful trial keeps its stored artifact until
-- the tuning job ends, when the best trial's becomes the model's next version and the rest go.
CREATE TABLE tuning_jobs (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    dataset_id       uuid        NOT NULL REFERENCES datasets (id) ON DELETE RESTRICT,
    model_name       text        NOT NULL,
    spec             jsonb       NOT NULL,
    state            text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
    stop_reason      text,
    result           jsonb,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX tuning_jobs_tenant_idx ON tuning_jobs (tenant_id, created_at);
CREATE INDEX tuning_jobs_running_idx ON tuning_jobs (created_at) WHERE state = 'running';

ALTER TABLE training_jobs
    ADD COLUMN tuning_job_id uuid REFERENCES tuning_jobs (id) ON DELETE CASCADE,
    ADD COLUMN trial         integer,
    -- ASHA stopped the trial at a rung (it ends cancelled, its compute metered like any run).
    ADD COLUMN stopped_by_tuning boolean NOT NULL DEFAULT false,
    -- A successful trial's labels, preprocessing and model spec: what registering it as a version needs.
    ADD COLUMN trial_model jsonb;
CREATE UNIQUE INDEX training_jobs_trial_idx ON training_jobs (tuning_job_id, trial) WHERE tuning_job_id IS NOT NULL;

-- The version a tuning job registered names the tuning job and its trial.
ALTER TABLE models ADD COLUMN tuning jsonb;
