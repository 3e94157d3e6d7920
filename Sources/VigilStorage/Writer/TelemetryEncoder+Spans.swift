import VigilModel

extension TelemetryEncoder {
    /// Encodes the spans of one export request.
    public func encode<Record: SpanRecord>(spans export: ExportBatch<Record>) -> EncodedBatch {
        var batch = EncodedBatch()
        batch.spans.reserveCapacity(export.itemCount * 1200)
        batch.traceRanges.reserveCapacity(export.itemCount)
        for group in export.groups {
            guard let (resourceID, scopeID) = groupIDs(group, itemCount: group.items.count, what: "spans", into: &batch) else { continue }
            let service = group.resource.serviceName
            for index in group.items.indices {
                do throws(Rejection) {
                    let span = group.items[index]
                    let name = span.name
                    let start = try checkedTime(span.startTimeUnixNano, what: "start time")
                    guard span.endTimeUnixNano <= UInt64(Int64.max) else { throw Rejection(reason: "end time \(span.endTimeUnixNano) is beyond the year 2262") }
                    try CopyTextRow.append(to: &batch.spans, nulError: Rejection(reason: Self.nulReason)) { (row: inout CopyTextRow) throws(Rejection) in
                        Self.write(span, name: name, start: start, service: service, resourceID: resourceID, scopeID: scopeID, to: &row)
                    }
                    batch.notePartitions(EncodedBatch.spanTables, unixNano: start)
                    batch.rollup.record(
                        service: service, operation: name, kind: span.kind, startNanos: start,
                        durationNanos: Int64(span.endTimeUnixNano) &- start, isError: span.statusCode == 2)
                    batch.noteTrace(span.traceID, at: start)
                    batch.rowCount += 1
                } catch {
                    let span = group.items[index]
                    batch.rejected.record("span \(span.traceID)/\(span.spanID): \(error.reason)")
                }
            }
        }
        return batch
    }

    /// The columns of `spans`, in table order.
    private static func write(_ span: some SpanRecord, name: String, start: Int64, service: String, resourceID: Int64, scopeID: Int64, to row: inout CopyTextRow) {
        row.timestamp(unixNano: start)
        row.traceID(span.traceID)
        row.spanID(span.spanID)
        if let parent = span.parentSpanID { row.spanID(parent) } else { row.null() }
        row.text(span.traceState)
        row.integer(span.flags)
        row.text(name)
        row.integer(span.kind)
        row.integer(start)
        row.integer(Int64(span.endTimeUnixNano))
        row.json { span.writeAttributes(to: &$0) }
        row.integer(span.droppedAttributesCount)
        row.json { span.writeEvents(to: &$0) }
        row.integer(span.droppedEventsCount)
        row.json { span.writeLinks(to: &$0) }
        row.integer(span.droppedLinksCount)
        row.integer(span.statusCode)
        row.text(span.statusMessage)
        row.text(service)
        row.integer(resourceID)
        row.integer(scopeID)
    }
}
