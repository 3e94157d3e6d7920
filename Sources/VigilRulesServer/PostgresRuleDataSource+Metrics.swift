import Foundation
import VigilRules
import VigilStorage

/// Metric series for metric rules and metric SLIs: the points of the selected series inside the
/// window, then, for the series that had some, their attributes and the newest point before the
/// window (the baseline of a cumulative series' increase).
extension PostgresRuleDataSource {
    func metricSeries(_ selector: SeriesSelector, window: Duration, end: Date) async throws -> [MetricSeriesWindow] {
        let range = WindowRange(end: end, window: window)
        return try await pool.withConnection { connection throws(StorageError) in
            try Self.metricSeries(selector, range: range, connection)
        }
    }

    /// The number columns of a point, in the order ``point(_:at:)`` reads them. Points flagged as
    /// having no recorded value (flags bit 1) are not read.
    private static let pointColumns =
        "p.time_unix_nano, p.start_time_unix_nano, coalesce(p.value_double, p.value_int::float8), p.count, p.bucket_counts, p.explicit_bounds"

    /// A series' attributes as one JSON object of text values (``attributeText(_:)``), the data
    /// point's over the resource's; a JSON null leaves the key out.
    private static let attributesText = """
        (SELECT coalesce(jsonb_object_agg(a.key, \(attributeText("a.value"))), '{}'::jsonb)
         FROM jsonb_each(coalesce(r.attributes, '{}'::jsonb) || s.attributes) a)::text
        """

    static func metricSeries(_ selector: SeriesSelector, range: WindowRange, _ connection: PostgresConnection) throws(StorageError) -> [MetricSeriesWindow] {
        // The points inside the window. `time` (microseconds, truncated) narrows the partitions and
        // the (series_id, time) index scan; `time_unix_nano` gives the exact bounds.
        var sql = SQLBuilder("SELECT p.series_id, \(pointColumns) FROM metric_series s JOIN metric_points p ON p.series_id = s.series_id")
        sql.append(" WHERE s.name = \(sql.bind(selector.metric))")
        if !selector.services.isEmpty { sql.append(" AND s.service_name = ANY(\(sql.bind(PostgresArray.text(selector.services)))::text[])") }
        sql.append(" AND p.time >= \(sql.bind(PostgresTime.text(unixNano: range.start)))::timestamptz")
        sql.append(" AND p.time <= \(sql.bind(PostgresTime.text(unixNano: range.end)))::timestamptz")
        sql.append(" AND p.time_unix_nano > \(sql.bind(String(range.start)))::bigint AND p.time_unix_nano <= \(sql.bind(String(range.end)))::bigint")
        sql.append(" AND (p.flags & 1) = 0 ORDER BY p.series_id, p.time_unix_nano")
        var inside: [Int64: [MetricSeriesWindow.Point]] = [:]
        var order: [Int64] = []
        for row in try connection.execute(sql.text, sql.parameters).rows {
            guard let id = row[0].flatMap({ Int64($0) }), let point = point(row, at: 1) else { continue }
            if inside[id] == nil { order.append(id) }
            inside[id, default: []].append(point)
        }
        guard !order.isEmpty else { return [] }

        // The found series with their attributes and baseline point: one backward index scan per
        // series (LIMIT 1), bounded by the window's start.
        var details = SQLBuilder("")
        details.append("""
            SELECT s.series_id, s.service_name, s.type, s.temporality, s.is_monotonic, \(attributesText), b.*
            FROM metric_series s
            LEFT JOIN resources r ON r.resource_id = s.resource_id
            LEFT JOIN LATERAL (
                SELECT \(pointColumns) FROM metric_points p
                WHERE p.series_id = s.series_id AND p.time <= \(details.bind(PostgresTime.text(unixNano: range.start)))::timestamptz
                  AND p.time_unix_nano <= \(details.bind(String(range.start)))::bigint AND (p.flags & 1) = 0
                ORDER BY p.time DESC, p.time_unix_nano DESC LIMIT 1
            ) b ON true
            WHERE s.series_id = ANY(\(details.bind("{" + order.map(String.init).joined(separator: ",") + "}"))::bigint[])
            """)
        var series: [Int64: MetricSeriesWindow] = [:]
        for row in try connection.execute(details.text, details.parameters).rows {
            guard let id = row[0].flatMap({ Int64($0) }), let points = inside[id] else { continue }
            let baseline = point(row, at: 6).map { [$0] } ?? []
            series[id] = MetricSeriesWindow(
                service: row[1] ?? "", attributes: attributes(row[5]), kind: kind(row[2]), temporality: temporality(row[3]),
                isMonotonic: row[4] == "t", points: baseline + points)
        }
        return order.compactMap { series[$0] }
    }

    /// The point whose columns (``pointColumns``) start at `index`; `nil` when there is none there
    /// (no baseline).
    private static func point(_ row: [String?], at index: Int) -> MetricSeriesWindow.Point? {
        guard let time = row[index].flatMap({ Int64($0) }) else { return nil }
        return MetricSeriesWindow.Point(
            time: time, startTime: row[index + 1].flatMap { Int64($0) } ?? 0, value: row[index + 2].flatMap(number),
            count: row[index + 3].flatMap(number), bucketCounts: numbers(row[index + 4]), explicitBounds: numbers(row[index + 5]))
    }

    /// PostgreSQL's text of a `double precision` or `numeric`, special values included.
    private static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: Double(text)
        }
    }

    /// A PostgreSQL array of numbers (`{1,2,3}`); empty for NULL. A NULL element reads as NaN, so
    /// that the point is skipped rather than its buckets shifted.
    private static func numbers(_ text: String?) -> [Double] {
        guard let text, text.hasPrefix("{"), text.hasSuffix("}"), text.count > 2 else { return [] }
        return text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false).map { number(String($0)) ?? .nan }
    }

    private static func attributes(_ text: String?) -> [String: String] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }

    /// `metric_series.type` as the storage writes it.
    private static func kind(_ text: String?) -> MetricSeriesWindow.Kind {
        switch text {
        case "gauge": .gauge
        case "sum": .sum
        case "histogram": .histogram
        case "exponential_histogram": .exponentialHistogram
        default: .summary
        }
    }

    /// OTLP's AggregationTemporality: 1 delta, 2 cumulative.
    private static func temporality(_ text: String?) -> MetricSeriesWindow.Temporality {
        switch text {
        case "1": .delta
        case "2": .cumulative
        default: .unspecified
        }
    }
}
