import COTLP
import VigilModel

extension OTLPProtobufDecoder {
    typealias CMetric = Opentelemetry__Proto__Metrics__V1__Metric
    typealias CExemplar = Opentelemetry__Proto__Metrics__V1__Exemplar

    /// Decodes an `ExportMetricsServiceRequest`. A metric without data is dropped and counted
    /// as one rejected data point; a point with a malformed exemplar ID is dropped.
    public static func decodeMetrics(_ body: some OTLPRequestBytes) throws(OTLPDecodingError) -> ExportBatch<Metric> {
        try withUnpacked(
            body,
            unpack: { opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__unpack($0, $1, $2) },
            name: "ExportMetricsServiceRequest"
        ) { request in
            var batch = ExportBatch<Metric>()
            for (r, resourceMetrics) in array(request.pointee.resource_metrics, request.pointee.n_resource_metrics, { $0 }).enumerated() {
                let resource = resource(resourceMetrics.pointee.resource, schemaURL: resourceMetrics.pointee.schema_url)
                for (s, scopeMetrics) in array(resourceMetrics.pointee.scope_metrics, resourceMetrics.pointee.n_scope_metrics, { $0 }).enumerated() {
                    let scope = scope(scopeMetrics.pointee.scope, schemaURL: scopeMetrics.pointee.schema_url)
                    var metrics: [Metric] = []
                    for (m, cMetric) in array(scopeMetrics.pointee.metrics, scopeMetrics.pointee.n_metrics, { $0 }).enumerated() {
                        let path = "resourceMetrics[\(r)].scopeMetrics[\(s)].metrics[\(m)]"
                        if let metric = metric(cMetric.pointee, path: path, rejected: &batch.rejected) { metrics.append(metric) }
                    }
                    batch.groups.append(ScopedItems(resource: resource, scope: scope, items: metrics))
                }
            }
            return batch
        }
    }

    private static func metric(_ metric: CMetric, path: String, rejected: inout Rejections) -> Metric? {
        let name = string(metric.name)
        let data: MetricData
        switch metric.data_case {
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE:
            guard let gauge = metric.gauge?.pointee else { return nil }
            data = .gauge(numberPoints(gauge.data_points, gauge.n_data_points, path: path, rejected: &rejected))
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM:
            guard let sum = metric.sum?.pointee else { return nil }
            data = .sum(
                numberPoints(sum.data_points, sum.n_data_points, path: path, rejected: &rejected),
                temporality: Int32(sum.aggregation_temporality.rawValue), isMonotonic: sum.is_monotonic != 0)
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM:
            guard let histogram = metric.histogram?.pointee else { return nil }
            var points: [HistogramDataPoint] = []
            for point in array(histogram.data_points, histogram.n_data_points, { $0.pointee }) {
                guard let exemplars = exemplars(point.exemplars, point.n_exemplars, path: path, rejected: &rejected) else { continue }
                points.append(HistogramDataPoint(
                    attributes: attributes(point.attributes, point.n_attributes), startTimeUnixNano: point.start_time_unix_nano,
                    timeUnixNano: point.time_unix_nano, count: point.count,
                    sum: point._sum_case == OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM ? point.sum : nil,
                    bucketCounts: buffer(point.bucket_counts, point.n_bucket_counts),
                    explicitBounds: buffer(point.explicit_bounds, point.n_explicit_bounds), exemplars: exemplars, flags: point.flags,
                    min: point._min_case == OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MIN_MIN ? point.min : nil,
                    max: point._max_case == OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___MAX_MAX ? point.max : nil))
            }
            data = .histogram(points, temporality: Int32(histogram.aggregation_temporality.rawValue))
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_EXPONENTIAL_HISTOGRAM:
            guard let histogram = metric.exponential_histogram?.pointee else { return nil }
            var points: [ExponentialHistogramDataPoint] = []
            for point in array(histogram.data_points, histogram.n_data_points, { $0.pointee }) {
                guard let exemplars = exemplars(point.exemplars, point.n_exemplars, path: path, rejected: &rejected) else { continue }
                points.append(ExponentialHistogramDataPoint(
                    attributes: attributes(point.attributes, point.n_attributes), startTimeUnixNano: point.start_time_unix_nano,
                    timeUnixNano: point.time_unix_nano, count: point.count,
                    sum: point._sum_case == OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___SUM_SUM ? point.sum : nil,
                    scale: point.scale, zeroCount: point.zero_count,
                    positive: buckets(point.positive), negative: buckets(point.negative), flags: point.flags, exemplars: exemplars,
                    min: point._min_case == OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___MIN_MIN ? point.min : nil,
                    max: point._max_case == OPENTELEMETRY__PROTO__METRICS__V1__EXPONENTIAL_HISTOGRAM_DATA_POINT___MAX_MAX ? point.max : nil,
                    zeroThreshold: point.zero_threshold))
            }
            data = .exponentialHistogram(points, temporality: Int32(histogram.aggregation_temporality.rawValue))
        case OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUMMARY:
            guard let summary = metric.summary?.pointee else { return nil }
            let points = array(summary.data_points, summary.n_data_points) { pointer in
                let point = pointer.pointee
                return SummaryDataPoint(
                    attributes: attributes(point.attributes, point.n_attributes), startTimeUnixNano: point.start_time_unix_nano,
                    timeUnixNano: point.time_unix_nano, count: point.count, sum: point.sum,
                    quantileValues: array(point.quantile_values, point.n_quantile_values) { .init(quantile: $0.pointee.quantile, value: $0.pointee.value) },
                    flags: point.flags)
            }
            data = .summary(points)
        default:
            rejected.record("\(path): metric \"\(name)\" has no data (gauge, sum, histogram, exponential histogram or summary)")
            return nil
        }
        return Metric(
            name: name, description: string(metric.description), unit: string(metric.unit),
            metadata: attributes(metric.metadata, metric.n_metadata), data: data)
    }

    private static func numberPoints(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__NumberDataPoint>?>?, _ count: Int,
        path: String, rejected: inout Rejections
    ) -> [NumberDataPoint] {
        var points: [NumberDataPoint] = []
        for point in array(pointer, count, { $0.pointee }) {
            guard let exemplars = exemplars(point.exemplars, point.n_exemplars, path: path, rejected: &rejected) else { continue }
            let value: NumberValue = switch point.value_case {
            case OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_DOUBLE: .double(point.as_double)
            case OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_INT: .int(point.as_int)
            default: .none
            }
            points.append(NumberDataPoint(
                attributes: attributes(point.attributes, point.n_attributes), startTimeUnixNano: point.start_time_unix_nano,
                timeUnixNano: point.time_unix_nano, value: value, exemplars: exemplars, flags: point.flags))
        }
        return points
    }

    /// The exemplars of a point, or `nil` (the point is dropped) when one has a malformed ID.
    private static func exemplars(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CExemplar>?>?, _ count: Int, path: String, rejected: inout Rejections) -> [Exemplar]? {
        var result: [Exemplar] = []
        for exemplar in array(pointer, count, { $0.pointee }) {
            guard case .success(let traceID) = optionalTraceID(exemplar.trace_id, field: "traceId"),
                case .success(let spanID) = optionalSpanID(exemplar.span_id, field: "spanId")
            else {
                rejected.record("\(path): an exemplar has a trace ID that is not 16 bytes or a span ID that is not 8 bytes")
                return nil
            }
            let value: NumberValue = switch exemplar.value_case {
            case OPENTELEMETRY__PROTO__METRICS__V1__EXEMPLAR__VALUE_AS_DOUBLE: .double(exemplar.as_double)
            case OPENTELEMETRY__PROTO__METRICS__V1__EXEMPLAR__VALUE_AS_INT: .int(exemplar.as_int)
            default: .none
            }
            result.append(Exemplar(
                filteredAttributes: attributes(exemplar.filtered_attributes, exemplar.n_filtered_attributes),
                timeUnixNano: exemplar.time_unix_nano, value: value, spanID: spanID, traceID: traceID))
        }
        return result
    }

    private static func buckets(_ pointer: UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__ExponentialHistogramDataPoint__Buckets>?) -> ExponentialHistogramDataPoint.Buckets {
        guard let buckets = pointer?.pointee else { return .init() }
        return .init(offset: buckets.offset, bucketCounts: buffer(buckets.bucket_counts, buckets.n_bucket_counts))
    }

    private static func buffer<Element>(_ pointer: UnsafeMutablePointer<Element>?, _ count: Int) -> [Element] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
