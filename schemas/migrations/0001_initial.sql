-- Vigil storage schema, version 1: resources, scopes, spans, logs, metrics and the trace index.
-- Time-partitioned tables are partitioned by day (UTC); Vigil creates partitions ahead of time
-- and drops whole partitions once they are older than the retention period.

CREATE TABLE resources (
    resource_id              bigint PRIMARY KEY,
    service_name             text   NOT NULL,
    attributes               jsonb  NOT NULL,
    dropped_attributes_count bigint NOT NULL,
    entity_refs              jsonb  NOT NULL,
    schema_url               text   NOT NULL,
    first_seen               timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE resources IS 'Each distinct OTLP resource (with the schema URL of its container), stored once and referenced by spans, logs and metric series.';
COMMENT ON COLUMN resources.resource_id IS 'Stable 64-bit hash of the resource''s attributes, dropped count, entity references and schema URL.';
COMMENT ON COLUMN resources.service_name IS 'The service.name attribute, or unknown_service when absent.';
COMMENT ON COLUMN resources.attributes IS 'Resource attributes as a JSON object: key -> value (see docs/storage.md for how value types are written).';
COMMENT ON COLUMN resources.dropped_attributes_count IS 'Resource.dropped_attributes_count as sent.';
COMMENT ON COLUMN resources.entity_refs IS 'Resource.entity_refs as a JSON array of {schemaUrl, type, idKeys, descriptionKeys}.';
COMMENT ON COLUMN resources.schema_url IS 'schema_url of the ResourceSpans/ResourceMetrics/ResourceLogs that carried the resource.';
COMMENT ON COLUMN resources.first_seen IS 'When Vigil first stored this resource.';

CREATE TABLE scopes (
    scope_id                 bigint PRIMARY KEY,
    name                     text   NOT NULL,
    version                  text   NOT NULL,
    attributes               jsonb  NOT NULL,
    dropped_attributes_count bigint NOT NULL,
    schema_url               text   NOT NULL,
    first_seen               timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE scopes IS 'Each distinct instrumentation scope (with the schema URL of its container), stored once and referenced.';
COMMENT ON COLUMN scopes.scope_id IS 'Stable 64-bit hash of the scope''s name, version, attributes, dropped count and schema URL.';
COMMENT ON COLUMN scopes.name IS 'InstrumentationScope.name, e.g. the instrumentation library.';
COMMENT ON COLUMN scopes.version IS 'InstrumentationScope.version.';
COMMENT ON COLUMN scopes.attributes IS 'Scope attributes as a JSON object.';
COMMENT ON COLUMN scopes.dropped_attributes_count IS 'InstrumentationScope.dropped_attributes_count as sent.';
COMMENT ON COLUMN scopes.schema_url IS 'schema_url of the ScopeSpans/ScopeMetrics/ScopeLogs that carried the scope.';
COMMENT ON COLUMN scopes.first_seen IS 'When Vigil first stored this scope.';

CREATE TABLE traces (
    trace_id   bytea       PRIMARY KEY,
    first_time timestamptz NOT NULL,
    last_time  timestamptz NOT NULL
);
COMMENT ON TABLE traces IS 'Trace index: the time range covered by each trace''s spans, logs and exemplars, so a trace is read from the few partitions that hold it.';
COMMENT ON COLUMN traces.trace_id IS '16-byte trace ID.';
COMMENT ON COLUMN traces.first_time IS 'Earliest partition time (span start, log time, exemplar time) seen for the trace.';
COMMENT ON COLUMN traces.last_time IS 'Latest partition time seen for the trace.';

CREATE TABLE spans (
    time                     timestamptz NOT NULL,
    trace_id                 bytea    NOT NULL,
    span_id                  bytea    NOT NULL,
    parent_span_id           bytea,
    trace_state              text     NOT NULL,
    flags                    bigint   NOT NULL,
    name                     text     NOT NULL,
    kind                     smallint NOT NULL,
    start_time_unix_nano     bigint   NOT NULL,
    end_time_unix_nano       bigint   NOT NULL,
    attributes               jsonb    NOT NULL,
    dropped_attributes_count bigint   NOT NULL,
    events                   jsonb    NOT NULL,
    dropped_events_count     bigint   NOT NULL,
    links                    jsonb    NOT NULL,
    dropped_links_count      bigint   NOT NULL,
    status_code              smallint NOT NULL,
    status_message           text     NOT NULL,
    service_name             text     NOT NULL,
    resource_id              bigint   NOT NULL,
    scope_id                 bigint   NOT NULL
) PARTITION BY RANGE (time);
COMMENT ON TABLE spans IS 'One row per OTLP span, partitioned by day of its start time.';
COMMENT ON COLUMN spans.time IS 'Span start time (microsecond precision), the partition key; the exact value is start_time_unix_nano.';
COMMENT ON COLUMN spans.trace_id IS '16-byte trace ID.';
COMMENT ON COLUMN spans.span_id IS '8-byte span ID.';
COMMENT ON COLUMN spans.parent_span_id IS '8-byte parent span ID; NULL for a root span.';
COMMENT ON COLUMN spans.trace_state IS 'W3C tracestate header value.';
COMMENT ON COLUMN spans.flags IS 'Span.flags (W3C trace flags in the low byte, OTLP flag bits above).';
COMMENT ON COLUMN spans.name IS 'Span name (the operation).';
COMMENT ON COLUMN spans.kind IS 'SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.';
COMMENT ON COLUMN spans.start_time_unix_nano IS 'Start time, nanoseconds since the Unix epoch.';
COMMENT ON COLUMN spans.end_time_unix_nano IS 'End time, nanoseconds since the Unix epoch.';
COMMENT ON COLUMN spans.attributes IS 'Span attributes as a JSON object.';
COMMENT ON COLUMN spans.dropped_attributes_count IS 'Span.dropped_attributes_count as sent.';
COMMENT ON COLUMN spans.events IS 'Span events: JSON array of {timeUnixNano, name, attributes, droppedAttributesCount}.';
COMMENT ON COLUMN spans.dropped_events_count IS 'Span.dropped_events_count as sent.';
COMMENT ON COLUMN spans.links IS 'Span links: JSON array of {traceId, spanId, traceState, attributes, droppedAttributesCount, flags}.';
COMMENT ON COLUMN spans.dropped_links_count IS 'Span.dropped_links_count as sent.';
COMMENT ON COLUMN spans.status_code IS 'Status code: 0 unset, 1 ok, 2 error.';
COMMENT ON COLUMN spans.status_message IS 'Status message.';
COMMENT ON COLUMN spans.service_name IS 'service.name of the span''s resource, copied here for per-service queries.';
COMMENT ON COLUMN spans.resource_id IS 'The span''s resource (resources.resource_id).';
COMMENT ON COLUMN spans.scope_id IS 'The span''s instrumentation scope (scopes.scope_id).';
CREATE INDEX spans_trace_id_idx ON spans (trace_id);
CREATE INDEX spans_service_time_idx ON spans (service_name, time);

CREATE TABLE logs (
    time                     timestamptz NOT NULL,
    time_unix_nano           bigint   NOT NULL,
    observed_time_unix_nano  bigint   NOT NULL,
    severity_number          smallint NOT NULL,
    severity_text            text     NOT NULL,
    body                     jsonb,
    attributes               jsonb    NOT NULL,
    dropped_attributes_count bigint   NOT NULL,
    flags                    bigint   NOT NULL,
    trace_id                 bytea,
    span_id                  bytea,
    event_name               text     NOT NULL,
    service_name             text     NOT NULL,
    resource_id              bigint   NOT NULL,
    scope_id                 bigint   NOT NULL
) PARTITION BY RANGE (time);
COMMENT ON TABLE logs IS 'One row per OTLP log record, partitioned by day of its time.';
COMMENT ON COLUMN logs.time IS 'Partition key: the record''s time, else its observed time, else the time Vigil received it.';
COMMENT ON COLUMN logs.time_unix_nano IS 'LogRecord.time_unix_nano as sent (0 when unknown).';
COMMENT ON COLUMN logs.observed_time_unix_nano IS 'LogRecord.observed_time_unix_nano as sent.';
COMMENT ON COLUMN logs.severity_number IS 'SeverityNumber: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal; 0 unspecified.';
COMMENT ON COLUMN logs.severity_text IS 'Severity as the source wrote it.';
COMMENT ON COLUMN logs.body IS 'The body as a JSON value (see docs/storage.md); NULL when the record had no body.';
COMMENT ON COLUMN logs.attributes IS 'Log record attributes as a JSON object.';
COMMENT ON COLUMN logs.dropped_attributes_count IS 'LogRecord.dropped_attributes_count as sent.';
COMMENT ON COLUMN logs.flags IS 'LogRecord.flags (W3C trace flags in the low byte).';
COMMENT ON COLUMN logs.trace_id IS '16-byte trace ID of the span the record belongs to, or NULL.';
COMMENT ON COLUMN logs.span_id IS '8-byte span ID of the span the record belongs to, or NULL.';
COMMENT ON COLUMN logs.event_name IS 'LogRecord.event_name: the event this record describes, if any.';
COMMENT ON COLUMN logs.service_name IS 'service.name of the record''s resource.';
COMMENT ON COLUMN logs.resource_id IS 'The record''s resource (resources.resource_id).';
COMMENT ON COLUMN logs.scope_id IS 'The record''s instrumentation scope (scopes.scope_id).';
CREATE INDEX logs_trace_id_idx ON logs (trace_id) WHERE trace_id IS NOT NULL;

CREATE TABLE metric_series (
    series_id                bigint   PRIMARY KEY,
    name                     text     NOT NULL,
    description              text     NOT NULL,
    unit                     text     NOT NULL,
    type                     text     NOT NULL,
    temporality              smallint,
    is_monotonic             boolean,
    attributes               jsonb    NOT NULL,
    metadata                 jsonb    NOT NULL,
    service_name             text     NOT NULL,
    resource_id              bigint   NOT NULL,
    scope_id                 bigint   NOT NULL,
    first_seen               timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE metric_series IS 'One row per metric time series: a metric (name, type, unit, ...) with one set of point attributes from one resource and scope.';
COMMENT ON COLUMN metric_series.series_id IS 'Stable 64-bit hash of everything else in the row but first_seen.';
COMMENT ON COLUMN metric_series.name IS 'Metric name.';
COMMENT ON COLUMN metric_series.description IS 'Metric description.';
COMMENT ON COLUMN metric_series.unit IS 'Metric unit (UCUM).';
COMMENT ON COLUMN metric_series.type IS 'gauge, sum, histogram, exponential_histogram or summary.';
COMMENT ON COLUMN metric_series.temporality IS 'AggregationTemporality for sums and histograms: 0 unspecified, 1 delta, 2 cumulative; NULL for gauges and summaries.';
COMMENT ON COLUMN metric_series.is_monotonic IS 'Sum.is_monotonic; NULL for other types.';
COMMENT ON COLUMN metric_series.attributes IS 'Data point attributes shared by every point of the series, as a JSON object.';
COMMENT ON COLUMN metric_series.metadata IS 'Metric.metadata as a JSON object.';
COMMENT ON COLUMN metric_series.service_name IS 'service.name of the series'' resource.';
COMMENT ON COLUMN metric_series.resource_id IS 'The series'' resource (resources.resource_id).';
COMMENT ON COLUMN metric_series.scope_id IS 'The series'' instrumentation scope (scopes.scope_id).';
COMMENT ON COLUMN metric_series.first_seen IS 'When Vigil first stored this series.';
CREATE INDEX metric_series_name_idx ON metric_series (name);
CREATE INDEX metric_series_attributes_idx ON metric_series USING gin (attributes jsonb_path_ops);

CREATE TABLE metric_points (
    time                     timestamptz NOT NULL,
    series_id                bigint   NOT NULL,
    start_time_unix_nano     bigint   NOT NULL,
    time_unix_nano           bigint   NOT NULL,
    flags                    bigint   NOT NULL,
    value_double             double precision,
    value_int                bigint,
    count                    numeric(20, 0),
    sum                      double precision,
    min                      double precision,
    max                      double precision,
    bucket_counts            numeric(20, 0)[],
    explicit_bounds          double precision[],
    scale                    integer,
    zero_count               numeric(20, 0),
    zero_threshold           double precision,
    positive_offset          integer,
    positive_bucket_counts   numeric(20, 0)[],
    negative_offset          integer,
    negative_bucket_counts   numeric(20, 0)[],
    quantiles                double precision[],
    quantile_values          double precision[]
) PARTITION BY RANGE (time);
COMMENT ON TABLE metric_points IS 'One row per metric data point of any type, partitioned by day of its time; columns a type does not use are NULL.';
COMMENT ON COLUMN metric_points.time IS 'Point time (microsecond precision), the partition key; the exact value is time_unix_nano.';
COMMENT ON COLUMN metric_points.series_id IS 'The series (metric_series.series_id).';
COMMENT ON COLUMN metric_points.start_time_unix_nano IS 'Start of the aggregation interval, nanoseconds since the Unix epoch (0 when unset).';
COMMENT ON COLUMN metric_points.time_unix_nano IS 'Point time, nanoseconds since the Unix epoch.';
COMMENT ON COLUMN metric_points.flags IS 'DataPointFlags (1 = no recorded value).';
COMMENT ON COLUMN metric_points.value_double IS 'Gauge/sum value when sent as a double.';
COMMENT ON COLUMN metric_points.value_int IS 'Gauge/sum value when sent as an integer.';
COMMENT ON COLUMN metric_points.count IS 'Histogram, exponential histogram and summary: number of measurements.';
COMMENT ON COLUMN metric_points.sum IS 'Histogram, exponential histogram and summary: sum of measurements (NULL when not sent).';
COMMENT ON COLUMN metric_points.min IS 'Histogram and exponential histogram: minimum (NULL when not sent).';
COMMENT ON COLUMN metric_points.max IS 'Histogram and exponential histogram: maximum (NULL when not sent).';
COMMENT ON COLUMN metric_points.bucket_counts IS 'Histogram: count per bucket; bucket i covers (explicit_bounds[i-1], explicit_bounds[i]].';
COMMENT ON COLUMN metric_points.explicit_bounds IS 'Histogram: bucket upper bounds.';
COMMENT ON COLUMN metric_points.scale IS 'Exponential histogram: scale (base = 2^(2^-scale)).';
COMMENT ON COLUMN metric_points.zero_count IS 'Exponential histogram: count of values in the zero bucket.';
COMMENT ON COLUMN metric_points.zero_threshold IS 'Exponential histogram: width of the zero bucket.';
COMMENT ON COLUMN metric_points.positive_offset IS 'Exponential histogram: index of the first positive bucket.';
COMMENT ON COLUMN metric_points.positive_bucket_counts IS 'Exponential histogram: positive bucket counts.';
COMMENT ON COLUMN metric_points.negative_offset IS 'Exponential histogram: index of the first negative bucket.';
COMMENT ON COLUMN metric_points.negative_bucket_counts IS 'Exponential histogram: negative bucket counts.';
COMMENT ON COLUMN metric_points.quantiles IS 'Summary: the quantiles (0..1), parallel to quantile_values.';
COMMENT ON COLUMN metric_points.quantile_values IS 'Summary: the value at each quantile.';
CREATE INDEX metric_points_series_time_idx ON metric_points (series_id, time);

CREATE TABLE exemplars (
    time                     timestamptz NOT NULL,
    series_id                bigint   NOT NULL,
    point_time_unix_nano     bigint   NOT NULL,
    ordinal                  integer  NOT NULL,
    time_unix_nano           bigint   NOT NULL,
    value_double             double precision,
    value_int                bigint,
    trace_id                 bytea,
    span_id                  bytea,
    filtered_attributes      jsonb    NOT NULL
) PARTITION BY RANGE (time);
COMMENT ON TABLE exemplars IS 'Exemplars of metric data points, partitioned by day of their point''s time; trace_id links a measurement to the trace that produced it.';
COMMENT ON COLUMN exemplars.time IS 'Time of the data point the exemplar belongs to, the partition key.';
COMMENT ON COLUMN exemplars.series_id IS 'The series (metric_series.series_id) of the point.';
COMMENT ON COLUMN exemplars.point_time_unix_nano IS 'time_unix_nano of the point the exemplar belongs to.';
COMMENT ON COLUMN exemplars.ordinal IS 'Position of the exemplar in its point''s list, from 0.';
COMMENT ON COLUMN exemplars.time_unix_nano IS 'Time of the measurement, nanoseconds since the Unix epoch.';
COMMENT ON COLUMN exemplars.value_double IS 'Measured value when sent as a double.';
COMMENT ON COLUMN exemplars.value_int IS 'Measured value when sent as an integer.';
COMMENT ON COLUMN exemplars.trace_id IS '16-byte trace ID of the span active at measurement, or NULL.';
COMMENT ON COLUMN exemplars.span_id IS '8-byte span ID of the span active at measurement, or NULL.';
COMMENT ON COLUMN exemplars.filtered_attributes IS 'Attributes of the measurement that the aggregation dropped, as a JSON object.';
CREATE INDEX exemplars_trace_id_idx ON exemplars (trace_id) WHERE trace_id IS NOT NULL;
