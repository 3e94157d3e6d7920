import Foundation
import Testing
@testable import VigilAlerting

@Suite struct DispatcherTests {
    static let config = """
        route:
          receiver: team
          group_by: [alertname]
          group_wait: 30s
          group_interval: 5m
          repeat_interval: 1h
        receivers:
          - name: team
        """
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let webhook = [IntegrationDescriptor(name: "webhook", index: 0, sendResolved: true)]

    func makeState() throws -> AlertingState {
        AlertingState(config: try AlertmanagerConfig.parse(Self.config, file: "am.yml"), now: start)
    }

    func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

    /// Runs due flushes at `time`, treats every send as successful, and returns what was sent.
    func flush(_ state: inout AlertingState, at time: Date) -> [[String]] {
        var sent: [[String]] = []
        for (flush, jobs) in state.dueNotifications(now: time, integrations: { _ in webhook }) {
            for job in jobs { sent.append(job.alerts.map { "\($0.labels["instance"]):\($0.isResolved(at: time) ? "resolved" : "firing")" }) }
            _ = state.finish(flush, results: jobs.map { ($0, true) }, now: time)
        }
        return sent
    }

    func post(_ state: inout AlertingState, _ instance: String, at time: Date, endsAt: Date? = nil) {
        _ = state.receive([PostableAlert(labels: ["alertname": "Down", "instance": instance], startsAt: time, endsAt: endsAt)], now: time)
    }

    @Test func waitsGroupWaitThenBatchesUntilGroupInterval() throws {
        var state = try makeState()
        post(&state, "a", at: at(0))
        #expect(flush(&state, at: at(29)).isEmpty)
        post(&state, "b", at: at(10))
        #expect(flush(&state, at: at(30)) == [["a:firing", "b:firing"]])
        post(&state, "c", at: at(40))
        #expect(flush(&state, at: at(100)).isEmpty, "a new alert waits for group_interval")
        // Without being received again, a and b resolve after resolve_timeout (5m).
        post(&state, "a", at: at(320))
        #expect(flush(&state, at: at(330)) == [["a:firing", "b:resolved", "c:firing"]])
    }

    @Test func repeatsOnlyAfterRepeatInterval() throws {
        var state = try makeState()
        post(&state, "a", at: at(0))
        #expect(flush(&state, at: at(30)).count == 1)
        // Flushes come every group_interval (at 330 s, 630 s, ...); the first one more than
        // repeat_interval after the send at 30 s is at 3,930 s.
        for minute in stride(from: 5.5, to: 65, by: 5) {
            post(&state, "a", at: at(minute * 60 - 1))
            #expect(flush(&state, at: at(minute * 60)).isEmpty, "nothing changed at minute \(minute)")
        }
        post(&state, "a", at: at(3_929))
        #expect(flush(&state, at: at(3_930)) == [["a:firing"]])
    }

    @Test func sendsResolvedNotificationsOnceAndForgetsTheAlert() throws {
        var state = try makeState()
        post(&state, "a", at: at(0))
        #expect(flush(&state, at: at(30)).count == 1)
        post(&state, "a", at: at(60), endsAt: at(60))
        #expect(flush(&state, at: at(330)) == [["a:resolved"]])
        #expect(flush(&state, at: at(630)).isEmpty)
        #expect(state.dispatcher.groups.isEmpty)
    }

    @Test func oldAlertsFlushAtOnceInANewGroup() throws {
        var state = try makeState()
        post(&state, "a", at: at(0))
        _ = state.receive([PostableAlert(labels: ["alertname": "Old", "instance": "x"], startsAt: at(-600))], now: at(1))
        #expect(flush(&state, at: at(1)) == [["x:firing"]])
    }

    @Test func silencedAndInhibitedAlertsAreNotSent() throws {
        var state = AlertingState(config: try AlertmanagerConfig.parse(Self.config + """

            inhibit_rules:
              - source_matchers: [severity=critical]
                target_matchers: [severity=warning]
                equal: [instance]
            """, file: "am.yml"), now: start)
        _ = try state.silences.set(Silence(id: "", matchers: try Matchers(parsing: "instance=b"), startsAt: at(0), endsAt: at(3_600), updatedAt: at(0), createdBy: "me", comment: "maintenance"), at: at(0)) { "s1" }
        _ = state.receive([
            PostableAlert(labels: ["alertname": "Down", "instance": "a", "severity": "warning"], startsAt: at(0)),
            PostableAlert(labels: ["alertname": "Down", "instance": "b", "severity": "warning"], startsAt: at(0)),
            PostableAlert(labels: ["alertname": "Down", "instance": "c", "severity": "warning"], startsAt: at(0)),
            PostableAlert(labels: ["alertname": "Down", "instance": "c", "severity": "critical"], startsAt: at(0)),
        ], now: at(0))
        #expect(flush(&state, at: at(30)) == [["a:firing", "c:firing"]])
    }

    @Test func muteAndActiveTimeIntervalsGateSendsInTheirTimeZone() throws {
        // start is 2027-01-15 08:00 UTC, a Friday: 09:00 in Berlin.
        let config = """
            route:
              receiver: team
              group_by: [alertname]
              group_wait: 30s
              routes:
                - matchers: [team=night]
                  receiver: team
                  active_time_intervals: [berlin-night]
                - matchers: [team=office]
                  receiver: team
                  mute_time_intervals: [berlin-office]
            receivers:
              - name: team
            time_intervals:
              - name: berlin-night
                time_intervals:
                  - times: [{start_time: "22:00", end_time: "24:00"}]
                    location: Europe/Berlin
              - name: berlin-office
                time_intervals:
                  - weekdays: ['monday:friday']
                    times: [{start_time: "08:00", end_time: "18:00"}]
                    location: Europe/Berlin
            """
        let start = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 86_400) + 8 * 3_600)
        var state = AlertingState(config: try AlertmanagerConfig.parse(config, file: "am.yml"), now: start)
        _ = state.receive([
            PostableAlert(labels: ["alertname": "A", "team": "night", "instance": "n"], startsAt: start),
            PostableAlert(labels: ["alertname": "A", "team": "office", "instance": "o"], startsAt: start),
            PostableAlert(labels: ["alertname": "A", "team": "other", "instance": "x"], startsAt: start),
        ], now: start)
        var sent: [String] = []
        for (flush, jobs) in state.dueNotifications(now: start.addingTimeInterval(30), integrations: { _ in webhook }) {
            sent += jobs.flatMap { $0.alerts.map { $0.labels["instance"] } }
            _ = state.finish(flush, results: jobs.map { ($0, true) }, now: start.addingTimeInterval(30))
        }
        #expect(sent == ["x"], "outside the night interval and inside office hours only the unrestricted route sends")
    }
}
