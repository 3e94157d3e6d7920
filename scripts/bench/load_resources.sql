-- Query benchmark (scripts/bench-query): the resources (two hosts per service) and the three
-- instrumentation scopes the generated spans and logs reference. Needs load_functions.sql.

INSERT INTO resources (resource_id, service_name, attributes, dropped_attributes_count, entity_refs, schema_url)
SELECT bench.resource_id(si, host), service,
       jsonb_build_object('service.name', service, 'service.namespace', 'shop', 'service.version', '1.' || si || '.3',
                          'service.instance.id', md5(service || host)::uuid::text, 'host.name', service || '-' || host,
                          'host.arch', 'amd64', 'os.type', 'linux', 'process.runtime.name', 'swift',
                          'telemetry.sdk.name', 'opentelemetry', 'telemetry.sdk.language', 'swift',
                          'telemetry.sdk.version', '1.9.0', 'deployment.environment.name', 'production',
                          'k8s.namespace.name', 'shop', 'k8s.pod.name', service || '-7d9f8-' || host),
       0, '[]'::jsonb, 'https://opentelemetry.io/schemas/1.26.0'
FROM generate_series(0, 19) AS si, generate_series(0, 1) AS host,
     LATERAL (SELECT (bench.services())[si + 1] AS service) AS s;

INSERT INTO scopes (scope_id, name, version, attributes, dropped_attributes_count, schema_url)
VALUES (bench.scope_id(0), 'io.opentelemetry.http.server', '2.1.0', '{}', 0, ''),
       (bench.scope_id(1), 'io.opentelemetry.postgresql', '2.1.0', '{}', 0, ''),
       (bench.scope_id(2), 'io.opentelemetry.http.client', '2.1.0', '{}', 0, '');
