import Foundation

/// One integration of a receiver to notify for one flush, after inhibition, time intervals,
/// silences and the notification log had their say.
public struct NotificationJob: Sendable {
    public let flush: Dispatcher.Flush
    public let logKey: NotificationLog.Key
    public let receiver: String
    /// Alerts to send: resolved ones are left out when the integration does not send them.
    public let alerts: [Alert]
    /// Everything that passed the filters, as the notification log records it.
    public let firing: Set<Fingerprint>
    public let resolved: Set<Fingerprint>
    /// The send was needed for the log only: the integration skips resolved alerts and none fire.
    public var isLogOnly: Bool { alerts.isEmpty }
}

/// Describes one integration of a receiver: its kind (`webhook`, `slack`, `alertmanager`), its
/// position among the receiver's configs of that kind, and whether it sends resolved alerts.
public struct IntegrationDescriptor: Sendable, Equatable {
    public var name: String
    public var index: Int
    public var sendResolved: Bool

    public init(name: String, index: Int, sendResolved: Bool) {
        self.name = name
        self.index = index
        self.sendResolved = sendResolved
    }
}
