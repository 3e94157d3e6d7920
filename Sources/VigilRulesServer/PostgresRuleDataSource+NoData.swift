import Foundation
import VigilAlerting
import VigilRules
import VigilStorage

/// When the items a no-data rule watches last arrived, per `by` combination, over the last
/// `seen_within` (24 hours by default).
extension PostgresRuleDataSource {
    func lastSeen(_ rule: NoDataRule, end: Date) async throws -> [(group: [String: String], time: Date?)] {
        let range = WindowRange(end: end, window: rule.seenWithin ?? NoDataRule.defaultSeenWithin)
        return try await pool.withConnection { connection throws(StorageError) in
            try Self.lastSeen(rule, range: range, connection)
        }
    }

    /// One attribute of the item over its resource's, as text (``attributeText(_:)``).
    private static func itemAttributeText(_ key: String, item: String, _ sql: inout SQLBuilder) -> String {
        let bound = sql.bind(key)
        return "(SELECT \(attributeText("v")) FROM (SELECT coalesce(\(item) -> \(bound)::text, r.attributes -> \(bound)::text) AS v) AS a)"
    }

    static func lastSeen(_ rule: NoDataRule, range: WindowRange, _ connection: PostgresConnection) throws(StorageError) -> [(group: [String: String], time: Date?)] {
        // The attribute keys matchers and `by` read; the rows are grouped by their values, so that
        // matchers are applied exactly in Swift to few rows.
        var keys: [String] = []
        for matcher in rule.attributeMatchers where !keys.contains(matcher.name) { keys.append(matcher.name) }
        for label in rule.by { if case .attribute(let key) = label.source, !keys.contains(key) { keys.append(key) } }

        var sql = SQLBuilder("")
        let (table, time, item, join): (String, String, String, String)
        switch rule.signal {
        case .traces: (table, time, item, join) = ("spans t", "t.time", "t.attributes", "JOIN resources r ON r.resource_id = t.resource_id")
        case .logs: (table, time, item, join) = ("logs t", "t.time", "t.attributes", "JOIN resources r ON r.resource_id = t.resource_id")
        case .metrics:
            (table, time, item, join) = ("metric_points p JOIN metric_series t ON t.series_id = p.series_id", "p.time", "t.attributes",
                                         "JOIN resources r ON r.resource_id = t.resource_id")
        }
        let columns = keys.map { itemAttributeText($0, item: item, &sql) }
        var text = "SELECT t.service_name, max(extract(epoch FROM \(time)))::float8"
        for column in columns { text += ", " + column }
        text += " FROM \(table) \(keys.isEmpty ? "" : join)"
        text += " WHERE \(time) > \(sql.bind(PostgresTime.text(unixNano: range.start)))::timestamptz"
        text += " AND \(time) <= \(sql.bind(PostgresTime.text(unixNano: range.end)))::timestamptz"
        if !rule.services.isEmpty { text += " AND t.service_name = ANY(\(sql.bind(PostgresArray.text(rule.services)))::text[])" }
        if let metric = rule.metric, rule.signal == .metrics { text += " AND t.name = \(sql.bind(metric))" }
        text += " GROUP BY t.service_name"
        for index in keys.indices { text += ", \(index + 3)" }
        sql.append(text)

        var newest: [[String: String]: Double] = [:]
        for row in try connection.execute(sql.text, sql.parameters).rows {
            guard let service = row[0], let seconds = row[1].flatMap({ Double($0) }) else { continue }
            var values: [String: String] = [:]
            for (index, key) in keys.enumerated() { values[key] = row[index + 2] ?? "" }
            guard rule.attributeMatchers.allSatisfy({ $0.matches(values[$0.name] ?? "") }) else { continue }
            var group: [String: String] = [:]
            for label in rule.by {
                switch label.source {
                case .service: group[label.name] = service
                case .attribute(let key): group[label.name] = values[key] ?? ""
                case .operation, .spanKind: break
                }
            }
            newest[group] = max(newest[group] ?? -.infinity, seconds)
        }
        guard !rule.by.isEmpty else {
            return [([:], newest.values.max().map { Date(timeIntervalSince1970: $0) })]
        }
        return newest.keys.sorted { $0.description < $1.description }.map { ($0, Date(timeIntervalSince1970: newest[$0]!)) }
    }
}
