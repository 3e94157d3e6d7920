import VigilModel

/// Turns decoded OTLP items into ``EncodedBatch`` rows.
///
/// Items that cannot be stored are rejected one by one (counted in ``EncodedBatch/rejected``):
/// a time outside the stored window (older than the retention, or further in the future than
/// the allowed clock skew), a timestamp beyond PostgreSQL's range, or a string with a NUL
/// character. Nothing else in the request is affected.
public struct TelemetryEncoder: Sendable {
    /// Earliest and latest partition time (Unix ns) that may be stored.
    public var window: ClosedRange<Int64>

    public init(window: ClosedRange<Int64>) {
        self.window = window
    }

    /// The window for "now" given a retention period and the largest accepted clock skew.
    public init(nowUnixNano: Int64, retentionDays: Int, maxFutureSkewNanos: Int64) {
        let firstDay = CivilTime.day(ofUnixNano: nowUnixNano) - Int64(retentionDays)
        let lower = firstDay * CivilTime.nanosPerDay
        self.init(window: lower...(nowUnixNano + maxFutureSkewNanos))
    }

    struct Rejection: Error {
        var reason: String
    }

    func checkedTime(_ nanos: UInt64, what: String) throws(Rejection) -> Int64 {
        guard nanos <= UInt64(Int64.max) else { throw Rejection(reason: "\(what) \(nanos) is beyond the year 2262") }
        let time = Int64(nanos)
        guard window.contains(time) else {
            throw Rejection(reason: "\(what) \(nanos) is outside the stored time window (older than the retention period or too far in the future)")
        }
        return time
    }

    // MARK: Shared pieces

    static let nulReason = "a string contains a NUL character, which PostgreSQL cannot store"

    /// The ID of the group's resource, or `nil` when the resource cannot be stored.
    func resourceID(_ resource: Resource, into batch: inout EncodedBatch) -> Int64? {
        var attributes = JSONWriter()
        AttributeJSON.write(resource.attributes, to: &attributes)
        var refs = JSONWriter()
        Self.writeEntityRefs(resource.entityRefs, to: &refs)
        var hash = StableHash()
        hash.combine(attributes.bytes)
        hash.combine(Int64(resource.droppedAttributesCount))
        hash.combine(refs.bytes)
        hash.combine(resource.schemaURL)
        guard !attributes.containsNUL, !refs.containsNUL, !NULCharacter.isIn(resource.schemaURL) else { return nil }
        let id = hash.id
        if batch.resources[id] == nil {
            batch.resources[id] = [
                String(id), resource.serviceName, attributes.string, String(resource.droppedAttributesCount), refs.string, resource.schemaURL,
            ]
        }
        return id
    }

    /// The ID of the group's scope, or `nil` when the scope cannot be stored.
    func scopeID(_ scope: InstrumentationScope, into batch: inout EncodedBatch) -> Int64? {
        var attributes = JSONWriter()
        AttributeJSON.write(scope.attributes, to: &attributes)
        var hash = StableHash()
        hash.combine(scope.name)
        hash.combine(scope.version)
        hash.combine(attributes.bytes)
        hash.combine(Int64(scope.droppedAttributesCount))
        hash.combine(scope.schemaURL)
        guard !attributes.containsNUL, !NULCharacter.isIn(scope.name, scope.version, scope.schemaURL) else { return nil }
        let id = hash.id
        if batch.scopes[id] == nil {
            batch.scopes[id] = [String(id), scope.name, scope.version, attributes.string, String(scope.droppedAttributesCount), scope.schemaURL]
        }
        return id
    }

    static func writeEntityRefs(_ refs: [EntityRef], to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "["))
        for index in refs.indices {
            let ref = refs[index]
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.raw("{\"schemaUrl\":"); writer.string(ref.schemaURL)
            writer.raw(",\"type\":"); writer.string(ref.type)
            writer.raw(",\"idKeys\":"); writeStrings(ref.idKeys, to: &writer)
            writer.raw(",\"descriptionKeys\":"); writeStrings(ref.descriptionKeys, to: &writer)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.byte(UInt8(ascii: "]"))
    }

    private static func writeStrings(_ strings: [String], to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "["))
        for index in strings.indices {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.string(strings[index])
        }
        writer.byte(UInt8(ascii: "]"))
    }

    /// The resource and scope IDs of a group, or `nil` after rejecting every item of the group.
    func groupIDs<Item>(_ group: ScopedItems<Item>, itemCount: Int, what: String, into batch: inout EncodedBatch) -> (resource: Int64, scope: Int64)? {
        guard let resource = resourceID(group.resource, into: &batch), let scope = scopeID(group.scope, into: &batch) else {
            if itemCount > 0 { batch.rejected.record("\(what) of a resource or scope that cannot be stored: \(Self.nulReason)", count: Int64(itemCount)) }
            return nil
        }
        return (resource, scope)
    }

    static func attributesJSON(_ attributes: [Attribute]) -> JSONWriter {
        var writer = JSONWriter(capacity: 64 + attributes.count * 48)
        AttributeJSON.write(attributes, to: &writer)
        return writer
    }
}
