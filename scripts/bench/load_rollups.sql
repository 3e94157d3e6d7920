-- Query benchmark (scripts/bench-query): the RED rollup rows of one day, [:from, :to) per minute
-- and [:hour_from, :hour_to) per hour and per six hours: every service x its 10 operations (server spans), one
-- compacted row per key and period, drawn from the pools of load_rollup_templates.sql. The hourly
-- and six-hour rows get their quantile columns, as Vigil's compaction gives every period with one row.

BEGIN;

INSERT INTO red_rollups (time, service_name, operation, span_kind, request_count, error_count, duration_sum_nanos, latency)
SELECT m, s.service, bench.method(r) || ' ' || bench.route(s.service, r), 2, a.requests, a.errors, a.duration_sum, a.latency
FROM generate_series(:'from'::timestamptz, :'to'::timestamptz - interval '1 minute', interval '1 minute') AS m,
     generate_series(0, 19) AS si, generate_series(0, 9) AS r,
     LATERAL (SELECT (bench.services())[si + 1] AS service) AS s, bench.minute_aggregates AS a
WHERE a.i = (hashint8(extract(epoch FROM m)::bigint / 60 * 200 + si * 10 + r) & 2147483647) % 1000;

INSERT INTO red_rollups_hourly (time, service_name, operation, span_kind, request_count, error_count, duration_sum_nanos, latency)
SELECT h, s.service, bench.method(r) || ' ' || bench.route(s.service, r), 2, a.requests, a.errors, a.duration_sum, a.latency
FROM generate_series(:'hour_from'::timestamptz, :'hour_to'::timestamptz - interval '1 hour', interval '1 hour') AS h,
     generate_series(0, 19) AS si, generate_series(0, 9) AS r,
     LATERAL (SELECT (bench.services())[si + 1] AS service) AS s, bench.hour_aggregates AS a
WHERE a.i = (hashint8(extract(epoch FROM h)::bigint / 3600 * 200 + si * 10 + r) & 2147483647) % 500;

-- The six-hour level, summed from the hours above (the day's four periods).
INSERT INTO red_rollups_6h (time, service_name, operation, span_kind, request_count, error_count, duration_sum_nanos, latency)
SELECT to_timestamp(floor(extract(epoch FROM time) / 21600) * 21600), service_name, operation, span_kind,
       sum(request_count), sum(error_count), sum(duration_sum_nanos), vigil_histogram_sum(latency)
FROM red_rollups_hourly
WHERE time >= :'hour_from'::timestamptz AND time < :'hour_to'::timestamptz
GROUP BY 1, 2, 3, 4;

UPDATE red_rollups_hourly
SET latency_p50 = vigil_histogram_quantile(latency, 0.5), latency_p90 = vigil_histogram_quantile(latency, 0.9), latency_p99 = vigil_histogram_quantile(latency, 0.99)
WHERE time >= :'hour_from'::timestamptz AND time < :'hour_to'::timestamptz;
UPDATE red_rollups_6h
SET latency_p50 = vigil_histogram_quantile(latency, 0.5), latency_p90 = vigil_histogram_quantile(latency, 0.9), latency_p99 = vigil_histogram_quantile(latency, 0.99)
WHERE time >= :'hour_from'::timestamptz AND time < :'hour_to'::timestamptz;

COMMIT;
