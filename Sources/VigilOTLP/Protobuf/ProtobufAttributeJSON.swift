import COTLP
import VigilModel

/// Vigil's JSON form of attributes (``AttributeJSON``) written straight from protobuf-c
/// `KeyValue` and `AnyValue` structures, without building ``Attribute`` values.
enum ProtobufAttributeJSON {
    typealias CKeyValue = OTLPProtobufDecoder.CKeyValue
    typealias CAnyValue = OTLPProtobufDecoder.CAnyValue

    static func write(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CKeyValue>?>?, _ count: Int, to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        if let pointer {
            var first = true
            for index in 0..<count {
                guard let keyValue = pointer[index]?.pointee else { continue }
                writer.memberName(cString: keyValue.key, first: first)
                first = false
                write(keyValue.value, to: &writer)
            }
        }
        writer.byte(UInt8(ascii: "}"))
    }

    static func write(_ pointer: UnsafeMutablePointer<CAnyValue>?, to writer: inout JSONWriter) {
        guard let value = pointer?.pointee else { return writer.raw("null") }
        switch value.value_case {
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE: writer.string(cString: value.string_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE: writer.bool(value.bool_value != 0)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE: writer.integer(value.int_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE: AttributeJSON.writeDouble(value.double_value, to: &writer)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BYTES_VALUE:
            AttributeJSON.writeBytes(OTLPProtobufDecoder.buffer(value.bytes_value), to: &writer)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE:
            writer.byte(UInt8(ascii: "["))
            if let list = value.array_value?.pointee, let values = list.values {
                var first = true
                for index in 0..<list.n_values {
                    guard let element = values[index] else { continue }
                    if !first { writer.byte(UInt8(ascii: ",")) }
                    first = false
                    write(element, to: &writer)
                }
            }
            writer.byte(UInt8(ascii: "]"))
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_KVLIST_VALUE:
            writer.raw("{\"kvlistValue\":")
            let list = value.kvlist_value?.pointee
            write(list?.values, list?.n_values ?? 0, to: &writer)
            writer.byte(UInt8(ascii: "}"))
        default:
            // Not set, or string_value_strindex, which only the profiling signal uses.
            writer.raw("null")
        }
    }
}
