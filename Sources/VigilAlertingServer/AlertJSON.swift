import NIOCore
import Hummingbird
import VigilAlerting
import VigilModel

/// Writes Alertmanager's gettable alerts straight into bytes: listing 100,000 alerts through
/// Foundation's JSON objects would take hundreds of megabytes for a moment.
enum AlertJSON {
    static func response(_ views: [AlertView]) -> Response {
        var writer = JSONWriter(capacity: 512 * views.count + 2)
        writer.byte(UInt8(ascii: "["))
        for (index, view) in views.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            write(view, into: &writer)
        }
        writer.raw("]\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// Alert groups: `[{"alerts": [...], "labels": {...}, "receiver": {"name": ...}}]`.
    static func groupsResponse(_ groups: [(labels: LabelSet, receiver: String, alerts: [AlertView])]) -> Response {
        var writer = JSONWriter(capacity: 1_024 * groups.count + 2)
        writer.byte(UInt8(ascii: "["))
        for (index, group) in groups.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.raw("{\"alerts\":[")
            for (position, view) in group.alerts.enumerated() {
                if position > 0 { writer.byte(UInt8(ascii: ",")) }
                write(view, into: &writer)
            }
            writer.raw("],\"labels\":")
            write(group.labels, into: &writer)
            writer.raw(",\"receiver\":{\"name\":")
            writer.string(group.receiver)
            writer.raw("}}")
        }
        writer.raw("]\n")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// One gettable alert, keys sorted as Alertmanager's answers list them.
    static func write(_ view: AlertView, into writer: inout JSONWriter) {
        let alert = view.alert
        writer.raw("{\"annotations\":")
        write(alert.annotations, into: &writer)
        writer.raw(",\"endsAt\":")
        writer.string(RFC3339.format(alert.endsAt))
        writer.raw(",\"fingerprint\":")
        writer.string(alert.fingerprint.description)
        if !alert.generatorURL.isEmpty {
            writer.raw(",\"generatorURL\":")
            writer.string(alert.generatorURL)
        }
        writer.raw(",\"labels\":")
        write(alert.labels, into: &writer)
        writer.raw(",\"receivers\":[")
        for (index, receiver) in view.receivers.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.raw("{\"name\":")
            writer.string(receiver)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.raw("],\"startsAt\":")
        writer.string(RFC3339.format(alert.startsAt))
        writer.raw(",\"status\":{\"inhibitedBy\":")
        strings(view.inhibitedBy, into: &writer)
        writer.raw(",\"silencedBy\":")
        strings(view.silencedBy, into: &writer)
        writer.raw(",\"state\":")
        writer.string(view.isSuppressed ? "suppressed" : "active")
        writer.raw("},\"updatedAt\":")
        writer.string(RFC3339.format(alert.updatedAt))
        writer.byte(UInt8(ascii: "}"))
    }

    static func write(_ labels: LabelSet, into writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        for (index, label) in labels.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.key(label.name)
            writer.string(label.value)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    static func strings(_ values: [String], into writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.string(value)
        }
        writer.byte(UInt8(ascii: "]"))
    }
}
