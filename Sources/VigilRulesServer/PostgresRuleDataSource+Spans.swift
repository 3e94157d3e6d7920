import Foundation
import VigilAlerting
import VigilModel
import VigilRules
import VigilStorage

/// `(end - window, end]` in Unix nanoseconds, and how the RED rollups tile it.
struct WindowRange {
    let start: Int64
    let end: Int64

    init(end: Date, window: Duration) {
        self.end = Int64(end.timeIntervalSince1970 * 1e9)
        self.start = self.end - window.nanoseconds
    }

    /// Tables and ranges to read: whole hours from the hourly rollups, the minutes around them
    /// from the per-minute rollups (a minute row counts when it starts inside the window).
    func tiers() -> [(table: String, start: Int64, end: Int64)] {
        let minute: Int64 = 60_000_000_000, hour: Int64 = 3_600_000_000_000
        let first = (start + minute - 1) / minute * minute
        let firstHour = (first + hour - 1) / hour * hour
        let lastHour = end / hour * hour
        guard firstHour < lastHour else { return [("red_rollups", first, end)] }
        return [("red_rollups", first, firstHour), ("red_rollups_hourly", firstHour, lastHour), ("red_rollups", lastHour, end)]
    }
}

/// One span as rule evaluation reads it.
struct SpanRow {
    var traceHex: String
    var service: String
    var operation: String
    var kind: Int
    var statusCode: Int
    var durationNanos: Int64
    var spanAttributes: [String: Any]
    var resourceAttributes: [String: Any]

    /// The span's attribute, else its resource's, as text (numbers and booleans as written).
    func attribute(_ key: String) -> String? {
        guard let value = spanAttributes[key] ?? resourceAttributes[key] else { return nil }
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        case let wrapped as [String: Any]: return (wrapped["doubleValue"] as? NSNumber)?.stringValue ?? (wrapped["doubleValue"] as? String)
        default: return nil
        }
    }
}

extension PostgresRuleDataSource {
    /// The SQL text of one stored attribute value (the jsonb expression `value`): strings as they
    /// are, numbers and booleans as their JSON text, wrapped doubles as their number, other values
    /// as JSON, JSON null as NULL. The text the read API's `attr.` filters compare.
    static func attributeText(_ value: String) -> String {
        """
        CASE jsonb_typeof(\(value)) WHEN 'string' THEN \(value) #>> '{}' WHEN 'null' THEN NULL
             WHEN 'object' THEN coalesce(\(value) ->> 'doubleValue', \(value)::text) ELSE \(value)::text END
        """
    }

    /// SQL conditions for the selector's services, operations and span kinds (attributes are matched in Swift).
    static func selectorConditions(_ selector: SpanSelector, _ sql: inout SQLBuilder, service: String, operation: String, kind: String) -> String {
        var text = ""
        if !selector.services.isEmpty { text += " AND \(service) = ANY(\(sql.bind(PostgresArray.text(selector.services)))::text[])" }
        if !selector.operations.isEmpty { text += " AND \(operation) = ANY(\(sql.bind(PostgresArray.text(selector.operations)))::text[])" }
        if !selector.spanKinds.isEmpty {
            text += " AND \(kind) = ANY(\(sql.bind("{" + selector.spanKinds.map { String($0.rawValue) }.joined(separator: ",") + "}"))::smallint[])"
        }
        return text
    }

    /// The alert labels of one result: a value per `by` entry.
    static func groupValues(_ by: [GroupingLabel], service: String, operation: String, kind: Int, attributes: (String) -> String) -> [String: String] {
        var values: [String: String] = [:]
        for label in by {
            switch label.source {
            case .service: values[label.name] = service
            case .operation: values[label.name] = operation
            case .spanKind: values[label.name] = SpanKind(rawValue: kind)?.description ?? String(kind)
            case .attribute(let key): values[label.name] = attributes(key)
            }
        }
        return values
    }

    /// Calls `body` with each selected span in the range that passes the attribute matchers,
    /// until it returns false. `extra` is fixed SQL added to the conditions.
    static func forEachSpan(
        _ selector: SpanSelector, range: WindowRange, extra: String, newestFirst: Bool = false, _ connection: PostgresConnection,
        _ body: (SpanRow) -> Bool
    ) throws(StorageError) {
        var sql = SQLBuilder("""
            SELECT encode(s.trace_id, 'hex'), s.service_name, s.name, s.kind, s.status_code, s.end_time_unix_nano - s.start_time_unix_nano,
                   s.attributes::text, r.attributes::text
            FROM spans s JOIN resources r ON r.resource_id = s.resource_id
            """)
        sql.append(" WHERE s.time > \(sql.bind(PostgresTime.text(unixNano: range.start)))::timestamptz AND s.time <= \(sql.bind(PostgresTime.text(unixNano: range.end)))::timestamptz")
        sql.append(selectorConditions(selector, &sql, service: "s.service_name", operation: "s.name", kind: "s.kind"))
        sql.append(extra)
        if newestFirst { sql.append(" ORDER BY s.time DESC LIMIT 10000") }
        for row in try connection.execute(sql.text, sql.parameters).rows {
            guard let trace = row[0], let service = row[1], let operation = row[2], let kind = row[3].flatMap({ Int($0) }),
                  let status = row[4].flatMap({ Int($0) }), let duration = row[5].flatMap({ Int64($0) }) else { continue }
            let span = SpanRow(traceHex: trace, service: service, operation: operation, kind: kind, statusCode: status, durationNanos: duration,
                               spanAttributes: object(row[6]), resourceAttributes: object(row[7]))
            guard selector.attributeMatchers.allSatisfy({ $0.matches(span.attribute($0.name) ?? "") }) else { continue }
            guard body(span) else { return }
        }
    }

    private static func object(_ text: String?) -> [String: Any] {
        guard let text, let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return value
    }
}
