import Foundation
import Testing
@testable import VigilAlerting

@Suite struct NotificationLogTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let key = NotificationLog.Key(groupKey: "{}:{}", receiver: "r", integration: "webhook", index: 0)
    let a = LabelSet(["a": "1"]).fingerprint(), b = LabelSet(["b": "1"]).fingerprint()

    func log(firing: Set<Fingerprint>, resolved: Set<Fingerprint> = [], sentSecondsAgo: TimeInterval = 60) -> NotificationLog {
        var log = NotificationLog()
        log.record(key, .init(firing: firing, resolved: resolved, sentAt: now.addingTimeInterval(-sentSecondsAgo), expiresAt: now.addingTimeInterval(3_600)))
        return log
    }

    @Test func dedupRule() {
        let hour = Duration.seconds(3_600)
        #expect(NotificationLog().needsUpdate(key, firing: [a], resolved: [], sendResolved: true, repeatInterval: hour, now: now))
        #expect(!NotificationLog().needsUpdate(key, firing: [], resolved: [a], sendResolved: true, repeatInterval: hour, now: now))
        #expect(log(firing: [a]).needsUpdate(key, firing: [a, b], resolved: [], sendResolved: true, repeatInterval: hour, now: now))
        #expect(!log(firing: [a, b]).needsUpdate(key, firing: [a], resolved: [], sendResolved: false, repeatInterval: hour, now: now))
        #expect(log(firing: [a, b]).needsUpdate(key, firing: [a], resolved: [b], sendResolved: true, repeatInterval: hour, now: now))
        #expect(log(firing: [a]).needsUpdate(key, firing: [], resolved: [a], sendResolved: false, repeatInterval: hour, now: now))
        #expect(!log(firing: []).needsUpdate(key, firing: [], resolved: [a], sendResolved: true, repeatInterval: hour, now: now))
        #expect(log(firing: [a], sentSecondsAgo: 3_601).needsUpdate(key, firing: [a], resolved: [], sendResolved: true, repeatInterval: hour, now: now))
    }
}
