-- Serving: which model version each tenant's model name serves (the workers load what is here, so
-- deployments survive restarts), and batch prediction jobs with their CSV results in chunks.

CREATE TABLE deployments (
    tenant_id          uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    model_name         text        NOT NULL,
    model_id           uuid        NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    version            integer     NOT NULL,
    -- the version served before the last deploy: gateways fall back to it while the new one loads
    previous_model_id  uuid        REFERENCES models (id) ON DELETE SET NULL,
    max_batch_size     integer     NOT NULL CHECK (max_batch_size BETWEEN 1 AND 1024),
    max_batch_delay_ms integer     NOT NULL CHECK (max_batch_delay_ms BETWEEN 0 AND 1000),
    max_queue          integer     NOT NULL CHECK (max_queue BETWEEN 1 AND 100000),
    timeout_ms         integer     NOT NULL CHECK (timeout_ms BETWEEN 100 AND 300000),
    deployed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, model_name)
);

CREATE TABLE batch_prediction_jobs (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    model_id         uuid        NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    model_name       text        NOT NULL,
    version          integer     NOT NULL,
    dataset_id       uuid        NOT NULL REFERENCES datasets (id) ON DELETE RESTRICT,
    state            text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    cancel_requested boolean     NOT NULL DEFAULT false,
    attempts         integer     NOT NULL DEFAULT 0,
    worker_id        text,
    lease_expires_at timestamptz,
    rows_total       bigint,
    rows_done        bigint      NOT NULL DEFAULT 0,
    result_bytes     bigint,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE INDEX batch_prediction_jobs_tenant_idx ON batch_prediction_jobs (tenant_id, created_at);
CREATE INDEX batch_prediction_jobs_queue_idx ON batch_prediction_jobs (created_at) WHERE state = 'queued';
CREATE INDEX batch_prediction_jobs_running_idx ON batch_prediction_jobs (lease_expires_at) WHERE state = 'running';

CREATE TABLE batch_prediction_results (
    job_id uuid    NOT NULL REFERENCES batch_prediction_jobs (id) ON DELETE CASCADE,
    seq    integer NOT NULL,
    data   bytea   NOT NULL,
    PRIMARY KEY (job_id, seq)
);
