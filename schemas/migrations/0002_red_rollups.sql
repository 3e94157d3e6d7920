-- RED rollups: per-minute and per-hour request, error and latency aggregates of spans by
-- service, operation and span kind, written in the same transaction as the spans.
-- They outlive the raw spans (storage.rollup_retention, 40 days by default) and serve RED
-- queries and SLO evaluation over long windows without scanning spans.
-- Each ingest transaction appends its own partial rows (no row is updated in place, so ingest
-- never waits on a hot row); Vigil compacts the partial rows of each key and period into one
-- row every minute. Readers always sum the rows of a key and period.

CREATE FUNCTION vigil_histogram_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_object_agg(bucket, total), '{}'::jsonb)
    FROM (
        SELECT bucket, sum(count::bigint) AS total
        FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS both_sides (bucket, count)
        GROUP BY bucket
    ) AS merged
$$;
COMMENT ON FUNCTION vigil_histogram_merge(jsonb, jsonb) IS 'Adds two sparse latency histograms ({bucket index: count}) bucket by bucket.';

CREATE AGGREGATE vigil_histogram_sum(jsonb) (SFUNC = vigil_histogram_merge, STYPE = jsonb, INITCOND = '{}');
COMMENT ON AGGREGATE vigil_histogram_sum(jsonb) IS 'Sum of sparse latency histograms, bucket by bucket.';

CREATE TABLE red_rollups (
    time          timestamptz NOT NULL,
    service_name  text     NOT NULL,
    operation     text     NOT NULL,
    span_kind     smallint NOT NULL,
    request_count bigint   NOT NULL,
    error_count   bigint   NOT NULL,
    duration_sum_nanos numeric NOT NULL,
    latency       jsonb    NOT NULL
) PARTITION BY RANGE (time);
COMMENT ON TABLE red_rollups IS 'Per-minute RED aggregates of spans by service, operation (span name) and span kind; partitioned by day and kept for storage.rollup_retention. A key and minute may have several rows until compaction: always sum them.';
COMMENT ON COLUMN red_rollups.time IS 'Start of the minute (UTC) the spans started in.';
COMMENT ON COLUMN red_rollups.service_name IS 'service.name of the spans'' resource.';
COMMENT ON COLUMN red_rollups.operation IS 'Span name.';
COMMENT ON COLUMN red_rollups.span_kind IS 'SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.';
COMMENT ON COLUMN red_rollups.request_count IS 'Number of spans.';
COMMENT ON COLUMN red_rollups.error_count IS 'Number of spans with status ERROR.';
COMMENT ON COLUMN red_rollups.duration_sum_nanos IS 'Sum of span durations in nanoseconds.';
COMMENT ON COLUMN red_rollups.latency IS 'Sparse latency histogram {bucket index: span count}: bucket i holds durations in (g^(i-1), g^i] nanoseconds with g = 1.02/0.98, so quantiles are within 2% relative error; bucket 0 holds zero durations.';

CREATE INDEX red_rollups_key_time_idx ON red_rollups (service_name, operation, span_kind, time);

CREATE TABLE red_rollups_hourly (LIKE red_rollups) PARTITION BY RANGE (time);
CREATE INDEX red_rollups_hourly_key_time_idx ON red_rollups_hourly (service_name, operation, span_kind, time);
COMMENT ON TABLE red_rollups_hourly IS 'Per-hour RED aggregates, the same as red_rollups at a coarser grain, for queries over days and weeks.';
COMMENT ON COLUMN red_rollups_hourly.time IS 'Start of the hour (UTC) the spans started in.';
COMMENT ON COLUMN red_rollups_hourly.service_name IS 'service.name of the spans'' resource.';
COMMENT ON COLUMN red_rollups_hourly.operation IS 'Span name.';
COMMENT ON COLUMN red_rollups_hourly.span_kind IS 'SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.';
COMMENT ON COLUMN red_rollups_hourly.request_count IS 'Number of spans.';
COMMENT ON COLUMN red_rollups_hourly.error_count IS 'Number of spans with status ERROR.';
COMMENT ON COLUMN red_rollups_hourly.duration_sum_nanos IS 'Sum of span durations in nanoseconds.';
COMMENT ON COLUMN red_rollups_hourly.latency IS 'Sparse latency histogram, as in red_rollups.latency.';
