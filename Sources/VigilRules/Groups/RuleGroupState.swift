import Foundation
import VigilAlerting

/// A loaded rule group with the alert state of each of its units, evaluated as Prometheus
/// evaluates a group: every unit in order at the same time, each failure kept to its unit.
///
/// Shared by the server's rules engine and by `vigil rules test`, which differ only in where
/// samples come from and what happens to the alerts to send.
public struct RuleGroupState: Sendable {
    /// How one unit fared at the latest evaluation.
    public struct UnitHealth: Sendable, Hashable {
        /// `ok`, `err`, or `unknown` before the first evaluation.
        public enum Health: String, Sendable, Hashable {
            case unknown, ok, err
        }

        public var health: Health = .unknown
        /// The latest evaluation's error; nil when it succeeded.
        public var lastError: String?
        /// When the unit was last evaluated.
        public var lastEvaluation: Date?
        /// How long its latest evaluation took, in seconds.
        public var evaluationSeconds: Double = 0

        /// Health before the first evaluation.
        public init() {}
    }

    /// What one evaluation of the group did.
    public struct Evaluation: Sendable {
        /// Alerts due for sending (``RuleAlertState/alertsToSend(at:interval:resendDelay:)``).
        public var alertsToSend: [PostableAlert] = []
        /// Units whose evaluation failed, with the reason.
        public var failures: [(unit: RuleAlertUnit, error: String)] = []
        /// How long the evaluation took, in seconds.
        public var durationSeconds: Double = 0
    }

    /// The file the group came from.
    public let file: String
    /// The group as loaded.
    public let group: RuleGroup
    /// Its units, in rule order.
    public let units: [RuleAlertUnit]
    /// Alert state per unit, in unit order.
    public private(set) var states: [RuleAlertState]
    /// Health per unit, in unit order.
    public private(set) var health: [UnitHealth]
    /// The latest group evaluation and its duration in seconds.
    public private(set) var lastEvaluation: Date?
    public private(set) var lastEvaluationSeconds: Double = 0

    /// A group without alerts, every unit's health `unknown`.
    public init(file: String, group: RuleGroup, context: RuleServerContext, templates: TemplateSet) {
        self.file = file
        self.group = group
        self.units = group.alertUnits(context: context)
        self.states = units.map { RuleAlertState(spec: $0.spec, templates: templates) }
        self.health = units.map { _ in UnitHealth() }
    }

    /// One unit's saved alerts and health.
    public struct SavedUnit: Sendable {
        public var alerts: [ActiveRuleAlert]
        public var health: UnitHealth

        public init(alerts: [ActiveRuleAlert], health: UnitHealth = UnitHealth()) {
            self.alerts = alerts
            self.health = health
        }
    }

    /// Replaces the alerts and health of the units found in `saved` (by ``RuleAlertUnit/key``);
    /// other units keep theirs. With `policy`, pending alerts are restored at `now` as after a
    /// restart (``RuleAlertState/init(spec:templates:restoring:at:policy:)``); without, exactly,
    /// as on a reload or leader change.
    public mutating func restore(_ saved: [String: SavedUnit], at now: Date, policy: RuleAlertState.RestorePolicy? = nil) {
        for (index, unit) in units.enumerated() {
            guard let unitState = saved[unit.key] else { continue }
            let templates = states[index].templates
            if let policy {
                states[index] = RuleAlertState(spec: unit.spec, templates: templates, restoring: unitState.alerts, at: now, policy: policy)
            } else {
                states[index] = RuleAlertState(spec: unit.spec, templates: templates, restoring: unitState.alerts)
            }
            health[index] = unitState.health
        }
        lastEvaluation = health.compactMap(\.lastEvaluation).max()
    }

    /// Evaluates every unit at `time` through `evaluator`, applies the samples, and collects the
    /// alerts due for sending. A unit whose samples cannot be read keeps its alerts unchanged.
    ///
    /// - Parameter clock: measures the evaluation's duration (real time, not `time`).
    public mutating func evaluate(at time: Date, with evaluator: RuleEvaluator, resendDelay: Duration = RuleAlertState.defaultResendDelay) async -> Evaluation {
        let clock = ContinuousClock()
        let groupStart = clock.now
        var evaluation = Evaluation()
        for index in units.indices {
            let unitStart = clock.now
            let unit = units[index]
            do {
                let samples = try await unit.evaluate(with: evaluator, at: time)
                let result = states[index].apply(samples, at: time)
                if let failure = result.failure {
                    health[index].health = .err
                    health[index].lastError = failure.description
                    evaluation.failures.append((unit, failure.description))
                } else {
                    health[index].health = .ok
                    health[index].lastError = nil
                }
            } catch {
                health[index].health = .err
                health[index].lastError = String(describing: error)
                evaluation.failures.append((unit, String(describing: error)))
            }
            evaluation.alertsToSend += states[index].alertsToSend(at: time, interval: group.interval, resendDelay: resendDelay)
            health[index].lastEvaluation = time
            health[index].evaluationSeconds = (clock.now - unitStart).seconds
        }
        evaluation.durationSeconds = (clock.now - groupStart).seconds
        lastEvaluation = time
        lastEvaluationSeconds = evaluation.durationSeconds
        return evaluation
    }

    /// Every unit's alerts and health by unit key: what ``restore(_:at:policy:)`` takes back.
    public var savedUnits: [String: SavedUnit] {
        var result: [String: SavedUnit] = [:]
        for (index, unit) in units.enumerated() { result[unit.key] = SavedUnit(alerts: states[index].snapshot, health: health[index]) }
        return result
    }
}
