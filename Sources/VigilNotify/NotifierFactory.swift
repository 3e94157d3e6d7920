import Logging
import VigilAlerting

/// Builds the integrations of receivers and owns the HTTP clients they share.
///
/// Call ``shutdown()`` once no notification is under way; sends after it fail.
public final class NotifierFactory: Sendable {
    private let pool: HTTPClientPool
    private let logger: Logger
    private let userAgent: String

    /// - Parameters:
    ///   - logger: receives the notifiers' warnings (a truncated Slack title) and the HTTP clients' background logs.
    ///   - userAgent: the `User-Agent` of every request, as Alertmanager sends `Alertmanager/<version>`; pass `Vigil/<version>`.
    public init(logger: Logger, userAgent: String = "Vigil") {
        self.logger = logger
        self.userAgent = userAgent
        self.pool = HTTPClientPool(logger: logger)
    }

    /// One integration per entry of the receiver, named and numbered as Alertmanager does
    /// (`webhook[0]`, `slack[0]`, `alertmanager[0]`, in that order).
    ///
    /// Throws a non-retryable ``NotifyError`` (code `configuration`) when an entry's TLS files
    /// cannot be read or used, as Alertmanager fails to build the notifier.
    public func integrations(for receiver: ReceiverConfig, templates: TemplateSet) throws(NotifyError) -> [Integration] {
        var integrations: [Integration] = []
        for (index, config) in receiver.webhookConfigs.enumerated() {
            let sender = try makeSender(config.httpConfig, integration: "webhook", index: index, receiver: receiver.name)
            integrations.append(Integration(name: "webhook", index: index, notifier: WebhookNotifier(config: config, sender: sender)))
        }
        for (index, config) in receiver.slackConfigs.enumerated() {
            let sender = try makeSender(config.httpConfig, integration: "slack", index: index, receiver: receiver.name)
            let notifier = SlackNotifier(config: config, templates: templates, sender: sender, logger: sender.logger)
            integrations.append(Integration(name: "slack", index: index, notifier: notifier))
        }
        for (index, config) in receiver.alertmanagerConfigs.enumerated() {
            let sender = try makeSender(config.httpConfig, integration: "alertmanager", index: index, receiver: receiver.name)
            integrations.append(Integration(name: "alertmanager", index: index, notifier: AlertmanagerForwarder(config: config, sender: sender)))
        }
        return integrations
    }

    /// Closes every HTTP client.
    public func shutdown() async {
        await pool.shutdown()
    }

    private func makeSender(_ config: HTTPClientConfig, integration: String, index: Int, receiver: String) throws(NotifyError) -> HTTPSender {
        if !config.tlsConfig.isDefault {
            do throws(NotifyError) {
                _ = try config.tlsConfig.makeClientConfiguration(retryable: false)
            } catch {
                throw NotifyError(code: error.code, message: "receiver \(receiver), \(integration)[\(index)]: \(error.message)", isRetryable: false)
            }
        }
        var logger = logger
        logger[metadataKey: "notify.receiver"] = "\(receiver)"
        logger[metadataKey: "notify.integration"] = "\(integration)[\(index)]"
        return HTTPSender(pool: pool, config: config, userAgent: userAgent, logger: logger)
    }
}
