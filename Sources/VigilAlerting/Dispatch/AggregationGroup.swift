import Foundation

/// The alerts of one route that share the route's grouping labels, and the timer that decides
/// when they are next sent (Alertmanager's `aggrGroup`).
public struct AggregationGroup: Sendable {
    /// Identifies a group: its route and its labels.
    public struct ID: Sendable, Hashable {
        public var routeID: String
        public var labels: Fingerprint
    }

    public let route: Route
    public let labels: LabelSet
    /// `<route key>:<group labels>`, the `groupKey` notifications carry.
    public let key: String
    public internal(set) var alerts: [Fingerprint: Alert] = [:]
    public internal(set) var nextFlush: Date
    public internal(set) var hasFlushed = false
    /// A flush whose notifications are still being sent; the timer waits for it.
    public internal(set) var flushing = false

    init(route: Route, labels: LabelSet, now: Date) {
        self.route = route
        self.labels = labels
        self.key = "\(route.key):\(labels)"
        self.nextFlush = now.addingTimeInterval(route.options.groupWait.seconds)
    }

    /// Adds or replaces an alert. Before the first flush, an alert that started more than
    /// `group_wait` ago makes the group flush at once.
    mutating func insert(_ alert: Alert, now: Date) {
        alerts[alert.fingerprint] = alert
        if !hasFlushed, alert.startsAt.addingTimeInterval(route.options.groupWait.seconds) < now, nextFlush > now {
            nextFlush = now
        }
    }

    /// The alerts to send, sorted as Alertmanager sorts them (by `job`, then `instance`, then
    /// all labels); alerts still firing at `now` have their end cleared.
    func snapshot(at now: Date) -> [Alert] {
        alerts.values.map { alert in
            var copy = alert
            if !copy.isResolved(at: now) { copy.endsAt = .distantPast }
            return copy
        }.sorted(by: Self.precedes)
    }

    static func precedes(_ a: Alert, _ b: Alert) -> Bool {
        for name in ["job", "instance"] {
            let left = a.labels.value(forName: name), right = b.labels.value(forName: name)
            switch (left, right) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case let (l?, r?) where l != r: return l < r
            default: continue
            }
        }
        return a.labels < b.labels
    }
}
