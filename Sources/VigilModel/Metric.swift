/// An OTLP metric: its identity and its data points of one of the five types.
public struct Metric: Sendable, Hashable {
    public var name: String
    public var description: String
    public var unit: String
    public var metadata: [Attribute]
    public var data: MetricData

    public init(name: String, description: String = "", unit: String = "", metadata: [Attribute] = [], data: MetricData) {
        self.name = name
        self.description = description
        self.unit = unit
        self.metadata = metadata
        self.data = data
    }
}

/// The data of a metric, by type.
public enum MetricData: Sendable, Hashable {
    case gauge([NumberDataPoint])
    case sum([NumberDataPoint], temporality: Int32, isMonotonic: Bool)
    case histogram([HistogramDataPoint], temporality: Int32)
    case exponentialHistogram([ExponentialHistogramDataPoint], temporality: Int32)
    case summary([SummaryDataPoint])

    /// The type name stored in `metric_series.type`.
    public var typeName: String {
        switch self {
        case .gauge: "gauge"
        case .sum: "sum"
        case .histogram: "histogram"
        case .exponentialHistogram: "exponential_histogram"
        case .summary: "summary"
        }
    }

    public var pointCount: Int {
        switch self {
        case .gauge(let points), .sum(let points, _, _): points.count
        case .histogram(let points, _): points.count
        case .exponentialHistogram(let points, _): points.count
        case .summary(let points): points.count
        }
    }
}

/// The value of a number point or an exemplar: OTLP's `as_double`/`as_int` oneof, or neither.
public enum NumberValue: Sendable, Hashable {
    case double(Double)
    case int(Int64)
    case none
}

public struct NumberDataPoint: Sendable, Hashable {
    public var attributes: [Attribute]
    public var startTimeUnixNano: UInt64
    public var timeUnixNano: UInt64
    public var value: NumberValue
    public var exemplars: [Exemplar]
    public var flags: UInt32

    public init(attributes: [Attribute] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64 = 0, value: NumberValue = .none, exemplars: [Exemplar] = [], flags: UInt32 = 0) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.value = value
        self.exemplars = exemplars
        self.flags = flags
    }
}

public struct HistogramDataPoint: Sendable, Hashable {
    public var attributes: [Attribute]
    public var startTimeUnixNano: UInt64
    public var timeUnixNano: UInt64
    public var count: UInt64
    public var sum: Double?
    public var bucketCounts: [UInt64]
    public var explicitBounds: [Double]
    public var exemplars: [Exemplar]
    public var flags: UInt32
    public var min: Double?
    public var max: Double?

    public init(
        attributes: [Attribute] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64 = 0, count: UInt64 = 0, sum: Double? = nil,
        bucketCounts: [UInt64] = [], explicitBounds: [Double] = [], exemplars: [Exemplar] = [], flags: UInt32 = 0, min: Double? = nil, max: Double? = nil
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.bucketCounts = bucketCounts
        self.explicitBounds = explicitBounds
        self.exemplars = exemplars
        self.flags = flags
        self.min = min
        self.max = max
    }
}

public struct ExponentialHistogramDataPoint: Sendable, Hashable {
    /// A run of exponential buckets starting at `offset`.
    public struct Buckets: Sendable, Hashable {
        public var offset: Int32
        public var bucketCounts: [UInt64]

        public init(offset: Int32 = 0, bucketCounts: [UInt64] = []) {
            self.offset = offset
            self.bucketCounts = bucketCounts
        }
    }

    public var attributes: [Attribute]
    public var startTimeUnixNano: UInt64
    public var timeUnixNano: UInt64
    public var count: UInt64
    public var sum: Double?
    public var scale: Int32
    public var zeroCount: UInt64
    public var positive: Buckets
    public var negative: Buckets
    public var flags: UInt32
    public var exemplars: [Exemplar]
    public var min: Double?
    public var max: Double?
    public var zeroThreshold: Double

    public init(
        attributes: [Attribute] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64 = 0, count: UInt64 = 0, sum: Double? = nil,
        scale: Int32 = 0, zeroCount: UInt64 = 0, positive: Buckets = Buckets(), negative: Buckets = Buckets(), flags: UInt32 = 0,
        exemplars: [Exemplar] = [], min: Double? = nil, max: Double? = nil, zeroThreshold: Double = 0
    ) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.scale = scale
        self.zeroCount = zeroCount
        self.positive = positive
        self.negative = negative
        self.flags = flags
        self.exemplars = exemplars
        self.min = min
        self.max = max
        self.zeroThreshold = zeroThreshold
    }
}

public struct SummaryDataPoint: Sendable, Hashable {
    public struct ValueAtQuantile: Sendable, Hashable {
        public var quantile: Double
        public var value: Double

        public init(quantile: Double, value: Double) {
            self.quantile = quantile
            self.value = value
        }
    }

    public var attributes: [Attribute]
    public var startTimeUnixNano: UInt64
    public var timeUnixNano: UInt64
    public var count: UInt64
    public var sum: Double
    public var quantileValues: [ValueAtQuantile]
    public var flags: UInt32

    public init(attributes: [Attribute] = [], startTimeUnixNano: UInt64 = 0, timeUnixNano: UInt64 = 0, count: UInt64 = 0, sum: Double = 0, quantileValues: [ValueAtQuantile] = [], flags: UInt32 = 0) {
        self.attributes = attributes
        self.startTimeUnixNano = startTimeUnixNano
        self.timeUnixNano = timeUnixNano
        self.count = count
        self.sum = sum
        self.quantileValues = quantileValues
        self.flags = flags
    }
}

/// A sample measurement attached to a data point, often pointing at the span that produced it.
public struct Exemplar: Sendable, Hashable {
    public var filteredAttributes: [Attribute]
    public var timeUnixNano: UInt64
    public var value: NumberValue
    public var spanID: SpanID?
    public var traceID: TraceID?

    public init(filteredAttributes: [Attribute] = [], timeUnixNano: UInt64 = 0, value: NumberValue = .none, spanID: SpanID? = nil, traceID: TraceID? = nil) {
        self.filteredAttributes = filteredAttributes
        self.timeUnixNano = timeUnixNano
        self.value = value
        self.spanID = spanID
        self.traceID = traceID
    }
}
