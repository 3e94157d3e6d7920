/// A protobuf encoder for the messages Vigil writes itself (responses, Status, traces for the
/// Tempo-compatible API). The `…IfSet` methods omit proto3 default values, as protobuf does.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(field: Int, _ value: UInt64) {
        tag(field, wireType: 0)
        raw(varint: value)
    }

    mutating func varintIfSet(field: Int, _ value: UInt64) {
        if value != 0 { varint(field: field, value) }
    }

    mutating func fixed64IfSet(field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, wireType: 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func fixed32IfSet(field: Int, _ value: UInt32) {
        guard value != 0 else { return }
        tag(field, wireType: 5)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// A double that is always written (it sits in a oneof, where presence matters).
    mutating func double(field: Int, _ value: Double) {
        tag(field, wireType: 1)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func string(field: Int, _ text: String) {
        message(field: field, Array(text.utf8))
    }

    mutating func stringIfSet(field: Int, _ text: String) {
        if !text.isEmpty { string(field: field, text) }
    }

    mutating func bytesIfSet(field: Int, _ payload: [UInt8]) {
        if !payload.isEmpty { message(field: field, payload) }
    }

    mutating func message(field: Int, _ payload: [UInt8]) {
        tag(field, wireType: 2)
        raw(varint: UInt64(payload.count))
        bytes += payload
    }

    mutating func message(field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        message(field: field, inner.bytes)
    }

    private mutating func tag(_ field: Int, wireType: UInt64) {
        raw(varint: UInt64(field) << 3 | wireType)
    }

    private mutating func raw(varint value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}
