import Foundation

/// Vigil's JSON form of attributes and values, used in PostgreSQL `jsonb` columns and the API.
///
/// Attributes become one JSON object (key → value) so that `attributes->>'http.route'` works in SQL.
/// Values map to plain JSON where JSON is unambiguous: strings, booleans, integers, arrays, and
/// doubles written with a decimal point. The rest is wrapped in a one-member object:
/// `{"bytesValue": "<base64>"}`, `{"kvlistValue": {…}}`, and `{"doubleValue": …}` for doubles
/// that JSON would otherwise read as integers or cannot hold (exponent form, NaN, ±Infinity, -0.0).
/// An empty `AnyValue` is `null`. Decoding reverses this exactly.
public enum AttributeJSON {
    public static func write(_ attributes: [Attribute], to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        for index in attributes.indices {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.key(attributes[index].key)
            write(attributes[index].value, to: &writer)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    public static func write(_ value: AttributeValue, to writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .bool(let flag): writer.bool(flag)
        case .int(let number): writer.integer(number)
        case .double(let number): writeDouble(number, to: &writer)
        case .bytes(let bytes): bytes.withUnsafeBufferPointer { writeBytes($0, to: &writer) }
        case .array(let elements):
            writer.byte(UInt8(ascii: "["))
            for index in elements.indices {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                write(elements[index], to: &writer)
            }
            writer.byte(UInt8(ascii: "]"))
        case .kvlist(let attributes):
            writer.raw("{\"kvlistValue\":")
            write(attributes, to: &writer)
            writer.byte(UInt8(ascii: "}"))
        case .empty:
            writer.raw("null")
        }
    }

    /// A double value: plain JSON when it reads back as a double, else `{"doubleValue": …}`.
    public static func writeDouble(_ number: Double, to writer: inout JSONWriter) {
        if writer.shortDecimal(number) { return }
        let text = number.description
        if number.isFinite, !text.utf8.contains(UInt8(ascii: "e")), !(number == 0 && number.sign == .minus) {
            writer.raw(text)
        } else if number == 0 {
            // PostgreSQL's numeric has no negative zero; a string keeps the sign.
            writer.raw("{\"doubleValue\":\"-0.0\"}")
        } else {
            writer.raw("{\"doubleValue\":")
            writer.double(number)
            writer.byte(UInt8(ascii: "}"))
        }
    }

    /// A bytes value: `{"bytesValue": "<base64>"}`.
    public static func writeBytes(_ bytes: UnsafeBufferPointer<UInt8>, to writer: inout JSONWriter) {
        writer.raw("{\"bytesValue\":")
        writer.string(Data(buffer: bytes).base64EncodedString())
        writer.byte(UInt8(ascii: "}"))
    }

    public static func encode(_ attributes: [Attribute]) -> String {
        var writer = JSONWriter()
        write(attributes, to: &writer)
        return writer.string
    }

    public static func encode(_ value: AttributeValue) -> String {
        var writer = JSONWriter()
        write(value, to: &writer)
        return writer.string
    }

    /// Reads an attributes object written by ``write(_:to:)-([Attribute],_)``.
    public static func attributes(from json: JSONValue) -> [Attribute] {
        guard let members = json.objectMembers else { return [] }
        return members.map { Attribute(key: $0.0, value: value(from: $0.1)) }
    }

    /// Reads a value written by ``write(_:to:)-(AttributeValue,_)``.
    public static func value(from json: JSONValue) -> AttributeValue {
        switch json {
        case .null: return .empty
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let text): return number(text)
        case .array(let elements): return .array(elements.map(value(from:)))
        case .object(let members):
            if members.count == 1 {
                let (key, inner) = members[0]
                switch (key, inner) {
                case ("bytesValue", .string(let base64)):
                    return .bytes(Data(base64Encoded: base64).map { [UInt8]($0) } ?? [])
                case ("kvlistValue", .object):
                    return .kvlist(attributes(from: inner))
                case ("doubleValue", .number(let text)):
                    return .double(Double(text) ?? .nan)
                case ("doubleValue", .string(let text)):
                    return .double(specialDouble(text) ?? Double(text) ?? .nan)
                default: break
                }
            }
            return .kvlist(members.map { Attribute(key: $0.0, value: value(from: $0.1)) })
        }
    }

    private static func number(_ text: String) -> AttributeValue {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let integer = Int64(text) {
            return .int(integer)
        }
        return .double(Double(text) ?? .nan)
    }

    /// "NaN", "Infinity" and "-Infinity" as the protobuf JSON mapping spells them.
    public static func specialDouble(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: nil
        }
    }
}
