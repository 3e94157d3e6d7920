import Foundation
import Hummingbird
import VigilAlerting

extension AlertmanagerAPI {
    func getSilences(_ request: Request) async throws -> Response {
        let matchers = try filter(request)
        let now = await engine.currentTime
        let silences = await engine.silences().filter { Self.silence($0, matches: matchers) }
        let order: [Silence.State: Int] = [.active: 0, .pending: 1, .expired: 2]
        let sorted = silences.sorted { a, b in
            let (sa, sb) = (a.state(at: now), b.state(at: now))
            if sa != sb { return order[sa]! < order[sb]! }
            switch sa {
            case .active: return a.endsAt < b.endsAt
            case .pending: return a.startsAt < b.startsAt
            case .expired: return a.endsAt > b.endsAt
            }
        }
        return Self.json(sorted.map { Self.gettable($0, now: now) })
    }

    /// Alertmanager's filter on silences: each filter matcher is applied to the value the
    /// silence gives that label; an empty filter value also accepts a silence without the label
    /// (for `=`/`=~`) or with it (for `!=`/`!~`).
    static func silence(_ silence: Silence, matches filter: Matchers) -> Bool {
        var values: [String: String] = [:]
        for matcher in silence.matchers { values[matcher.name] = matcher.value }
        return filter.allSatisfy { matcher in
            let value = values[matcher.name]
            let negative = matcher.kind == .notEqual || matcher.kind == .notRegex
            if matcher.value.isEmpty, negative == (value != nil) { return true }
            return matcher.matches(value ?? "")
        }
    }

    static func gettable(_ silence: Silence, now: Date) -> [String: Any] {
        [
            "id": silence.id, "status": ["state": silence.state(at: now).rawValue], "updatedAt": RFC3339.format(silence.updatedAt),
            "matchers": silence.matchers.map { matcher -> [String: Any] in
                ["name": matcher.name, "value": matcher.value, "isRegex": matcher.kind == .regex || matcher.kind == .notRegex,
                 "isEqual": matcher.kind == .equal || matcher.kind == .regex]
            },
            "startsAt": RFC3339.format(silence.startsAt), "endsAt": RFC3339.format(silence.endsAt),
            "createdBy": silence.createdBy, "comment": silence.comment,
        ]
    }

    func postSilence(_ request: Request) async throws -> Response {
        guard let object = try await body(request) as? [String: Any] else { throw Failure(status: .badRequest, message: "request body must be a JSON object") }
        func required(_ name: String) throws -> Any {
            guard let value = object[name], !(value is NSNull) else { throw Failure(status: .badRequest, message: "\(name) in body is required") }
            return value
        }
        guard let list = try required("matchers") as? [[String: Any]] else { throw Failure(status: .badRequest, message: "matchers in body must be a list of matchers") }
        var matchers: [Matcher] = []
        for (index, item) in list.enumerated() {
            guard let name = item["name"] as? String, let value = item["value"] as? String, let isRegex = item["isRegex"] as? Bool else {
                throw Failure(status: .badRequest, message: "matchers[\(index)] needs name, value and isRegex")
            }
            let isEqual = item["isEqual"] as? Bool ?? true
            guard LabelSet.isValidName(name) else { throw Failure(status: .badRequest, message: "invalid label name \"\(name)\"") }
            do {
                matchers.append(try Matcher(name: name, kind: isRegex ? (isEqual ? .regex : .notRegex) : (isEqual ? .equal : .notEqual), value: value))
            } catch {
                throw Failure(status: .badRequest, message: "\(error)")
            }
        }
        guard let startsAt = try Self.time(try required("startsAt"), "startsAt", 0), let endsAt = try Self.time(try required("endsAt"), "endsAt", 0) else {
            throw Failure(status: .badRequest, message: "startsAt and endsAt must be set")
        }
        guard let createdBy = try required("createdBy") as? String, let comment = try required("comment") as? String else {
            throw Failure(status: .badRequest, message: "createdBy and comment must be strings")
        }
        let id = object["id"] as? String ?? ""
        let silence = Silence(id: id, matchers: Matchers(matchers), startsAt: startsAt, endsAt: endsAt, updatedAt: startsAt, createdBy: createdBy, comment: comment)
        do {
            let stored = try await engine.setSilence(silence)
            return Self.json(["silenceID": stored])
        } catch let error as SilenceError where error.code == .invalid {
            throw Failure(status: .badRequest, message: "Failed to create silence: \(error.message)")
        }
    }

    func getSilence(_ id: String) async throws -> Response {
        guard let silence = await engine.silence(id: id) else { throw Failure(status: .notFound, message: "silence \(id) not found") }
        return Self.json(Self.gettable(silence, now: await engine.currentTime))
    }

    func deleteSilence(_ id: String) async throws -> Response {
        guard UUID(uuidString: id) != nil else { throw Failure(status: .unprocessableContent, message: "silenceID in path must be of type uuid: \"\(id)\"") }
        do {
            try await engine.expireSilence(id: id)
        } catch let error as SilenceError where error.code == .alreadyExpired {
            // Alertmanager answers 200 when the silence has already ended.
        }
        return Response(status: .ok)
    }
}
