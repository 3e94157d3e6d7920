import Foundation

/// Everything the alerting pipeline knows at one moment — alerts, silences, groups, the
/// notification log — with the rules that change it. Pure and deterministic: every method takes
/// the time, so tests drive it with an injected clock; the caller persists what changed and
/// performs the sends it plans.
public struct AlertingState: Sendable {
    public private(set) var config: AlertmanagerConfig
    public private(set) var route: Route
    public private(set) var inhibitor: Inhibitor
    public internal(set) var alerts: [Fingerprint: Alert] = [:]
    public var silences: SilenceBook
    public internal(set) var log: NotificationLog
    public internal(set) var dispatcher: Dispatcher
    /// How long expired silences, resolved alerts and log entries are kept.
    public var retention: Duration

    public init(config: AlertmanagerConfig, alerts: [Alert] = [], silences: [Silence] = [], log: NotificationLog = NotificationLog(), retention: Duration = .seconds(120 * 3_600), now: Date) {
        self.config = config
        self.route = Route(root: config.route)
        self.inhibitor = Inhibitor(rules: config.inhibitRules)
        self.silences = SilenceBook(silences)
        self.log = log
        self.retention = retention
        self.dispatcher = Dispatcher(route: route)
        for alert in alerts {
            self.alerts[alert.fingerprint] = alert
            if !alert.isResolved(at: now) { dispatcher.insert(alert, now: now) }
        }
    }

    /// Applies a new configuration without losing alerts, silences or the notification log.
    public mutating func reload(_ newConfig: AlertmanagerConfig, now: Date) {
        config = newConfig
        route = Route(root: newConfig.route)
        inhibitor = Inhibitor(rules: newConfig.inhibitRules)
        dispatcher.replaceRoute(route, alerts: alerts.values.filter { !$0.isResolved(at: now) }, now: now)
    }

    /// A change of an alert's state, for the history.
    public enum Transition: String, Sendable {
        case firing, resolved
    }

    /// Receives alerts as `POST /api/v2/alerts` does: a missing `startsAt` is now, a missing
    /// `endsAt` is now plus `resolve_timeout`; an alert seen before is merged with what is stored.
    /// Returns the stored alerts and the state transitions they caused.
    public mutating func receive(_ incoming: [PostableAlert], now: Date) -> (stored: [Alert], transitions: [(Alert, Transition)]) {
        var stored: [Alert] = []
        var transitions: [(Alert, Transition)] = []
        for posted in incoming {
            // Only an end given: the alert starts when it ends (Alertmanager's defaults).
            var alert = Alert(labels: posted.labels, annotations: posted.annotations, startsAt: posted.startsAt ?? posted.endsAt ?? now,
                              endsAt: .distantPast, generatorURL: posted.generatorURL, updatedAt: now)
            if let endsAt = posted.endsAt {
                alert.endsAt = endsAt
            } else {
                alert.endsAt = now.addingTimeInterval(config.global.resolveTimeout.seconds)
                alert.timeout = true
            }
            let fingerprint = alert.fingerprint
            let previous = alerts[fingerprint]
            // A resolved alert is replaced, not merged, by one firing again.
            if let previous, !previous.isResolved(at: now) { alert = previous.merged(with: alert) }
            alerts[fingerprint] = alert
            dispatcher.insert(alert, now: now)
            stored.append(alert)
            let wasFiring = previous.map { !$0.isResolved(at: now) } ?? false
            let isFiring = !alert.isResolved(at: now)
            if isFiring != wasFiring || previous == nil {
                transitions.append((alert, isFiring ? .firing : .resolved))
            }
        }
        return (stored, transitions)
    }

    /// IDs of the silences muting the alert and the fingerprint of the alert inhibiting it.
    public func suppression(of labels: LabelSet, at now: Date, inhibition: Inhibitor.Snapshot) -> (silencedBy: [String], inhibitedBy: [Fingerprint]) {
        (silences.silencing(labels, at: now), inhibition.inhibitor(of: labels).map { [$0] } ?? [])
    }

    /// The inhibition snapshot of the current alerts.
    public func inhibition(at now: Date) -> Inhibitor.Snapshot {
        inhibitor.snapshot(of: alerts.values, at: now)
    }
}

/// An alert as clients post it; `nil` times take the server's defaults.
public struct PostableAlert: Sendable, Equatable {
    public var labels: LabelSet
    public var annotations: LabelSet
    public var startsAt: Date?
    public var endsAt: Date?
    public var generatorURL: String

    public init(labels: LabelSet, annotations: LabelSet = [:], startsAt: Date? = nil, endsAt: Date? = nil, generatorURL: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}
