import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilAlerting
import VigilAlertingServer
import VigilQuery
import VigilRules

/// The rules API on Vigil's API port: `GET /api/v1/rules` and `GET /api/v1/alerts` shaped as
/// Prometheus's, so Grafana's Prometheus data source and scripts written for Prometheus read
/// them, and `GET /api/v1/slos` with each SLO's budget and burn rates.
public struct RulesAPI: Sendable {
    let engine: RulesEngine
    let logger: Logger

    public init(engine: RulesEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    public func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/rules") { request, _ in await answer { try await rules(request) } }
        router.get("/api/v1/alerts") { _, _ in await answer { try await alerts() } }
        router.get("/api/v1/slos") { request, _ in await answer { try await slos(request) } }
    }

    private func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            return error.response
        } catch {
            logger.error("rules API request failed", metadata: ["error": "\(error)"])
            return APIError.internalError("the request failed; the server log has the details").response
        }
    }

    static func json(_ value: Any) -> Response {
        var data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        data.append(UInt8(ascii: "\n"))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The values of a repeated query parameter, with or without `[]` (`rule_name[]=a&rule_name=b`).
    static func values(_ request: Request, _ name: String) -> Set<String> {
        var result = Set<String>()
        for (key, value) in request.uri.queryParameters {
            let decodedKey = String(key).removingPercentEncoding ?? String(key)
            guard decodedKey == name || decodedKey == name + "[]", !value.isEmpty else { continue }
            result.insert(String(value).removingPercentEncoding ?? String(value))
        }
        return result
    }

    // MARK: /api/v1/rules

    private func rules(_ request: Request) async throws -> Response {
        let type = request.uri.queryParameters.get("type").flatMap { $0.isEmpty ? nil : String($0) }
        guard type == nil || type == "alert" || type == "record" else {
            throw APIError.badRequest("parameter type: \"\(type ?? "")\" is not alert or record")
        }
        let names = Self.values(request, "rule_name"), groupNames = Self.values(request, "rule_group"), files = Self.values(request, "file")
        let filtered = type != nil || !names.isEmpty || !groupNames.isEmpty || !files.isEmpty
        var groups: [Any] = []
        for state in await engine.groupStates() {
            guard groupNames.isEmpty || groupNames.contains(state.group.name), files.isEmpty || files.contains(state.file) else { continue }
            var rules: [Any] = []
            for (index, unit) in state.units.enumerated() where type != "record" && (names.isEmpty || names.contains(unit.rule.alert)) {
                rules.append(Self.rule(unit, state.states[index], state.health[index]))
            }
            if filtered, rules.isEmpty { continue }
            groups.append([
                "name": state.group.name, "file": state.file, "interval": state.group.interval.seconds, "limit": state.group.limit,
                "rules": rules, "evaluationTime": state.lastEvaluationSeconds,
                "lastEvaluation": state.lastEvaluation.map(RFC3339.format) ?? "0001-01-01T00:00:00Z",
            ] as [String: Any])
        }
        return Self.json(["status": "success", "data": ["groups": groups]])
    }

    static func rule(_ unit: RuleAlertUnit, _ state: RuleAlertState, _ health: RuleGroupState.UnitHealth) -> [String: Any] {
        var rule: [String: Any] = [
            "type": "alerting", "kind": unit.rule.kind.key, "name": unit.spec.alertName, "query": RuleSummary.query(for: unit),
            "duration": unit.spec.forDuration.seconds, "keepFiringFor": unit.spec.keepFiringFor.seconds,
            "labels": unit.spec.labels.dictionary, "annotations": unit.spec.annotations.dictionary,
            "state": state.state.rawValue, "health": health.health.rawValue, "evaluationTime": health.evaluationSeconds,
            "lastEvaluation": health.lastEvaluation.map(RFC3339.format) ?? "0001-01-01T00:00:00Z",
            "alerts": state.active.map(alert),
        ]
        if let error = health.lastError { rule["lastError"] = error }
        if case .slo(let slo) = unit.rule.kind, let window = unit.window {
            rule["slo"] = slo.name
            rule["window"] = window.name
            rule["shortWindow"] = PrometheusDuration.format(window.shortWindow)
            rule["threshold"] = window.burnRateThreshold.value
        }
        return rule
    }

    // MARK: /api/v1/alerts

    private func alerts() async throws -> Response {
        var alerts: [Any] = []
        for state in await engine.groupStates() {
            for unitState in state.states { alerts += unitState.active.map(Self.alert) }
        }
        return Self.json(["status": "success", "data": ["alerts": alerts]])
    }

    static func alert(_ alert: ActiveRuleAlert) -> [String: Any] {
        var result: [String: Any] = [
            "labels": alert.labels.dictionary, "annotations": alert.annotationsIncludingEvidence.dictionary,
            "state": alert.state.rawValue, "activeAt": RFC3339.format(alert.activeAt), "value": PrometheusFloat.format(alert.value),
        ]
        if let since = alert.keepFiringSince { result["keepFiringSince"] = RFC3339.format(since) }
        return result
    }
}

extension RulesAPI {
    // MARK: /api/v1/slos

    func slos(_ request: Request) async throws -> Response {
        // An empty parameter counts as absent, as everywhere in the read API.
        let service = request.uri.queryParameters.get("service").flatMap { $0.isEmpty ? nil : String($0) }
        let name = request.uri.queryParameters.get("name").flatMap { $0.isEmpty ? nil : String($0) }
        let statuses: [RulesEngine.SLOStatus]
        do {
            statuses = try await engine.sloStatuses(service: service, name: name)
        } catch {
            throw APIError.unavailable("the SLIs could not be read: \(error)")
        }
        let slos: [Any] = statuses.map { status in
            let slo = status.slo
            let end = status.end.timeIntervalSince1970.rounded(.down)
            return [
                "name": slo.name, "service": slo.service, "file": status.file, "group": status.group, "indicator": slo.indicator.key,
                "objective": slo.objective.description, "errorBudget": slo.errorBudget.fraction.description,
                "period": PrometheusDuration.format(slo.period), "start": end - slo.period.seconds, "end": end,
                "total": status.total, "bad": status.bad, "errorRatio": status.errorRatio ?? NSNull(), "budgetRemaining": status.budgetRemaining,
                "windows": status.windows.map { window in
                    [
                        "severity": window.window.severity.rawValue, "window": window.window.name,
                        "shortWindow": PrometheusDuration.format(window.window.shortWindow),
                        "budget": window.window.budgetFraction.description, "threshold": window.window.burnRateThreshold.value,
                        "longBurnRate": window.longBurnRate ?? NSNull(), "shortBurnRate": window.shortBurnRate ?? NSNull(),
                        "state": window.state.rawValue,
                    ] as [String: Any]
                },
            ] as [String: Any]
        }
        return Self.json(["slos": slos])
    }
}
