import Foundation

/// Sorts alerts into aggregation groups by the routing tree and says which groups are due to
/// be sent (Alertmanager's `dispatch.Dispatcher`). A value type: callers pass the time in and
/// carry out the flushes it returns, which makes its timing testable without sleeping.
public struct Dispatcher: Sendable {
    public private(set) var route: Route
    public private(set) var groups: [AggregationGroup.ID: AggregationGroup] = [:]

    public init(route: Route) {
        self.route = route
    }

    /// One group's alerts, ready to go through inhibition, silences and the receiver's integrations.
    public struct Flush: Sendable {
        public let groupID: AggregationGroup.ID
        public let groupKey: String
        public let groupLabels: LabelSet
        public let route: Route
        public let alerts: [Alert]
        public let time: Date
    }

    /// Files the alert into the group of every route it matches, creating groups as needed.
    public mutating func insert(_ alert: Alert, now: Date) {
        for route in route.match(alert.labels) {
            let labels = route.groupLabels(of: alert.labels)
            let id = AggregationGroup.ID(routeID: route.id, labels: labels.fingerprint())
            if groups[id] == nil {
                groups[id] = AggregationGroup(route: route, labels: labels, now: now)
            }
            groups[id]!.insert(alert, now: now)
        }
    }

    /// Takes the groups due at `now`: each gets its next flush one `group_interval` later and
    /// is marked as flushing until ``complete(_:success:)``.
    public mutating func takeDueFlushes(now: Date) -> [Flush] {
        var due: [Flush] = []
        for (id, group) in groups where !group.flushing && group.nextFlush <= now {
            var updated = group
            updated.nextFlush = now.addingTimeInterval(group.route.options.groupInterval.seconds)
            updated.hasFlushed = true
            updated.flushing = true
            groups[id] = updated
            due.append(Flush(groupID: id, groupKey: group.key, groupLabels: group.labels, route: group.route, alerts: group.snapshot(at: now), time: now))
        }
        return due.sorted { $0.groupKey < $1.groupKey }
    }

    /// Ends a flush. When it succeeded, resolved alerts it carried are removed from the group
    /// unless they were received again meanwhile; an empty group is removed.
    public mutating func complete(_ flush: Flush, success: Bool) {
        guard var group = groups[flush.groupID] else { return }
        group.flushing = false
        if success {
            for alert in flush.alerts where alert.isResolved(at: flush.time) {
                if group.alerts[alert.fingerprint]?.updatedAt == alert.updatedAt {
                    group.alerts[alert.fingerprint] = nil
                }
            }
        }
        groups[flush.groupID] = group.alerts.isEmpty ? nil : group
    }

    /// Removes an alert from every group (when it is deleted from the store).
    public mutating func remove(_ fingerprint: Fingerprint) {
        for (id, group) in groups where group.alerts[fingerprint] != nil {
            var updated = group
            updated.alerts[fingerprint] = nil
            groups[id] = updated.alerts.isEmpty && !updated.flushing ? nil : updated
        }
    }

    /// A new routing tree: groups are rebuilt from `alerts` and wait `group_wait` again; the
    /// notification log keeps what was already sent from being sent twice.
    public mutating func replaceRoute(_ newRoute: Route, alerts: some Sequence<Alert>, now: Date) {
        route = newRoute
        groups = [:]
        for alert in alerts { insert(alert, now: now) }
    }
}
