-- An erased tenant keeps its row as a tombstone: its invoices, usage and audit trail still refer
-- to it (billing records must survive), while everything else it owned is gone.
ALTER TABLE tenants DROP CONSTRAINT tenants_status_check;
ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended', 'erased'));
ALTER TABLE tenants ADD COLUMN erased_at timestamptz;

-- A tenant owner's export of all of the tenant's data: an asynchronous job writing one zip, kept
-- in chunks like datasets so any gateway node can stream it. A job whose lease ran out (its node
-- stopped) is started again from scratch by whichever node sees it first.
CREATE TABLE tenant_exports (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    requested_by     uuid,
    state            text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    items_done       integer     NOT NULL DEFAULT 0,
    items_total      integer,
    bytes            bigint      NOT NULL DEFAULT 0,
    attempts         integer     NOT NULL DEFAULT 0,
    lease_expires_at timestamptz,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX tenant_exports_tenant_idx ON tenant_exports (tenant_id, created_at);
CREATE INDEX tenant_exports_pending_idx ON tenant_exports (created_at) WHERE state IN ('queued', 'running');

CREATE TABLE tenant_export_chunks (
    export_id uuid    NOT NULL REFERENCES tenant_exports (id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    data      bytea   NOT NULL,
    PRIMARY KEY (export_id, seq)
);
