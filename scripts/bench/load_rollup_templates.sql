-- Query benchmark (scripts/bench-query): pools of RED aggregates that the rollup rows are drawn
-- from, each made by sampling log-normal span durations (median 5-80 ms, sigma 0.8, 2% errors)
-- into the sparse histogram of red_rollups.latency (bucket = ceil(ln(ns) / ln(1.02/0.98))).
-- Per minute: 1,000 aggregates of 5-200 requests; per hour: 500 aggregates of 300-12,000.
-- Hourly rows are drawn from their own pool, so they are not the exact sums of the minute rows.
-- Needs load_functions.sql.

CREATE TABLE bench.minute_aggregates AS
WITH params AS (
    SELECT i, round(exp(ln(5) + ln(40) * ((i * 7919) % 1000) / 1000.0))::int AS n,
           exp(ln(5e6) + ln(16) * ((i * 104729) % 997) / 997.0) AS median_ns
    FROM generate_series(0, 999) AS i
), samples AS (
    SELECT i, bench.lognormal_ns(median_ns, 0.8) AS d, random() < 0.02 AS err
    FROM params, generate_series(1, n)
), buckets AS (
    SELECT i, bench.bucket(d) AS b, count(*) AS c, count(*) FILTER (WHERE err) AS e, sum(d) AS s FROM samples GROUP BY 1, 2
)
SELECT i, sum(c)::bigint AS requests, sum(e)::bigint AS errors, sum(s) AS duration_sum, jsonb_object_agg(b::text, c) AS latency
FROM buckets GROUP BY i;

CREATE TABLE bench.hour_aggregates AS
WITH params AS (
    SELECT i, round(exp(ln(300) + ln(40) * ((i * 7919) % 500) / 500.0))::int AS n,
           exp(ln(5e6) + ln(16) * ((i * 104729) % 499) / 499.0) AS median_ns
    FROM generate_series(0, 499) AS i
), samples AS (
    SELECT i, bench.lognormal_ns(median_ns, 0.8) AS d, random() < 0.02 AS err
    FROM params, generate_series(1, n)
), buckets AS (
    SELECT i, bench.bucket(d) AS b, count(*) AS c, count(*) FILTER (WHERE err) AS e, sum(d) AS s FROM samples GROUP BY 1, 2
)
SELECT i, sum(c)::bigint AS requests, sum(e)::bigint AS errors, sum(s) AS duration_sum, jsonb_object_agg(b::text, c) AS latency
FROM buckets GROUP BY i;
