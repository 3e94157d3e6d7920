/// Observation counts of an explicit-bucket histogram: one count per bucket (not cumulative, as in
/// OTLP), the buckets delimited by ascending upper bounds, the last bucket open up to +Inf.
///
/// Bucket `i` holds the observations in `(bounds[i-1], bounds[i]]`; the first starts at -Inf and the
/// last (`counts.count - 1`) covers everything above the highest bound. This is Prometheus's `le`
/// reading of OTLP's explicit bounds, so quantiles come out as `histogram_quantile` computes them.
public struct HistogramBuckets: Sendable, Hashable {
    /// The buckets' upper bounds, strictly ascending and finite.
    public private(set) var bounds: [Double]
    /// The count of each bucket; one more than ``bounds``.
    public private(set) var counts: [Double]

    /// Buckets with their counts; `nil` unless there is one more count than bounds and the bounds
    /// are finite and strictly ascending.
    public init?(bounds: [Double], counts: [Double]) {
        guard counts.count == bounds.count + 1, bounds.allSatisfy(\.isFinite) else { return nil }
        for index in bounds.indices.dropFirst() where !(bounds[index - 1] < bounds[index]) { return nil }
        self.bounds = bounds
        self.counts = counts
    }

    /// Empty buckets with the given bounds; `nil` when the bounds are not finite and strictly ascending.
    public init?(bounds: [Double]) {
        self.init(bounds: bounds, counts: Array(repeating: 0, count: bounds.count + 1))
    }

    /// All observations.
    public var total: Double { counts.reduce(0, +) }

    /// Adds `other`'s counts bucket by bucket. Returns false and changes nothing when the bounds
    /// differ: such histograms cannot be added.
    @discardableResult
    public mutating func add(_ other: HistogramBuckets) -> Bool {
        guard other.bounds == bounds else { return false }
        for index in counts.indices { counts[index] += other.counts[index] }
        return true
    }

    /// The observations in the buckets whose upper bound is at most `threshold`. A threshold that
    /// falls inside a bucket leaves that whole bucket out (its observations may lie above the
    /// threshold); the +Inf bucket is never included.
    public func observations(atMost threshold: Double) -> Double {
        var good = 0.0
        for (index, bound) in bounds.enumerated() where bound <= threshold { good += counts[index] }
        return good
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) of the observations, by linear interpolation inside the bucket
    /// that holds it, as Prometheus's `histogram_quantile`; `nil` without observations or for a
    /// histogram with no finite bound.
    ///
    /// A quantile in the +Inf bucket is the highest finite bound. The lowest bucket is taken to
    /// start at 0 when its upper bound is positive; when it is 0 or negative, a quantile in it is
    /// that bound.
    public func quantile(_ q: Double) -> Double? {
        guard q >= 0, q <= 1, !bounds.isEmpty else { return nil }
        var cumulative: [Double] = []
        cumulative.reserveCapacity(counts.count)
        var running = 0.0
        for count in counts {
            running += count
            cumulative.append(running)
        }
        let observations = running
        guard observations > 0, observations.isFinite else { return nil }
        var rank = q * observations
        // The first finite bucket whose cumulative count reaches the rank, else the +Inf bucket.
        let bucket = cumulative.prefix(bounds.count).firstIndex { $0 >= rank } ?? bounds.count
        if bucket == bounds.count { return bounds[bounds.count - 1] }
        if bucket == 0, bounds[0] <= 0 { return bounds[0] }
        var start = 0.0
        var count = cumulative[bucket]
        if bucket > 0 {
            start = bounds[bucket - 1]
            count -= cumulative[bucket - 1]
            rank -= cumulative[bucket - 1]
        }
        let value = start + (bounds[bucket] - start) * (rank / count)
        return value.isNaN ? nil : value
    }
}
