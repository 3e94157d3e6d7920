-- A third RED rollup level: six-hour aggregates, so that RED over weeks (the default step of a
-- 30-day query is six hours) reads one row per key and step instead of six.

CREATE TABLE red_rollups_6h (LIKE red_rollups) PARTITION BY RANGE (time);
CREATE INDEX red_rollups_6h_key_time_idx ON red_rollups_6h (service_name, operation, span_kind, time);
COMMENT ON TABLE red_rollups_6h IS 'Per-six-hour RED aggregates (periods start at 00, 06, 12 and 18 UTC), the same as red_rollups at a coarser grain; kept for storage.rollup_retention. Always sum the rows of a key and period.';
COMMENT ON COLUMN red_rollups_6h.time IS 'Start of the six-hour period (UTC) the spans started in.';
COMMENT ON COLUMN red_rollups_6h.service_name IS 'service.name of the spans'' resource.';
COMMENT ON COLUMN red_rollups_6h.operation IS 'Span name.';
COMMENT ON COLUMN red_rollups_6h.span_kind IS 'SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.';
COMMENT ON COLUMN red_rollups_6h.request_count IS 'Number of spans.';
COMMENT ON COLUMN red_rollups_6h.error_count IS 'Number of spans with status ERROR.';
COMMENT ON COLUMN red_rollups_6h.duration_sum_nanos IS 'Sum of span durations in nanoseconds.';
COMMENT ON COLUMN red_rollups_6h.latency IS 'Sparse latency histogram, as in red_rollups.latency.';
