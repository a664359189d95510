-- Quota alerts: per-tenant thresholds and webhook, the crossings recorded once per period, and
-- the webhook deliveries with their retry state (so they survive a restart of any node).

CREATE TABLE alert_settings (
    tenant_id      uuid        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    -- {"predictions": 80, "api_calls": 90}: percent of the metric's period limit
    thresholds     jsonb       NOT NULL DEFAULT '{}',
    webhook_url    text,
    -- The webhook signing secret as is: the platform signs every delivery with it (HMAC), so a
    -- hash would be useless. It lives only in this column, is shown once when created or
    -- rotated, and is never logged nor returned by reads.
    webhook_secret text        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alert_crossings (
    id          uuid           PRIMARY KEY,
    tenant_id   uuid           NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    metric      text           NOT NULL,
    threshold   integer        NOT NULL CHECK (threshold BETWEEN 1 AND 100),
    -- the quota period, 'YYYY-MM' (UTC)
    period      text           NOT NULL,
    used        numeric(24, 6) NOT NULL,
    quota_limit bigint         NOT NULL,
    crossed_at  timestamptz    NOT NULL DEFAULT now(),
    -- every evaluating gateway node may see the same crossing: the first insert wins
    UNIQUE (tenant_id, metric, threshold, period)
);

CREATE TABLE webhook_deliveries (
    id              uuid        PRIMARY KEY,
    tenant_id       uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    crossing_id     uuid        NOT NULL REFERENCES alert_crossings (id) ON DELETE CASCADE,
    event_type      text        NOT NULL,
    url             text        NOT NULL,
    -- the exact bytes that are signed and sent, identical on every attempt
    payload         text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    last_status     integer,
    last_error      text,
    -- when a node may (next) try; a node claiming a delivery pushes it forward, which is its lease
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_tenant_idx ON webhook_deliveries (tenant_id, created_at DESC);
