-- Usage rollups keyed by a small shard number as well: concurrent usage batches write different
-- shards, so they never update (and lock) the same rollup row and can commit side by side.
-- Readers already sum the rollups over every key column; they now sum over the shards too.
-- Existing rows become shard 0.

ALTER TABLE usage_hourly ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE usage_hourly DROP CONSTRAINT usage_hourly_pkey;
ALTER TABLE usage_hourly ADD PRIMARY KEY (tenant_id, metric, bucket_start, model, api_key_id, shard);

ALTER TABLE usage_daily ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE usage_daily DROP CONSTRAINT usage_daily_pkey;
ALTER TABLE usage_daily ADD PRIMARY KEY (tenant_id, metric, bucket_start, model, api_key_id, shard);
