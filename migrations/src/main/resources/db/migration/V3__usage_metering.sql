-- Usage metering: append-only events (idempotent by event id), partitioned by month, with
-- hourly and daily rollups maintained in the same statement that inserts the events, so reads
-- (usage API, quotas, billing) never scan raw events. Idempotency keys for POST requests.

CREATE TABLE usage_events (
    event_id    uuid           NOT NULL,
    tenant_id   uuid           NOT NULL,
    metric      text           NOT NULL CHECK (metric IN ('api_calls', 'predictions', 'training_seconds', 'storage_bytes')),
    quantity    numeric(20, 6) NOT NULL CHECK (quantity >= 0),
    occurred_at timestamptz    NOT NULL,
    api_key_id  uuid,
    model       text,
    recorded_at timestamptz    NOT NULL DEFAULT now(),
    -- the partition key must be part of the key; an event keeps its occurred_at on every retry,
    -- so a retried event still collides with itself
    PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- Catches anything outside the monthly partitions the platform creates ahead of time.
CREATE TABLE usage_events_default PARTITION OF usage_events DEFAULT;

-- Creates the monthly partition holding `month` (idempotent).
CREATE FUNCTION ensure_usage_partition(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month)::date;
    name text := 'usage_events_' || to_char(first_day, 'YYYY_MM');
BEGIN
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES FROM (%L) TO (%L)',
                       name, first_day, (first_day + interval '1 month')::date);
    END IF;
END;
$$;

SELECT ensure_usage_partition((now() AT TIME ZONE 'UTC')::date);
SELECT ensure_usage_partition(((now() AT TIME ZONE 'UTC') + interval '1 month')::date);

-- Rollups: '' for "no model", the nil uuid for "no key", so every part of the key is NOT NULL.
CREATE TABLE usage_hourly (
    tenant_id    uuid           NOT NULL,
    metric       text           NOT NULL,
    bucket_start timestamptz    NOT NULL,
    model        text           NOT NULL DEFAULT '',
    api_key_id   uuid           NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    quantity     numeric(24, 6) NOT NULL,
    PRIMARY KEY (tenant_id, metric, bucket_start, model, api_key_id)
);

CREATE TABLE usage_daily (
    tenant_id    uuid           NOT NULL,
    metric       text           NOT NULL,
    bucket_start timestamptz    NOT NULL,
    model        text           NOT NULL DEFAULT '',
    api_key_id   uuid           NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    quantity     numeric(24, 6) NOT NULL,
    PRIMARY KEY (tenant_id, metric, bucket_start, model, api_key_id)
);

CREATE TABLE idempotency_keys (
    scope          text        NOT NULL,
    key            text        NOT NULL,
    request_hash   bytea       NOT NULL,
    -- null while the first request is still being handled
    status         integer,
    response_body  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
