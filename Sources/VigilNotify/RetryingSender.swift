import Logging
import VigilAlerting

/// Alertmanager's `RetryStage`: attempts a notification with exponential backoff until it
/// succeeds, fails with a non-retryable error, or the deadline (the group's `group_interval`
/// context in Alertmanager) passes — an attempt still running at the deadline is cancelled.
///
/// An integration without `send_resolved` gets only the alerts firing at the request's `now`;
/// when none fire nothing is sent and the result is `(0, nil)`, as Alertmanager reports such a
/// notification successful so the notification log still records it.
public struct RetryingSender: Sendable {
    /// The waits between attempts: the defaults of `cenkalti/backoff/v4`'s `NewExponentialBackOff`
    /// that Alertmanager 0.25 uses, with `MaxElapsedTime = 0` (retry until the deadline).
    ///
    /// The wait after attempt *n* is `min(initialInterval × multiplierⁿ⁻¹, maxInterval)`, spread
    /// uniformly over ±`randomizationFactor` of itself. It counts from the start of the attempt:
    /// an attempt that took longer than the wait is followed at once, as with Go's ticker.
    public struct Backoff: Sendable {
        /// `DefaultInitialInterval`: 500 ms.
        public var initialInterval: Duration
        /// `DefaultMultiplier`: 1.5.
        public var multiplier: Double
        /// `DefaultRandomizationFactor`: 0.5.
        public var randomizationFactor: Double
        /// `DefaultMaxInterval`: 60 s.
        public var maxInterval: Duration

        /// A backoff; the defaults are Alertmanager's.
        public init(initialInterval: Duration = .milliseconds(500), multiplier: Double = 1.5, randomizationFactor: Double = 0.5, maxInterval: Duration = .seconds(60)) {
            self.initialInterval = initialInterval
            self.multiplier = multiplier
            self.randomizationFactor = randomizationFactor
            self.maxInterval = maxInterval
        }

        /// Alertmanager's constants.
        public static let alertmanager = Backoff()

        /// The wait after attempt `attempt` (1-based) before randomization.
        public func baseInterval(afterAttempt attempt: Int) -> Duration {
            var interval = initialInterval
            for _ in 1..<max(attempt, 1) {
                // Go's overflow guard: once the next step would pass the maximum, stay there.
                if interval >= maxInterval / multiplier { return maxInterval }
                interval = interval * multiplier
            }
            return min(interval, maxInterval)
        }

        /// The wait after attempt `attempt`, with `random` in `0..<1` picking the point in ±`randomizationFactor`.
        public func interval(afterAttempt attempt: Int, random: Double) -> Duration {
            baseInterval(afterAttempt: attempt) * (1 - randomizationFactor + 2 * randomizationFactor * random)
        }
    }

    /// Sends `request` through `integration`, retrying retryable failures until `deadline`.
    ///
    /// - Parameters:
    ///   - backoff: the waits between attempts; ``Backoff/alertmanager`` by default.
    ///   - logger: gets a warning for each failed attempt whose error differs from the previous
    ///     one, and a notice when a retry succeeds, as Alertmanager logs them.
    ///   - now: the clock the waits and the deadline are read on.
    ///   - sleep: waits until an instant; throws when cancelled. Tests pass one that advances `now`.
    ///   - random: a value in `0..<1` for each wait's randomization.
    ///   The deadline also cancels a running attempt, timed on the continuous clock.
    /// - Returns: the number of attempts made and, on failure, the last error: a non-retryable
    ///   one, or the last retryable one when the deadline passed (code `deadlineExceeded` when
    ///   no attempt finished).
    public static func send(
        _ request: NotificationRequest,
        via integration: Integration,
        deadline: ContinuousClock.Instant,
        backoff: Backoff = .alertmanager,
        logger: Logger? = nil,
        now: () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: (ContinuousClock.Instant) async throws -> Void = { try await Task.sleep(until: $0, clock: .continuous) },
        random: () -> Double = { Double.random(in: 0..<1) }
    ) async -> (attempts: Int, error: NotifyError?) {
        var sending = request
        if !integration.sendsResolved {
            sending.alerts = request.alerts.filter { !$0.isResolved(at: request.now) }
            if sending.alerts.isEmpty { return (0, nil) }
        }
        let toSend = sending

        var attempts = 0
        var lastError: NotifyError?
        var nextAttempt = now()
        while true {
            if Task.isCancelled {
                return (attempts, lastError ?? cancelled(after: attempts))
            }
            if nextAttempt >= deadline || now() >= deadline {
                return (attempts, lastError ?? deadlineExceeded(after: attempts))
            }
            if nextAttempt > now() {
                do {
                    try await sleep(nextAttempt)
                } catch {
                    return (attempts, lastError ?? cancelled(after: attempts))
                }
                continue
            }

            let start = now()
            attempts += 1
            switch await attempt(toSend, via: integration, deadline: deadline) {
            case .succeeded:
                if attempts > 1 {
                    logger?.notice("Notify success", metadata: ["notify.integration": "\(integration)", "notify.attempts": "\(attempts)"])
                }
                return (attempts, nil)
            case .failed(let error):
                guard error.isRetryable else { return (attempts, error) }
                if lastError?.message != error.message {
                    logger?.warning("Notify attempt failed, will retry later", metadata: [
                        "notify.integration": "\(integration)", "notify.attempts": "\(attempts)", "error.message": "\(error.message)",
                    ])
                }
                lastError = error
            case .deadlineReached:
                if Task.isCancelled { return (attempts, lastError ?? cancelled(after: attempts)) }
                return (attempts, NotifyError(
                    code: .deadlineExceeded, message: "the deadline passed during attempt \(attempts)" + (lastError.map { "; previous error: \($0.message)" } ?? ""),
                    isRetryable: true))
            }
            nextAttempt = start + backoff.interval(afterAttempt: attempts, random: random())
        }
    }

    private enum Outcome: Sendable {
        case succeeded
        case failed(NotifyError)
        case deadlineReached
    }

    /// One attempt, cancelled if it is still running at `deadline`.
    private static func attempt(_ request: NotificationRequest, via integration: Integration, deadline: ContinuousClock.Instant) async -> Outcome {
        await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do throws(NotifyError) {
                    try await integration.notifier.notify(request)
                    return .succeeded
                } catch {
                    return .failed(error)
                }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return .deadlineReached
            }
            let first = await group.next() ?? .deadlineReached
            group.cancelAll()
            return first
        }
    }

    private static func deadlineExceeded(after attempts: Int) -> NotifyError {
        NotifyError(code: .deadlineExceeded, message: "the deadline passed after \(attempts) attempts", isRetryable: true)
    }

    private static func cancelled(after attempts: Int) -> NotifyError {
        NotifyError(code: .cancelled, message: "sending was cancelled after \(attempts) attempts", isRetryable: true)
    }
}
