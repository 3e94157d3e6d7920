import Foundation
import Hummingbird
import VigilAlerting

extension AlertmanagerAPI {
    /// Stores every valid alert of the request; the others are named in one 400 answer, their
    /// reasons joined with "; " (as Alertmanager does).
    func postAlerts(_ request: Request) async throws -> Response {
        guard let list = try await body(request) as? [Any] else {
            throw Failure(status: .badRequest, message: "request body must be a JSON array of alerts", framework: true)
        }
        let now = await engine.currentTime
        let resolveTimeout = await engine.config.global.resolveTimeout
        var alerts: [PostableAlert] = []
        var problems: [String] = []
        for (index, item) in list.enumerated() {
            let alert = try Self.postableAlert(item, index: index)
            // The end a missing endsAt will get decides whether a future start is valid.
            let end = alert.endsAt ?? now.addingTimeInterval(resolveTimeout.seconds)
            let start = alert.startsAt ?? alert.endsAt ?? now
            if let problem = Self.problem(with: alert, start: start, end: end) {
                problems.append(problem)
            } else {
                alerts.append(alert)
            }
        }
        if !alerts.isEmpty { try await engine.receive(alerts) }
        if !problems.isEmpty { await engine.countInvalid(problems.count) }
        guard problems.isEmpty else { throw Failure(status: .badRequest, message: problems.joined(separator: "; ")) }
        return Response(status: .ok)
    }

    static func problem(with alert: PostableAlert, start: Date, end: Date) -> String? {
        if end < start { return "start time must be before end time" }
        for name in alert.labels.names where !LabelSet.isValidName(name) { return "invalid label set: invalid name \"\(name)\"" }
        if alert.labels.isEmpty { return "at least one label pair required" }
        for name in alert.annotations.names where !LabelSet.isValidName(name) { return "invalid annotations: invalid name \"\(name)\"" }
        return nil
    }

    /// Decodes one alert; shape errors (a missing `labels`, a number for a string) fail the whole request.
    static func postableAlert(_ item: Any, index: Int) throws -> PostableAlert {
        guard let object = item as? [String: Any] else {
            throw Failure(status: .badRequest, message: "parsing alerts body failed: alert \(index) is not a JSON object", framework: true)
        }
        guard let labelObject = object["labels"], !(labelObject is NSNull) else {
            throw Failure(status: .unprocessableContent, message: "\(index).labels in body is required", framework: true, code: 602)
        }
        // Labels with empty values are dropped, as if they were not sent.
        let labels = try stringMap(labelObject, "labels", index).filter { !$0.value.isEmpty }
        let annotations = try object["annotations"].map { try stringMap($0, "annotations", index) } ?? [:]
        let startsAt = try time(object["startsAt"], "startsAt", index)
        let endsAt = try time(object["endsAt"], "endsAt", index)
        var generatorURL = ""
        if let url = object["generatorURL"], !(url is NSNull) {
            guard let text = url as? String, text.isEmpty || URL(string: text)?.scheme != nil else {
                throw Failure(status: .unprocessableContent, message: "\(index).generatorURL in body must be of type uri: \"\(url)\"", framework: true, code: 601)
            }
            generatorURL = text
        }
        return PostableAlert(labels: LabelSet(labels), annotations: LabelSet(annotations), startsAt: startsAt, endsAt: endsAt, generatorURL: generatorURL)
    }

    private static func stringMap(_ value: Any, _ name: String, _ index: Int) throws -> [String: String] {
        guard let map = value as? [String: Any] else {
            throw Failure(status: .badRequest, message: "parsing alerts body failed: \(index).\(name) is not an object of strings", framework: true)
        }
        var result: [String: String] = [:]
        for (key, item) in map {
            guard let text = item as? String else {
                throw Failure(status: .badRequest, message: "parsing alerts body failed: \(index).\(name).\(key) is not a string", framework: true)
            }
            result[key] = text
        }
        return result
    }

    /// A time field: absent, null or Go's zero time mean "not given".
    static func time(_ value: Any?, _ name: String, _ index: Int) throws -> Date? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String, let date = RFC3339.parse(text) else {
            throw Failure(status: .badRequest, message: "parsing alerts body failed: \(index).\(name) \"\(value)\" is not an RFC 3339 time", framework: true)
        }
        return date.timeIntervalSince1970 <= -62_135_596_800 ? nil : date
    }

    /// The filters `GET /api/v2/alerts` and `/alerts/groups` share.
    struct AlertQuery {
        var active: Bool
        var silenced: Bool
        var inhibited: Bool
        var matchers: Matchers
        var receiver: Matcher?

        /// Whether an alert passes the label matchers and the state flags.
        func includes(_ view: AlertView) -> Bool {
            guard matchers.matches(view.alert.labels) else { return false }
            if !view.isSuppressed { return active }
            return (silenced || view.silencedBy.isEmpty) && (inhibited || view.inhibitedBy.isEmpty)
        }
    }

    func alertQuery(_ request: Request) throws -> AlertQuery {
        // `unprocessed` is checked but, as in Alertmanager, does not filter.
        _ = try flag(request, "unprocessed", default: true)
        var receiver: Matcher?
        if let text = queryValues(request, "receiver").last, !text.isEmpty {
            do {
                receiver = try Matcher(name: "receiver", kind: .regex, value: text)
            } catch {
                throw Failure(status: .badRequest, message: "failed to parse receiver param: \(error)")
            }
        }
        return AlertQuery(
            active: try flag(request, "active", default: true), silenced: try flag(request, "silenced", default: true),
            inhibited: try flag(request, "inhibited", default: true), matchers: try filter(request), receiver: receiver)
    }

    func getAlerts(_ request: Request) async throws -> Response {
        let query = try alertQuery(request)
        let views = await engine.alertViews().filter { view in
            guard !view.resolved, query.includes(view) else { return false }
            return query.receiver.map { receiver in view.receivers.contains { receiver.matches($0) } } ?? true
        }
        return AlertJSON.response(views.sorted { $0.alert.fingerprint < $1.alert.fingerprint })
    }

    func getGroups(_ request: Request) async throws -> Response {
        let query = try alertQuery(request)
        var groups: [(labels: LabelSet, receiver: String, alerts: [AlertView])] = []
        for (group, views) in await engine.groupViews() {
            if let receiver = query.receiver, !receiver.matches(group.route.options.receiver) { continue }
            let alerts = views.filter(query.includes)
            guard !alerts.isEmpty else { continue }
            groups.append((group.labels, group.route.options.receiver, alerts))
        }
        return AlertJSON.groupsResponse(groups)
    }
}
