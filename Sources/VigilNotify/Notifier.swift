/// Sends notifications to one integration: one entry of a receiver's `webhook_configs`,
/// `slack_configs` or `alertmanager_configs`.
public protocol Notifier: Sendable {
    /// Whether resolved alerts are sent (`send_resolved`).
    var sendsResolved: Bool { get }

    /// Makes one attempt. Throws a ``NotifyError`` whose ``NotifyError/isRetryable`` says whether
    /// trying again can help. Honours task cancellation.
    func notify(_ request: NotificationRequest) async throws(NotifyError)
}

/// A notifier with the name and position Alertmanager identifies it by: `webhook[0]`,
/// `slack[1]`, `alertmanager[0]` — the notification log and metrics key on them.
public struct Integration: Sendable, CustomStringConvertible {
    /// `webhook`, `slack` or `alertmanager`.
    public let name: String
    /// The position among the receiver's entries of the same kind.
    public let index: Int
    /// Makes the attempts.
    public let notifier: any Notifier

    /// An integration named `name[index]`.
    public init(name: String, index: Int, notifier: any Notifier) {
        self.name = name
        self.index = index
        self.notifier = notifier
    }

    /// The notifier's `send_resolved`.
    public var sendsResolved: Bool { notifier.sendsResolved }

    /// `name[index]`, as Alertmanager's `Integration.String()`.
    public var description: String { "\(name)[\(index)]" }
}
