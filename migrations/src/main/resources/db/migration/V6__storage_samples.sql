-- Storage is a level, not a flow: it is sampled (hourly, and after every change) so billing can
-- charge the period's average (GB-months) from the samples instead of summing events.
CREATE TABLE storage_samples (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    sampled_at timestamptz NOT NULL,
    bytes      bigint      NOT NULL CHECK (bytes >= 0),
    PRIMARY KEY (tenant_id, sampled_at)
);
