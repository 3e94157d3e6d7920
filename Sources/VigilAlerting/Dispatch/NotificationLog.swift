import Foundation

/// What was last sent to each integration of each group (Alertmanager's `nflog`), and the
/// dedup rule that decides whether a flush must notify again.
public struct NotificationLog: Sendable {
    /// Identifies one integration (one `*_configs` entry) of a receiver for one group.
    public struct Key: Sendable, Hashable {
        public var groupKey: String
        public var receiver: String
        public var integration: String
        public var index: Int

        public init(groupKey: String, receiver: String, integration: String, index: Int) {
            self.groupKey = groupKey
            self.receiver = receiver
            self.integration = integration
            self.index = index
        }
    }

    public struct Entry: Sendable, Equatable {
        public var firing: Set<Fingerprint>
        public var resolved: Set<Fingerprint>
        public var sentAt: Date
        public var expiresAt: Date

        public init(firing: Set<Fingerprint>, resolved: Set<Fingerprint>, sentAt: Date, expiresAt: Date) {
            self.firing = firing
            self.resolved = resolved
            self.sentAt = sentAt
            self.expiresAt = expiresAt
        }
    }

    public private(set) var entries: [Key: Entry] = [:]

    public init(_ entries: [Key: Entry] = [:]) {
        self.entries = entries
    }

    /// Alertmanager's `DedupStage.needsUpdate`: notify a group never notified only if something
    /// fires; notify when a firing alert is new, when everything resolved after something was
    /// sent firing, when (with `send_resolved`) a resolved alert is new; otherwise only after
    /// `repeatInterval`.
    public func needsUpdate(_ key: Key, firing: Set<Fingerprint>, resolved: Set<Fingerprint>, sendResolved: Bool, repeatInterval: Duration, now: Date) -> Bool {
        guard let entry = entries[key] else { return !firing.isEmpty }
        if !firing.isSubset(of: entry.firing) { return true }
        if firing.isEmpty { return !entry.firing.isEmpty }
        if sendResolved, !resolved.isSubset(of: entry.resolved) { return true }
        return entry.sentAt < now.addingTimeInterval(-repeatInterval.seconds)
    }

    public mutating func record(_ key: Key, _ entry: Entry) {
        entries[key] = entry
    }

    /// Takes the entries of `other` that are newer than this log's (another process's sends, read
    /// from the shared database), as Alertmanager merges its peers' notification logs.
    public mutating func merge(_ other: NotificationLog) {
        for (key, entry) in other.entries where entries[key].map({ $0.sentAt < entry.sentAt }) ?? true {
            entries[key] = entry
        }
    }

    /// Drops entries past their expiry; returns their keys.
    public mutating func removeExpired(at now: Date) -> [Key] {
        let old = entries.filter { $0.value.expiresAt <= now }.map(\.key)
        for key in old { entries[key] = nil }
        return old
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    public var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
