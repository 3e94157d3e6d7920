import Testing
import VigilTestSupport
import VigilModel
@testable import VigilOTLP

@Suite struct ProtobufDecoderTests {
    static let traceBytes: [UInt8] = Array(1...16)
    static let spanBytes: [UInt8] = [0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8]
    static let parentBytes: [UInt8] = [0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8]

    /// One resource span with one scope and the given spans.
    static func traceRequest(resourceSchema: String = "", spans: [(inout ProtoEncoder) -> Void]) -> [UInt8] {
        ProtoEncoder { request in
            request.message(1) { resourceSpans in
                resourceSpans.message(1) { resource in
                    resource.keyValue(1, "service.name") { $0.string(1, "checkout") }
                    resource.varint(2, 3)
                    resource.message(3) { ref in
                        ref.string(1, "https://schema")
                        ref.string(2, "service")
                        ref.string(3, "service.name")
                        ref.string(4, "service.version")
                    }
                }
                resourceSpans.message(2) { scopeSpans in
                    scopeSpans.message(1) { scope in
                        scope.string(1, "io.opentelemetry.http")
                        scope.string(2, "1.2.3")
                        scope.keyValue(3, "scope.attr") { $0.varint(2, 1) }
                        scope.varint(4, 2)
                    }
                    for span in spans { scopeSpans.message(2, span) }
                    scopeSpans.string(3, "https://scope-schema")
                }
                resourceSpans.string(3, resourceSchema)
            }
        }.bytes
    }

    /// Span fields 10-16: dropped attribute count 4, one event, dropped event count 5, one link,
    /// dropped link count 7, status ERROR with `statusMessage`, and flags 0x101.
    static func eventLinkStatusAndFlags(_ span: inout ProtoEncoder, eventTime: UInt64, eventName: String, statusMessage: String) {
        span.varint(10, 4)
        span.message(11) { event in
            event.fixed64(1, eventTime)
            event.string(2, eventName)
            event.keyValue(3, "exception.type") { $0.string(1, "IOError") }
            event.varint(4, 1)
        }
        span.varint(12, 5)
        span.message(13) { link in
            link.bytes(1, Array(repeating: 7, count: 16))
            link.bytes(2, Array(repeating: 9, count: 8))
            link.string(3, "k=v")
            link.keyValue(4, "link.kind") { $0.string(1, "follows") }
            link.varint(5, 6)
            link.fixed32(6, 0x301)
        }
        span.varint(14, 7)
        span.message(15) { status in
            status.string(2, statusMessage)
            status.varint(3, 2)
        }
        span.fixed32(16, 0x101)
    }

    @Test func decodesEverySpanField() throws {
        let body = Self.traceRequest(resourceSchema: "https://resource-schema", spans: [{ span in
            span.bytes(1, Self.traceBytes)
            span.bytes(2, Self.spanBytes)
            span.string(3, "vendor=value")
            span.bytes(4, Self.parentBytes)
            span.string(5, "GET /cart")
            span.varint(6, 2)
            span.fixed64(7, 1_700_000_000_123_456_789)
            span.fixed64(8, 1_700_000_000_223_456_789)
            span.keyValue(9, "http.response.status_code") { $0.varint(3, 200) }
            Self.eventLinkStatusAndFlags(&span, eventTime: 1_700_000_000_150_000_000, eventName: "exception", statusMessage: "upstream failed")
        }])
        let batch = try OTLPProtobufDecoder.decodeTraces(body)
        #expect(batch.rejected.count == 0)
        let group = try #require(batch.groups.first)
        #expect(group.resource.attributes == [Attribute(key: "service.name", value: .string("checkout"))])
        #expect(group.resource.droppedAttributesCount == 3)
        #expect(group.resource.entityRefs == [EntityRef(schemaURL: "https://schema", type: "service", idKeys: ["service.name"], descriptionKeys: ["service.version"])])
        #expect(group.resource.schemaURL == "https://resource-schema")
        #expect(group.scope == InstrumentationScope(
            name: "io.opentelemetry.http", version: "1.2.3", attributes: [Attribute(key: "scope.attr", value: .bool(true))],
            droppedAttributesCount: 2, schemaURL: "https://scope-schema"))
        let span = try #require(group.items.first)
        #expect(span.traceID == TraceID(bytes: Self.traceBytes))
        #expect(span.spanID == SpanID(bytes: Self.spanBytes))
        #expect(span.parentSpanID == SpanID(bytes: Self.parentBytes))
        #expect(span.traceState == "vendor=value")
        #expect(span.name == "GET /cart")
        #expect(span.kind == 2)
        #expect(span.startTimeUnixNano == 1_700_000_000_123_456_789)
        #expect(span.endTimeUnixNano == 1_700_000_000_223_456_789)
        #expect(span.attributes == [Attribute(key: "http.response.status_code", value: .int(200))])
        #expect(span.droppedAttributesCount == 4)
        #expect(span.events == [Span.Event(
            timeUnixNano: 1_700_000_000_150_000_000, name: "exception",
            attributes: [Attribute(key: "exception.type", value: .string("IOError"))], droppedAttributesCount: 1)])
        #expect(span.droppedEventsCount == 5)
        #expect(span.links == [Span.Link(
            traceID: TraceID(bytes: Array(repeating: 7, count: 16))!, spanID: SpanID(bytes: Array(repeating: 9, count: 8))!, traceState: "k=v",
            attributes: [Attribute(key: "link.kind", value: .string("follows"))], droppedAttributesCount: 6, flags: 0x301)])
        #expect(span.droppedLinksCount == 7)
        #expect(span.status == Span.Status(code: 2, message: "upstream failed"))
        #expect(span.flags == 0x101)
    }

    /// A request that unpacks into several arena blocks and needs allocations larger than a
    /// quarter block (which get blocks of their own), decoded twice so that cached blocks are
    /// reused: every span must come back intact.
    @Test func largeRequestsSpanSeveralArenaBlocks() throws {
        let bigValue = String(repeating: "x", count: UnpackArena.blockSize / 2)
        let spanCount = 3_000
        let body = Self.traceRequest(spans: (0..<spanCount).map { index in
            { span in
                span.bytes(1, Self.traceBytes)
                span.bytes(2, [UInt8](repeating: 0, count: 6) + [UInt8(index >> 8), UInt8(index & 0xff) | 1])
                span.string(5, "operation \(index)")
                for key in 0..<8 { span.keyValue(9, "attribute.\(key)") { $0.string(1, "value \(index) \(key)") } }
                if index % 1_000 == 0 { span.keyValue(9, "big") { $0.string(1, bigValue) } }
            }
        })
        for _ in 0..<2 {
            let batch = try OTLPProtobufDecoder.decodeTraces(body)
            let spans = try #require(batch.groups.first).items
            #expect(spans.count == spanCount)
            for (index, span) in spans.enumerated() {
                #expect(span.name == "operation \(index)")
                let expected = (0..<8).map { Attribute(key: "attribute.\($0)", value: .string("value \(index) \($0)")) }
                #expect(span.attributes == expected + (index % 1_000 == 0 ? [Attribute(key: "big", value: .string(bigValue))] : []))
            }
        }
    }

    @Test func decodesEveryAnyValueType() throws {
        let body = Self.traceRequest(spans: [{ span in
            span.bytes(1, Self.traceBytes)
            span.bytes(2, Self.spanBytes)
            span.keyValue(9, "s") { $0.string(1, "text") }
            span.keyValue(9, "b") { $0.varint(2, 0) }
            span.keyValue(9, "i") { $0.varint(3, UInt64(bitPattern: -42)) }
            span.keyValue(9, "d") { $0.double(4, 2.5) }
            span.keyValue(9, "a") { value in
                value.message(5) { array in
                    array.message(1) { $0.string(1, "x") }
                    array.message(1) { $0.varint(3, 1) }
                    array.message(1) { _ in }
                }
            }
            span.keyValue(9, "kv") { value in
                value.message(6) { list in list.keyValue(1, "inner") { $0.double(4, -0.0) } }
            }
            span.keyValue(9, "bytes") { $0.bytes(7, [0, 255, 7]) }
            span.keyValue(9, "empty") { _ in }
            span.message(9) { $0.string(1, "no-value") }
        }])
        let span = try #require(OTLPProtobufDecoder.decodeTraces(body).groups.first?.items.first)
        #expect(span.attributes == [
            Attribute(key: "s", value: .string("text")), Attribute(key: "b", value: .bool(false)), Attribute(key: "i", value: .int(-42)),
            Attribute(key: "d", value: .double(2.5)), Attribute(key: "a", value: .array([.string("x"), .int(1), .empty])),
            Attribute(key: "kv", value: .kvlist([Attribute(key: "inner", value: .double(-0.0))])),
            Attribute(key: "bytes", value: .bytes([0, 255, 7])), Attribute(key: "empty", value: .empty),
            Attribute(key: "no-value", value: .empty),
        ])
    }

    @Test func emptyRequestAndMissingFieldsDecodeToDefaults() throws {
        #expect(try OTLPProtobufDecoder.decodeTraces([]).groups.isEmpty)
        let body = ProtoEncoder { request in
            request.message(1) { resourceSpans in
                resourceSpans.message(2) { scopeSpans in
                    scopeSpans.message(2) { span in
                        span.bytes(1, Self.traceBytes)
                        span.bytes(2, Self.spanBytes)
                    }
                }
            }
        }.bytes
        let group = try #require(OTLPProtobufDecoder.decodeTraces(body).groups.first)
        #expect(group.resource == Resource())
        #expect(group.scope == InstrumentationScope())
        let span = try #require(group.items.first)
        #expect(span == Span(traceID: TraceID(bytes: Self.traceBytes)!, spanID: SpanID(bytes: Self.spanBytes)!))
    }

    @Test(arguments: [
        ([UInt8](repeating: 1, count: 15), Self.spanBytes, "traceId has 15 bytes, not 16"),
        ([UInt8](repeating: 0, count: 16), Self.spanBytes, "traceId is all zeros"),
        (Self.traceBytes, [UInt8](repeating: 1, count: 4), "spanId has 4 bytes, not 8"),
        ([UInt8](), Self.spanBytes, "traceId has 0 bytes, not 16"),
    ])
    func dropsSpansWithInvalidIDsAndKeepsTheRest(traceID: [UInt8], spanID: [UInt8], reason: String) throws {
        let body = Self.traceRequest(spans: [
            { span in
                span.bytes(1, traceID)
                span.bytes(2, spanID)
                span.string(5, "bad")
            },
            { span in
                span.bytes(1, Self.traceBytes)
                span.bytes(2, Self.spanBytes)
                span.string(5, "good")
            },
        ])
        let batch = try OTLPProtobufDecoder.decodeTraces(body)
        #expect(batch.rejected.count == 1)
        #expect(batch.rejected.firstMessage == "resourceSpans[0].scopeSpans[0].spans[0]: \(reason)")
        #expect(batch.groups.first?.items.map(\.name) == ["good"])
    }

    @Test(arguments: [
        [UInt8]([0x0a, 0x05, 0x01]),  // length beyond the end
        [UInt8]([0xff, 0xff, 0xff]),  // invalid tag
        Array("{\"resourceSpans\":[]}".utf8),
    ])
    func rejectsMalformedBodies(body: [UInt8]) {
        #expect(throws: OTLPDecodingError.self) { try OTLPProtobufDecoder.decodeTraces(body) }
        #expect(throws: OTLPDecodingError.self) { try OTLPProtobufDecoder.decodeMetrics(body) }
        #expect(throws: OTLPDecodingError.self) { try OTLPProtobufDecoder.decodeLogs(body) }
    }
}
