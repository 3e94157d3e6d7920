import Foundation
import VigilAlerting
import VigilModel
import VigilRules
import VigilStorage

/// Reads what rules evaluate from PostgreSQL: the RED rollups (per-minute rows at the window's
/// edges, per-hour rows in between) when they can answer, raw spans when attributes matter, and
/// the newest item per service for no-data rules. Runs on the read pool's threads.
struct PostgresRuleDataSource: RuleDataSource {
    let pool: PostgresReadPool

    func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel]) async throws -> [SpanWindowTotals] {
        try await spanTotals(selector, errors: errors, window: window, end: end, by: by, latency: true)
    }

    func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, window: Duration, end: Date, by: [GroupingLabel], latency: Bool) async throws -> [SpanWindowTotals] {
        let usesRollups = selector.canUseRollups && errors == .statusError && by.allSatisfy { if case .attribute = $0.source { false } else { true } }
        let range = WindowRange(end: end, window: window)
        return try await pool.withConnection { connection throws(StorageError) in
            usesRollups
                ? try Self.rollupTotals(selector, range: range, by: by, latency: latency, connection)
                : try Self.spanTotals(selector, errors: errors, range: range, by: by, connection)
        }
    }

    /// Sums rollup rows in PostgreSQL, per service, operation and span kind: minute rows for the
    /// partial hours at both ends, hourly rows for the whole hours between. With `latency`, a
    /// second query adds up the histograms bucket by bucket.
    static func rollupTotals(_ selector: SpanSelector, range: WindowRange, by: [GroupingLabel], latency: Bool, _ connection: PostgresConnection) throws(StorageError) -> [SpanWindowTotals] {
        var sql = SQLBuilder("")
        let conditions = selectorConditions(selector, &sql, service: "service_name", operation: "operation", kind: "span_kind")
        var parts: [String] = []
        for (table, start, end) in range.tiers() where start < end {
            parts.append("""
                SELECT service_name, operation, span_kind, request_count, error_count, latency FROM \(table)
                WHERE time >= \(sql.bind(PostgresTime.text(unixNano: start)))::timestamptz AND time < \(sql.bind(PostgresTime.text(unixNano: end)))::timestamptz\(conditions)
                """)
        }
        guard !parts.isEmpty else { return [] }
        let rows = "(" + parts.joined(separator: "\nUNION ALL\n") + ") AS r"
        var totals: [[String: String]: SpanWindowTotals] = [:]
        func group(_ row: [String?]) -> [String: String]? {
            guard let service = row[0], let operation = row[1], let kind = row[2].flatMap({ Int($0) }) else { return nil }
            return groupValues(by, service: service, operation: operation, kind: kind, attributes: { _ in "" })
        }
        let counts = "SELECT service_name, operation, span_kind, sum(request_count), sum(error_count) FROM \(rows) GROUP BY 1, 2, 3"
        for row in try connection.execute(counts, sql.parameters).rows {
            guard let key = group(row), let requests = row[3].flatMap({ Int64($0) }), let errors = row[4].flatMap({ Int64($0) }) else { continue }
            var entry = totals[key] ?? SpanWindowTotals(group: key, requests: 0, errors: 0, latency: LatencyHistogram())
            entry.requests += requests
            entry.errors += errors
            totals[key] = entry
        }
        if latency, !totals.isEmpty {
            let buckets = """
                SELECT service_name, operation, span_kind, b.key::int, sum(b.value::bigint)
                FROM \(rows), jsonb_each_text(r.latency) AS b GROUP BY 1, 2, 3, 4
                """
            for row in try connection.execute(buckets, sql.parameters).rows {
                guard let key = group(row), let bucket = row[3].flatMap({ Int($0) }), let count = row[4].flatMap({ Int64($0) }) else { continue }
                totals[key]?.latency.add(bucket: bucket, count: count)
            }
        }
        return totals.values.sorted { $0.group.description < $1.group.description }
    }

    /// Reads the selected spans themselves: attribute matchers, attribute groups and attribute error rules need them.
    static func spanTotals(_ selector: SpanSelector, errors: ServiceLevelIndicator.SpanErrors, range: WindowRange, by: [GroupingLabel], _ connection: PostgresConnection) throws(StorageError) -> [SpanWindowTotals] {
        var totals: [[String: String]: SpanWindowTotals] = [:]
        try forEachSpan(selector, range: range, extra: "", connection) { span in
            let isError: Bool
            switch errors {
            case .statusError: isError = span.statusCode == 2
            case .attributeAtLeast(let key, let value): isError = span.attribute(key).flatMap(Double.init).map { $0 >= value } ?? false
            }
            let group = groupValues(by, service: span.service, operation: span.operation, kind: span.kind, attributes: { span.attribute($0) ?? "" })
            var entry = totals[group] ?? SpanWindowTotals(group: group, requests: 0, errors: 0, latency: LatencyHistogram())
            entry.requests += 1
            if isError { entry.errors += 1 }
            entry.latency.record(nanos: max(0, span.durationNanos))
            totals[group] = entry
            return true
        }
        return totals.values.sorted { $0.group.description < $1.group.description }
    }

    func evidence(_ selector: SpanSelector, _ kind: EvidenceKind, window: Duration, end: Date, group: [String: String], by: [GroupingLabel], limit: Int) async throws -> [String] {
        let range = WindowRange(end: end, window: window)
        return try await pool.withConnection { connection throws(StorageError) in
            var extra = ""
            switch kind {
            case .errors(.statusError): extra = " AND s.status_code = 2"
            case .errors(.attributeAtLeast): break
            case .slowerThan(let threshold): extra = " AND s.end_time_unix_nano - s.start_time_unix_nano > \(threshold.nanoseconds)"
            }
            var traces: [String] = []
            try Self.forEachSpan(selector, range: range, extra: extra, newestFirst: true, connection) { span in
                if case .errors(.attributeAtLeast(let key, let value)) = kind, (span.attribute(key).flatMap(Double.init) ?? -.infinity) < value { return true }
                let values = Self.groupValues(by, service: span.service, operation: span.operation, kind: span.kind, attributes: { span.attribute($0) ?? "" })
                guard values == group, !traces.contains(span.traceHex) else { return true }
                traces.append(span.traceHex)
                return traces.count < limit
            }
            return traces
        }
    }
}
