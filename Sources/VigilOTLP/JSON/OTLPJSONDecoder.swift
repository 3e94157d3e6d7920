import VigilModel

/// Decodes OTLP/JSON export requests (the protobuf JSON mapping with OTLP's exceptions: trace
/// and span IDs in hex, enums as integers). Unknown fields are ignored.
public enum OTLPJSONDecoder {
    static func parse(_ body: [UInt8]) throws(OTLPDecodingError) -> JSONObject {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw OTLPDecodingError(error.description)
        }
        return try JSONObject(document, path: "")
    }

    // MARK: Common messages

    static func resource(_ container: JSONObject) throws(OTLPDecodingError) -> Resource {
        let schemaURL = try container.string("schemaUrl", "schema_url")
        guard let object = try container.object("resource") else { return Resource(schemaURL: schemaURL) }
        var refs: [EntityRef] = []
        for ref in try object.objects("entityRefs", "entity_refs") {
            refs.append(EntityRef(
                schemaURL: try ref.string("schemaUrl", "schema_url"), type: try ref.string("type"),
                idKeys: try strings(ref, "idKeys", "id_keys"), descriptionKeys: try strings(ref, "descriptionKeys", "description_keys")))
        }
        return Resource(
            attributes: try attributes(object, "attributes"),
            droppedAttributesCount: try object.uint32("droppedAttributesCount", "dropped_attributes_count"),
            entityRefs: refs, schemaURL: schemaURL)
    }

    static func scope(_ container: JSONObject) throws(OTLPDecodingError) -> InstrumentationScope {
        let schemaURL = try container.string("schemaUrl", "schema_url")
        guard let object = try container.object("scope") else { return InstrumentationScope(schemaURL: schemaURL) }
        return InstrumentationScope(
            name: try object.string("name"), version: try object.string("version"), attributes: try attributes(object, "attributes"),
            droppedAttributesCount: try object.uint32("droppedAttributesCount", "dropped_attributes_count"), schemaURL: schemaURL)
    }

    private static func strings(_ object: JSONObject, _ camel: String, _ snake: String) throws(OTLPDecodingError) -> [String] {
        var result: [String] = []
        for (index, element) in try object.array(camel, snake).enumerated() {
            guard case .string(let text) = element else { throw OTLPDecodingError("\(object.fieldPath(camel))[\(index)]: expected a string") }
            result.append(text)
        }
        return result
    }

    static func attributes(_ object: JSONObject, _ camel: String, _ snake: String? = nil) throws(OTLPDecodingError) -> [Attribute] {
        var result: [Attribute] = []
        for keyValue in try object.objects(camel, snake) {
            result.append(Attribute(key: try keyValue.string("key"), value: try anyValue(keyValue.object("value"))))
        }
        return result
    }

    /// An `AnyValue`; an absent or empty object is the empty value.
    static func anyValue(_ object: JSONObject?) throws(OTLPDecodingError) -> AttributeValue {
        guard let object else { return .empty }
        for (key, value) in object.members {
            if case .null = value { continue }
            switch key {
            case "stringValue", "string_value":
                guard case .string(let text) = value else { throw OTLPDecodingError("\(object.fieldPath(key)): expected a string") }
                return .string(text)
            case "boolValue", "bool_value":
                guard case .bool(let flag) = value else { throw OTLPDecodingError("\(object.fieldPath(key)): expected true or false") }
                return .bool(flag)
            case "intValue", "int_value":
                guard let number = JSONNumbers.int64(value) else { throw OTLPDecodingError("\(object.fieldPath(key)): expected a 64-bit integer") }
                return .int(number)
            case "doubleValue", "double_value":
                guard let number = JSONNumbers.double(value) else { throw OTLPDecodingError("\(object.fieldPath(key)): expected a number") }
                return .double(number)
            case "bytesValue", "bytes_value":
                guard case .string(let text) = value, let bytes = JSONNumbers.base64(text) else {
                    throw OTLPDecodingError("\(object.fieldPath(key)): expected base64 text")
                }
                return .bytes(bytes)
            case "arrayValue", "array_value":
                let array = try JSONObject(value, path: object.fieldPath(key))
                var elements: [AttributeValue] = []
                for element in try array.objects("values") { elements.append(try anyValue(element)) }
                return .array(elements)
            case "kvlistValue", "kvlist_value":
                let list = try JSONObject(value, path: object.fieldPath(key))
                return .kvlist(try attributes(list, "values"))
            default:
                continue
            }
        }
        return .empty
    }

    /// A 16-byte trace ID field. Absent is `nil`; present but invalid is a rejection reason.
    static func traceID(_ object: JSONObject, _ camel: String, _ snake: String) throws(OTLPDecodingError) -> Result<TraceID?, ItemRejection> {
        switch try object.hexID(camel, snake) {
        case .absent: return .success(nil)
        case .invalid(let reason): return .failure(ItemRejection(reason))
        case .bytes(let bytes):
            guard let id = TraceID(bytes: bytes) else { return .failure(ItemRejection("\(object.fieldPath(camel)) has \(bytes.count) bytes, not 16")) }
            return .success(id)
        }
    }

    /// An 8-byte span ID field. Absent is `nil`; present but invalid is a rejection reason.
    static func spanID(_ object: JSONObject, _ camel: String, _ snake: String) throws(OTLPDecodingError) -> Result<SpanID?, ItemRejection> {
        switch try object.hexID(camel, snake) {
        case .absent: return .success(nil)
        case .invalid(let reason): return .failure(ItemRejection(reason))
        case .bytes(let bytes):
            guard let id = SpanID(bytes: bytes) else { return .failure(ItemRejection("\(object.fieldPath(camel)) has \(bytes.count) bytes, not 8")) }
            return .success(id)
        }
    }
}
