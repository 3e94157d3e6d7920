import Foundation
import Logging
import ServiceLifecycle
import VigilAlerting
import VigilRules
import VigilStorage

/// Evaluates the rule groups of `rule_files` on their intervals, keeps their alert state in
/// PostgreSQL and sends their alerts into the alerting pipeline.
///
/// Of several `vigil serve` processes on one database, only the holder of the rules advisory
/// lock (``RuleLeadership``) evaluates; the others check for the lock every
/// ``Settings/leaderCheckInterval`` and mirror the saved state for the API. A new leader
/// continues from the saved state, so `for` timers go on and nothing is sent twice.
public actor RulesEngine: Service {
    /// Engine settings (the `rules:` section of vigil.yaml).
    public struct Settings: Sendable, Hashable {
        /// A firing alert is re-sent when its last send is older than this; default 1 minute.
        public var resendDelay: Duration = RuleAlertState.defaultResendDelay
        /// How pending alerts are restored after all processes were down.
        public var restorePolicy = RuleAlertState.RestorePolicy()
        /// How often a follower tries to take the lead, and a leader checks it still has it.
        public var leaderCheckInterval: Duration = .seconds(5)

        public init() {}
    }

    struct GroupKey: Hashable, Sendable {
        var file: String
        var group: String
    }

    let evaluator: RuleEvaluator
    private let repository: RuleStateRepository
    private let leadership: RuleLeadership
    private let settings: Settings
    private let context: RuleServerContext
    private let templates: TemplateSet
    private let send: @Sendable ([PostableAlert]) async throws -> Void
    private let onLeadership: @Sendable () async -> Void
    let now: @Sendable () -> Date
    private let logger: Logger
    private let metrics = RulesMetrics()
    private let tick: Duration

    private(set) var files: RuleFileSet
    private(set) var order: [GroupKey] = []
    private(set) var groups: [GroupKey: RuleGroupState] = [:]
    private var nextEvaluation: [GroupKey: Date] = [:]
    private var evaluating: Set<GroupKey> = []
    private var generation = 0
    /// True while this process holds the lead.
    public private(set) var isLeader = false

    /// - Parameters:
    ///   - send: delivers alerts to the alerting pipeline (`AlertingEngine.receive`).
    ///   - onLeadership: runs when this process takes the lead, before its first evaluation
    ///     (the alerting pipeline reloads the shared notification log there).
    public init(
        files: RuleFileSet, pool: PostgresReadPool, conninfo: String, context: RuleServerContext, settings: Settings = Settings(),
        logger: Logger, send: @escaping @Sendable ([PostableAlert]) async throws -> Void,
        onLeadership: @escaping @Sendable () async -> Void = {}, tick: Duration = .milliseconds(200),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.evaluator = RuleEvaluator(source: PostgresRuleDataSource(pool: pool))
        self.repository = RuleStateRepository(pool: pool)
        self.leadership = RuleLeadership(conninfo: conninfo)
        self.settings = settings
        self.context = context
        let templates = try TemplateSet(files: [])
        self.templates = templates
        self.send = send
        self.onLeadership = onLeadership
        self.now = now
        self.logger = logger
        self.tick = tick
        self.files = files
        (self.order, self.groups) = Self.groupStates(files, context: context, templates: templates)
    }

    /// Replaces the rules. Units still present (same file, group and unit key) keep their alerts
    /// and health; groups keep their schedule.
    public func reload(_ files: RuleFileSet) async {
        let old = groups
        install(files)
        for key in order {
            guard let previous = old[key] else { continue }
            groups[key]?.restore(previous.savedUnits, at: now())
        }
        if isLeader {
            do {
                try await repository.removeGroups(except: order.map { ($0.file, $0.group) })
            } catch {
                logger.warning("could not remove the state of deleted rule groups", metadata: ["error": "\(error)"])
            }
        }
        logger.info("rules loaded", metadata: ["rules.files": "\(files.files.count)", "rules.groups": "\(order.count)"])
    }

    private func install(_ files: RuleFileSet) {
        self.files = files
        generation += 1
        (order, groups) = Self.groupStates(files, context: context, templates: templates)
        nextEvaluation = nextEvaluation.filter { groups[$0.key] != nil }
    }

    private static func groupStates(_ files: RuleFileSet, context: RuleServerContext, templates: TemplateSet) -> ([GroupKey], [GroupKey: RuleGroupState]) {
        var order: [GroupKey] = []
        var states: [GroupKey: RuleGroupState] = [:]
        for (file, group) in files.groups {
            let key = GroupKey(file: file, group: group.name)
            order.append(key)
            states[key] = RuleGroupState(file: file, group: group, context: context, templates: templates)
        }
        return (order, states)
    }

    // MARK: Running

    public func run() async throws {
        var nextCheck = now()
        await withDiscardingTaskGroup { tasks in
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                let at = now()
                if at >= nextCheck {
                    nextCheck = at.addingTimeInterval(settings.leaderCheckInterval.seconds)
                    await checkLeadership(at: at)
                }
                if isLeader {
                    for key in order where !evaluating.contains(key) {
                        guard let interval = groups[key]?.group.interval else { continue }
                        let due = nextEvaluation[key] ?? Self.boundary(after: at, interval: interval)
                        nextEvaluation[key] = due
                        guard at >= due else { continue }
                        evaluating.insert(key)
                        let generation = self.generation
                        tasks.addTask { await self.evaluate(key, at: due, generation: generation) }
                    }
                }
                try? await Task.sleep(for: tick)
            }
        }
        await leadership.shutdown()
        metrics.setLeader(false)
    }

    /// The first multiple of `interval` (since the Unix epoch) after `time`: every process
    /// evaluates a group at the same instants, so a new leader keeps the old one's schedule.
    static func boundary(after time: Date, interval: Duration) -> Date {
        let step = interval.seconds
        return Date(timeIntervalSince1970: (floor(time.timeIntervalSince1970 / step) + 1) * step)
    }

    private func checkLeadership(at time: Date) async {
        if isLeader {
            guard await !leadership.isHeld() else { return }
            isLeader = false
            metrics.setLeader(false)
            logger.warning("lost the rules lead (database connection lost); another process may take over")
            return
        }
        guard await leadership.tryAcquire() else {
            await refreshFromDatabase()
            return
        }
        // Restore exactly what the previous leader saved, unless every process was down for a
        // while: then pending alerts are restored as after a restart.
        let saved = (try? await repository.load()) ?? [:]
        let newest = saved.values.compactMap(\.health.lastEvaluation).max()
        let longest = order.compactMap { groups[$0]?.group.interval }.max() ?? .seconds(30)
        let recent = newest.map { time.timeIntervalSince($0) <= (longest * 2 + settings.leaderCheckInterval).seconds } ?? true
        apply(saved, policy: recent ? nil : settings.restorePolicy, at: time)
        // A schedule left from an earlier lead would evaluate at times long past.
        nextEvaluation = [:]
        await onLeadership()
        isLeader = true
        metrics.setLeader(true)
        logger.info("took the rules lead", metadata: ["rules.groups": "\(order.count)"])
    }

    /// A follower mirrors the leader's saved state so that its API answers the same.
    private func refreshFromDatabase() async {
        guard let saved = try? await repository.load() else { return }
        apply(saved, policy: nil, at: now())
    }

    private func apply(_ saved: [RuleStateRepository.Key: RuleGroupState.SavedUnit], policy: RuleAlertState.RestorePolicy?, at time: Date) {
        var byGroup: [GroupKey: [String: RuleGroupState.SavedUnit]] = [:]
        for (key, unit) in saved { byGroup[GroupKey(file: key.file, group: key.group), default: [:]][key.unit] = unit }
        for (key, units) in byGroup where groups[key] != nil {
            groups[key]?.restore(units, at: time, policy: policy)
        }
    }

    private func evaluate(_ key: GroupKey, at time: Date, generation: Int) async {
        defer {
            evaluating.remove(key)
            if let interval = groups[key]?.group.interval { nextEvaluation[key] = Self.boundary(after: max(now(), time), interval: interval) }
        }
        guard isLeader, var state = groups[key] else { return }
        let evaluation = await state.evaluate(at: time, with: evaluator, resendDelay: settings.resendDelay)
        do {
            try await repository.save(state)
        } catch {
            logger.error("could not save rule state", metadata: ["rule.group": "\(key.group)", "error": "\(error)"])
        }
        for (unit, error) in evaluation.failures {
            logger.warning("rule evaluation failed", metadata: ["rule.group": "\(key.group)", "rule.name": "\(unit.rule.alert)", "error": "\(error)"])
        }
        if !evaluation.alertsToSend.isEmpty {
            do {
                try await send(evaluation.alertsToSend)
            } catch {
                logger.error("could not send rule alerts", metadata: ["rule.group": "\(key.group)", "error": "\(error)"])
            }
        }
        metrics.groupEvaluated(units: state.units.count, failed: evaluation.failures.count, seconds: evaluation.durationSeconds, alertsSent: evaluation.alertsToSend.count)
        if generation == self.generation {
            groups[key] = state
        } else {
            groups[key]?.restore(state.savedUnits, at: time)
        }
    }
}
