import Foundation

extension AlertingState {
    /// The sends due at `now`: takes the due groups from the dispatcher and runs each through
    /// Alertmanager's stages — inhibition, active and mute time intervals, silences — then the
    /// notification log's dedup rule per integration. Groups that need no send are completed
    /// at once; the others are completed by ``finish(_:results:now:)``.
    public mutating func dueNotifications(now: Date, integrations: (String) -> [IntegrationDescriptor]) -> [(flush: Dispatcher.Flush, jobs: [NotificationJob])] {
        let flushes = dispatcher.takeDueFlushes(now: now)
        guard !flushes.isEmpty else { return [] }
        let inhibition = inhibition(at: now)
        var planned: [(flush: Dispatcher.Flush, jobs: [NotificationJob])] = []
        for flush in flushes {
            let jobs = plan(flush, now: now, inhibition: inhibition, integrations: integrations(flush.route.options.receiver))
            if jobs.isEmpty {
                dispatcher.complete(flush, success: true)
            } else {
                planned.append((flush, jobs))
            }
        }
        return planned
    }

    private func plan(_ flush: Dispatcher.Flush, now: Date, inhibition: Inhibitor.Snapshot, integrations: [IntegrationDescriptor]) -> [NotificationJob] {
        let options = flush.route.options
        if !options.activeTimeIntervals.isEmpty, !isWithin(options.activeTimeIntervals, now) { return [] }
        if isWithin(options.muteTimeIntervals, now) { return [] }
        let passing = flush.alerts.filter { alert in
            inhibition.inhibitor(of: alert.labels) == nil && silences.silencing(alert.labels, at: now).isEmpty
        }
        guard !passing.isEmpty else { return [] }
        var firing = Set<Fingerprint>(), resolved = Set<Fingerprint>()
        for alert in passing {
            if alert.isResolved(at: now) { resolved.insert(alert.fingerprint) } else { firing.insert(alert.fingerprint) }
        }
        var jobs: [NotificationJob] = []
        for integration in integrations {
            let key = NotificationLog.Key(groupKey: flush.groupKey, receiver: options.receiver, integration: integration.name, index: integration.index)
            guard log.needsUpdate(key, firing: firing, resolved: resolved, sendResolved: integration.sendResolved, repeatInterval: options.repeatInterval, now: now) else { continue }
            let toSend = integration.sendResolved ? passing : passing.filter { !$0.isResolved(at: now) }
            jobs.append(NotificationJob(flush: flush, logKey: key, receiver: options.receiver, alerts: toSend, firing: firing, resolved: resolved))
        }
        return jobs
    }

    private func isWithin(_ names: [String], _ now: Date) -> Bool {
        names.contains { name in config.timeIntervals[name]?.contains { $0.contains(now) } ?? false }
    }

    /// Records the outcome of a flush's sends: every successful job goes into the notification
    /// log; the group's resolved alerts are dropped only when every job succeeded. Returns the
    /// log entries written, for persistence.
    public mutating func finish(_ flush: Dispatcher.Flush, results: [(job: NotificationJob, success: Bool)], now: Date) -> [(NotificationLog.Key, NotificationLog.Entry)] {
        var written: [(NotificationLog.Key, NotificationLog.Entry)] = []
        for (job, success) in results where success {
            let entry = NotificationLog.Entry(firing: job.firing, resolved: job.resolved, sentAt: now, expiresAt: now.addingTimeInterval(retention.seconds))
            log.record(job.logKey, entry)
            written.append((job.logKey, entry))
        }
        dispatcher.complete(flush, success: results.allSatisfy(\.success))
        return written
    }

    /// Takes the newer entries of another process's notification log (``NotificationLog/merge(_:)``).
    public mutating func mergeNotificationLog(_ other: NotificationLog) {
        log.merge(other)
    }

    /// Forgets resolved alerts older than the retention, expired silences and log entries past
    /// their expiry. Returns what was removed, for persistence.
    public mutating func collectGarbage(now: Date) -> (alerts: [Fingerprint], silences: [String], log: [NotificationLog.Key]) {
        let cutoff = now.addingTimeInterval(-retention.seconds)
        let oldAlerts = alerts.values.filter { $0.isResolved(at: now) && $0.endsAt < cutoff }.map(\.fingerprint)
        for fingerprint in oldAlerts {
            alerts[fingerprint] = nil
            dispatcher.remove(fingerprint)
        }
        return (oldAlerts, silences.removeExpired(before: cutoff), log.removeExpired(at: now))
    }
}
