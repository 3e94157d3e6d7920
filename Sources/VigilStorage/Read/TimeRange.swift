/// A half-open time range [start, end) in Unix nanoseconds.
public struct TimeRange: Sendable, Equatable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    public var startText: String { PostgresTime.text(unixNano: start) }
    public var endText: String { PostgresTime.text(unixNano: end) }
}
