import VigilModel

extension TelemetryEncoder {
    /// Encodes the spans of one export request.
    public func encode(spans export: ExportBatch<Span>) -> EncodedBatch {
        var batch = EncodedBatch()
        batch.spans.reserveCapacity(export.itemCount * 1200)
        for group in export.groups {
            guard let (resourceID, scopeID) = groupIDs(group, itemCount: group.items.count, what: "spans", into: &batch) else { continue }
            let service = group.resource.serviceName
            for index in group.items.indices {
                do throws(Rejection) {
                    let span = group.items[index]
                    let start = try checkedTime(span.startTimeUnixNano, what: "start time")
                    guard span.endTimeUnixNano <= UInt64(Int64.max) else { throw Rejection(reason: "end time \(span.endTimeUnixNano) is beyond the year 2262") }
                    try CopyTextRow.append(to: &batch.spans, nulError: Rejection(reason: Self.nulReason)) { (row: inout CopyTextRow) throws(Rejection) in
                        Self.write(span, start: start, service: service, resourceID: resourceID, scopeID: scopeID, to: &row)
                    }
                    batch.notePartitions(EncodedBatch.spanTables, unixNano: start)
                    batch.rollup.record(
                        service: service, operation: span.name, kind: span.kind, startNanos: start,
                        durationNanos: Int64(span.endTimeUnixNano) &- start, isError: span.status.code == 2)
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
    private static func write(_ span: Span, start: Int64, service: String, resourceID: Int64, scopeID: Int64, to row: inout CopyTextRow) {
        row.timestamp(unixNano: start)
        row.traceID(span.traceID)
        row.spanID(span.spanID)
        if let parent = span.parentSpanID { row.spanID(parent) } else { row.null() }
        row.text(span.traceState)
        row.integer(span.flags)
        row.text(span.name)
        row.integer(span.kind)
        row.integer(start)
        row.integer(Int64(span.endTimeUnixNano))
        row.json { AttributeJSON.write(span.attributes, to: &$0) }
        row.integer(span.droppedAttributesCount)
        row.json { writeEvents(span.events, to: &$0) }
        row.integer(span.droppedEventsCount)
        row.json { writeLinks(span.links, to: &$0) }
        row.integer(span.droppedLinksCount)
        row.integer(span.status.code)
        row.text(span.status.message)
        row.text(service)
        row.integer(resourceID)
        row.integer(scopeID)
    }

    static func writeEvents(_ events: [Span.Event], to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "["))
        for index in events.indices {
            let event = events[index]
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.raw("{\"timeUnixNano\":"); writer.integer(event.timeUnixNano)
            writer.raw(",\"name\":"); writer.string(event.name)
            writer.raw(",\"attributes\":"); AttributeJSON.write(event.attributes, to: &writer)
            writer.raw(",\"droppedAttributesCount\":"); writer.integer(event.droppedAttributesCount)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "]"))
    }

    static func writeLinks(_ links: [Span.Link], to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "["))
        for index in links.indices {
            let link = links[index]
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.raw("{\"traceId\":"); writer.string(link.traceID.hex)
            writer.raw(",\"spanId\":"); writer.string(link.spanID.hex)
            writer.raw(",\"traceState\":"); writer.string(link.traceState)
            writer.raw(",\"attributes\":"); AttributeJSON.write(link.attributes, to: &writer)
            writer.raw(",\"droppedAttributesCount\":"); writer.integer(link.droppedAttributesCount)
            writer.raw(",\"flags\":"); writer.integer(link.flags)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "]"))
    }
}
