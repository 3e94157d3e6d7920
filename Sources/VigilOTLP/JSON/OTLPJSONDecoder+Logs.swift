import VigilModel

extension OTLPJSONDecoder {
    static let severityNames = ["SEVERITY_NUMBER_UNSPECIFIED"] + ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"].flatMap { level in
        ["SEVERITY_NUMBER_\(level)", "SEVERITY_NUMBER_\(level)2", "SEVERITY_NUMBER_\(level)3", "SEVERITY_NUMBER_\(level)4"]
    }

    /// Decodes an `ExportLogsServiceRequest` in OTLP/JSON.
    public static func decodeLogs(_ body: [UInt8]) throws(OTLPDecodingError) -> ExportBatch<LogRecord> {
        let root = try parse(body)
        var batch = ExportBatch<LogRecord>()
        for resourceLogs in try root.objects("resourceLogs", "resource_logs") {
            let resource = try resource(resourceLogs)
            for scopeLogs in try resourceLogs.objects("scopeLogs", "scope_logs") {
                let scope = try scope(scopeLogs)
                var records: [LogRecord] = []
                for object in try scopeLogs.objects("logRecords", "log_records") {
                    switch try logRecord(object) {
                    case .success(let record): records.append(record)
                    case .failure(let rejection): batch.rejected.record(rejection.reason)
                    }
                }
                batch.groups.append(ScopedItems(resource: resource, scope: scope, items: records))
            }
        }
        return batch
    }

    private static func logRecord(_ object: JSONObject) throws(OTLPDecodingError) -> Result<LogRecord, ItemRejection> {
        let traceIDField = try Self.traceID(object, "traceId", "trace_id")
        let spanIDField = try Self.spanID(object, "spanId", "span_id")
        let body: AttributeValue? = try object.object("body").map { (value) throws(OTLPDecodingError) in try anyValue(value) }
        let record = LogRecord(
            timeUnixNano: try object.uint64("timeUnixNano", "time_unix_nano"),
            observedTimeUnixNano: try object.uint64("observedTimeUnixNano", "observed_time_unix_nano"),
            severityNumber: try object.enumValue("severityNumber", "severity_number", names: severityNames),
            severityText: try object.string("severityText", "severity_text"),
            body: body, attributes: try attributes(object, "attributes"),
            droppedAttributesCount: try object.uint32("droppedAttributesCount", "dropped_attributes_count"),
            flags: try object.uint32("flags"), eventName: try object.string("eventName", "event_name"))
        switch (traceIDField, spanIDField) {
        case (.success(let traceID), .success(let spanID)):
            var result = record
            result.traceID = traceID?.isZero == true ? nil : traceID
            result.spanID = spanID?.isZero == true ? nil : spanID
            return .success(result)
        case (.failure(let rejection), _), (_, .failure(let rejection)):
            return .failure(rejection)
        }
    }
}
