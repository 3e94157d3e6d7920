import Testing
import VigilTestSupport
import VigilModel
@testable import VigilStorage

@Suite struct RoundTripTests {
    static let everyValue: [Attribute] = [
        Attribute(key: "string", value: .string("tab\there \"quoted\" \\ back\nline é")),
        Attribute(key: "true", value: .bool(true)),
        Attribute(key: "int.min", value: .int(.min)),
        Attribute(key: "int.max", value: .int(.max)),
        Attribute(key: "double.whole", value: .double(1.0)),
        Attribute(key: "double.tenth", value: .double(0.1)),
        Attribute(key: "double.huge", value: .double(1.2345e300)),
        Attribute(key: "double.tiny", value: .double(-5e-324)),
        Attribute(key: "double.inf", value: .double(.infinity)),
        Attribute(key: "double.negative.zero", value: .double(-0.0)),
        Attribute(key: "bytes", value: .bytes([0, 1, 254, 255])),
        Attribute(key: "empty.bytes", value: .bytes([])),
        Attribute(key: "array", value: .array([.string("a"), .int(1), .double(2.0), .empty, .array([])])),
        Attribute(key: "kvlist", value: .kvlist([Attribute(key: "nested", value: .kvlist([Attribute(key: "x", value: .bool(false))]))])),
        Attribute(key: "empty", value: .empty),
        Attribute(key: "", value: .string("empty key")),
    ]

    static func span(_ traceID: TraceID, _ spanID: UInt64, parent: UInt64? = nil, start: Int64 = nowNanos) -> Span {
        Span(
            traceID: traceID, spanID: SpanID(spanID), traceState: "congo=t61rcWkgMzE", parentSpanID: parent.map(SpanID.init), flags: 0x301,
            name: "GET /cart/{id}", kind: 2, startTimeUnixNano: UInt64(start), endTimeUnixNano: UInt64(start + 1_234_567),
            attributes: everyValue, droppedAttributesCount: 1,
            events: [Span.Event(timeUnixNano: UInt64(start + 10), name: "retry", attributes: [Attribute(key: "n", value: .int(2))], droppedAttributesCount: 3)],
            droppedEventsCount: 4,
            links: [Span.Link(traceID: TraceID(high: 9, low: 9), spanID: SpanID(99), traceState: "a=b", attributes: [Attribute(key: "l", value: .double(0.5))], droppedAttributesCount: 5, flags: 1)],
            droppedLinksCount: 6, status: Span.Status(code: 2, message: "deadline exceeded"))
    }

    static let resource = Resource(
        attributes: [Attribute(key: "service.name", value: .string("cart")), Attribute(key: "host.cpu", value: .int(8))], droppedAttributesCount: 2,
        entityRefs: [EntityRef(schemaURL: "s", type: "service", idKeys: ["service.name"], descriptionKeys: [])], schemaURL: "https://opentelemetry.io/schemas/1.26.0")
    static let scope = InstrumentationScope(name: "cart-lib", version: "1.0", attributes: [Attribute(key: "s", value: .bool(true))], droppedAttributesCount: 1, schemaURL: "https://scope")

    @Test func spansRoundTripLosslessly() async throws {
        let database = try TestDatabase.make()
        let traceID = TraceID(high: .random(in: 1...UInt64.max), low: 42)
        let spans = [Self.span(traceID, 1), Self.span(traceID, 2, parent: 1, start: nowNanos + 5)]
        let batch = encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: Self.resource, scope: Self.scope, items: spans)]))
        #expect(batch.rejected.count == 0)
        try await withWriter(database) { try await $0.write(batch) }

        let stored = try #require(try TraceStore.load(traceID, database.connect()))
        #expect(stored.spans.count == 2)
        for (row, span) in zip(stored.spans, spans) {
            #expect(row.traceID == span.traceID.hex)
            #expect(row.spanID == span.spanID.hex)
            #expect(row.parentSpanID == span.parentSpanID?.hex)
            #expect(row.traceState == span.traceState)
            #expect(row.flags == Int64(span.flags))
            #expect(row.name == span.name)
            #expect(row.kind == Int(span.kind))
            #expect(row.startTimeUnixNano == Int64(span.startTimeUnixNano))
            #expect(row.endTimeUnixNano == Int64(span.endTimeUnixNano))
            #expect(sortedByKey(AttributeJSON.attributes(from: try JSONParser.parse(row.attributesJSON))) == sortedByKey(span.attributes))
            #expect(row.droppedAttributesCount == 1)
            let negativeZero = AttributeJSON.attributes(from: try JSONParser.parse(row.attributesJSON)).first { $0.key == "double.negative.zero" }?.value
            if case .double(let zero) = negativeZero { #expect(zero == 0 && zero.sign == .minus) } else { Issue.record("-0.0 lost its type") }
            let events = try JSONParser.parse(row.eventsJSON)
            #expect(events.arrayValue?.count == 1)
            #expect(events.arrayValue?.first?["timeUnixNano"] == .number(String(span.events[0].timeUnixNano)))
            #expect(AttributeJSON.attributes(from: try #require(events.arrayValue?.first?["attributes"])) == span.events[0].attributes)
            let links = try JSONParser.parse(row.linksJSON)
            #expect(links.arrayValue?.first?["traceId"] == .string(TraceID(high: 9, low: 9).hex))
            #expect(links.arrayValue?.first?["flags"] == .number("1"))
            #expect(row.droppedEventsCount == 4)
            #expect(row.droppedLinksCount == 6)
            #expect(row.statusCode == 2)
            #expect(row.statusMessage == "deadline exceeded")
            #expect(row.serviceName == "cart")
        }
        let resource = try #require(stored.resources.first)
        #expect(stored.resources.count == 1)
        #expect(sortedByKey(AttributeJSON.attributes(from: try JSONParser.parse(resource.attributesJSON))) == sortedByKey(Self.resource.attributes))
        #expect(resource.droppedAttributesCount == 2)
        #expect(resource.schemaURL == Self.resource.schemaURL)
        #expect(try JSONParser.parse(resource.entityRefsJSON) == JSONParser.parse(#"[{"type": "service", "idKeys": ["service.name"], "schemaUrl": "s", "descriptionKeys": []}]"#))
        let scope = try #require(stored.scopes.first)
        #expect(scope.name == "cart-lib")
        #expect(scope.version == "1.0")
        #expect(scope.droppedAttributesCount == 1)
        #expect(scope.schemaURL == "https://scope")
    }

    @Test func resourcesAreStoredOnceAcrossRequests() async throws {
        let database = try TestDatabase.make()
        try await withWriter(database) { writer in
            for index in 0..<3 {
                let span = Self.span(TraceID(high: 7, low: UInt64(index + 1)), 1)
                try await writer.write(encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: Self.resource, scope: Self.scope, items: [span])])))
            }
        }
        #expect(try database.scalar("SELECT count(*) FROM spans") == "3")
        #expect(try database.scalar("SELECT count(*) FROM resources") == "1")
        #expect(try database.scalar("SELECT count(*) FROM scopes") == "1")
    }

    @Test func doubleValuesKeepTheirTypeAndValue() throws {
        // NaN is not equal to itself, so it is checked apart from the other values.
        var writer = JSONWriter()
        AttributeJSON.write(.array([.double(.nan), .double(-.infinity), .double(1e16), .double(-0.0)]), to: &writer)
        guard case .array(let values) = AttributeJSON.value(from: try JSONParser.parse(writer.bytes)), values.count == 4 else {
            Issue.record("not an array: \(writer.string)")
            return
        }
        if case .double(let nan) = values[0] { #expect(nan.isNaN) } else { Issue.record("NaN lost its type") }
        #expect(Array(values.dropFirst()) == [.double(-.infinity), .double(1e16), .double(-0.0)])
        guard case .double(let zero) = values[3] else { return }
        #expect(zero.sign == .minus)
    }
}

/// Attributes are a map: PostgreSQL's jsonb keeps the pairs, not their order.
func sortedByKey(_ attributes: [Attribute]) -> [Attribute] {
    attributes.sorted { $0.key < $1.key }
}
