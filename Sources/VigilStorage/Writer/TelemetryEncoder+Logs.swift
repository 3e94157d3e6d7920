import VigilModel

extension TelemetryEncoder {
    /// Encodes the log records of one export request. A record with neither time nor observed
    /// time is filed under `receivedUnixNano`.
    public func encode(logs export: ExportBatch<LogRecord>, receivedUnixNano: Int64) -> EncodedBatch {
        var batch = EncodedBatch()
        for group in export.groups {
            guard let (resourceID, scopeID) = groupIDs(group, itemCount: group.items.count, what: "log records", into: &batch) else { continue }
            let service = group.resource.serviceName
            for record in group.items {
                do throws(Rejection) {
                    let time = try partitionTime(of: record, received: receivedUnixNano)
                    try CopyTextRow.append(to: &batch.logs, nulError: Rejection(reason: Self.nulReason)) { (row: inout CopyTextRow) throws(Rejection) in
                        Self.write(record, time: time, service: service, resourceID: resourceID, scopeID: scopeID, to: &row)
                    }
                    batch.notePartitions(EncodedBatch.logTables, unixNano: time)
                    if let traceID = record.traceID { batch.noteTrace(traceID, at: time) }
                    batch.rowCount += 1
                } catch {
                    batch.rejected.record("log record: \(error.reason)")
                }
            }
        }
        return batch
    }

    private func partitionTime(of record: LogRecord, received: Int64) throws(Rejection) -> Int64 {
        guard record.timeUnixNano <= UInt64(Int64.max), record.observedTimeUnixNano <= UInt64(Int64.max) else {
            throw Rejection(reason: "timestamp is beyond the year 2262")
        }
        if record.timeUnixNano != 0 { return try checkedTime(record.timeUnixNano, what: "time") }
        if record.observedTimeUnixNano != 0 { return try checkedTime(record.observedTimeUnixNano, what: "observed time") }
        return received
    }

    /// The columns of `logs`, in table order.
    private static func write(_ record: LogRecord, time: Int64, service: String, resourceID: Int64, scopeID: Int64, to row: inout CopyTextRow) {
        row.timestamp(unixNano: time)
        row.integer(Int64(record.timeUnixNano))
        row.integer(Int64(record.observedTimeUnixNano))
        row.integer(record.severityNumber)
        row.text(record.severityText)
        if let body = record.body { row.json { AttributeJSON.write(body, to: &$0) } } else { row.null() }
        row.json { AttributeJSON.write(record.attributes, to: &$0) }
        row.integer(record.droppedAttributesCount)
        row.integer(record.flags)
        if let traceID = record.traceID { row.traceID(traceID) } else { row.null() }
        if let spanID = record.spanID { row.spanID(spanID) } else { row.null() }
        row.text(record.eventName)
        row.text(service)
        row.integer(resourceID)
        row.integer(scopeID)
    }
}
