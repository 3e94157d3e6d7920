import VigilModel

/// Builds one SQL statement whose values all travel as parameters (`$1`, `$2`, …); only fixed
/// SQL text written in Vigil's code is ever spliced in.
public struct SQLBuilder: Sendable {
    public private(set) var text: String
    public private(set) var parameters: [String?] = []

    public init(_ text: String) {
        self.text = text
    }

    /// Adds a value and returns its placeholder, e.g. `$3`.
    public mutating func bind(_ value: String?) -> String {
        parameters.append(value)
        return "$\(parameters.count)"
    }

    public mutating func append(_ sql: String) {
        text += sql
    }
}

/// Values of the filters shared by the search endpoints.
public struct AttributeFilter: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

extension SQLBuilder {
    /// `AND (<row>.attributes->>k = v OR r.attributes->>k = v)` for every filter; `r` is the
    /// joined resource.
    mutating func appendAttributeFilters(_ filters: [AttributeFilter], rowAlias: String) {
        for filter in filters {
            let key = bind(filter.key)
            let value = bind(filter.value)
            append(" AND (\(rowAlias).attributes->>\(key) = \(value) OR r.attributes->>\(key) = \(value))")
        }
    }
}

/// PostgreSQL array literals, for binding a list as one parameter (`= ANY($1::text[])`).
public enum PostgresArray {
    /// `{"a","b\"c"}`: every element quoted, `"` and `\` escaped; `nil` elements are `NULL`.
    public static func text(_ values: [String?]) -> String {
        var literal = ArrayLiteral()
        for value in values {
            if let value { literal.text(value) } else { literal.null() }
        }
        return literal.string()
    }
}

/// Timestamps as PostgreSQL `timestamptz` text, from Unix nanoseconds (microsecond precision).
public enum PostgresTime {
    public static func text(unixNano: Int64) -> String {
        var bytes: [UInt8] = []
        CivilTime.appendTimestamp(unixNano: unixNano, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
