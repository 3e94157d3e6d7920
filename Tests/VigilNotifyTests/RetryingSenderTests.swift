import Foundation
import Testing
import VigilAlerting
@testable import VigilNotify

@Suite struct RetryingSenderTests {
    static let retryable = NotifyError("unexpected status code 503", isRetryable: true, statusCode: 503)
    static let permanent = NotifyError("unexpected status code 400", isRetryable: false, statusCode: 400)

    func send(_ notifier: ScriptedNotifier, deadline: Duration = .seconds(60), clock: FakeClock, random: Double = 0.5, request: NotificationRequest = Fixtures.request()) async -> (attempts: Int, error: NotifyError?) {
        await RetryingSender.send(
            request, via: Integration(name: "webhook", index: 0, notifier: notifier), deadline: clock.start + deadline,
            now: { clock.now() }, sleep: { clock.sleep(until: $0) }, random: { random })
    }

    func close(_ a: Duration, _ b: Duration) -> Bool {
        abs((a - b) / .microseconds(1)) < 1
    }

    @Test func backoffHasAlertmanagersConstants() {
        let backoff = RetryingSender.Backoff.alertmanager
        #expect(backoff.initialInterval == .milliseconds(500))
        #expect(backoff.multiplier == 1.5)
        #expect(backoff.randomizationFactor == 0.5)
        #expect(backoff.maxInterval == .seconds(60))
        let expected: [Duration] = [.milliseconds(500), .milliseconds(750), .microseconds(1_125_000), .microseconds(1_687_500)]
        #expect(zip((1...4).map { backoff.baseInterval(afterAttempt: $0) }, expected).allSatisfy { close($0, $1) })
        // 0.5 s × 1.5¹¹ = 43.2 s; the next step would pass 60 s.
        #expect(close(backoff.baseInterval(afterAttempt: 12), .microseconds(43_248_779)))
        #expect(backoff.baseInterval(afterAttempt: 13) == .seconds(60))
        #expect(backoff.baseInterval(afterAttempt: 1_000) == .seconds(60))
        #expect(close(backoff.interval(afterAttempt: 1, random: 0), .milliseconds(250)))
        #expect(close(backoff.interval(afterAttempt: 2, random: 0.5), .milliseconds(750)))
        #expect(backoff.interval(afterAttempt: 13, random: 0.999_999) > .seconds(89))
    }

    @Test func retriesRetryableFailuresUntilOneSucceeds() async {
        let clock = FakeClock()
        let notifier = ScriptedNotifier([Self.retryable, Self.retryable, nil])
        let result = await send(notifier, clock: clock)
        #expect(result.attempts == 3)
        #expect(result.error == nil)
        #expect(clock.sleeps.count == 2)
        #expect(zip(clock.sleeps, [Duration.milliseconds(500), .milliseconds(750)]).allSatisfy { close($0, $1) })
        #expect(notifier.requests.count == 3)
    }

    @Test func stopsAtTheFirstNonRetryableFailure() async {
        let clock = FakeClock()
        let result = await send(ScriptedNotifier([Self.retryable, Self.permanent, nil]), clock: clock)
        #expect(result.attempts == 2)
        #expect(result.error?.statusCode == 400)
    }

    @Test func givesUpAtTheDeadlineWithTheLastError() async {
        let clock = FakeClock()
        let result = await send(ScriptedNotifier(Array(repeating: Self.retryable, count: 100)), deadline: .seconds(5), clock: clock)
        // Attempts start at 0, 0.5, 1.25, 2.375 and 4.0625 s; the next would start at 6.59 s.
        #expect(result.attempts == 5)
        #expect(result.error?.statusCode == 503)
        #expect(clock.elapsed < .seconds(5))
    }

    @Test func aDeadlineAlreadyPassedMakesNoAttempt() async {
        let clock = FakeClock()
        let notifier = ScriptedNotifier([])
        let result = await send(notifier, deadline: .zero, clock: clock)
        #expect(result.attempts == 0)
        #expect(result.error?.code == .deadlineExceeded)
        #expect(notifier.requests.isEmpty)
    }

    @Test func withoutSendResolvedOnlyFiringAlertsAreSent() async {
        let clock = FakeClock()
        let notifier = ScriptedNotifier([], sendsResolved: false)
        let result = await send(notifier, clock: clock)
        #expect(result.attempts == 1 && result.error == nil)
        #expect(notifier.requests.first?.alerts == [Fixtures.firing])

        let onlyResolved = await send(notifier, clock: clock, request: Fixtures.request([Fixtures.resolved]))
        #expect(onlyResolved.attempts == 0 && onlyResolved.error == nil, "nothing to send counts as sent")
        #expect(notifier.requests.count == 1)
    }

    @Test func withSendResolvedEveryAlertIsSent() async {
        let notifier = ScriptedNotifier([])
        _ = await send(notifier, clock: FakeClock())
        #expect(notifier.requests.first?.alerts == [Fixtures.firing, Fixtures.resolved])
    }

    /// Never answers; returns only when cancelled.
    struct HangingNotifier: Notifier {
        var sendsResolved: Bool { true }
        func notify(_ request: NotificationRequest) async throws(NotifyError) {
            try? await Task.sleep(for: .seconds(3_600))
            throw NotifyError(code: .cancelled, message: "cancelled", isRetryable: true)
        }
    }

    @Test func anAttemptStillRunningAtTheDeadlineIsCancelled() async {
        let started = ContinuousClock.now
        let result = await RetryingSender.send(
            Fixtures.request(), via: Integration(name: "webhook", index: 0, notifier: HangingNotifier()), deadline: started + .milliseconds(200))
        #expect(result.attempts == 1)
        #expect(result.error?.code == .deadlineExceeded)
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
