-- Latency quantiles kept beside the histogram in the hourly and six-hour RED rollups. A RED read
-- whose step equals the table's period (step=1h over 30 days: 720 rows per operation) then takes
-- p50/p90/p99 from these columns instead of turning every histogram into text. Vigil's rollup
-- compaction fills them once a key and period has a single row; they stay NULL while a period
-- has several partial rows, and readers then use the histograms.

CREATE FUNCTION vigil_histogram_quantile(histogram jsonb, q double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN bucket = 0 THEN 0
                ELSE 2 * power((1 + 0.02::float8) / (1 - 0.02::float8), bucket) / ((1 + 0.02::float8) / (1 - 0.02::float8) + 1) / 1e9::float8 END
    FROM (
        SELECT key::int AS bucket,
               sum(value::bigint) OVER (ORDER BY key::int) AS seen,
               sum(value::bigint) OVER () AS total
        FROM jsonb_each_text(histogram)
    ) AS cumulative
    WHERE seen >= greatest(1, ceil(q * total::float8))
    ORDER BY bucket
    LIMIT 1
$$;
COMMENT ON FUNCTION vigil_histogram_quantile(jsonb, double precision) IS 'The q-quantile (0-1) in seconds of a sparse latency histogram, by nearest rank: the representative value 2g^i/(g+1) ns of the first bucket i where the running count reaches ceil(q * total); NULL for an empty histogram.';

ALTER TABLE red_rollups_hourly
    ADD COLUMN latency_p50 double precision,
    ADD COLUMN latency_p90 double precision,
    ADD COLUMN latency_p99 double precision;
ALTER TABLE red_rollups_6h
    ADD COLUMN latency_p50 double precision,
    ADD COLUMN latency_p90 double precision,
    ADD COLUMN latency_p99 double precision;
COMMENT ON COLUMN red_rollups_hourly.latency_p50 IS 'Median span duration in seconds, vigil_histogram_quantile(latency, 0.5); set by compaction when the key and period has one row, NULL before.';
COMMENT ON COLUMN red_rollups_hourly.latency_p90 IS '90th percentile span duration in seconds, as latency_p50.';
COMMENT ON COLUMN red_rollups_hourly.latency_p99 IS '99th percentile span duration in seconds, as latency_p50.';
COMMENT ON COLUMN red_rollups_6h.latency_p50 IS 'Median span duration in seconds, vigil_histogram_quantile(latency, 0.5); set by compaction when the key and period has one row, NULL before.';
COMMENT ON COLUMN red_rollups_6h.latency_p90 IS '90th percentile span duration in seconds, as latency_p50.';
COMMENT ON COLUMN red_rollups_6h.latency_p99 IS '99th percentile span duration in seconds, as latency_p50.';

-- Rows stored before this migration: the periods that already have a single row.
UPDATE red_rollups_hourly r
SET latency_p50 = vigil_histogram_quantile(latency, 0.5), latency_p90 = vigil_histogram_quantile(latency, 0.9), latency_p99 = vigil_histogram_quantile(latency, 0.99)
WHERE NOT EXISTS (
    SELECT 1 FROM red_rollups_hourly o
    WHERE o.service_name = r.service_name AND o.operation = r.operation AND o.span_kind = r.span_kind AND o.time = r.time AND o.ctid <> r.ctid);
UPDATE red_rollups_6h r
SET latency_p50 = vigil_histogram_quantile(latency, 0.5), latency_p90 = vigil_histogram_quantile(latency, 0.9), latency_p99 = vigil_histogram_quantile(latency, 0.99)
WHERE NOT EXISTS (
    SELECT 1 FROM red_rollups_6h o
    WHERE o.service_name = r.service_name AND o.operation = r.operation AND o.span_kind = r.span_kind AND o.time = r.time AND o.ctid <> r.ctid);
