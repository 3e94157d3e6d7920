import VigilModel

extension TelemetryEncoder {
    /// Encodes the spans of one export request.
    public func encode(spans export: ExportBatch<Span>) -> EncodedBatch {
        var batch = EncodedBatch()
        for group in export.groups {
            guard let (resourceID, scopeID) = groupIDs(group, itemCount: group.items.count, what: "spans", into: &batch) else { continue }
            let service = group.resource.serviceName
            for span in group.items {
                do throws(Rejection) {
                    let row = try encode(span, service: service, resourceID: resourceID, scopeID: scopeID)
                    batch.spans += row.bytes
                    batch.partitions.insert(PartitionKey(table: "spans", day: CivilTime.day(ofUnixNano: row.time)))
                    batch.noteTrace(span.traceID, at: row.time)
                    batch.rowCount += 1
                } catch {
                    batch.rejected.record("span \(span.traceID)/\(span.spanID): \(error.reason)")
                }
            }
        }
        return batch
    }

    private func encode(_ span: Span, service: String, resourceID: Int64, scopeID: Int64) throws(Rejection) -> (bytes: [UInt8], time: Int64) {
        let start = try checkedTime(span.startTimeUnixNano, what: "start time")
        guard span.endTimeUnixNano <= UInt64(Int64.max) else { throw Rejection(reason: "end time \(span.endTimeUnixNano) is beyond the year 2262") }
        var row = CopyTextRow(capacity: 1024)
        row.timestamp(unixNano: start)
        row.bytea(span.traceID.bytes)
        row.bytea(span.spanID.bytes)
        if let parent = span.parentSpanID { row.bytea(parent.bytes) } else { row.null() }
        row.text(span.traceState)
        row.integer(span.flags)
        row.text(span.name)
        row.integer(span.kind)
        row.integer(start)
        row.integer(Int64(span.endTimeUnixNano))
        row.json(Self.attributesJSON(span.attributes))
        row.integer(span.droppedAttributesCount)
        row.json(Self.eventsJSON(span.events))
        row.integer(span.droppedEventsCount)
        row.json(Self.linksJSON(span.links))
        row.integer(span.droppedLinksCount)
        row.integer(span.status.code)
        row.text(span.status.message)
        row.text(service)
        row.integer(resourceID)
        row.integer(scopeID)
        guard !row.containsNUL else { throw Rejection(reason: Self.nulReason) }
        return (row.finish(), start)
    }

    static func eventsJSON(_ events: [Span.Event]) -> [UInt8] {
        var writer = JSONWriter(capacity: 2 + events.count * 96)
        writer.byte(UInt8(ascii: "["))
        for (index, event) in events.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.raw("{\"timeUnixNano\":"); writer.integer(event.timeUnixNano)
            writer.raw(",\"name\":"); writer.string(event.name)
            writer.raw(",\"attributes\":"); AttributeJSON.write(event.attributes, to: &writer)
            writer.raw(",\"droppedAttributesCount\":"); writer.integer(event.droppedAttributesCount)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "]"))
        return writer.bytes
    }

    static func linksJSON(_ links: [Span.Link]) -> [UInt8] {
        var writer = JSONWriter(capacity: 2 + links.count * 128)
        writer.byte(UInt8(ascii: "["))
        for (index, link) in links.enumerated() {
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
        return writer.bytes
    }
}
