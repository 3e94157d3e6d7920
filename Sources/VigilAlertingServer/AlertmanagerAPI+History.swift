import Foundation
import Hummingbird
import VigilAlerting

extension AlertmanagerAPI {
    /// `GET /api/v1/alerts/history?filter=&start=&end=&limit=`: alert state changes and
    /// notifications, newest first.
    func history(_ request: Request) async throws -> Response {
        let matchers = try filter(request)
        let now = await engine.currentTime
        let end = try historyTime(request, "end") ?? now
        let start = try historyTime(request, "start") ?? end.addingTimeInterval(-86_400)
        guard start <= end else { throw Failure(status: .badRequest, message: "start must not be after end") }
        var limit = 1_000
        if let text = queryValues(request, "limit").last {
            guard let value = Int(text), (1...10_000).contains(value) else { throw Failure(status: .badRequest, message: "limit must be an integer from 1 to 10000") }
            limit = value
        }
        let entries = try await engine.history(start: start, end: end, matchers: matchers, limit: limit)
        return Self.json(["entries": entries.map(\.json)])
    }

    private func historyTime(_ request: Request, _ name: String) throws -> Date? {
        guard let text = queryValues(request, name).last, !text.isEmpty else { return nil }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        guard let date = RFC3339.parse(text) else { throw Failure(status: .badRequest, message: "\(name) must be RFC 3339 or Unix seconds: \"\(text)\"") }
        return date
    }
}

/// One row of the alert history.
struct HistoryEntry: Sendable {
    var time: Date
    var kind: String
    var fingerprint: String?
    var labels: [String: String]
    var state: String?
    var receiver: String?
    var integration: String?
    var groupKey: String?
    var outcome: String?
    var attempts: Int?
    var error: String?
    /// The alert's annotations at a state change (evidence trace IDs of rule alerts included).
    var annotations: [String: String]?

    var json: [String: Any] {
        var object: [String: Any] = ["time": RFC3339.format(time), "kind": kind, "labels": labels]
        let optional: [(String, Any?)] = [
            ("fingerprint", fingerprint), ("state", state), ("receiver", receiver), ("integration", integration),
            ("groupKey", groupKey), ("outcome", outcome), ("attempts", attempts), ("error", error),
            ("annotations", annotations),
        ]
        for (key, value) in optional { if let value { object[key] = value } }
        return object
    }
}
