/// The entity that produced telemetry: an OTLP `Resource` plus the schema URL of its container.
public struct Resource: Sendable, Hashable {
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32
    public var entityRefs: [EntityRef]
    /// `schema_url` of the enclosing `ResourceSpans`/`ResourceMetrics`/`ResourceLogs`.
    public var schemaURL: String

    public init(attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, entityRefs: [EntityRef] = [], schemaURL: String = "") {
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.entityRefs = entityRefs
        self.schemaURL = schemaURL
    }

    /// The `service.name` resource attribute, or `unknown_service` as the SDKs default it.
    public var serviceName: String {
        attributes.stringValue(forKey: "service.name") ?? "unknown_service"
    }
}

/// An OTLP `EntityRef`: a reference from a resource to an entity described by some of its attributes.
public struct EntityRef: Sendable, Hashable {
    public var schemaURL: String
    public var type: String
    public var idKeys: [String]
    public var descriptionKeys: [String]

    public init(schemaURL: String = "", type: String = "", idKeys: [String] = [], descriptionKeys: [String] = []) {
        self.schemaURL = schemaURL
        self.type = type
        self.idKeys = idKeys
        self.descriptionKeys = descriptionKeys
    }
}

/// The instrumentation scope that produced telemetry, plus the schema URL of its container.
public struct InstrumentationScope: Sendable, Hashable {
    public var name: String
    public var version: String
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32
    /// `schema_url` of the enclosing `ScopeSpans`/`ScopeMetrics`/`ScopeLogs`.
    public var schemaURL: String

    public init(name: String = "", version: String = "", attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, schemaURL: String = "") {
        self.name = name
        self.version = version
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.schemaURL = schemaURL
    }
}

/// Items of one signal that share a resource and a scope.
public struct ScopedItems<Item: Sendable>: Sendable {
    public var resource: Resource
    public var scope: InstrumentationScope
    public var items: [Item]

    public init(resource: Resource, scope: InstrumentationScope, items: [Item]) {
        self.resource = resource
        self.scope = scope
        self.items = items
    }
}

/// A decoded export request: its items grouped by resource and scope, and the items dropped as invalid.
public struct ExportBatch<Item: Sendable>: Sendable {
    public var groups: [ScopedItems<Item>]
    /// Items the decoder dropped because they break the OTLP specification.
    public var rejected: Rejections

    public init(groups: [ScopedItems<Item>] = [], rejected: Rejections = Rejections()) {
        self.groups = groups
        self.rejected = rejected
    }

    public var itemCount: Int { groups.reduce(0) { $0 + $1.items.count } }
}

/// A count of dropped items and the first reason, as OTLP's `partial_success` reports them.
public struct Rejections: Sendable, Equatable {
    public var count: Int64 = 0
    public var firstMessage: String?

    public init(count: Int64 = 0, firstMessage: String? = nil) {
        self.count = count
        self.firstMessage = firstMessage
    }

    public mutating func record(_ message: @autoclosure () -> String, count: Int64 = 1) {
        if firstMessage == nil { firstMessage = message() }
        self.count += count
    }

    public mutating func merge(_ other: Rejections) {
        if let message = other.firstMessage, other.count > 0 { record(message, count: other.count) }
    }
}
