/// One label matcher, as Alertmanager 0.25's `labels.Matcher`: a label name, an operator and a value.
///
/// Equality and hashing consider the name, kind and value only. The name is not validated here,
/// as in Go's `NewMatcher`; the parser only accepts `[a-zA-Z_:][a-zA-Z0-9_:]*`.
public struct Matcher: Sendable, Hashable, CustomStringConvertible {
    /// The matcher's operator.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        /// The value is a Go RE2 regular expression that must match the whole label value.
        case regex = "=~"
        case notRegex = "!~"

        /// Alertmanager's order of match types, used to sort matchers.
        var order: Int {
            switch self {
            case .equal: 0
            case .notEqual: 1
            case .regex: 2
            case .notRegex: 3
            }
        }
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let regex: MatcherRegex?

    /// Makes a matcher; for the regex kinds, compiles `value` fully anchored as `^(?:value)$`.
    ///
    /// - Throws: `MatcherError` with code `.invalidRegex` and Go's `error parsing regexp: ...` text
    ///   when the value is not a regular expression Go accepts.
    public init(name: String, kind: Kind, value: String) throws(MatcherError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual: regex = nil
        case .regex, .notRegex: regex = try MatcherRegex(value)
        }
    }

    /// True when `value` satisfies the matcher.
    public func matches(_ value: String) -> Bool {
        switch kind {
        case .equal: LabelSet.bytesEqual(value, self.value)
        case .notEqual: !LabelSet.bytesEqual(value, self.value)
        case .regex: regex?.matches(value) ?? false
        case .notRegex: !(regex?.matches(value) ?? false)
        }
    }

    /// True when the label `name` of `labels` satisfies the matcher; a missing label counts as `""`.
    public func matches(_ labels: LabelSet) -> Bool {
        matches(labels[name])
    }

    /// Alertmanager 0.25's `Matcher.String()`: name, operator and the value in double quotes, with
    /// only `\`, line feed and `"` escaped (`foo=~"a\nb|\\d+"`). The name is never quoted.
    public var description: String {
        name + kind.rawValue + "\"" + GoQuoting.openMetricsEscape(value) + "\""
    }

    public static func == (lhs: Matcher, rhs: Matcher) -> Bool {
        lhs.kind == rhs.kind && LabelSet.bytesEqual(lhs.name, rhs.name) && LabelSet.bytesEqual(lhs.value, rhs.value)
    }

    public func hash(into hasher: inout Hasher) {
        var name = name
        var value = value
        hasher.combine(kind)
        name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xff as UInt8)
        value.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Alertmanager's sort order for matchers (`labels.Matchers.Less`): by name, then value, then kind.
    public static func precedes(_ lhs: Matcher, _ rhs: Matcher) -> Bool {
        if !LabelSet.bytesEqual(lhs.name, rhs.name) { return LabelSet.precedes(lhs.name, rhs.name) }
        if !LabelSet.bytesEqual(lhs.value, rhs.value) { return LabelSet.precedes(lhs.value, rhs.value) }
        return lhs.kind.order < rhs.kind.order
    }
}
