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
                    let row = try encode(record, received: receivedUnixNano, service: service, resourceID: resourceID, scopeID: scopeID)
                    batch.logs += row.bytes
                    batch.partitions.insert(PartitionKey(table: "logs", day: CivilTime.day(ofUnixNano: row.time)))
                    if let traceID = record.traceID { batch.noteTrace(traceID, at: row.time) }
                    batch.rowCount += 1
                } catch {
                    batch.rejected.record("log record: \(error.reason)")
                }
            }
        }
        return batch
    }

    private func encode(_ record: LogRecord, received: Int64, service: String, resourceID: Int64, scopeID: Int64) throws(Rejection) -> (bytes: [UInt8], time: Int64) {
        let time: Int64
        if record.timeUnixNano != 0 {
            time = try checkedTime(record.timeUnixNano, what: "time")
        } else if record.observedTimeUnixNano != 0 {
            time = try checkedTime(record.observedTimeUnixNano, what: "observed time")
        } else {
            time = received
        }
        guard record.timeUnixNano <= UInt64(Int64.max), record.observedTimeUnixNano <= UInt64(Int64.max) else {
            throw Rejection(reason: "timestamp is beyond the year 2262")
        }
        var row = CopyTextRow(capacity: 512)
        row.timestamp(unixNano: time)
        row.integer(Int64(record.timeUnixNano))
        row.integer(Int64(record.observedTimeUnixNano))
        row.integer(record.severityNumber)
        row.text(record.severityText)
        if let body = record.body {
            var writer = JSONWriter()
            AttributeJSON.write(body, to: &writer)
            row.json(writer.bytes)
        } else {
            row.null()
        }
        row.json(Self.attributesJSON(record.attributes))
        row.integer(record.droppedAttributesCount)
        row.integer(record.flags)
        if let traceID = record.traceID { row.bytea(traceID.bytes) } else { row.null() }
        if let spanID = record.spanID { row.bytea(spanID.bytes) } else { row.null() }
        row.text(record.eventName)
        row.text(service)
        row.integer(resourceID)
        row.integer(scopeID)
        guard !row.containsNUL else { throw Rejection(reason: Self.nulReason) }
        return (row.finish(), time)
    }
}
