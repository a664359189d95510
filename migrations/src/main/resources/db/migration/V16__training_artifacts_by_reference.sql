-- Trained parameters travel by reference: the worker stores them here itself before it reports the
-- run, and the event-bus outcome carries only the id, size and SHA-256. The gateway that records
-- the outcome moves the chunks to the new model version (model_artifact_chunks) and deletes the
-- row, in the outcome's transaction. The id is derived from job and attempt, so a resent outcome
-- names the same artifact and a rewritten one replaces it; rows of attempts that never got
-- recorded go when the job ends (or with the job, or the tenant).
CREATE TABLE training_artifacts (
    id         uuid        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    job_id     uuid        NOT NULL REFERENCES training_jobs (id) ON DELETE CASCADE,
    attempt    integer     NOT NULL,
    bytes      bigint      NOT NULL,
    sha256     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX training_artifacts_by_job ON training_artifacts (job_id);

CREATE TABLE training_artifact_chunks (
    artifact_id uuid    NOT NULL REFERENCES training_artifacts (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    data        bytea   NOT NULL,
    PRIMARY KEY (artifact_id, seq)
);
