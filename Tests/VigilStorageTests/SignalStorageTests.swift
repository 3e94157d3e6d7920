import Logging
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilStorage

@Suite struct SignalStorageTests {
    @Test func logsAndExemplarsOpenWithTheirTrace() async throws {
        let database = try TestDatabase.make()
        let traceID = TraceID(high: .random(in: 1...UInt64.max), low: 7)
        let resource = Resource(attributes: [Attribute(key: "service.name", value: .string("api"))])
        let logs = [
            LogRecord(
                timeUnixNano: UInt64(nowNanos), observedTimeUnixNano: UInt64(nowNanos + 1), severityNumber: 17, severityText: "ERROR",
                body: .kvlist([Attribute(key: "msg", value: .string("failed"))]), attributes: [Attribute(key: "user", value: .int(5))],
                droppedAttributesCount: 1, flags: 1, traceID: traceID, spanID: SpanID(3), eventName: "order.failed"),
            LogRecord(observedTimeUnixNano: UInt64(nowNanos + 2), body: .empty, traceID: traceID),
            LogRecord(timeUnixNano: UInt64(nowNanos + 3), traceID: traceID),
        ]
        let metric = Metric(name: "http.server.request.duration", unit: "s", data: .histogram([HistogramDataPoint(
            attributes: [Attribute(key: "http.route", value: .string("/x"))], startTimeUnixNano: UInt64(nowNanos - 1000), timeUnixNano: UInt64(nowNanos),
            count: 2, sum: 0.75, bucketCounts: [0, 2], explicitBounds: [0.5], exemplars: [
                Exemplar(filteredAttributes: [Attribute(key: "user", value: .string("u"))], timeUnixNano: UInt64(nowNanos - 10), value: .double(0.7), spanID: SpanID(3), traceID: traceID),
            ], min: 0.05, max: 0.7)], temporality: 2))
        try await withWriter(database) { writer in
            try await writer.write(encoder.encode(logs: ExportBatch(groups: [ScopedItems(resource: resource, scope: InstrumentationScope(), items: logs)]), receivedUnixNano: nowNanos))
            try await writer.write(encoder.encode(metrics: ExportBatch(groups: [ScopedItems(resource: resource, scope: InstrumentationScope(), items: [metric])])))
        }
        let stored = try #require(try TraceStore.load(traceID, database.connect()))
        #expect(stored.spans.isEmpty)
        #expect(stored.logs.count == 3)
        let first = try #require(stored.logs.first)
        #expect(first.severityNumber == 17)
        #expect(first.severityText == "ERROR")
        #expect(first.timeUnixNano == nowNanos)
        #expect(first.observedTimeUnixNano == nowNanos + 1)
        #expect(AttributeJSON.value(from: try JSONParser.parse(try #require(first.bodyJSON))) == .kvlist([Attribute(key: "msg", value: .string("failed"))]))
        #expect(first.spanID == SpanID(3).hex)
        #expect(first.eventName == "order.failed")
        #expect(first.flags == 1)
        #expect(first.droppedAttributesCount == 1)
        // An empty AnyValue body is JSON null; no body at all is SQL NULL.
        #expect(stored.logs[1].bodyJSON == "null")
        #expect(stored.logs[1].timeUnixNano == 0)
        #expect(stored.logs[2].bodyJSON == nil)

        let exemplar = try #require(stored.exemplars.first)
        #expect(exemplar.metricName == "http.server.request.duration")
        #expect(exemplar.valueDouble == 0.7)
        #expect(exemplar.spanID == SpanID(3).hex)
        #expect(exemplar.pointTimeUnixNano == nowNanos)
        #expect(exemplar.timeUnixNano == nowNanos - 10)

        let point = try database.connect().execute("""
            SELECT count, sum, min, max, bucket_counts::text, explicit_bounds::text, start_time_unix_nano, s.type, s.temporality, s.attributes::text
            FROM metric_points JOIN metric_series s USING (series_id)
            """)
        #expect(point.rows == [["2", "0.75", "0.05", "0.7", "{0,2}", "{0.5}", String(nowNanos - 1000), "histogram", "2", #"{"http.route": "/x"}"#]])
    }

    @Test func everyMetricTypeIsStored() async throws {
        let database = try TestDatabase.make()
        let time = UInt64(nowNanos)
        let metrics = [
            Metric(name: "g", data: .gauge([NumberDataPoint(timeUnixNano: time, value: .int(-4)), NumberDataPoint(timeUnixNano: time, value: .none, flags: 1)])),
            Metric(name: "s", data: .sum([NumberDataPoint(timeUnixNano: time, value: .double(2.5))], temporality: 1, isMonotonic: false)),
            Metric(name: "e", data: .exponentialHistogram([ExponentialHistogramDataPoint(
                timeUnixNano: time, count: 3, sum: nil, scale: -2, zeroCount: UInt64.max, positive: .init(offset: -1, bucketCounts: [1, 2]),
                negative: .init(offset: 4, bucketCounts: []), zeroThreshold: 1e-9)], temporality: 2)),
            Metric(name: "q", data: .summary([SummaryDataPoint(timeUnixNano: time, count: 9, sum: 3, quantileValues: [.init(quantile: 0, value: 0.1), .init(quantile: 1, value: 9)])])),
        ]
        try await withWriter(database) { writer in
            try await writer.write(encoder.encode(metrics: ExportBatch(groups: [ScopedItems(resource: Resource(), scope: InstrumentationScope(), items: metrics)])))
        }
        let rows = try database.connect().execute("""
            SELECT s.name, s.type, s.temporality::text, s.is_monotonic::text, value_int, value_double, flags, count, sum,
                   scale, zero_count, zero_threshold, positive_offset, positive_bucket_counts::text, negative_offset, negative_bucket_counts::text,
                   quantiles::text, quantile_values::text
            FROM metric_points JOIN metric_series s USING (series_id) ORDER BY s.name, flags
            """).rows
        #expect(rows == [
            ["e", "exponential_histogram", "2", nil, nil, nil, "0", "3", nil, "-2", "18446744073709551615", "1e-09", "-1", "{1,2}", "4", "{}", nil, nil],
            ["g", "gauge", nil, nil, "-4", nil, "0", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil],
            ["g", "gauge", nil, nil, nil, nil, "1", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil],
            ["q", "summary", nil, nil, nil, nil, "0", "9", "3", nil, nil, nil, nil, nil, nil, nil, "{0,1}", "{0.1,9}"],
            ["s", "sum", "1", "false", nil, "2.5", "0", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil],
        ])
        #expect(try database.scalar("SELECT count(*) FROM metric_series") == "4")
    }

    @Test func unstorableItemsAreRejectedAloneAndTheRestStored() async throws {
        let database = try TestDatabase.make()
        let good = Span(traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), name: "ok", startTimeUnixNano: UInt64(nowNanos))
        let ancient = Span(traceID: TraceID(high: 1, low: 2), spanID: SpanID(2), name: "old", startTimeUnixNano: 1)
        let future = Span(traceID: TraceID(high: 1, low: 3), spanID: SpanID(3), startTimeUnixNano: UInt64(nowNanos + 3 * 86_400_000_000_000))
        let nul = Span(traceID: TraceID(high: 1, low: 4), spanID: SpanID(4), name: "a\u{0}b", startTimeUnixNano: UInt64(nowNanos))
        let nulAttribute = Span(
            traceID: TraceID(high: 1, low: 5), spanID: SpanID(5), startTimeUnixNano: UInt64(nowNanos), attributes: [Attribute(key: "k", value: .string("\u{0}"))])
        let batch = encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: Resource(), scope: InstrumentationScope(), items: [ancient, good, future, nul, nulAttribute])]))
        #expect(batch.rejected.count == 4)
        #expect(batch.rejected.firstMessage?.contains("outside the stored time window") == true)
        try await withWriter(database) { try await $0.write(batch) }
        #expect(try database.scalar("SELECT string_agg(name, ',') FROM spans") == "ok")
    }

    @Test func aResourceOrSeriesWithNULCostsOnlyItsOwnItems() async throws {
        let database = try TestDatabase.make()
        let badResource = Resource(attributes: [Attribute(key: "host", value: .string("a\u{0}"))])
        let spans = encoder.encode(spans: ExportBatch(groups: [
            ScopedItems(resource: badResource, scope: InstrumentationScope(), items: [Span(traceID: TraceID(high: 2, low: 1), spanID: SpanID(1), startTimeUnixNano: UInt64(nowNanos))]),
            ScopedItems(resource: Resource(), scope: InstrumentationScope(name: "x\u{0}"), items: [Span(traceID: TraceID(high: 2, low: 2), spanID: SpanID(2), startTimeUnixNano: UInt64(nowNanos))]),
            ScopedItems(resource: Resource(), scope: InstrumentationScope(), items: [Span(traceID: TraceID(high: 2, low: 3), spanID: SpanID(3), name: "kept", startTimeUnixNano: UInt64(nowNanos))]),
        ]))
        #expect(spans.rejected.count == 2)
        let point = NumberDataPoint(timeUnixNano: UInt64(nowNanos), value: .int(1))
        let metrics = encoder.encode(metrics: ExportBatch(groups: [ScopedItems(resource: Resource(), scope: InstrumentationScope(), items: [
            Metric(name: "bad", data: .gauge([NumberDataPoint(attributes: [Attribute(key: "k", value: .string("\u{0}"))], timeUnixNano: UInt64(nowNanos), value: .int(1))])),
            Metric(name: "good", data: .gauge([point])),
        ])]))
        #expect(metrics.rejected.count == 1)
        try await withWriter(database) { writer in
            try await writer.write(spans)
            try await writer.write(metrics)
        }
        #expect(try database.scalar("SELECT string_agg(name, ',') FROM spans") == "kept")
        #expect(try database.scalar("SELECT string_agg(name, ',') FROM metric_series") == "good")
    }
}

@Suite struct REDRollupStorageTests {
    static func span(_ traceLow: UInt64, name: String, kind: Int32 = 2, start: Int64, millis: Int64, error: Bool = false) -> Span {
        Span(
            traceID: TraceID(high: 11, low: traceLow), spanID: SpanID(traceLow), name: name, kind: kind, startTimeUnixNano: UInt64(start),
            endTimeUnixNano: UInt64(start + millis * 1_000_000), status: Span.Status(code: error ? 2 : 0))
    }

    @Test func rollupsAccumulateAcrossRequestsAndTransactions() async throws {
        let database = try TestDatabase.make()
        let minute = (nowNanos / 60_000_000_000) * 60_000_000_000
        let resource = Resource(attributes: [Attribute(key: "service.name", value: .string("cart"))])
        func batch(_ spans: [Span]) -> EncodedBatch {
            encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: resource, scope: InstrumentationScope(), items: spans)]))
        }
        try await withWriter(database) { writer in
            try await writer.write(batch([
                Self.span(1, name: "GET /a", start: minute + 1, millis: 10), Self.span(2, name: "GET /a", start: minute + 2, millis: 20, error: true),
                Self.span(3, name: "GET /a", kind: 3, start: minute + 3, millis: 5), Self.span(4, name: "GET /b", start: minute + 61_000_000_000, millis: 1),
            ]))
            try await writer.write(batch([Self.span(5, name: "GET /a", start: minute + 4, millis: 30)]))
        }
        // Each transaction appends its own partial rows; compaction leaves one row per key and period
        // (one merge in each of the minute, hour and six-hour tables).
        #expect(try database.scalar("SELECT count(*) FROM red_rollups") == "4")
        #expect(try RollupCompactor().compact(on: database.connect()) == 3)
        #expect(try RollupCompactor().compact(on: database.connect()) == 0)
        let rows = try database.connect().execute("""
            SELECT operation, span_kind, extract(epoch FROM time)::bigint * 1000000000, request_count, error_count, duration_sum_nanos::text
            FROM red_rollups ORDER BY operation, span_kind, time
            """).rows
        #expect(rows == [
            ["GET /a", "2", String(minute), "3", "1", "60000000"],
            ["GET /a", "3", String(minute), "1", "0", "5000000"],
            ["GET /b", "2", String(minute + 60_000_000_000), "1", "0", "1000000"],
        ])
        let latency = try #require(try database.scalar("SELECT latency FROM red_rollups WHERE operation = 'GET /a' AND span_kind = 2"))
        var histogram = LatencyHistogram()
        let parsed = histogram.add(jsonText: latency)
        #expect(parsed)
        #expect(histogram.totalCount == 3)
        #expect(abs(histogram.quantileNanos(1.0)! - 30_000_000) / 30_000_000 <= 0.02)
        let hourly = try database.connect().execute("SELECT operation, sum(request_count)::text FROM red_rollups_hourly GROUP BY operation ORDER BY operation").rows
        #expect(hourly == [["GET /a", "4"], ["GET /b", "1"]])
        let sixHourly = try database.connect().execute("SELECT operation, sum(request_count)::text FROM red_rollups_6h GROUP BY operation ORDER BY operation").rows
        #expect(sixHourly == hourly)
        #expect(try database.scalar("SELECT count(*) FROM red_rollups_6h WHERE extract(epoch FROM time)::bigint % 21600 <> 0") == "0")
    }

    /// Service and operation names travel to the rollups inside array parameters: characters that
    /// array literals, SQL or JSON treat specially must arrive unchanged. Trace ranges of one trace
    /// from two requests in one transaction are merged into one row spanning both.
    @Test func namesWithQuotingCharactersAndMergedTraceRanges() async throws {
        let database = try TestDatabase.make()
        let minute = (nowNanos / 60_000_000_000) * 60_000_000_000
        let service = #"svc "quoted" \back\slash 'single' {braces},comma NULL ünï"#
        let names = [#"GET "/a""#, #"C:\path\"#, "it's", "{}", "NULL", "", " padded ", "tab\tnewline\n"]
        let resource = Resource(attributes: [Attribute(key: "service.name", value: .string(service))])
        func batch(_ spans: [Span]) -> EncodedBatch {
            encoder.encode(spans: ExportBatch(groups: [ScopedItems(resource: resource, scope: InstrumentationScope(), items: spans)]))
        }
        let first = batch(names.enumerated().map { Self.span(UInt64($0.offset + 1), name: $0.element, start: minute + Int64($0.offset), millis: 1) })
        var later = Self.span(1, name: names[0], start: minute + 5_000_000_000, millis: 1)
        later.spanID = SpanID(99)
        let second = batch([later])
        let writer = IngestWriter(configuration: .init(conninfo: database.conninfo), logger: Logger(label: "test"))
        try writer.writeTransaction([first, second])
        for table in ["red_rollups", "red_rollups_hourly", "red_rollups_6h"] {
            let rows = try database.connect().execute("SELECT DISTINCT service_name FROM \(table)").rows
            #expect(rows == [[service]], "\(table)")
            let operations = try database.connect().execute("SELECT operation FROM \(table) GROUP BY operation ORDER BY operation COLLATE \"C\"").rows.map { $0[0] }
            #expect(operations == names.sorted(), "\(table)")
        }
        let range = try database.connect().execute("""
            SELECT extract(epoch FROM first_time)::bigint, extract(epoch FROM last_time)::bigint FROM traces WHERE trace_id = $1::bytea
            """, ["\\x" + TraceID(high: 11, low: 1).hex]).rows
        #expect(range == [[String(minute / 1_000_000_000), String(minute / 1_000_000_000 + 5)]])
        #expect(try database.scalar("SELECT count(*) FROM traces") == String(names.count))
    }
}
