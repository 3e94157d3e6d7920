/// A half-open time range [start, end) in Unix nanoseconds.
public struct TimeRange: Sendable, Equatable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// `start` as timestamptz text, rounded down to the microsecond: with ``endText``, a range of
    /// the microsecond `time` columns that holds every row of this range (for partition pruning);
    /// exact filtering uses the nanosecond columns.
    public var startText: String { PostgresTime.text(unixNano: start) }
    /// `end` rounded up to the microsecond.
    public var endText: String { PostgresTime.text(unixNano: end % 1000 == 0 ? end : end + (1000 - end % 1000)) }
}
