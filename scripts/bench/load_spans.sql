-- Query benchmark (scripts/bench-query): one chunk of traces [:lo, :hi) — their 10 spans each,
-- 2 log records each (one per 5 spans, on spans 0 and 5) and their trace index rows, in one
-- transaction. Needs load_functions.sql; psql variables lo, hi, window_start_us, trace_step_us.

BEGIN;

INSERT INTO spans (time, trace_id, span_id, parent_span_id, trace_state, flags, name, kind, start_time_unix_nano,
                   end_time_unix_nano, attributes, dropped_attributes_count, events, dropped_events_count, links,
                   dropped_links_count, status_code, status_message, service_name, resource_id, scope_id)
SELECT 'epoch'::timestamptz + a.start_us * interval '1 microsecond',
       bench.trace_id(t), bench.span_id(t, k), CASE WHEN k > 0 THEN bench.span_id(t, bench.parent(k)) END,
       '', 1, n.name, a.kind, c.start_ns,
       c.start_ns + bench.lognormal_ns(CASE k % 3 WHEN 0 THEN 20e6 WHEN 1 THEN 2e6 ELSE 15e6 END, 0.8),
       CASE a.kind
         WHEN 2 THEN jsonb_build_object(
           'http.request.method', b.method, 'http.route', c.route, 'http.response.status_code', CASE WHEN a.err THEN 500 ELSE 200 END,
           'url.scheme', 'http', 'url.path', replace(c.route, '{id}', (t % 100000)::text), 'server.address', b.service || '.svc',
           'server.port', 8080, 'network.protocol.version', '1.1', 'client.address', '10.1.' || (t % 250) || '.' || (k * 20 + 3),
           'user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) bench/' || (t % 7), 'app.request.id', md5(t::text || k)::uuid::text)
         WHEN 3 THEN jsonb_build_object(
           'http.request.method', b.method, 'url.full', 'http://' || b.callee || '.svc:8080' || replace(c.route, '{id}', (t % 100000)::text),
           'http.response.status_code', CASE WHEN a.err THEN 500 ELSE 200 END, 'server.address', b.callee || '.svc',
           'server.port', 8080, 'network.protocol.version', '1.1', 'network.peer.address', '10.2.' || (t % 250) || '.9',
           'http.request.resend_count', 0, 'thread.name', 'worker-' || (t % 16), 'app.retry', false)
         ELSE jsonb_build_object(
           'db.system', 'postgresql', 'db.namespace', replace(b.service, '-', '_'), 'db.operation.name', 'SELECT',
           'db.collection.name', 'items', 'db.query.text', 'SELECT * FROM items WHERE id = $1 AND tenant = $2',
           'server.address', 'db-' || (t % 3) || '.internal', 'server.port', 5432, 'db.response.returned_rows', t % 40,
           'thread.name', 'worker-' || (t % 16), 'code.function.name', 'Repository.load')
       END,
       0, '[]'::jsonb, 0, '[]'::jsonb, 0,
       CASE WHEN a.err THEN 2 ELSE 0 END, CASE WHEN a.err THEN 'upstream returned 500' ELSE '' END,
       b.service, bench.resource_id(a.si, t), bench.scope_id(k)
FROM generate_series(:lo::bigint, :hi::bigint - 1) AS t, generate_series(0, 9) AS k,
     LATERAL (SELECT bench.service_index(t, k) AS si, bench.route_index(t, k) AS ri, bench.is_error(t, k) AS err,
                     bench.start_us(:window_start_us, :trace_step_us, t, k) AS start_us, (ARRAY[2, 1, 3])[k % 3 + 1]::smallint AS kind) AS a,
     LATERAL (SELECT (bench.services())[a.si + 1] AS service, (bench.services())[bench.service_index(t, k + 1) + 1] AS callee,
                     bench.method(a.ri) AS method) AS b,
     LATERAL (SELECT bench.route(CASE WHEN k % 3 = 2 THEN b.callee ELSE b.service END, a.ri) AS route,
                     a.start_us * 1000 + (hashint8(t * 16 + k) & 511) AS start_ns) AS c,
     LATERAL (SELECT CASE a.kind WHEN 1 THEN 'SELECT ' || replace(b.service, '-', '_') || '.items' ELSE b.method || ' ' || c.route END AS name) AS n;

INSERT INTO logs (time, time_unix_nano, observed_time_unix_nano, severity_number, severity_text, body, attributes,
                  dropped_attributes_count, flags, trace_id, span_id, event_name, service_name, resource_id, scope_id)
SELECT 'epoch'::timestamptz + log_us * interval '1 microsecond', log_us * 1000, log_us * 1000 + 350000,
       CASE WHEN err THEN 17 ELSE 9 END, CASE WHEN err THEN 'ERROR' ELSE 'INFO' END,
       to_jsonb(CASE WHEN err THEN 'request to ' || route || ' failed: upstream returned 500 after retries'
                     ELSE 'handled ' || route || ' for customer ' || (t % 5000) || ' in region eu-west-' || (t % 3) END),
       jsonb_build_object('logger.name', service || '.http', 'thread.name', 'worker-' || (t % 16),
                          'code.function.name', 'Handler.handle', 'app.request.id', md5(t::text || k)::uuid::text),
       0, 1, bench.trace_id(t), bench.span_id(t, k), '', service, bench.resource_id(si, t), bench.scope_id(k)
FROM (
    SELECT t, k, si, (bench.services())[si + 1] AS service, bench.is_error(t, k) AS err,
           bench.start_us(:window_start_us, :trace_step_us, t, k) + 1000 AS log_us,
           bench.route(CASE WHEN k % 3 = 2 THEN (bench.services())[bench.service_index(t, k + 1) + 1] ELSE (bench.services())[si + 1] END,
                       bench.route_index(t, k)) AS route
    FROM generate_series(:lo::bigint, :hi::bigint - 1) AS t, unnest(ARRAY[0, 5]) AS k,
         LATERAL (SELECT bench.service_index(t, k) AS si) AS x
) AS l;

-- first_time: the root span; last_time: span 9, the latest thing in the trace (log records are at +1 ms).
INSERT INTO traces (trace_id, first_time, last_time)
SELECT bench.trace_id(t),
       'epoch'::timestamptz + bench.start_us(:window_start_us, :trace_step_us, t, 0) * interval '1 microsecond',
       'epoch'::timestamptz + bench.start_us(:window_start_us, :trace_step_us, t, 9) * interval '1 microsecond'
FROM generate_series(:lo::bigint, :hi::bigint - 1) AS t;

COMMIT;
