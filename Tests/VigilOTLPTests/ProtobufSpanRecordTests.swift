import Testing
import VigilModel
import VigilTestSupport
@testable import VigilOTLP
@testable import VigilStorage

/// The receiver stores protobuf spans read in place (``ProtobufSpan``); the rows must be the
/// ones the same spans give once decoded into ``Span`` values.
@Suite struct ProtobufSpanRecordTests {
    static let traceBytes: [UInt8] = Array(1...16)

    static func span(_ low: UInt8, _ build: @escaping (inout ProtoEncoder) -> Void = { _ in }) -> (inout ProtoEncoder) -> Void {
        { span in
            span.bytes(1, traceBytes)
            span.bytes(2, [0, 0, 0, 0, 0, 0, 0, low])
            span.fixed64(7, UInt64(nowNanos))
            span.fixed64(8, UInt64(nowNanos + 1_000_000))
            build(&span)
        }
    }

    static let body = ProtobufDecoderTests.traceRequest(spans: [
        span(1) { span in
            span.string(3, "vendor=value")
            span.bytes(4, [0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8])
            span.string(5, "GET /cart\t\"quoted\" \\ é→😀")
            span.varint(6, 2)
            span.keyValue(9, "s") { $0.string(1, "line\nbreak\u{1}\r\"\\/ ünïcödé") }
            span.keyValue(9, "b") { $0.varint(2, 1) }
            span.keyValue(9, "i") { $0.varint(3, UInt64(bitPattern: -42)) }
            for (key, number) in [("d", 2.5), ("whole", 3.0), ("huge", 1e300), ("negzero", -0.0), ("nan", .nan), ("inf", -.infinity)] {
                span.keyValue(9, key) { $0.double(4, number) }
            }
            span.keyValue(9, "a") { value in
                value.message(5) { array in
                    array.message(1) { $0.string(1, "x") }
                    array.message(1) { $0.message(5) { $0.message(1) { $0.varint(3, 7) } } }
                    array.message(1) { _ in }
                }
            }
            span.keyValue(9, "emptyArray") { $0.message(5) { _ in } }
            span.keyValue(9, "kv") { $0.message(6) { $0.keyValue(1, "inner") { $0.bytes(7, [0, 255, 7]) } } }
            span.keyValue(9, "emptyKV") { $0.message(6) { _ in } }
            span.keyValue(9, "empty") { _ in }
            span.message(9) { $0.string(1, "no-value") }
            // Invalid UTF-8 in a key and in a value: both are repaired to U+FFFD.
            span.message(9) { keyValue in
                keyValue.bytes(1, [0x62, 0x61, 0x64, 0xff])
                keyValue.message(2) { $0.bytes(1, [0x6f, 0x6b, 0xc3]) }
            }
            ProtobufDecoderTests.eventLinkStatusAndFlags(&span, eventTime: UInt64(nowNanos + 500), eventName: "exception\t1", statusMessage: "upstream\tfailed\\")
            span.message(11) { _ in }
        },
        span(2),
        // Rejected: a short trace ID, a link with a zero span ID.
        { span in span.bytes(1, [1, 2, 3]); span.bytes(2, [0, 0, 0, 0, 0, 0, 0, 3]) },
        span(4) { $0.message(13) { link in link.bytes(1, Array(repeating: 7, count: 16)); link.bytes(2, Array(repeating: 0, count: 8)) } },
    ])

    @Test func rowsReadInPlaceEqualRowsOfDecodedSpans() throws {
        let decoded = try OTLPProtobufDecoder.decodeTraces(Self.body)
        let fromSpans = encoder.encode(spans: decoded)
        let (rejected, inPlace) = try OTLPProtobufDecoder.withTraces(Self.body) { ($0.rejected, encoder.encode(spans: $0)) }
        #expect(inPlace.rowCount == 2)
        #expect(fromSpans.rowCount == 2)
        #expect(inPlace.spans == fromSpans.spans)
        #expect(String(decoding: inPlace.spans, as: UTF8.self) == String(decoding: fromSpans.spans, as: UTF8.self))
        #expect(rejected == decoded.rejected)
        #expect(rejected.count == 2)
        #expect(rejected.firstMessage == "resourceSpans[0].scopeSpans[0].spans[2]: traceId has 3 bytes, not 16")
        #expect(inPlace.rollup.minutes.mapValues(\.requests) == fromSpans.rollup.minutes.mapValues(\.requests))
        let rows = String(decoding: inPlace.spans, as: UTF8.self)
        #expect(rows.contains(#""bad\#u{FFFD}":"ok\#u{FFFD}""#))
        #expect(rows.contains(#""a":["x",[7],null]"#))
        #expect(rows.contains(#""kv":{"kvlistValue":{"inner":{"bytesValue":"AP8H"}}}"#))
        #expect(rows.contains(#""negzero":{"doubleValue":"-0.0"}"#))
    }
}
