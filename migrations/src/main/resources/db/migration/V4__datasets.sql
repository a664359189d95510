-- Datasets uploaded by tenants, stored in PostgreSQL in chunks so any worker on any machine can
-- read them and no process holds a whole upload in memory while receiving it.

CREATE TABLE datasets (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    format      text        NOT NULL CHECK (format IN ('csv', 'images')),
    -- uploading: chunks arriving; ready: validated; an upload that fails validation is deleted
    status      text        NOT NULL CHECK (status IN ('uploading', 'ready')),
    bytes       bigint      NOT NULL DEFAULT 0,
    rows        integer,
    schema      jsonb,
    preview     jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX datasets_tenant_idx ON datasets (tenant_id, created_at);

CREATE TABLE dataset_chunks (
    dataset_id uuid    NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    data       bytea   NOT NULL,
    PRIMARY KEY (dataset_id, seq)
);
