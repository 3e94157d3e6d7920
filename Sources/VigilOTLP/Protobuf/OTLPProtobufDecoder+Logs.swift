import COTLP
import VigilModel

extension OTLPProtobufDecoder {
    /// Decodes an `ExportLogsServiceRequest`.
    public static func decodeLogs(_ body: some OTLPRequestBytes) throws(OTLPDecodingError) -> ExportBatch<LogRecord> {
        try withUnpacked(
            body,
            unpack: { opentelemetry__proto__collector__logs__v1__export_logs_service_request__unpack($0, $1, $2) },
            name: "ExportLogsServiceRequest"
        ) { request in
            var batch = ExportBatch<LogRecord>()
            for (r, resourceLogs) in array(request.pointee.resource_logs, request.pointee.n_resource_logs, { $0 }).enumerated() {
                let resource = resource(resourceLogs.pointee.resource, schemaURL: resourceLogs.pointee.schema_url)
                for (s, scopeLogs) in array(resourceLogs.pointee.scope_logs, resourceLogs.pointee.n_scope_logs, { $0 }).enumerated() {
                    let scope = scope(scopeLogs.pointee.scope, schemaURL: scopeLogs.pointee.schema_url)
                    var records: [LogRecord] = []
                    for (i, cRecord) in array(scopeLogs.pointee.log_records, scopeLogs.pointee.n_log_records, { $0 }).enumerated() {
                        let record = cRecord.pointee
                        let traceID: TraceID?
                        let spanID: SpanID?
                        switch (optionalTraceID(record.trace_id, field: "traceId"), optionalSpanID(record.span_id, field: "spanId")) {
                        case (.success(let t), .success(let s)):
                            traceID = t
                            spanID = s
                        case (.failure(let rejection), _), (_, .failure(let rejection)):
                            batch.rejected.record("resourceLogs[\(r)].scopeLogs[\(s)].logRecords[\(i)]: \(rejection.reason)")
                            continue
                        }
                        records.append(LogRecord(
                            timeUnixNano: record.time_unix_nano, observedTimeUnixNano: record.observed_time_unix_nano,
                            severityNumber: Int32(record.severity_number.rawValue), severityText: string(record.severity_text),
                            body: record.body.map { anyValue($0) }, attributes: attributes(record.attributes, record.n_attributes),
                            droppedAttributesCount: record.dropped_attributes_count, flags: record.flags, traceID: traceID, spanID: spanID,
                            eventName: string(record.event_name)))
                    }
                    batch.groups.append(ScopedItems(resource: resource, scope: scope, items: records))
                }
            }
            return batch
        }
    }
}
