import Foundation

/// All silences of this instance, with Alertmanager's rules for creating, updating and expiring
/// them. Pure: times are passed in and IDs come from the caller-supplied generator.
public struct SilenceBook: Sendable {
    public private(set) var silences: [String: Silence] = [:]

    public init(_ silences: [Silence] = []) {
        for silence in silences { self.silences[silence.id] = silence }
    }

    /// Checks a silence as `POST /api/v2/silences` does.
    public static func validate(_ silence: Silence, at now: Date) throws(SilenceError) {
        guard !silence.matchers.isEmpty else { throw SilenceError(.invalid, "at least one matcher required") }
        guard silence.matchers.contains(where: { !$0.matches("") }) else {
            throw SilenceError(.invalid, "at least one matcher must not match the empty string")
        }
        guard silence.startsAt < silence.endsAt else { throw SilenceError(.invalid, "start time must be before end time") }
        guard silence.endsAt >= now else { throw SilenceError(.invalid, "end time can't be in the past") }
    }

    /// Stores `silence`. Without an ID, or with an ID that cannot be updated in place, a new
    /// silence is created (and the old one expired if it was active or pending). Returns the
    /// stored silence and the silences that changed (for persistence).
    public mutating func set(_ silence: Silence, at now: Date, newID: () -> String) throws(SilenceError) -> (stored: Silence, changed: [Silence]) {
        try Self.validate(silence, at: now)
        var incoming = silence
        incoming.updatedAt = now
        if incoming.startsAt < now { incoming.startsAt = now }
        guard !incoming.id.isEmpty else {
            incoming.id = newID()
            silences[incoming.id] = incoming
            return (incoming, [incoming])
        }
        guard let previous = silences[incoming.id] else {
            throw SilenceError(.notFound, "silence \(incoming.id) not found")
        }
        // An active silence keeps its original start when updated in place.
        if previous.state(at: now) == .active, silence.startsAt <= now { incoming.startsAt = previous.startsAt }
        if previous.canBeUpdated(to: incoming, at: now) {
            silences[incoming.id] = incoming
            return (incoming, [incoming])
        }
        var changed: [Silence] = []
        if previous.state(at: now) != .expired {
            changed.append(expireNow(previous, at: now))
        }
        incoming.id = newID()
        if incoming.startsAt < now { incoming.startsAt = now }
        silences[incoming.id] = incoming
        changed.append(incoming)
        return (incoming, changed)
    }

    /// Ends the silence now. Expiring an expired silence is an error, as in Alertmanager.
    public mutating func expire(id: String, at now: Date) throws(SilenceError) -> Silence {
        guard let silence = silences[id] else { throw SilenceError(.notFound, "silence \(id) not found") }
        guard silence.state(at: now) != .expired else { throw SilenceError(.alreadyExpired, "silence \(id) already expired") }
        return expireNow(silence, at: now)
    }

    private mutating func expireNow(_ silence: Silence, at now: Date) -> Silence {
        var expired = silence
        if expired.state(at: now) == .pending { expired.startsAt = now }
        expired.endsAt = now
        expired.updatedAt = now
        silences[expired.id] = expired
        return expired
    }

    /// IDs of the active silences muting `labels`, sorted.
    public func silencing(_ labels: LabelSet, at now: Date) -> [String] {
        silences.values.filter { $0.mutes(labels, at: now) }.map(\.id).sorted()
    }

    /// Drops silences that expired before `cutoff`; returns their IDs.
    public mutating func removeExpired(before cutoff: Date) -> [String] {
        let old = silences.values.filter { $0.endsAt < cutoff }.map(\.id)
        for id in old { silences[id] = nil }
        return old
    }
}
