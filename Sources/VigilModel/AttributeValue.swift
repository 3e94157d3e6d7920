/// An OpenTelemetry `AnyValue`: the value of an attribute, a log body or an array element.
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case array([AttributeValue])
    case kvlist([Attribute])
    /// An `AnyValue` with no value set (OTLP's "empty" value).
    case empty
}

/// One key-value pair: an OTLP `KeyValue`.
public struct Attribute: Sendable, Hashable {
    public var key: String
    public var value: AttributeValue

    public init(key: String, value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

extension Array where Element == Attribute {
    /// The string value of the first attribute named `key`, if it is a string.
    public func stringValue(forKey key: String) -> String? {
        for attribute in self where attribute.key == key {
            if case .string(let value) = attribute.value { return value }
            return nil
        }
        return nil
    }
}
