/// Builds protobuf messages field by field for decoder tests.
public struct ProtoEncoder {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public init(_ build: (inout ProtoEncoder) -> Void) {
        build(&self)
    }

    public mutating func varint(_ field: Int, _ value: UInt64) {
        tag(field, 0)
        raw(value)
    }

    public mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    public mutating func double(_ field: Int, _ value: Double) {
        fixed64(field, value.bitPattern)
    }

    public mutating func fixed32(_ field: Int, _ value: UInt32) {
        tag(field, 5)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    public mutating func bytes(_ field: Int, _ payload: [UInt8]) {
        tag(field, 2)
        raw(UInt64(payload.count))
        bytes += payload
    }

    public mutating func string(_ field: Int, _ text: String) {
        bytes(field, Array(text.utf8))
    }

    public mutating func message(_ field: Int, _ build: (inout ProtoEncoder) -> Void) {
        bytes(field, ProtoEncoder(build).bytes)
    }

    /// A packed repeated fixed64 / double field.
    public mutating func packedFixed64(_ field: Int, _ values: [UInt64]) {
        var inner = ProtoEncoder()
        for value in values {
            for shift in stride(from: 0, to: 64, by: 8) { inner.bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        bytes(field, inner.bytes)
    }

    private mutating func tag(_ field: Int, _ wireType: UInt64) {
        raw(UInt64(field) << 3 | wireType)
    }

    private mutating func raw(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

/// OTLP `KeyValue` and `AnyValue` builders.
extension ProtoEncoder {
    public mutating func keyValue(_ field: Int, _ key: String, _ value: @escaping (inout ProtoEncoder) -> Void) {
        message(field) { kv in
            kv.string(1, key)
            kv.message(2, value)
        }
    }
}
