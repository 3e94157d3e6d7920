import Foundation
import Hummingbird
import VigilModel
import VigilStorage

/// The query string of an API request, read with the API's formats and limits. Every problem
/// is an ``APIError`` 400 whose message starts with `parameter <name>: `.
struct QueryParameters {
    private let pairs: [(name: String, value: String)]
    /// Unix nanoseconds used as the default `end`.
    let now: Int64

    init(_ request: Request, now: Int64) {
        self.init(pairs: Self.decode(query: request.uri.query ?? ""), now: now)
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space (as Go's `url.Values`, Python's
    /// `urlencode` and HTML forms send it), then percent-escapes.
    static func decode(query: String) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func component(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (component(parts[0]), parts.count > 1 ? component(parts[1]) : "")
        }
    }

    init(pairs: [(String, String)], now: Int64) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
        self.now = now
    }

    static func invalid(_ name: String, _ reason: String) -> APIError {
        .badRequest("parameter \(name): \(reason)")
    }

    /// The first value of `name`; an empty value counts as absent.
    func string(_ name: String) -> String? {
        pairs.first { $0.name == name && !$0.value.isEmpty }?.value
    }

    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name && !$0.value.isEmpty }.map(\.value)
    }

    /// `attr.<key>=<value>` filters, in the order given.
    func attributeFilters() throws(APIError) -> [AttributeFilter] {
        var filters: [AttributeFilter] = []
        for pair in pairs where pair.name.hasPrefix("attr.") {
            let key = String(pair.name.dropFirst(5))
            guard !key.isEmpty else { throw Self.invalid(pair.name, "name the attribute after attr., e.g. attr.http.route=/cart") }
            filters.append(AttributeFilter(key: key, value: pair.value))
        }
        return filters
    }

    /// `start` and `end`, defaulting to the `defaultSpan` nanoseconds before now.
    func range(defaultSpanNanos: Int64) throws(APIError) -> TimeRange {
        let end = try time("end") ?? now
        let start = try time("start") ?? end - defaultSpanNanos
        guard start < end else { throw Self.invalid("start", "must be before end") }
        return TimeRange(start: start, end: end)
    }

    /// A time: RFC 3339, Unix seconds (below 1e11, fraction allowed) or Unix nanoseconds (an integer of at least 1e17).
    func time(_ name: String) throws(APIError) -> Int64? {
        guard let text = string(name) else { return nil }
        if let nanos = TimeParsing.unixNanos(text) { return nanos }
        throw Self.invalid(name, "\"\(text.prefix(64))\" is not an RFC 3339 time, Unix seconds or Unix nanoseconds")
    }

    /// A duration in nanoseconds: `250ms`, `1.5s`, `1h30m`, or a plain number of seconds.
    func duration(_ name: String) throws(APIError) -> Int64? {
        guard let text = string(name) else { return nil }
        guard let nanos = TimeParsing.durationNanos(text) else {
            throw Self.invalid(name, "\"\(text.prefix(64))\" is not a duration such as 250ms, 1.5s, 1h30m or a number of seconds")
        }
        return nanos
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Self.invalid(name, "\"\(text.prefix(64))\" is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func limit(default defaultLimit: Int) throws(APIError) -> Int {
        try integer("limit", in: 1...1000) ?? defaultLimit
    }

    func traceID(_ name: String) throws(APIError) -> TraceID? {
        guard let text = string(name) else { return nil }
        guard let id = TraceID(hex: text), !id.isZero else { throw Self.invalid(name, "\"\(text.prefix(64))\" is not 32 hexadecimal digits") }
        return id
    }

    /// A cursor written by ``Cursor/encode(kind:_:)-(_,RowPosition)`` for `kind`.
    func rowPositionCursor(kind: String, timeLimit: Int64 = .max) throws(APIError) -> RowPosition? {
        guard let parts = try cursor(kind: kind) else { return nil }
        guard parts.count == 3, let time = Int64(parts[0]), abs(time) < timeLimit, let partition = UInt32(parts[1]), RowPosition.isRowID(parts[2]) else {
            throw Self.invalid("cursor", "not a cursor returned by this endpoint")
        }
        return RowPosition(time: time, partition: partition, row: parts[2])
    }

    /// The components of an opaque cursor written by ``Cursor/encode(_:)`` for `kind`.
    func cursor(kind: String) throws(APIError) -> [String]? {
        guard let text = string("cursor") else { return nil }
        guard let parts = Cursor.decode(text, kind: kind) else { throw Self.invalid("cursor", "not a cursor returned by this endpoint") }
        return parts
    }
}

/// Opaque page cursors: the kind and components, base64url-encoded.
enum Cursor {
    static func encode(kind: String, _ parts: [String]) -> String {
        Data(([kind] + parts).joined(separator: "\n").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func encode(kind: String, _ position: RowPosition) -> String {
        encode(kind: kind, [String(position.time), String(position.partition), position.row])
    }

    static func decode(_ text: String, kind: String) -> [String]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else { return nil }
        let parts = decoded.components(separatedBy: "\n")
        guard parts.first == kind else { return nil }
        return Array(parts.dropFirst())
    }
}
