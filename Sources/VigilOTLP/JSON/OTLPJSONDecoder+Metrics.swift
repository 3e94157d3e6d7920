import VigilModel

extension OTLPJSONDecoder {
    static let temporalityNames = ["AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE"]

    /// Decodes an `ExportMetricsServiceRequest` in OTLP/JSON. A metric with no data type set is
    /// rejected as an invalid item (counted as one data point).
    public static func decodeMetrics(_ body: [UInt8]) throws(OTLPDecodingError) -> ExportBatch<Metric> {
        let root = try parse(body)
        var batch = ExportBatch<Metric>()
        for resourceMetrics in try root.objects("resourceMetrics", "resource_metrics") {
            let resource = try resource(resourceMetrics)
            for scopeMetrics in try resourceMetrics.objects("scopeMetrics", "scope_metrics") {
                let scope = try scope(scopeMetrics)
                var metrics: [Metric] = []
                for object in try scopeMetrics.objects("metrics") {
                    var rejected = Rejections()
                    if let metric = try metric(object, rejected: &rejected) { metrics.append(metric) }
                    batch.rejected.merge(rejected)
                }
                batch.groups.append(ScopedItems(resource: resource, scope: scope, items: metrics))
            }
        }
        return batch
    }

    private static func metric(_ object: JSONObject, rejected: inout Rejections) throws(OTLPDecodingError) -> Metric? {
        let name = try object.string("name")
        let data: MetricData
        if let gauge = try object.object("gauge") {
            data = .gauge(try numberPoints(gauge, rejected: &rejected))
        } else if let sum = try object.object("sum") {
            data = .sum(
                try numberPoints(sum, rejected: &rejected),
                temporality: try sum.enumValue("aggregationTemporality", "aggregation_temporality", names: temporalityNames),
                isMonotonic: try sum.bool("isMonotonic", "is_monotonic"))
        } else if let histogram = try object.object("histogram") {
            var points: [HistogramDataPoint] = []
            for point in try histogram.objects("dataPoints", "data_points") {
                guard let exemplars = try exemplars(point, rejected: &rejected) else { continue }
                points.append(HistogramDataPoint(
                    attributes: try attributes(point, "attributes"),
                    startTimeUnixNano: try point.uint64("startTimeUnixNano", "start_time_unix_nano"),
                    timeUnixNano: try point.uint64("timeUnixNano", "time_unix_nano"), count: try point.uint64("count"),
                    sum: try point.double("sum"), bucketCounts: try uint64s(point, "bucketCounts", "bucket_counts"),
                    explicitBounds: try doubles(point, "explicitBounds", "explicit_bounds"), exemplars: exemplars,
                    flags: try point.uint32("flags"), min: try point.double("min"), max: try point.double("max")))
            }
            data = .histogram(points, temporality: try histogram.enumValue("aggregationTemporality", "aggregation_temporality", names: temporalityNames))
        } else if let histogram = try object.object("exponentialHistogram", "exponential_histogram") {
            var points: [ExponentialHistogramDataPoint] = []
            for point in try histogram.objects("dataPoints", "data_points") {
                guard let exemplars = try exemplars(point, rejected: &rejected) else { continue }
                points.append(ExponentialHistogramDataPoint(
                    attributes: try attributes(point, "attributes"),
                    startTimeUnixNano: try point.uint64("startTimeUnixNano", "start_time_unix_nano"),
                    timeUnixNano: try point.uint64("timeUnixNano", "time_unix_nano"), count: try point.uint64("count"),
                    sum: try point.double("sum"), scale: try point.int32("scale"), zeroCount: try point.uint64("zeroCount", "zero_count"),
                    positive: try buckets(point.object("positive")), negative: try buckets(point.object("negative")),
                    flags: try point.uint32("flags"), exemplars: exemplars, min: try point.double("min"), max: try point.double("max"),
                    zeroThreshold: try point.double("zeroThreshold", "zero_threshold") ?? 0))
            }
            data = .exponentialHistogram(points, temporality: try histogram.enumValue("aggregationTemporality", "aggregation_temporality", names: temporalityNames))
        } else if let summary = try object.object("summary") {
            var points: [SummaryDataPoint] = []
            for point in try summary.objects("dataPoints", "data_points") {
                var quantiles: [SummaryDataPoint.ValueAtQuantile] = []
                for quantile in try point.objects("quantileValues", "quantile_values") {
                    quantiles.append(.init(quantile: try quantile.double("quantile") ?? 0, value: try quantile.double("value") ?? 0))
                }
                points.append(SummaryDataPoint(
                    attributes: try attributes(point, "attributes"),
                    startTimeUnixNano: try point.uint64("startTimeUnixNano", "start_time_unix_nano"),
                    timeUnixNano: try point.uint64("timeUnixNano", "time_unix_nano"), count: try point.uint64("count"),
                    sum: try point.double("sum") ?? 0, quantileValues: quantiles, flags: try point.uint32("flags")))
            }
            data = .summary(points)
        } else {
            rejected.record("\(object.path): metric \"\(name)\" has no data (gauge, sum, histogram, exponentialHistogram or summary)")
            return nil
        }
        return Metric(
            name: name, description: try object.string("description"), unit: try object.string("unit"),
            metadata: try attributes(object, "metadata"), data: data)
    }

    private static func numberPoints(_ container: JSONObject, rejected: inout Rejections) throws(OTLPDecodingError) -> [NumberDataPoint] {
        var points: [NumberDataPoint] = []
        for point in try container.objects("dataPoints", "data_points") {
            guard let exemplars = try exemplars(point, rejected: &rejected) else { continue }
            points.append(NumberDataPoint(
                attributes: try attributes(point, "attributes"),
                startTimeUnixNano: try point.uint64("startTimeUnixNano", "start_time_unix_nano"),
                timeUnixNano: try point.uint64("timeUnixNano", "time_unix_nano"), value: try numberValue(point),
                exemplars: exemplars, flags: try point.uint32("flags")))
        }
        return points
    }

    private static func numberValue(_ object: JSONObject) throws(OTLPDecodingError) -> NumberValue {
        if let double = try object.double("asDouble", "as_double") { return .double(double) }
        if object.value("asInt", "as_int") != nil { return .int(try object.int64("asInt", "as_int")) }
        return .none
    }

    /// The exemplars of a point, or `nil` (the point is rejected) when one has a malformed ID.
    private static func exemplars(_ point: JSONObject, rejected: inout Rejections) throws(OTLPDecodingError) -> [Exemplar]? {
        var result: [Exemplar] = []
        for object in try point.objects("exemplars") {
            let traceID: TraceID?
            let spanID: SpanID?
            switch try Self.traceID(object, "traceId", "trace_id") {
            case .success(let id): traceID = id?.isZero == true ? nil : id
            case .failure(let rejection): rejected.record(rejection.reason); return nil
            }
            switch try Self.spanID(object, "spanId", "span_id") {
            case .success(let id): spanID = id?.isZero == true ? nil : id
            case .failure(let rejection): rejected.record(rejection.reason); return nil
            }
            result.append(Exemplar(
                filteredAttributes: try attributes(object, "filteredAttributes", "filtered_attributes"),
                timeUnixNano: try object.uint64("timeUnixNano", "time_unix_nano"), value: try numberValue(object),
                spanID: spanID, traceID: traceID))
        }
        return result
    }

    private static func buckets(_ object: JSONObject?) throws(OTLPDecodingError) -> ExponentialHistogramDataPoint.Buckets {
        guard let object else { return .init() }
        return .init(offset: try object.int32("offset"), bucketCounts: try uint64s(object, "bucketCounts", "bucket_counts"))
    }

    private static func uint64s(_ object: JSONObject, _ camel: String, _ snake: String) throws(OTLPDecodingError) -> [UInt64] {
        var result: [UInt64] = []
        for (index, element) in try object.array(camel, snake).enumerated() {
            guard let number = JSONNumbers.uint64(element) else { throw OTLPDecodingError("\(object.fieldPath(camel))[\(index)]: expected an unsigned 64-bit integer") }
            result.append(number)
        }
        return result
    }

    private static func doubles(_ object: JSONObject, _ camel: String, _ snake: String) throws(OTLPDecodingError) -> [Double] {
        var result: [Double] = []
        for (index, element) in try object.array(camel, snake).enumerated() {
            guard let number = JSONNumbers.double(element) else { throw OTLPDecodingError("\(object.fieldPath(camel))[\(index)]: expected a number") }
            result.append(number)
        }
        return result
    }
}
