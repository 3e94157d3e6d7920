import Testing
import VigilTestSupport
import VigilModel
@testable import VigilOTLP

@Suite struct ProtobufSignalsTests {
    static func logsRequest(_ records: [(inout ProtoEncoder) -> Void]) -> [UInt8] {
        ProtoEncoder { request in
            request.message(1) { resourceLogs in
                resourceLogs.message(2) { scopeLogs in
                    for record in records { scopeLogs.message(2, record) }
                }
            }
        }.bytes
    }

    @Test func decodesEveryLogRecordField() throws {
        let body = Self.logsRequest([{ record in
            record.fixed64(1, 1_700_000_000_000_000_001)
            record.varint(2, 17)
            record.string(3, "ERROR")
            record.message(5) { body in body.message(6) { list in list.keyValue(1, "order") { $0.varint(3, 7) } } }
            record.keyValue(6, "user.id") { $0.string(1, "u1") }
            record.varint(7, 2)
            record.fixed32(8, 1)
            record.bytes(9, Array(1...16))
            record.bytes(10, Array(1...8))
            record.fixed64(11, 1_700_000_000_000_000_002)
            record.string(12, "checkout.failed")
        }, { record in
            record.fixed64(11, 5)
            record.message(5) { _ in }
        }])
        let batch = try OTLPProtobufDecoder.decodeLogs(body)
        let records = try #require(batch.groups.first?.items)
        #expect(records.count == 2)
        #expect(records[0] == LogRecord(
            timeUnixNano: 1_700_000_000_000_000_001, observedTimeUnixNano: 1_700_000_000_000_000_002, severityNumber: 17, severityText: "ERROR",
            body: .kvlist([Attribute(key: "order", value: .int(7))]), attributes: [Attribute(key: "user.id", value: .string("u1"))],
            droppedAttributesCount: 2, flags: 1, traceID: TraceID(bytes: Array(1...16)), spanID: SpanID(bytes: Array(1...8)),
            eventName: "checkout.failed"))
        // A body that is set but empty differs from no body at all.
        #expect(records[1].body == .empty)
        let noBody = try OTLPProtobufDecoder.decodeLogs(Self.logsRequest([{ $0.fixed64(11, 5) }]))
        #expect(noBody.groups.first?.items.first?.body == nil)
    }

    @Test func dropsLogRecordsWithMalformedTraceIDs() throws {
        let body = Self.logsRequest([{ $0.bytes(9, [1, 2, 3]) }, { $0.string(3, "INFO") }])
        let batch = try OTLPProtobufDecoder.decodeLogs(body)
        #expect(batch.rejected == Rejections(count: 1, firstMessage: "resourceLogs[0].scopeLogs[0].logRecords[0]: traceId has 3 bytes, not 16"))
        #expect(batch.groups.first?.items.map(\.severityText) == ["INFO"])
    }

    static func metricsRequest(_ metrics: [(inout ProtoEncoder) -> Void]) -> [UInt8] {
        ProtoEncoder { request in
            request.message(1) { resourceMetrics in
                resourceMetrics.message(2) { scopeMetrics in
                    for metric in metrics { scopeMetrics.message(2, metric) }
                }
            }
        }.bytes
    }

    @Test func decodesAllFiveMetricTypes() throws {
        let body = Self.metricsRequest([
            { metric in
                metric.string(1, "queue.depth")
                metric.string(2, "items waiting")
                metric.string(3, "{item}")
                metric.message(5) { gauge in
                    gauge.message(1) { point in
                        point.fixed64(3, 100)
                        point.fixed64(6, UInt64(bitPattern: -3))
                        point.keyValue(7, "queue") { $0.string(1, "a") }
                    }
                }
                metric.keyValue(12, "meta") { $0.varint(2, 1) }
            },
            { metric in
                metric.string(1, "requests")
                metric.message(7) { sum in
                    sum.message(1) { point in
                        point.fixed64(2, 50)
                        point.fixed64(3, 100)
                        point.double(4, 12.5)
                        point.message(5) { exemplar in
                            exemplar.fixed64(2, 99)
                            exemplar.double(3, 0.25)
                            exemplar.bytes(4, Array(1...8))
                            exemplar.bytes(5, Array(1...16))
                            exemplar.keyValue(7, "route") { $0.string(1, "/x") }
                        }
                        point.varint(8, 1)
                    }
                    sum.varint(2, 2)
                    sum.varint(3, 1)
                }
            },
            { metric in
                metric.string(1, "latency")
                metric.message(9) { histogram in
                    histogram.message(1) { point in
                        point.fixed64(3, 100)
                        point.fixed64(4, 3)
                        point.double(5, 0)
                        point.packedFixed64(6, [1, 2, 0])
                        point.packedFixed64(7, [(0.1).bitPattern, (1.0).bitPattern])
                        point.double(12, 0.9)
                    }
                    histogram.varint(2, 1)
                }
            },
            { metric in
                metric.string(1, "size")
                metric.message(10) { histogram in
                    histogram.message(1) { point in
                        point.fixed64(3, 100)
                        point.fixed64(4, 5)
                        point.varint(6, UInt64(3 << 1))  // sint32 zig-zag: 3
                        point.fixed64(7, 1)
                        point.message(8) { buckets in
                            buckets.varint(1, 3)  // sint32 zig-zag encoding of -2
                            buckets.bytes(2, [1, 3])
                        }
                        point.double(14, 0.001)
                    }
                    histogram.varint(2, 2)
                }
            },
            { metric in
                metric.string(1, "rpc.duration")
                metric.message(11) { summary in
                    summary.message(1) { point in
                        point.fixed64(3, 100)
                        point.fixed64(4, 10)
                        point.double(5, 4.5)
                        point.message(6) { q in q.double(1, 0.99); q.double(2, 1.5) }
                    }
                }
            },
            { metric in metric.string(1, "no.data") },
        ])
        let batch = try OTLPProtobufDecoder.decodeMetrics(body)
        #expect(batch.rejected.count == 1)
        #expect(batch.rejected.firstMessage?.contains("\"no.data\" has no data") == true)
        let metrics = try #require(batch.groups.first?.items)
        #expect(metrics.map(\.name) == ["queue.depth", "requests", "latency", "size", "rpc.duration"])
        #expect(metrics[0] == Metric(
            name: "queue.depth", description: "items waiting", unit: "{item}", metadata: [Attribute(key: "meta", value: .bool(true))],
            data: .gauge([NumberDataPoint(attributes: [Attribute(key: "queue", value: .string("a"))], timeUnixNano: 100, value: .int(-3))])))
        #expect(metrics[1].data == .sum([NumberDataPoint(
            startTimeUnixNano: 50, timeUnixNano: 100, value: .double(12.5),
            exemplars: [Exemplar(
                filteredAttributes: [Attribute(key: "route", value: .string("/x"))], timeUnixNano: 99, value: .double(0.25),
                spanID: SpanID(bytes: Array(1...8)), traceID: TraceID(bytes: Array(1...16)))],
            flags: 1)], temporality: 2, isMonotonic: true))
        // `sum` set to 0 is present; `min` absent stays absent.
        #expect(metrics[2].data == .histogram([HistogramDataPoint(
            timeUnixNano: 100, count: 3, sum: 0, bucketCounts: [1, 2, 0], explicitBounds: [0.1, 1.0], min: nil, max: 0.9)], temporality: 1))
        #expect(metrics[3].data == .exponentialHistogram([ExponentialHistogramDataPoint(
            timeUnixNano: 100, count: 5, sum: nil, scale: 3, zeroCount: 1, positive: .init(offset: -2, bucketCounts: [1, 3]),
            zeroThreshold: 0.001)], temporality: 2))
        #expect(metrics[4].data == .summary([SummaryDataPoint(
            timeUnixNano: 100, count: 10, sum: 4.5, quantileValues: [.init(quantile: 0.99, value: 1.5)])]))
    }
}
