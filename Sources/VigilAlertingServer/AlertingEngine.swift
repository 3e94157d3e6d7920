import Foundation
import Logging
import ServiceLifecycle
import VigilAlerting
import VigilNotify
import VigilStorage

/// Runs the Alertmanager-compatible pipeline: keeps ``AlertingState`` (loaded from and saved to
/// PostgreSQL), flushes groups when their timers are due and sends their notifications through
/// the receivers' integrations, with retries, recording outcomes in the notification log and
/// the history.
public actor AlertingEngine: Service {
    private var state: AlertingState
    private var integrations: [String: [Integration]]
    private let repository: AlertingRepository
    private let notifiers: NotifierFactory
    private let externalURL: String
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let metrics = AlertingMetrics()
    /// How often the timer loop looks for due groups and, every minute, collects garbage.
    private let tick: Duration
    public let startedAt: Date

    /// Loads alerts, silences and the notification log from the database.
    public init(
        config: AlertmanagerConfig, pool: PostgresReadPool, externalURL: String, retention: Duration, logger: Logger,
        tick: Duration = .milliseconds(100), now: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        let repository = AlertingRepository(pool: pool)
        let snapshot = try await repository.load()
        let notifiers = NotifierFactory(logger: logger)
        self.integrations = try Self.makeIntegrations(config, notifiers)
        self.state = AlertingState(config: config, alerts: snapshot.alerts, silences: snapshot.silences, log: snapshot.log, retention: retention, now: now())
        self.repository = repository
        self.notifiers = notifiers
        self.externalURL = externalURL
        self.logger = logger
        self.tick = tick
        self.now = now
        self.startedAt = now()
    }

    private static func makeIntegrations(_ config: AlertmanagerConfig, _ notifiers: NotifierFactory) throws -> [String: [Integration]] {
        var result: [String: [Integration]] = [:]
        for receiver in config.receivers {
            result[receiver.name] = try notifiers.integrations(for: receiver, templates: config.templates)
        }
        return result
    }

    public var config: AlertmanagerConfig { state.config }

    /// Replaces the configuration; alerts, silences and the notification log stay.
    public func reload(_ config: AlertmanagerConfig) throws {
        integrations = try Self.makeIntegrations(config, notifiers)
        state.reload(config, now: now())
        logger.info("alerting configuration reloaded", metadata: ["alerting.receivers": "\(config.receivers.count)"])
    }

    /// Merges the notification log other processes wrote to the database, so that alerts this
    /// process takes over are not notified again.
    public func refreshNotificationLog() async throws {
        let shared = try await repository.loadNotificationLog()
        state.mergeNotificationLog(shared)
    }

    // MARK: Alerts

    /// Stores posted alerts (persisted before this returns) and files them into groups.
    /// Counts alerts refused by the API's validation.
    public func countInvalid(_ count: Int) {
        metrics.invalid(count)
    }

    public func receive(_ alerts: [PostableAlert]) async throws {
        let at = now()
        let (stored, transitions) = state.receive(alerts, now: at)
        for alert in stored {
            metrics.received(resolved: alert.isResolved(at: at))
        }
        try await repository.save(alerts: stored, transitions: transitions, at: at)
    }

    /// The alerts, with the receivers they route to and what suppresses them, at `now`.
    public func alertViews() -> [AlertView] {
        let at = now()
        let inhibition = state.inhibition(at: at)
        return state.alerts.values.map { alert in
            let (silencedBy, inhibitedBy) = state.suppression(of: alert.labels, at: at, inhibition: inhibition)
            return AlertView(alert: alert, receivers: state.route.match(alert.labels).map(\.options.receiver),
                             silencedBy: silencedBy, inhibitedBy: inhibitedBy.map(\.description), resolved: alert.isResolved(at: at))
        }
    }

    public func groupViews() -> [(group: AggregationGroup, alerts: [AlertView])] {
        let views = Dictionary(uniqueKeysWithValues: alertViews().map { ($0.alert.fingerprint, $0) })
        return state.dispatcher.groups.values.sorted { $0.key < $1.key }.map { group in
            (group, group.alerts.keys.sorted().compactMap { views[$0] }.filter { !$0.resolved })
        }
    }

    // MARK: Silences

    public func silences() -> [Silence] { Array(state.silences.silences.values) }

    public func silence(id: String) -> Silence? { state.silences.silences[id] }

    /// Creates or updates a silence; returns its ID.
    public func setSilence(_ silence: Silence) async throws -> String {
        let (stored, changed) = try state.silences.set(silence, at: now(), newID: { UUID().uuidString.lowercased() })
        try await repository.save(silences: changed)
        return stored.id
    }

    public func expireSilence(id: String) async throws {
        let expired = try state.silences.expire(id: id, at: now())
        try await repository.save(silences: [expired])
    }

    public var currentTime: Date { now() }

    func history(start: Date, end: Date, matchers: Matchers, limit: Int) async throws -> [HistoryEntry] {
        try await repository.history(start: start, end: end, matchers: matchers, limit: limit)
    }

    // MARK: Timer loop

    public func run() async throws {
        var lastCollection = now()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                let at = now()
                let due = state.dueNotifications(now: at) { [integrations] name in
                    (integrations[name] ?? []).map { IntegrationDescriptor(name: $0.name, index: $0.index, sendResolved: $0.notifier.sendsResolved) }
                }
                for (flush, jobs) in due {
                    let byKey = Dictionary(uniqueKeysWithValues: (integrations[flush.route.options.receiver] ?? []).map { ("\($0.name)/\($0.index)", $0) })
                    group.addTask { await self.send(flush, jobs: jobs, integrations: byKey) }
                }
                if at.timeIntervalSince(lastCollection) >= 60 {
                    lastCollection = at
                    await collectGarbage(at: at)
                }
                try? await Task.sleep(for: tick)
            }
        }
        await notifiers.shutdown()
    }

    private func send(_ flush: Dispatcher.Flush, jobs: [NotificationJob], integrations: [String: Integration]) async {
        let deadline = ContinuousClock.now.advanced(by: flush.route.options.groupInterval)
        var results: [(job: NotificationJob, success: Bool)] = []
        var records: [NotificationRecord] = []
        for job in jobs {
            let name = "\(job.logKey.integration)/\(job.logKey.index)"
            guard let integration = integrations[name] else { continue }
            if job.isLogOnly {
                results.append((job, true))
                continue
            }
            let request = NotificationRequest(receiver: job.receiver, groupKey: flush.groupKey, groupLabels: flush.groupLabels,
                                              alerts: job.alerts, now: flush.time, externalURL: externalURL)
            let (attempts, error) = await RetryingSender.send(request, via: integration, deadline: deadline)
            results.append((job, error == nil))
            metrics.notification(integration: job.logKey.integration, attempts: attempts, success: error == nil)
            let status = job.alerts.contains { !$0.isResolved(at: flush.time) } ? "firing" : "resolved"
            records.append(NotificationRecord(time: now(), groupKey: flush.groupKey, groupLabels: flush.groupLabels, status: status, receiver: job.receiver,
                                              integration: name, success: error == nil, attempts: attempts, error: error?.description))
            if let error {
                logger.warning("notification failed", metadata: [
                    "alerting.receiver": "\(job.receiver)", "alerting.integration": "\(name)", "alerting.attempts": "\(attempts)", "error": "\(error)",
                ])
            } else {
                logger.debug("notification sent", metadata: ["alerting.receiver": "\(job.receiver)", "alerting.integration": "\(name)"])
            }
        }
        await finish(flush, results: results, records: records)
    }

    private func finish(_ flush: Dispatcher.Flush, results: [(job: NotificationJob, success: Bool)], records: [NotificationRecord]) async {
        let entries = state.finish(flush, results: results, now: now())
        do {
            try await repository.save(log: entries, history: records)
        } catch {
            logger.error("cannot record notifications", metadata: ["error": "\(error)"])
        }
    }

    private func collectGarbage(at: Date) async {
        let removed = state.collectGarbage(now: at)
        do {
            try await repository.delete(alerts: removed.alerts, silences: removed.silences, log: removed.log,
                                        historyBefore: at.addingTimeInterval(-state.retention.seconds))
        } catch {
            logger.error("cannot delete expired alerting data", metadata: ["error": "\(error)"])
        }
    }
}

/// An alert as the API shows it.
public struct AlertView: Sendable {
    public var alert: Alert
    public var receivers: [String]
    public var silencedBy: [String]
    public var inhibitedBy: [String]
    public var resolved: Bool

    public var isSuppressed: Bool { !silencedBy.isEmpty || !inhibitedBy.isEmpty }
}
