import Foundation
import VigilModel

/// A member of an OTLP/JSON object with its path, for typed reads with precise error messages.
/// Follows the protobuf JSON mapping: lowerCamelCase or original field names, 64-bit integers
/// as strings or numbers, enums as integers or names, `null` as the default value.
struct JSONObject {
    let members: [(String, JSONValue)]
    let path: String

    init(_ value: JSONValue, path: String) throws(OTLPDecodingError) {
        switch value {
        case .object(let members): self.members = members
        case .null: self.members = []
        default: throw OTLPDecodingError("\(path.isEmpty ? "body" : path): expected a JSON object")
        }
        self.path = path
    }

    /// The member named `camel` (or `snake`, the proto field name); `nil` when absent or null.
    func value(_ camel: String, _ snake: String? = nil) -> JSONValue? {
        for (key, value) in members where key == camel || key == snake {
            if case .null = value { return nil }
            return value
        }
        return nil
    }

    func fieldPath(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    func string(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> String {
        guard let value = value(camel, snake) else { return "" }
        guard case .string(let text) = value else { throw OTLPDecodingError("\(fieldPath(camel)): expected a string") }
        return text
    }

    func object(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> JSONObject? {
        guard let value = value(camel, snake) else { return nil }
        return try JSONObject(value, path: fieldPath(camel))
    }

    func array(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> [JSONValue] {
        guard let value = value(camel, snake) else { return [] }
        guard case .array(let elements) = value else { throw OTLPDecodingError("\(fieldPath(camel)): expected an array") }
        return elements
    }

    /// Each element of an array of objects, with its path.
    func objects(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> [JSONObject] {
        var result: [JSONObject] = []
        for (index, element) in try array(camel, snake).enumerated() {
            result.append(try JSONObject(element, path: "\(fieldPath(camel))[\(index)]"))
        }
        return result
    }

    func uint64(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> UInt64 {
        guard let value = value(camel, snake) else { return 0 }
        guard let number = JSONNumbers.uint64(value) else { throw OTLPDecodingError("\(fieldPath(camel)): expected an unsigned 64-bit integer") }
        return number
    }

    func int64(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> Int64 {
        guard let value = value(camel, snake) else { return 0 }
        guard let number = JSONNumbers.int64(value) else { throw OTLPDecodingError("\(fieldPath(camel)): expected a 64-bit integer") }
        return number
    }

    func uint32(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> UInt32 {
        guard let value = value(camel, snake) else { return 0 }
        guard let number = JSONNumbers.uint64(value), let result = UInt32(exactly: number) else {
            throw OTLPDecodingError("\(fieldPath(camel)): expected an unsigned 32-bit integer")
        }
        return result
    }

    func int32(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> Int32 {
        guard let value = value(camel, snake) else { return 0 }
        guard let number = JSONNumbers.int64(value), let result = Int32(exactly: number) else {
            throw OTLPDecodingError("\(fieldPath(camel)): expected a 32-bit integer")
        }
        return result
    }

    /// An enum given as its number or as its name from `names` (index = number).
    func enumValue(_ camel: String, _ snake: String? = nil, names: [String]) throws(OTLPDecodingError) -> Int32 {
        guard let value = value(camel, snake) else { return 0 }
        if case .string(let name) = value, let index = names.firstIndex(of: name) { return Int32(index) }
        guard let number = JSONNumbers.int64(value), let result = Int32(exactly: number) else {
            throw OTLPDecodingError("\(fieldPath(camel)): expected an enum number")
        }
        return result
    }

    func double(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> Double? {
        guard let value = value(camel, snake) else { return nil }
        guard let number = JSONNumbers.double(value) else { throw OTLPDecodingError("\(fieldPath(camel)): expected a number") }
        return number
    }

    func bool(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> Bool {
        guard let value = value(camel, snake) else { return false }
        guard case .bool(let flag) = value else { throw OTLPDecodingError("\(fieldPath(camel)): expected true or false") }
        return flag
    }

    /// A hex-encoded ID field: `nil` when absent or empty, else the decoded bytes (any length;
    /// the caller checks it), or `[]`-less failure when it is not hex.
    func hexID(_ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> HexID {
        let text = try string(camel, snake)
        if text.isEmpty { return .absent }
        guard let bytes = HexCoding.decode(text) else { return .invalid("\(fieldPath(camel)) \"\(text.prefix(64))\" is not hexadecimal") }
        return .bytes(bytes)
    }

    enum HexID {
        case absent
        case bytes([UInt8])
        case invalid(String)
    }
}

/// Number conversions of the protobuf JSON mapping.
enum JSONNumbers {
    static func uint64(_ value: JSONValue) -> UInt64? {
        switch value {
        case .number(let text), .string(let text):
            if let exact = UInt64(text) { return exact }
            return integral(text).flatMap { UInt64(exactly: $0) }
        default: return nil
        }
    }

    static func int64(_ value: JSONValue) -> Int64? {
        switch value {
        case .number(let text), .string(let text):
            if let exact = Int64(text) { return exact }
            return integral(text).flatMap { Int64(exactly: $0) }
        default: return nil
        }
    }

    /// Accepts integral values written with an exponent or fraction (`1e3`, `5.0`), as protobuf's
    /// JSON parsers do.
    private static func integral(_ text: String) -> Double? {
        guard let number = Double(text), number.rounded() == number, abs(number) < 1.8e19 else { return nil }
        return number
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let text): return Double(text)
        case .string(let text): return AttributeJSON.specialDouble(text) ?? Double(text)
        default: return nil
        }
    }

    /// Standard or URL-safe base64, padded or not.
    static func base64(_ text: String) -> [UInt8]? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalized.count % 4 != 0 { normalized.append("=") }
        return Data(base64Encoded: normalized).map { [UInt8]($0) }
    }
}
