-- Training jobs (queued -> running -> succeeded | failed | cancelled), their per-epoch progress,
-- and the model registry (versions with metrics and the DJL artifact, stored in chunks).

CREATE TABLE training_jobs (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    dataset_id       uuid        NOT NULL REFERENCES datasets (id) ON DELETE RESTRICT,
    model_name       text        NOT NULL,
    spec             jsonb       NOT NULL,
    state            text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    cancel_requested boolean     NOT NULL DEFAULT false,
    attempts         integer     NOT NULL DEFAULT 0,
    worker_id        text,
    lease_expires_at timestamptz,
    result           jsonb,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE INDEX training_jobs_tenant_idx ON training_jobs (tenant_id, created_at);
CREATE INDEX training_jobs_queue_idx ON training_jobs (created_at) WHERE state = 'queued';
CREATE INDEX training_jobs_running_idx ON training_jobs (lease_expires_at) WHERE state = 'running';

CREATE TABLE training_job_epochs (
    job_id     uuid        NOT NULL REFERENCES training_jobs (id) ON DELETE CASCADE,
    attempt    integer     NOT NULL,
    epoch      integer     NOT NULL,
    report     jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, attempt, epoch)
);

CREATE TABLE models (
    id              uuid        PRIMARY KEY,
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    version         integer     NOT NULL,
    job_id          uuid        NOT NULL REFERENCES training_jobs (id),
    task            text        NOT NULL,
    architecture    text        NOT NULL,
    metrics         jsonb       NOT NULL,
    hyperparameters jsonb       NOT NULL,
    preprocessing   jsonb       NOT NULL,
    labels          jsonb       NOT NULL,
    model_spec      jsonb       NOT NULL,
    artifact_bytes  bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name, version)
);

CREATE TABLE model_artifact_chunks (
    model_id uuid    NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    seq      integer NOT NULL,
    data     bytea   NOT NULL,
    PRIMARY KEY (model_id, seq)
);
