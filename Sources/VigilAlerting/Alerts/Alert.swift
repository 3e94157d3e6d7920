import Foundation

/// One alert as Alertmanager keeps it: identified by its labels' fingerprint, firing until
/// `endsAt` has passed.
public struct Alert: Sendable, Equatable {
    public var labels: LabelSet
    public var annotations: LabelSet
    public var startsAt: Date
    /// When the alert stops firing. A client that sent no `endsAt` gets `updatedAt` plus the
    /// configured `resolve_timeout`, with ``timeout`` set.
    public var endsAt: Date
    public var generatorURL: String
    /// When this instance last received the alert.
    public var updatedAt: Date
    /// `endsAt` was set by `resolve_timeout`, not by the client.
    public var timeout: Bool

    public init(labels: LabelSet, annotations: LabelSet = [:], startsAt: Date, endsAt: Date, generatorURL: String = "", updatedAt: Date, timeout: Bool = false) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.updatedAt = updatedAt
        self.timeout = timeout
    }

    public var fingerprint: Fingerprint { labels.fingerprint() }

    /// Whether the alert has ended at `now`. An end of `Date.distantPast` (Go's zero time, which
    /// firing alerts carry in notifications) means no end.
    public func isResolved(at now: Date) -> Bool { endsAt > .distantPast && endsAt <= now }

    /// The alert as known after `newer` arrives for the same labels (Alertmanager's `Alert.Merge`):
    /// the earlier start wins; an alert that timed out gives way to one with an explicit end;
    /// otherwise the later end and the newer annotations win.
    public func merged(with newer: Alert) -> Alert {
        // The stored alert is more recent than the incoming one: keep it, widening its start.
        if newer.updatedAt < updatedAt {
            var kept = self
            if newer.startsAt < kept.startsAt { kept.startsAt = newer.startsAt }
            return kept
        }
        var result = newer
        if startsAt < result.startsAt { result.startsAt = startsAt }
        // A resolve_timeout end yields to a client-given end that is earlier or later only when
        // the incoming alert itself timed out.
        if newer.timeout, !timeout, endsAt > newer.endsAt || (endsAt > newer.startsAt && !isResolved(at: newer.updatedAt)) {
            result.endsAt = endsAt
            result.timeout = false
        }
        return result
    }
}
