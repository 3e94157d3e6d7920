import Foundation
import Testing
@testable import VigilAlerting

@Suite struct SilenceBookTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func silence(_ id: String = "", _ matchers: String = "job=api", from: TimeInterval = 0, to: TimeInterval = 3_600) throws -> Silence {
        Silence(id: id, matchers: try Matchers(parsing: matchers), startsAt: now.addingTimeInterval(from), endsAt: now.addingTimeInterval(to),
                updatedAt: now, createdBy: "me", comment: "why")
    }

    @Test func statesFollowTheTimes() throws {
        let pending = try silence(from: 60, to: 120)
        #expect(pending.state(at: now) == .pending)
        #expect(pending.state(at: now.addingTimeInterval(60)) == .active)
        #expect(pending.state(at: now.addingTimeInterval(120)) == .expired)
    }

    @Test func updatesInPlaceOnlyWhenAllowed() throws {
        var book = SilenceBook()
        var ids = ["one", "two", "three"].makeIterator()
        let (first, _) = try book.set(try silence(), at: now) { ids.next()! }
        #expect(first.id == "one")
        // Extending an active silence keeps its ID.
        let (extended, _) = try book.set(try silence("one", to: 7_200), at: now.addingTimeInterval(10)) { ids.next()! }
        #expect(extended.id == "one")
        #expect(extended.startsAt == now)
        // Changing the matchers creates a new silence and expires the old one.
        let (replaced, changed) = try book.set(try silence("one", "job=web", to: 7_200), at: now.addingTimeInterval(20)) { ids.next()! }
        #expect(replaced.id == "two")
        #expect(changed.map(\.id) == ["one", "two"])
        #expect(book.silences["one"]?.state(at: now.addingTimeInterval(20)) == .expired)
    }

    @Test func rejectsInvalidSilences() throws {
        var book = SilenceBook()
        #expect(throws: SilenceError.self) { try book.set(try silence(to: -10), at: now) { "x" } }
        #expect(throws: SilenceError.self) { try book.set(try silence("", "job=~.*"), at: now) { "x" } }
        #expect(throws: SilenceError.self) { try book.set(try silence("missing"), at: now) { "x" } }
    }

    @Test func expiringTwiceFails() throws {
        var book = SilenceBook()
        _ = try book.set(try silence(), at: now) { "a" }
        let expired = try book.expire(id: "a", at: now.addingTimeInterval(5))
        #expect(expired.endsAt == now.addingTimeInterval(5))
        #expect(book.silencing(["job": "api"], at: now.addingTimeInterval(6)).isEmpty)
        #expect(throws: SilenceError(.alreadyExpired, "silence a already expired")) { try book.expire(id: "a", at: now.addingTimeInterval(6)) }
    }
}
