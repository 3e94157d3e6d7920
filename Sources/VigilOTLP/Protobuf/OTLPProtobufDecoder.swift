import COTLP
import VigilModel

/// A request body the protobuf decoder reads where it lies: `[UInt8]`, or a transport's own
/// buffer (the gRPC receiver hands its message buffer over without copying it).
public protocol OTLPRequestBytes {
    var count: Int { get }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: OTLPRequestBytes where Element == UInt8 {}

/// Decodes OTLP protobuf export requests with libprotobuf-c and converts the C structures into
/// ``VigilModel`` values. Items with malformed IDs are dropped and counted.
public enum OTLPProtobufDecoder {
    typealias CKeyValue = Opentelemetry__Proto__Common__V1__KeyValue
    typealias CAnyValue = Opentelemetry__Proto__Common__V1__AnyValue

    static func undecodable(_ message: String) -> OTLPDecodingError {
        OTLPDecodingError("the body is not a valid \(message) protobuf message")
    }

    /// Runs `body` over the unpacked message. The message lives in an ``UnpackArena`` that is
    /// released as a whole afterwards, so `free` is never called per field.
    static func withUnpacked<Message, Result>(
        _ bytes: some OTLPRequestBytes,
        unpack: (UnsafeMutablePointer<ProtobufCAllocator>, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<Message>?,
        name: String,
        _ body: (UnsafeMutablePointer<Message>) throws(OTLPDecodingError) -> Result
    ) throws(OTLPDecodingError) -> Result {
        let arena = UnpackArena()
        return try arena.withAllocator { (allocator) throws(OTLPDecodingError) -> Result in
            let message = bytes.withUnsafeBytes { unpack(allocator, $0.count, $0.baseAddress?.assumingMemoryBound(to: UInt8.self)) }
            guard let message else { throw undecodable(name) }
            return try body(message)
        }
    }

    // MARK: Common messages

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    static func buffer(_ data: ProtobufCBinaryData) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: data.data, count: data.data == nil ? 0 : data.len)
    }

    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let pointer = data.data else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: data.len))
    }

    static func array<Element, Output>(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>?, _ count: Int, _ transform: (UnsafeMutablePointer<Element>) -> Output) -> [Output] {
        guard let pointer, count > 0 else { return [] }
        var result: [Output] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            if let element = pointer[index] { result.append(transform(element)) }
        }
        return result
    }

    static func attributes(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CKeyValue>?>?, _ count: Int) -> [Attribute] {
        array(pointer, count) { keyValue in
            Attribute(key: string(keyValue.pointee.key), value: anyValue(keyValue.pointee.value))
        }
    }

    static func anyValue(_ pointer: UnsafeMutablePointer<CAnyValue>?) -> AttributeValue {
        guard let value = pointer?.pointee else { return .empty }
        switch value.value_case {
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_STRING_VALUE: return .string(string(value.string_value))
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BOOL_VALUE: return .bool(value.bool_value != 0)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_INT_VALUE: return .int(value.int_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_DOUBLE_VALUE: return .double(value.double_value)
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_BYTES_VALUE: return .bytes(bytes(value.bytes_value))
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_ARRAY_VALUE:
            guard let list = value.array_value?.pointee else { return .array([]) }
            return .array(array(list.values, list.n_values) { anyValue($0) })
        case OPENTELEMETRY__PROTO__COMMON__V1__ANY_VALUE__VALUE_KVLIST_VALUE:
            guard let list = value.kvlist_value?.pointee else { return .kvlist([]) }
            return .kvlist(attributes(list.values, list.n_values))
        default:
            // Not set, or string_value_strindex, which only the profiling signal uses.
            return .empty
        }
    }

    static func resource(_ pointer: UnsafeMutablePointer<Opentelemetry__Proto__Resource__V1__Resource>?, schemaURL: UnsafeMutablePointer<CChar>?) -> Resource {
        guard let resource = pointer?.pointee else { return Resource(schemaURL: string(schemaURL)) }
        let refs = array(resource.entity_refs, resource.n_entity_refs) { ref in
            EntityRef(
                schemaURL: string(ref.pointee.schema_url), type: string(ref.pointee.type),
                idKeys: strings(ref.pointee.id_keys, ref.pointee.n_id_keys),
                descriptionKeys: strings(ref.pointee.description_keys, ref.pointee.n_description_keys))
        }
        return Resource(
            attributes: attributes(resource.attributes, resource.n_attributes), droppedAttributesCount: resource.dropped_attributes_count,
            entityRefs: refs, schemaURL: string(schemaURL))
    }

    static func scope(_ pointer: UnsafeMutablePointer<Opentelemetry__Proto__Common__V1__InstrumentationScope>?, schemaURL: UnsafeMutablePointer<CChar>?) -> InstrumentationScope {
        guard let scope = pointer?.pointee else { return InstrumentationScope(schemaURL: string(schemaURL)) }
        return InstrumentationScope(
            name: string(scope.name), version: string(scope.version), attributes: attributes(scope.attributes, scope.n_attributes),
            droppedAttributesCount: scope.dropped_attributes_count, schemaURL: string(schemaURL))
    }

    private static func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
        guard let pointer, count > 0 else { return [] }
        return (0..<count).map { string(pointer[$0]) }
    }

    /// A required, non-zero 16-byte trace ID.
    static func requiredTraceID(_ data: ProtobufCBinaryData, field: String) -> Result<TraceID, ItemRejection> {
        guard data.len == 16 else { return .failure(ItemRejection("\(field) has \(data.len) bytes, not 16")) }
        guard let id = TraceID(buffer(data)), !id.isZero else { return .failure(ItemRejection("\(field) is all zeros")) }
        return .success(id)
    }

    /// A required, non-zero 8-byte span ID.
    static func requiredSpanID(_ data: ProtobufCBinaryData, field: String) -> Result<SpanID, ItemRejection> {
        guard data.len == 8 else { return .failure(ItemRejection("\(field) has \(data.len) bytes, not 8")) }
        guard let id = SpanID(buffer(data)), !id.isZero else { return .failure(ItemRejection("\(field) is all zeros")) }
        return .success(id)
    }

    /// An optional trace ID: empty (or all zeros) is absent; any length but 16 is invalid.
    static func optionalTraceID(_ data: ProtobufCBinaryData, field: String) -> Result<TraceID?, ItemRejection> {
        if data.len == 0 { return .success(nil) }
        guard data.len == 16, let id = TraceID(buffer(data)) else { return .failure(ItemRejection("\(field) has \(data.len) bytes, not 16")) }
        return .success(id.isZero ? nil : id)
    }

    /// An optional span ID: empty (or all zeros) is absent; any length but 8 is invalid.
    static func optionalSpanID(_ data: ProtobufCBinaryData, field: String) -> Result<SpanID?, ItemRejection> {
        if data.len == 0 { return .success(nil) }
        guard data.len == 8, let id = SpanID(buffer(data)) else { return .failure(ItemRejection("\(field) has \(data.len) bytes, not 8")) }
        return .success(id.isZero ? nil : id)
    }
}
