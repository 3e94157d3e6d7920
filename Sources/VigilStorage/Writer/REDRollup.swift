import VigilModel

/// Per-minute RED aggregates of spans, collected while a request's spans are encoded and
/// added to `red_rollups` / `red_rollups_hourly` in the same transaction as the spans.
struct REDRollup: Sendable {
    struct Key: Hashable, Sendable {
        /// Minutes since the Unix epoch.
        var minute: Int64
        var service: String
        var operation: String
        var kind: Int32
    }

    struct Aggregate: Sendable {
        var requests: Int64 = 0
        var errors: Int64 = 0
        var durationSumNanos: Int64 = 0
        var latency = LatencyHistogram()

        mutating func merge(_ other: Aggregate) {
            requests += other.requests
            errors += other.errors
            durationSumNanos &+= other.durationSumNanos
            latency.merge(other.latency)
        }
    }

    private(set) var minutes: [Key: Aggregate] = [:]

    var isEmpty: Bool { minutes.isEmpty }

    static let nanosPerMinute: Int64 = 60_000_000_000

    mutating func record(service: String, operation: String, kind: Int32, startNanos: Int64, durationNanos: Int64, isError: Bool) {
        let minute = startNanos >= 0 ? startNanos / Self.nanosPerMinute : (startNanos - Self.nanosPerMinute + 1) / Self.nanosPerMinute
        let key = Key(minute: minute, service: service, operation: operation, kind: kind)
        let duration = max(0, durationNanos)
        minutes[key, default: Aggregate()].add(durationNanos: duration, isError: isError)
    }

    mutating func merge(_ other: REDRollup) {
        if minutes.isEmpty {
            minutes = other.minutes
            return
        }
        // In place: each aggregate is updated where it lies, without a merged copy.
        for (key, aggregate) in other.minutes { minutes[key, default: Aggregate()].merge(aggregate) }
    }

    /// The same aggregates over periods of `minutes` (a divisor of a day), aligned to the epoch.
    func coarsened(toMinutes minutes: Int64) -> [Key: Aggregate] {
        var periods: [Key: Aggregate] = [:]
        periods.reserveCapacity(self.minutes.count)
        for (key, aggregate) in self.minutes {
            var periodKey = key
            periodKey.minute = (key.minute >= 0 ? key.minute / minutes : (key.minute - minutes + 1) / minutes) * minutes
            periods[periodKey, default: Aggregate()].merge(aggregate)
        }
        return periods
    }

    /// The columns of one rollup table as array parameters (``ArrayLiteral``), in the order of
    /// ``IngestWriter``'s insert: time, service_name, operation, span_kind, request_count,
    /// error_count, duration_sum_nanos, latency. The quantile columns of the coarser tables are
    /// left to compaction.
    static func columnParameters(_ aggregates: [Key: Aggregate]) -> [[UInt8]] {
        var time = ArrayLiteral(), service = ArrayLiteral(), operation = ArrayLiteral(), kind = ArrayLiteral()
        var requests = ArrayLiteral(), errors = ArrayLiteral(), durationSum = ArrayLiteral(), latency = ArrayLiteral()
        for (key, aggregate) in aggregates {
            time.timestamp(unixNano: key.minute * nanosPerMinute)
            service.text(key.service)
            operation.text(key.operation)
            kind.integer(Int64(key.kind))
            requests.integer(aggregate.requests)
            errors.integer(aggregate.errors)
            durationSum.integer(aggregate.durationSumNanos)
            latency.json { aggregate.latency.write(to: &$0) }
        }
        return [
            time.terminated(), service.terminated(), operation.terminated(), kind.terminated(),
            requests.terminated(), errors.terminated(), durationSum.terminated(), latency.terminated(),
        ]
    }
}

extension REDRollup.Aggregate {
    mutating func add(durationNanos: Int64, isError: Bool) {
        requests += 1
        if isError { errors += 1 }
        durationSumNanos &+= durationNanos
        latency.record(nanos: durationNanos)
    }
}
