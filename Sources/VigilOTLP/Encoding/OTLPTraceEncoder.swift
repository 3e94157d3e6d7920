import Foundation
import VigilModel

/// Writes spans, grouped by resource and scope, as OTLP: protobuf `TracesData` and OTLP/JSON
/// `resourceSpans` (trace and span IDs in hex, 64-bit integers as strings, enums as numbers).
public enum OTLPTraceEncoder {
    /// `TracesData` in protobuf (field 1, `resource_spans`, is also Tempo's `batches`).
    public static func protobuf(_ groups: [ScopedItems<Span>]) -> [UInt8] {
        var data = ProtobufWriter()
        for group in groups {
            data.message(field: 1) { resourceSpans in
                resourceSpans.message(field: 1) { resource(group.resource, &$0) }
                resourceSpans.message(field: 2) { scopeSpans in
                    scopeSpans.message(field: 1) { scope(group.scope, &$0) }
                    for span in group.items { scopeSpans.message(field: 2) { self.span(span, &$0) } }
                    scopeSpans.stringIfSet(field: 3, group.scope.schemaURL)
                }
                resourceSpans.stringIfSet(field: 3, group.resource.schemaURL)
            }
        }
        return data.bytes
    }

    /// `payload` as the length-delimited message field `field` of an enclosing message.
    public static func wrapped(field: Int, _ payload: [UInt8]) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.message(field: field, payload)
        return writer.bytes
    }

    /// The `resourceSpans` array in OTLP/JSON.
    public static func json(_ groups: [ScopedItems<Span>], to w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (index, group) in groups.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"resource\":{\"attributes\":"); keyValues(group.resource.attributes, &w)
            w.raw(",\"droppedAttributesCount\":"); w.integer(group.resource.droppedAttributesCount)
            w.raw("},\"scopeSpans\":[{\"scope\":{\"name\":"); w.string(group.scope.name)
            w.raw(",\"version\":"); w.string(group.scope.version)
            w.raw(",\"attributes\":"); keyValues(group.scope.attributes, &w)
            w.raw(",\"droppedAttributesCount\":"); w.integer(group.scope.droppedAttributesCount)
            w.raw("},\"spans\":[")
            for (spanIndex, span) in group.items.enumerated() {
                if spanIndex > 0 { w.byte(UInt8(ascii: ",")) }
                spanJSON(span, &w)
            }
            w.raw("],\"schemaUrl\":"); w.string(group.scope.schemaURL)
            w.raw("}],\"schemaUrl\":"); w.string(group.resource.schemaURL)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }

    // MARK: Protobuf

    private static func resource(_ resource: Resource, _ w: inout ProtobufWriter) {
        for attribute in resource.attributes { w.message(field: 1) { keyValue(attribute, &$0) } }
        w.varintIfSet(field: 2, UInt64(resource.droppedAttributesCount))
        for ref in resource.entityRefs {
            w.message(field: 3) { entity in
                entity.stringIfSet(field: 1, ref.schemaURL)
                entity.stringIfSet(field: 2, ref.type)
                for key in ref.idKeys { entity.string(field: 3, key) }
                for key in ref.descriptionKeys { entity.string(field: 4, key) }
            }
        }
    }

    private static func scope(_ scope: InstrumentationScope, _ w: inout ProtobufWriter) {
        w.stringIfSet(field: 1, scope.name)
        w.stringIfSet(field: 2, scope.version)
        for attribute in scope.attributes { w.message(field: 3) { keyValue(attribute, &$0) } }
        w.varintIfSet(field: 4, UInt64(scope.droppedAttributesCount))
    }

    private static func span(_ span: Span, _ w: inout ProtobufWriter) {
        w.bytesIfSet(field: 1, span.traceID.bytes)
        w.bytesIfSet(field: 2, span.spanID.bytes)
        w.stringIfSet(field: 3, span.traceState)
        if let parent = span.parentSpanID { w.bytesIfSet(field: 4, parent.bytes) }
        w.stringIfSet(field: 5, span.name)
        w.varintIfSet(field: 6, UInt64(bitPattern: Int64(span.kind)))
        w.fixed64IfSet(field: 7, span.startTimeUnixNano)
        w.fixed64IfSet(field: 8, span.endTimeUnixNano)
        for attribute in span.attributes { w.message(field: 9) { keyValue(attribute, &$0) } }
        w.varintIfSet(field: 10, UInt64(span.droppedAttributesCount))
        for event in span.events {
            w.message(field: 11) { e in
                e.fixed64IfSet(field: 1, event.timeUnixNano)
                e.stringIfSet(field: 2, event.name)
                for attribute in event.attributes { e.message(field: 3) { keyValue(attribute, &$0) } }
                e.varintIfSet(field: 4, UInt64(event.droppedAttributesCount))
            }
        }
        w.varintIfSet(field: 12, UInt64(span.droppedEventsCount))
        for link in span.links {
            w.message(field: 13) { l in
                l.bytesIfSet(field: 1, link.traceID.bytes)
                l.bytesIfSet(field: 2, link.spanID.bytes)
                l.stringIfSet(field: 3, link.traceState)
                for attribute in link.attributes { l.message(field: 4) { keyValue(attribute, &$0) } }
                l.varintIfSet(field: 5, UInt64(link.droppedAttributesCount))
                l.fixed32IfSet(field: 6, link.flags)
            }
        }
        w.varintIfSet(field: 14, UInt64(span.droppedLinksCount))
        if span.status.code != 0 || !span.status.message.isEmpty {
            w.message(field: 15) { status in
                status.stringIfSet(field: 2, span.status.message)
                status.varintIfSet(field: 3, UInt64(bitPattern: Int64(span.status.code)))
            }
        }
        w.fixed32IfSet(field: 16, span.flags)
    }

    private static func keyValue(_ attribute: Attribute, _ w: inout ProtobufWriter) {
        w.stringIfSet(field: 1, attribute.key)
        w.message(field: 2) { anyValue(attribute.value, &$0) }
    }

    private static func anyValue(_ value: AttributeValue, _ w: inout ProtobufWriter) {
        switch value {
        case .string(let text): w.string(field: 1, text)
        case .bool(let flag): w.varint(field: 2, flag ? 1 : 0)
        case .int(let number): w.varint(field: 3, UInt64(bitPattern: number))
        case .double(let number): w.double(field: 4, number)
        case .array(let elements): w.message(field: 5) { array in for element in elements { array.message(field: 1) { anyValue(element, &$0) } } }
        case .kvlist(let attributes): w.message(field: 6) { list in for attribute in attributes { list.message(field: 1) { keyValue(attribute, &$0) } } }
        case .bytes(let bytes): w.message(field: 7, bytes)
        case .empty: break
        }
    }

    // MARK: JSON

    private static func spanJSON(_ span: Span, _ w: inout JSONWriter) {
        w.raw("{\"traceId\":"); w.string(span.traceID.hex)
        w.raw(",\"spanId\":"); w.string(span.spanID.hex)
        w.raw(",\"traceState\":"); w.string(span.traceState)
        w.raw(",\"parentSpanId\":"); w.string(span.parentSpanID?.hex ?? "")
        w.raw(",\"flags\":"); w.integer(span.flags)
        w.raw(",\"name\":"); w.string(span.name)
        w.raw(",\"kind\":"); w.integer(span.kind)
        w.raw(",\"startTimeUnixNano\":"); w.quotedInteger(span.startTimeUnixNano)
        w.raw(",\"endTimeUnixNano\":"); w.quotedInteger(span.endTimeUnixNano)
        w.raw(",\"attributes\":"); keyValues(span.attributes, &w)
        w.raw(",\"droppedAttributesCount\":"); w.integer(span.droppedAttributesCount)
        w.raw(",\"events\":[")
        for (index, event) in span.events.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"timeUnixNano\":"); w.quotedInteger(event.timeUnixNano)
            w.raw(",\"name\":"); w.string(event.name)
            w.raw(",\"attributes\":"); keyValues(event.attributes, &w)
            w.raw(",\"droppedAttributesCount\":"); w.integer(event.droppedAttributesCount)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"droppedEventsCount\":"); w.integer(span.droppedEventsCount)
        w.raw(",\"links\":[")
        for (index, link) in span.links.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"traceId\":"); w.string(link.traceID.hex)
            w.raw(",\"spanId\":"); w.string(link.spanID.hex)
            w.raw(",\"traceState\":"); w.string(link.traceState)
            w.raw(",\"attributes\":"); keyValues(link.attributes, &w)
            w.raw(",\"droppedAttributesCount\":"); w.integer(link.droppedAttributesCount)
            w.raw(",\"flags\":"); w.integer(link.flags)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"droppedLinksCount\":"); w.integer(span.droppedLinksCount)
        w.raw(",\"status\":{\"code\":"); w.integer(span.status.code)
        w.raw(",\"message\":"); w.string(span.status.message)
        w.raw("}}")
    }

    static func keyValues(_ attributes: [Attribute], _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (index, attribute) in attributes.enumerated() {
            if index > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"key\":"); w.string(attribute.key)
            w.raw(",\"value\":"); anyValueJSON(attribute.value, &w)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }

    private static func anyValueJSON(_ value: AttributeValue, _ w: inout JSONWriter) {
        switch value {
        case .string(let text): w.raw("{\"stringValue\":"); w.string(text)
        case .bool(let flag): w.raw("{\"boolValue\":"); w.bool(flag)
        case .int(let number): w.raw("{\"intValue\":"); w.quotedInteger(number)
        case .double(let number): w.raw("{\"doubleValue\":"); w.double(number)
        case .bytes(let bytes): w.raw("{\"bytesValue\":"); w.string(Data(bytes).base64EncodedString())
        case .array(let elements):
            w.raw("{\"arrayValue\":{\"values\":[")
            for (index, element) in elements.enumerated() {
                if index > 0 { w.byte(UInt8(ascii: ",")) }
                anyValueJSON(element, &w)
            }
            w.raw("]}")
        case .kvlist(let attributes):
            w.raw("{\"kvlistValue\":{\"values\":"); keyValues(attributes, &w); w.byte(UInt8(ascii: "}"))
        case .empty: w.byte(UInt8(ascii: "{"))
        }
        w.byte(UInt8(ascii: "}"))
    }
}
