import Foundation
import Logging
import Synchronization
import VigilAlerting
@testable import VigilNotify

/// Alerts, requests and helpers shared by the notifier tests.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_700_000_600)

    /// Firing at ``now``: ends five minutes later.
    static let firing = Alert(
        labels: ["alertname": "HighLatency", "instance": "a:9090", "severity": "critical"],
        annotations: ["summary": "p99 > 1s <b>"],
        startsAt: Date(timeIntervalSince1970: 1_700_000_000.5),
        endsAt: now.addingTimeInterval(300),
        generatorURL: "http://prom/graph?g0.expr=x&y",
        updatedAt: now)

    /// Resolved before ``now``.
    static let resolved = Alert(
        labels: ["alertname": "HighLatency", "instance": "b:9090", "severity": "critical"],
        annotations: ["summary": "p99 > 1s <b>", "runbook": "r"],
        startsAt: Date(timeIntervalSince1970: 1_700_000_000),
        endsAt: Date(timeIntervalSince1970: 1_700_000_300),
        updatedAt: Date(timeIntervalSince1970: 1_700_000_300))

    static func request(_ alerts: [Alert] = [firing, resolved], receiver: String = "team-x.ops") -> NotificationRequest {
        NotificationRequest(
            receiver: receiver, groupKey: #"{}:{alertname="HighLatency"}"#, groupLabels: ["alertname": "HighLatency"],
            alerts: alerts, now: now, externalURL: "http://vigil.example.com:9093")
    }

    static let logger = Logger(label: "vigil.notify.tests")

    /// Runs `body` with a factory and shuts the factory down afterwards, whatever `body` does.
    static func withFactory<Result>(_ body: (NotifierFactory) async throws -> Result) async throws -> Result {
        let factory = NotifierFactory(logger: logger, userAgent: "Vigil/test")
        do {
            let result = try await body(factory)
            await factory.shutdown()
            return result
        } catch {
            await factory.shutdown()
            throw error
        }
    }

    /// The one integration of a receiver holding only `webhook`.
    static func webhook(_ config: WebhookConfig, factory: NotifierFactory) throws -> Integration {
        try factory.integrations(for: ReceiverConfig(name: "team-x.ops", webhookConfigs: [config]), templates: TemplateSet(files: []))[0]
    }

    /// `notify`, returning the error instead of throwing it.
    static func attempt(_ integration: Integration, _ request: NotificationRequest = request()) async -> NotifyError? {
        do {
            try await integration.notifier.notify(request)
            return nil
        } catch {
            return error
        }
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func parseJSON(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}

/// A notifier answering from a script of results, recording what it was asked to send.
final class ScriptedNotifier: Notifier {
    private let state: Mutex<(results: [NotifyError?], requests: [NotificationRequest])>
    let sendsResolved: Bool

    /// After the script, every attempt succeeds.
    init(_ results: [NotifyError?], sendsResolved: Bool = true) {
        state = Mutex((results, []))
        self.sendsResolved = sendsResolved
    }

    var requests: [NotificationRequest] { state.withLock { $0.requests } }

    func notify(_ request: NotificationRequest) async throws(NotifyError) {
        let result: NotifyError? = state.withLock { state in
            state.requests.append(request)
            return state.results.isEmpty ? nil : state.results.removeFirst()
        }
        if let result { throw result }
    }
}

/// A clock that jumps to each instant it is asked to sleep until, recording the waits.
final class FakeClock: Sendable {
    let start: ContinuousClock.Instant
    private let state: Mutex<(now: ContinuousClock.Instant, sleeps: [Duration])>

    init() {
        start = ContinuousClock.now
        state = Mutex((start, []))
    }

    func now() -> ContinuousClock.Instant { state.withLock { $0.now } }

    func sleep(until instant: ContinuousClock.Instant) {
        state.withLock { state in
            state.sleeps.append(instant - state.now)
            state.now = max(state.now, instant)
        }
    }

    /// The length of each wait.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
    var elapsed: Duration { now() - start }
}
