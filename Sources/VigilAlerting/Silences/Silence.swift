import Foundation

/// A silence: alerts matching every matcher are muted between `startsAt` and `endsAt`.
public struct Silence: Sendable, Equatable {
    public enum State: String, Sendable {
        case pending, active, expired
    }

    public var id: String
    public var matchers: Matchers
    public var startsAt: Date
    public var endsAt: Date
    public var updatedAt: Date
    public var createdBy: String
    public var comment: String

    public init(id: String, matchers: Matchers, startsAt: Date, endsAt: Date, updatedAt: Date, createdBy: String, comment: String) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
    }

    public func state(at now: Date) -> State {
        if endsAt <= now { return .expired }
        if startsAt > now { return .pending }
        return .active
    }

    /// Whether this silence mutes `labels` at `now`.
    public func mutes(_ labels: LabelSet, at now: Date) -> Bool {
        state(at: now) == .active && matchers.matches(labels)
    }

    /// Whether `replacement` may overwrite this silence under the same ID (Alertmanager's
    /// `canUpdate`): same matchers; an active silence keeps its start and may not end in the
    /// past; a pending one may not start in the past; an expired one never changes.
    func canBeUpdated(to replacement: Silence, at now: Date) -> Bool {
        guard matchers == replacement.matchers else { return false }
        switch state(at: now) {
        case .active: return replacement.startsAt == startsAt && replacement.endsAt >= now
        case .pending: return replacement.startsAt >= now
        case .expired: return false
        }
    }
}
