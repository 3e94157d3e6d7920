import Foundation
import VigilAlerting
import VigilModel

/// A ``RuleDataSource`` over the synthetic telemetry of a ``RuleTest``, read as the server reads
/// what it stores: no database, every answer computed from the test's inputs.
///
/// - Time 0 is the Unix epoch; the `k`-th input value is at `k × interval`.
/// - An item is only visible to evaluations at or after it arrives: a span when it ends (it is
///   exported then), a metric point or log record at its time. Nothing later is ever read.
/// - Spans count in windows by their start time, as stored spans do. Windows are
///   `(end - window, end]`, except for span totals the server reads from its per-minute RED
///   rollups (no attribute matchers, errors by status, no attribute in `by`): those count the
///   whole minutes that start inside the window, by the minute each span started in.
/// - Each synthetic span is its own trace, whose ID is ``traceID(entry:step:span:)``.
public struct InMemoryRuleDataSource: RuleDataSource {
    /// The spans of one `input_spans` entry that end at one step.
    struct SpanBatch: Sendable {
        /// The entry's position in `input_spans`, from 1.
        var entry: Int
        var step: Int
        var spans: RuleTest.InputSpans
        var start: Int64
        var end: Int64
        var count: Int

        var durationNanos: Int64 { end - start }

        /// The span's attribute, else its resource's (`service.name`), as text.
        func attribute(_ key: String) -> String? {
            spans.attributes[key] ?? (key == "service.name" ? spans.service : nil)
        }

        func isError(_ errors: ServiceLevelIndicator.SpanErrors) -> Bool {
            switch errors {
            case .statusError: spans.status == .error
            case .attributeAtLeast(let key, let value): attribute(key).flatMap { Double($0) }.map { $0 >= value } ?? false
            }
        }

        func isSelected(by selector: SpanSelector) -> Bool {
            (selector.services.isEmpty || selector.services.contains(spans.service))
                && (selector.operations.isEmpty || selector.operations.contains(spans.operation))
                && (selector.spanKinds.isEmpty || selector.spanKinds.contains(spans.kind))
                && selector.attributeMatchers.allSatisfy { $0.matches(attribute($0.name) ?? "") }
        }
    }

    /// The log records of one `input_logs` entry at one step.
    struct LogBatch: Sendable {
        var logs: RuleTest.InputLogs
        var time: Int64

        func attribute(_ key: String) -> String? {
            logs.attributes[key] ?? (key == "service.name" ? logs.service : nil)
        }
    }

    /// A metric series with every point of the test.
    struct StoredSeries: Sendable {
        var metric: String
        var series: MetricSeriesWindow
    }

    /// Ordered by start time, then by entry and step.
    let spanBatches: [SpanBatch]
    let logBatches: [LogBatch]
    let storedSeries: [StoredSeries]

    /// The inputs of `test`, spaced by its `interval`.
    public init(test: RuleTest) {
        self.init(interval: test.interval, series: test.inputSeries, spans: test.inputSpans, logs: test.inputLogs)
    }

    /// Inputs whose `k`-th value or count is at `k × interval` from the Unix epoch.
    public init(interval: Duration, series: [RuleTest.InputSeries] = [], spans: [RuleTest.InputSpans] = [], logs: [RuleTest.InputLogs] = []) {
        let step = interval.nanoseconds
        var batches: [SpanBatch] = []
        for (index, entry) in spans.enumerated() {
            for (position, count) in entry.counts.enumerated() where count > 0 {
                let end = Int64(position) * step
                batches.append(SpanBatch(entry: index + 1, step: position, spans: entry, start: end - entry.duration.nanoseconds, end: end, count: count))
            }
        }
        spanBatches = batches.sorted { ($0.start, $0.entry, $0.step) < ($1.start, $1.entry, $1.step) }
        var logBatches: [LogBatch] = []
        for entry in logs {
            for (position, count) in entry.counts.enumerated() where count > 0 {
                logBatches.append(LogBatch(logs: entry, time: Int64(position) * step))
            }
        }
        self.logBatches = logBatches
        storedSeries = series.map { StoredSeries(metric: $0.metric, series: Self.window(of: $0, step: step)) }
    }

    /// The trace ID of the `span`-th span (from 1) that the `entry`-th entry of `input_spans`
    /// (from 1) has end at step `step` (from 0): 32 hex digits, the entry in the first 8, the
    /// step in the next 8, the span's number in the last 16. The first span of the second entry
    /// at step 10 is `000000020000000a0000000000000001`.
    public static func traceID(entry: Int, step: Int, span: Int) -> String {
        hex(UInt64(entry), digits: 8) + hex(UInt64(step), digits: 8) + hex(UInt64(span), digits: 16)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    // MARK: Spans

    /// Totals of the selected spans per `by` combination, as the server computes them: from the
    /// whole minutes of the window when its rollups can answer, else over `(end - window, end]`.
    public func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel]) async throws -> [SpanWindowTotals] {
        let endNanos = Self.nanoseconds(end)
        let usesRollups = selector.canUseRollups && errors == .statusError && by.allSatisfy { if case .attribute = $0.source { false } else { true } }
        let starts = usesRollups ? Self.rollupStarts(end: endNanos, window: window) : Self.spanStarts(end: endNanos, window: window)
        var totals: [[String: String]: SpanWindowTotals] = [:]
        for batch in batches(startingIn: starts, visibleAt: endNanos) where batch.isSelected(by: selector) {
            let group = Self.groupValues(by, service: batch.spans.service, operation: batch.spans.operation, kind: batch.spans.kind, attribute: batch.attribute)
            var entry = totals[group] ?? SpanWindowTotals(group: group, requests: 0, errors: 0, latency: LatencyHistogram())
            entry.requests += Int64(batch.count)
            if batch.isError(errors) { entry.errors += Int64(batch.count) }
            entry.latency.record(nanos: max(0, batch.durationNanos), count: Int64(batch.count))
            totals[group] = entry
        }
        return totals.values.sorted { Self.sortKey($0.group) < Self.sortKey($1.group) }
    }

    /// Trace IDs of the selected spans of `group` that show `kind` in `(end - window, end]`,
    /// newest first; spans that start together in the order of `input_spans`, then by number.
    public func evidence(_ selector: SpanSelector, _ kind: EvidenceKind, window: Duration, end: Date, group: [String: String], by: [GroupingLabel], limit: Int) async throws -> [String] {
        let endNanos = Self.nanoseconds(end)
        let candidates = batches(startingIn: Self.spanStarts(end: endNanos, window: window), visibleAt: endNanos).filter { batch in
            guard batch.isSelected(by: selector) else { return false }
            switch kind {
            case .errors(let errors): guard batch.isError(errors) else { return false }
            case .slowerThan(let threshold): guard batch.durationNanos > threshold.nanoseconds else { return false }
            }
            return Self.groupValues(by, service: batch.spans.service, operation: batch.spans.operation, kind: batch.spans.kind, attribute: batch.attribute) == group
        }
        let ordered = candidates.sorted { ($1.start, $0.entry) < ($0.start, $1.entry) }
        var traces: [String] = []
        for batch in ordered {
            for span in 1...batch.count {
                guard traces.count < limit else { return traces }
                traces.append(Self.traceID(entry: batch.entry, step: batch.step, span: span))
            }
        }
        return traces
    }

    /// The batches visible at `end` whose spans start in `starts`.
    func batches(startingIn starts: ClosedRange<Int64>, visibleAt end: Int64) -> [SpanBatch] {
        var low = 0
        var high = spanBatches.count
        while low < high {
            let middle = (low + high) / 2
            if spanBatches[middle].start < starts.lowerBound { low = middle + 1 } else { high = middle }
        }
        var result: [SpanBatch] = []
        for batch in spanBatches[low...] {
            guard batch.start <= starts.upperBound else { break }
            if batch.end <= end { result.append(batch) }
        }
        return result
    }

    // MARK: Time

    static let minute: Int64 = 60_000_000_000

    /// Unix nanoseconds of an evaluation time. Test times are whole milliseconds; rounding to
    /// the millisecond undoes the precision `Date` loses by counting from 2001.
    static func nanoseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000).rounded()) * 1_000_000
    }

    static func date(nanoseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(nanoseconds) / 1e9)
    }

    /// Span starts in `(end - window, end]`.
    static func spanStarts(end: Int64, window: Duration) -> ClosedRange<Int64> {
        (end - window.nanoseconds + 1)...max(end, end - window.nanoseconds + 1)
    }

    /// Span starts whose minute the rollups count for the window: minutes starting at or after
    /// the window's start and before its end.
    static func rollupStarts(end: Int64, window: Duration) -> ClosedRange<Int64> {
        let start = end - window.nanoseconds
        let first = ceilingDivision(start, minute) * minute
        // A span whose minute starts before `end` starts before the next minute; nothing after
        // `end` exists yet, and at a whole minute `end`'s own minute is not counted.
        let last = end % minute == 0 ? end - 1 : end
        return first...max(first, last)
    }

    private static func ceilingDivision(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor > 0 ? quotient + 1 : quotient
    }

    // MARK: Groups

    /// The alert labels of one result: a value per `by` entry.
    static func groupValues(_ by: [GroupingLabel], service: String, operation: String = "", kind: SpanKind? = nil, attribute: (String) -> String?) -> [String: String] {
        var values: [String: String] = [:]
        for label in by {
            switch label.source {
            case .service: values[label.name] = service
            case .operation: values[label.name] = operation
            case .spanKind: values[label.name] = kind?.description ?? ""
            case .attribute(let key): values[label.name] = attribute(key) ?? ""
            }
        }
        return values
    }

    /// A stable order for groups: by their labels, sorted.
    static func sortKey(_ group: [String: String]) -> String {
        group.sorted { $0.key < $1.key }.map { "\($0.key)\u{0}\($0.value)" }.joined(separator: "\u{1}")
    }
}
