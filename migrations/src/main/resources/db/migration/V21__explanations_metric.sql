-- Explanations (POST /v1/models/{name}/explain) are metered as their own metric, which a plan may
-- price apart from predictions (each instance explained is also one prediction). The inline CHECK
-- of V3 is replaced; on the partitioned table the new one reaches every partition.
ALTER TABLE usage_events DROP CONSTRAINT usage_events_metric_check;
ALTER TABLE usage_events ADD CONSTRAINT usage_events_metric_check
    CHECK (metric IN ('api_calls', 'predictions', 'explanations', 'training_seconds', 'storage_bytes'));
