import Foundation
import VigilAlerting

/// JSON for the alerting tables' parameters and columns (small documents; Foundation is enough).
enum StoredJSON {
    enum Value {
        case string(String), int(Int), bool(Bool), null
        case object([String: String]), strings([String])
        /// Already-encoded JSON.
        case raw(String)

        var any: Any {
            switch self {
            case .string(let text): text
            case .int(let number): number
            case .bool(let flag): flag
            case .null: NSNull()
            case .object(let map): map
            case .strings(let list): list
            case .raw(let text): (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? NSNull()
            }
        }
    }

    static func array(_ rows: [[String: Value]]) -> String {
        encodeAny(rows.map { $0.mapValues(\.any) })
    }

    static func encodeAny(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Matchers as the Alertmanager API writes them: `[{"name","value","isRegex","isEqual"}]`.
    static func encode(_ matchers: Matchers) -> String {
        encodeAny(matchers.map { ["name": $0.name, "value": $0.value, "isRegex": $0.kind == .regex || $0.kind == .notRegex, "isEqual": $0.kind == .equal || $0.kind == .regex] as [String: Any] })
    }

    static func object(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    static func labels(_ text: String) -> LabelSet? {
        (object(text) as? [String: String]).map(LabelSet.init)
    }

    static func matchers(_ text: String) -> Matchers? {
        guard let list = object(text) as? [[String: Any]] else { return nil }
        var result: [Matcher] = []
        for item in list {
            guard let name = item["name"] as? String, let value = item["value"] as? String else { return nil }
            let isRegex = item["isRegex"] as? Bool ?? false, isEqual = item["isEqual"] as? Bool ?? true
            let kind: Matcher.Kind = isRegex ? (isEqual ? .regex : .notRegex) : (isEqual ? .equal : .notEqual)
            guard let matcher = try? Matcher(name: name, kind: kind, value: value) else { return nil }
            result.append(matcher)
        }
        return Matchers(result)
    }

    static func fingerprints(_ text: String) -> Set<Fingerprint>? {
        guard let list = object(text) as? [String] else { return nil }
        return Set(list.compactMap { Fingerprint(hex: $0) })
    }
}

/// Timestamps for the alerting tables: written as RFC 3339 text, read back as epoch milliseconds
/// (`extract(epoch ...)`), so the session's time zone never matters.
enum StoredTime {
    static func format(_ date: Date) -> String { RFC3339.format(date) }

    static func parse(_ text: String) -> Date? {
        Double(text).map { Date(timeIntervalSince1970: $0 / 1_000) }
    }

    /// The SQL expression reading `column` as epoch milliseconds.
    static func select(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000)::bigint" }
}
