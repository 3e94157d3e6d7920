/// One stored metric series and its points around a window, as metric rules and metric SLIs
/// read them from a ``RuleDataSource``.
public struct MetricSeriesWindow: Sendable, Equatable {
    /// The OTLP data type of the series.
    public enum Kind: String, Sendable, Hashable {
        case gauge, sum, histogram, exponentialHistogram, summary
    }

    /// OTLP aggregation temporality of sums and histograms.
    public enum Temporality: Sendable, Hashable {
        case unspecified, delta, cumulative
    }

    /// One data point. Times are Unix nanoseconds.
    public struct Point: Sendable, Equatable {
        /// `time_unix_nano`.
        public var time: Int64
        /// `start_time_unix_nano`; 0 when unset.
        public var startTime: Int64
        /// The number of a gauge or sum point; nil for histograms and summaries.
        public var value: Double?
        /// A histogram's observation count; nil for gauges and sums.
        public var count: Double?
        /// A histogram's bucket counts (not cumulative: one count per bucket, as in OTLP).
        public var bucketCounts: [Double]
        /// A histogram's explicit bounds (`bucketCounts.count - 1` of them).
        public var explicitBounds: [Double]

        /// A point with the fields its type has.
        public init(time: Int64, startTime: Int64 = 0, value: Double? = nil, count: Double? = nil, bucketCounts: [Double] = [], explicitBounds: [Double] = []) {
            self.time = time
            self.startTime = startTime
            self.value = value
            self.count = count
            self.bucketCounts = bucketCounts
            self.explicitBounds = explicitBounds
        }
    }

    /// `service.name` of the series' resource.
    public var service: String
    /// The data point's attributes over its resource's, as text (numbers and booleans as
    /// written): what attribute matchers and `by` attribute keys read.
    public var attributes: [String: String]
    /// The series' type.
    public var kind: Kind
    /// Sums' and histograms' temporality; `.unspecified` for the others.
    public var temporality: Temporality
    /// Sums: whether the sum only grows (a counter).
    public var isMonotonic: Bool
    /// The points with `time` in `(end - window, end]`, oldest first, preceded by the newest
    /// earlier point when there is one (the baseline of a cumulative series' increase).
    public var points: [Point]

    /// A series with its points.
    public init(service: String, attributes: [String: String], kind: Kind, temporality: Temporality = .unspecified, isMonotonic: Bool = false, points: [Point]) {
        self.service = service
        self.attributes = attributes
        self.kind = kind
        self.temporality = temporality
        self.isMonotonic = isMonotonic
        self.points = points
    }
}
