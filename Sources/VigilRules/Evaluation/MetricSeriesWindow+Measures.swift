import Foundation

/// What one series gives for each measure of metric rules and metric SLIs over the window that
/// starts at `windowStart` (Unix nanoseconds, excluded): points with `time <= windowStart` are
/// the baseline, the others are the window's own. Each measure is `nil` for a series of another
/// type than it reads, or without a point inside the window.
extension MetricSeriesWindow {
    /// The start of `(end - window, end]` in Unix nanoseconds, as data sources compute it.
    public static func windowStart(end: Date, window: Duration) -> Int64 {
        Int64(end.timeIntervalSince1970 * 1e9) - window.nanoseconds
    }

    /// `value`: the latest point inside the window, for gauges and sums. Points without a number
    /// (or NaN) do not count; the baseline point alone gives no value.
    public func latestValue(windowStart: Int64) -> Double? {
        guard kind == .gauge || kind == .sum else { return nil }
        return points.last { $0.time > windowStart && $0.value.map { !$0.isNaN } == true }?.value
    }

    /// `increase`: how much a monotonic sum grew during the window, without extrapolation.
    ///
    /// Cumulative series add the differences between consecutive points from the baseline on. A
    /// value lower than the one before it, or a later start time, is a counter reset: the new
    /// value is the increase since the reset. Without a baseline, the first point inside the window
    /// is the baseline, unless its start time is inside the window (the counter started during
    /// it), and then its whole value counts. Delta series add their points inside the window.
    public func increase(windowStart: Int64) -> Double? {
        guard kind == .sum, isMonotonic else { return nil }
        let reading: (Point) -> Reading? = { point in
            guard let value = point.value, !value.isNaN else { return nil }
            return Reading(point: point, values: [value], layout: [])
        }
        return accumulate(windowStart: windowStart, reading)?.values[0]
    }

    /// `quantile` and histogram SLIs: how much each bucket of a histogram grew during the window,
    /// read as ``increase(windowStart:)`` reads counters (a drop of the count or of any bucket is a
    /// reset). Points whose bucket counts do not fit their bounds are skipped; a change of bounds
    /// is read as a reset, and only the counts in the newest bounds are kept.
    public func bucketIncrease(windowStart: Int64) -> HistogramBuckets? {
        guard kind == .histogram else { return nil }
        let reading: (Point) -> Reading? = { point in
            guard HistogramBuckets(bounds: point.explicitBounds, counts: point.bucketCounts) != nil,
                  !point.bucketCounts.contains(where: \.isNaN) else { return nil }
            return Reading(point: point, values: point.bucketCounts, layout: point.explicitBounds)
        }
        guard let sum = accumulate(windowStart: windowStart, reading) else { return nil }
        return HistogramBuckets(bounds: sum.layout, counts: sum.values)
    }

    // MARK: Accumulation

    /// One point's numbers: a counter's value, or a histogram's bucket counts and their bounds.
    private struct Reading {
        var point: Point
        var values: [Double]
        var layout: [Double]

        /// True when `self`, read after `previous`, shows a new counter: a lower value, a
        /// histogram's count that fell, other bounds, or a later start time (a restart).
        func isReset(after previous: Reading) -> Bool {
            if layout != previous.layout || values.count != previous.values.count { return true }
            if zip(values, previous.values).contains(where: { $0 < $1 }) { return true }
            if let count = point.count, let previousCount = previous.point.count, count < previousCount { return true }
            return point.startTime != 0 && previous.point.startTime != 0 && point.startTime > previous.point.startTime
        }
    }

    /// The growth of the readings over the window, by temporality; `nil` without a reading inside
    /// the window, or for an unspecified temporality (which says neither how to add nor how to
    /// subtract the points).
    private func accumulate(windowStart: Int64, _ read: (Point) -> Reading?) -> (values: [Double], layout: [Double])? {
        let inside = points.filter { $0.time > windowStart }.compactMap(read)
        guard let last = inside.last else { return nil }
        switch temporality {
        case .unspecified:
            return nil
        case .delta:
            // Points of other bounds than the newest cannot be added to it.
            var sum = Array(repeating: 0.0, count: last.values.count)
            for reading in inside where reading.layout == last.layout && reading.values.count == sum.count {
                for index in sum.indices { sum[index] += reading.values[index] }
            }
            return (sum, last.layout)
        case .cumulative:
            var rest = inside[...]
            var previous: Reading
            var sum: [Double]
            if let baseline = points.last(where: { $0.time <= windowStart }).flatMap(read) {
                previous = baseline
                sum = Array(repeating: 0, count: baseline.values.count)
            } else {
                previous = rest.removeFirst()
                let startedInside = previous.point.startTime != 0 && previous.point.startTime > windowStart
                sum = startedInside ? previous.values : Array(repeating: 0, count: previous.values.count)
            }
            for reading in rest {
                if reading.isReset(after: previous) {
                    if reading.layout == previous.layout && reading.values.count == sum.count {
                        for index in sum.indices { sum[index] += reading.values[index] }
                    } else {
                        // Counts in other bounds cannot be added: keep those since the change.
                        sum = reading.values
                    }
                } else {
                    for index in sum.indices { sum[index] += reading.values[index] - previous.values[index] }
                }
                previous = reading
            }
            // Every change of bounds restarted the sum, so it is in the newest point's bounds.
            return (sum, last.layout)
        }
    }
}
