import Testing
import VigilTestSupport
import VigilModel
@testable import VigilOTLP

@Suite struct JSONDecoderTests {
    static func traces(_ span: String, resource: String = #"{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]}"#) -> [UInt8] {
        Array(#"{"resourceSpans":[{"resource":\#(resource),"schemaUrl":"https://r","scopeSpans":[{"scope":{"name":"lib","version":"2"},"schemaUrl":"https://s","spans":[\#(span)]}]}]}"#.utf8)
    }

    static let ids = #""traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174""#

    @Test func decodesSpanFieldsWithHexIDsAndStringIntegers() throws {
        let span = #"""
            {\#(Self.ids),"parentSpanId":"eee19b7ec3c1b175","traceState":"a=b","flags":257,"name":"GET","kind":2,
             "startTimeUnixNano":"1700000000123456789","endTimeUnixNano":1700000000223456789,
             "droppedAttributesCount":1,"events":[{"timeUnixNano":"5","name":"e","attributes":[],"droppedAttributesCount":2}],
             "links":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","traceState":"x=y","flags":1}],
             "droppedEventsCount":3,"droppedLinksCount":4,"status":{"code":2,"message":"boom"},"unknownField":{"ignored":[1,2]}}
            """#
        let batch = try OTLPJSONDecoder.decodeTraces(Self.traces(span))
        #expect(batch.rejected.count == 0)
        let group = try #require(batch.groups.first)
        #expect(group.resource.serviceName == "cart")
        #expect(group.resource.schemaURL == "https://r")
        #expect(group.scope == InstrumentationScope(name: "lib", version: "2", schemaURL: "https://s"))
        let decoded = try #require(group.items.first)
        #expect(decoded == Span(
            traceID: TraceID(hex: "5b8efff798038103d269b633813fc60c")!, spanID: SpanID(hex: "eee19b7ec3c1b174")!, traceState: "a=b",
            parentSpanID: SpanID(hex: "eee19b7ec3c1b175"), flags: 257, name: "GET", kind: 2,
            startTimeUnixNano: 1_700_000_000_123_456_789, endTimeUnixNano: 1_700_000_000_223_456_789, droppedAttributesCount: 1,
            events: [Span.Event(timeUnixNano: 5, name: "e", droppedAttributesCount: 2)], droppedEventsCount: 3,
            links: [Span.Link(traceID: TraceID(hex: "0102030405060708090a0b0c0d0e0f10")!, spanID: SpanID(hex: "0102030405060708")!, traceState: "x=y", flags: 1)],
            droppedLinksCount: 4, status: Span.Status(code: 2, message: "boom")))
    }

    @Test func decodesEveryAnyValueType() throws {
        let attributes = #"""
            [{"key":"s","value":{"stringValue":"text"}},{"key":"b","value":{"boolValue":true}},
             {"key":"i","value":{"intValue":"-9223372036854775808"}},{"key":"i2","value":{"intValue":42}},
             {"key":"d","value":{"doubleValue":1.5}},{"key":"nan","value":{"doubleValue":"NaN"}},
             {"key":"by","value":{"bytesValue":"AP8H"}},{"key":"a","value":{"arrayValue":{"values":[{"stringValue":"x"},{}]}}},
             {"key":"kv","value":{"kvlistValue":{"values":[{"key":"k","value":{"intValue":"1"}}]}}},
             {"key":"e","value":{}},{"key":"missing"},{"key":"snake","value":{"string_value":"ok"}}]
            """#
        let span = try #require(OTLPJSONDecoder.decodeTraces(Self.traces("{\(Self.ids),\"attributes\":\(attributes)}")).groups.first?.items.first)
        #expect(span.attributes.count == 12)
        #expect(Array(span.attributes.prefix(5)) == [
            Attribute(key: "s", value: .string("text")), Attribute(key: "b", value: .bool(true)), Attribute(key: "i", value: .int(.min)),
            Attribute(key: "i2", value: .int(42)), Attribute(key: "d", value: .double(1.5)),
        ])
        guard case .double(let nan) = span.attributes[5].value else { Issue.record("NaN not decoded as a double"); return }
        #expect(nan.isNaN)
        #expect(Array(span.attributes.dropFirst(6)) == [
            Attribute(key: "by", value: .bytes([0, 255, 7])), Attribute(key: "a", value: .array([.string("x"), .empty])),
            Attribute(key: "kv", value: .kvlist([Attribute(key: "k", value: .int(1))])), Attribute(key: "e", value: .empty),
            Attribute(key: "missing", value: .empty), Attribute(key: "snake", value: .string("ok")),
        ])
    }

    @Test func acceptsEnumNamesAndEmptyDocuments() throws {
        let span = try #require(OTLPJSONDecoder.decodeTraces(Self.traces(#"{\#(Self.ids),"kind":"SPAN_KIND_CLIENT","status":{"code":"STATUS_CODE_OK"}}"#)).groups.first?.items.first)
        #expect(span.kind == 3)
        #expect(span.status.code == 1)
        #expect(try OTLPJSONDecoder.decodeTraces(Array("{}".utf8)).groups.isEmpty)
        #expect(try OTLPJSONDecoder.decodeLogs(Array(#"{"resourceLogs":null}"#.utf8)).groups.isEmpty)
    }

    @Test(arguments: [
        (#"{"traceId":"0102","spanId":"EEE19B7EC3C1B174"}"#, "traceId has 2 bytes, not 16"),
        (#"{"traceId":"zz8efff798038103d269b633813fc60c","spanId":"EEE19B7EC3C1B174"}"#, "is not hexadecimal"),
        (#"{"spanId":"EEE19B7EC3C1B174"}"#, "traceId is missing or all zeros"),
        (#"{\#(ids),"parentSpanId":"01"}"#, "parentSpanId has 1 bytes, not 8"),
    ])
    func dropsSpansWithInvalidIDs(span: String, reason: String) throws {
        let batch = try OTLPJSONDecoder.decodeTraces(Self.traces("\(span),{\(Self.ids),\"name\":\"kept\"}"))
        #expect(batch.rejected.count == 1)
        #expect(batch.rejected.firstMessage?.hasPrefix("resourceSpans[0].scopeSpans[0].spans[0]") == true)
        #expect(batch.rejected.firstMessage?.contains(reason) == true)
        #expect(batch.groups.first?.items.map(\.name) == ["kept"])
    }

    @Test(arguments: [
        ("{", "invalid JSON"),
        ("[]", "expected a JSON object"),
        (#"{"resourceSpans":{}}"#, "resourceSpans: expected an array"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]}"#, "resourceSpans[0].scopeSpans[0].spans[0].name: expected a string"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}"#, "startTimeUnixNano: expected an unsigned 64-bit integer"),
        (#"{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"intValue":"1.5"}}]}}]}"#, "intValue: expected a 64-bit integer"),
        (#"{"a":1} x"#, "unexpected data after the document"),
    ])
    func rejectsMalformedDocumentsNamingTheProblem(body: String, message: String) {
        do {
            _ = try OTLPJSONDecoder.decodeTraces(Array(body.utf8))
            Issue.record("decoded a malformed body")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func decodesLogsWithBodiesOfAnyType() throws {
        let body = #"""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"timeUnixNano":"10","observedTimeUnixNano":"11","severityNumber":9,"severityText":"INFO","body":{"stringValue":"hello"},
               "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","flags":1,"eventName":"greeting",
               "attributes":[{"key":"a","value":{"boolValue":false}}],"droppedAttributesCount":3},
              {"body":{"arrayValue":{"values":[{"intValue":"1"}]}},"severityNumber":"SEVERITY_NUMBER_WARN2"},
              {"traceId":"00000000000000000000000000000000"}
            ]}]}]}
            """#
        let records = try #require(OTLPJSONDecoder.decodeLogs(Array(body.utf8)).groups.first?.items)
        #expect(records[0] == LogRecord(
            timeUnixNano: 10, observedTimeUnixNano: 11, severityNumber: 9, severityText: "INFO", body: .string("hello"),
            attributes: [Attribute(key: "a", value: .bool(false))], droppedAttributesCount: 3, flags: 1,
            traceID: TraceID(hex: "5b8efff798038103d269b633813fc60c"), spanID: SpanID(hex: "eee19b7ec3c1b174"), eventName: "greeting"))
        #expect(records[1].body == .array([.int(1)]))
        #expect(records[1].severityNumber == 14)
        #expect(records[2].body == nil)
        #expect(records[2].traceID == nil)
    }

    @Test func decodesMetricsOfEveryType() throws {
        let body = #"""
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
              {"name":"g","gauge":{"dataPoints":[{"asInt":"7","timeUnixNano":"1"}]}},
              {"name":"s","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"asDouble":1.5,"exemplars":[
                {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","asInt":"3","timeUnixNano":"2"}]}]}},
              {"name":"h","histogram":{"aggregationTemporality":1,"dataPoints":[{"count":"3","sum":0,"bucketCounts":["1","2"],"explicitBounds":[0.5],"max":2}]}},
              {"name":"e","exponentialHistogram":{"dataPoints":[{"count":"2","scale":-1,"zeroCount":"1","positive":{"offset":-3,"bucketCounts":["1"]},"zeroThreshold":0.5}]}},
              {"name":"q","summary":{"dataPoints":[{"count":"4","sum":2,"quantileValues":[{"quantile":0.5,"value":0.1}]}]}},
              {"name":"none"}
            ]}]}]}
            """#
        let batch = try OTLPJSONDecoder.decodeMetrics(Array(body.utf8))
        #expect(batch.rejected.count == 1)
        let metrics = try #require(batch.groups.first?.items)
        #expect(metrics.map(\.data) == [
            .gauge([NumberDataPoint(timeUnixNano: 1, value: .int(7))]),
            .sum([NumberDataPoint(value: .double(1.5), exemplars: [Exemplar(
                timeUnixNano: 2, value: .int(3), spanID: SpanID(hex: "eee19b7ec3c1b174"), traceID: TraceID(hex: "5b8efff798038103d269b633813fc60c"))])],
                temporality: 2, isMonotonic: true),
            .histogram([HistogramDataPoint(count: 3, sum: 0, bucketCounts: [1, 2], explicitBounds: [0.5], max: 2)], temporality: 1),
            .exponentialHistogram([ExponentialHistogramDataPoint(count: 2, scale: -1, zeroCount: 1, positive: .init(offset: -3, bucketCounts: [1]), zeroThreshold: 0.5)], temporality: 0),
            .summary([SummaryDataPoint(count: 4, sum: 2, quantileValues: [.init(quantile: 0.5, value: 0.1)])]),
        ])
    }
}
