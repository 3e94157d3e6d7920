import ServiceLifecycle
import UnixSignals

/// Reloads the configuration files on SIGHUP, as Alertmanager and Prometheus do. A file that
/// fails to load is logged by the reload and the running configuration stays.
struct ReloadOnHangup: Service {
    let reload: @Sendable () async throws -> Void

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            try? await reload()
        }
    }
}
