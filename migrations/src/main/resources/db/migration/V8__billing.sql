-- Usage-based billing: which plan a tenant was on when, closed billing periods, and finalized
-- invoices with their lines (stored at close and never recomputed). Drafts are computed live;
-- only their adjustment lines are stored before close.

-- A tenant is on plan_id from valid_from until the next row's valid_from.
CREATE TABLE tenant_plan_history (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    valid_from timestamptz NOT NULL,
    plan_id    uuid        NOT NULL REFERENCES plans (id),
    PRIMARY KEY (tenant_id, valid_from)
);

INSERT INTO tenant_plan_history (tenant_id, valid_from, plan_id)
SELECT id, created_at, plan_id FROM tenants;

-- A period ('YYYY-MM', UTC) is closed once, for every tenant at the same time.
CREATE TABLE billing_periods (
    period    text        PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    closed_at timestamptz NOT NULL DEFAULT now(),
    closed_by uuid
);

CREATE TABLE invoices (
    id           uuid           PRIMARY KEY,
    tenant_id    uuid           NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    period       text           NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    -- a draft row exists only once an adjustment was added; its other lines are computed live
    status       text           NOT NULL CHECK (status IN ('draft', 'final')),
    currency     char(3)        NOT NULL,
    total        numeric(24, 6),
    created_at   timestamptz    NOT NULL DEFAULT now(),
    finalized_at timestamptz,
    UNIQUE (tenant_id, period),
    CHECK ((status = 'final') = (total IS NOT NULL AND finalized_at IS NOT NULL))
);

CREATE TABLE invoice_lines (
    invoice_id   uuid           NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position     integer        NOT NULL,
    kind         text           NOT NULL CHECK (kind IN ('base_fee', 'usage', 'late_usage', 'adjustment')),
    metric       text,
    -- the period the usage happened in (differs from the invoice's period for late usage)
    usage_period text,
    plan_name    text,
    window_from  timestamptz,
    window_to    timestamptz,
    quantity     numeric(30, 9) NOT NULL,
    unit_price   numeric(24, 9),
    tiers        jsonb          NOT NULL DEFAULT '[]',
    amount       numeric(24, 6) NOT NULL,
    reason       text,
    created_by   uuid,
    created_at   timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (invoice_id, position)
);
CREATE INDEX invoice_lines_usage_idx ON invoice_lines (usage_period, metric) WHERE kind IN ('usage', 'late_usage');

-- Pricing a plan change that happened mid-hour reads the raw events of that hour; a BRIN index
-- finds them for almost no cost on the insert path (events arrive roughly in time order).
CREATE INDEX usage_events_occurred_brin ON usage_events USING brin (occurred_at);
