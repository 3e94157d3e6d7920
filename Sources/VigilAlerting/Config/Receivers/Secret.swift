/// A value that must not be revealed: printing, interpolating, dumping or mirroring it gives
/// `<secret>`, as Alertmanager marshals its `Secret` and `SecretURL` types.
///
/// Only the code that sends the value reads ``value``; nothing should log it.
public struct Secret<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself.
    public let value: Value

    /// Wraps `value` so it prints as `<secret>`.
    public init(_ value: Value) {
        self.value = value
    }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Secret: Equatable where Value: Equatable {}
extension Secret: Hashable where Value: Hashable {}

/// Where a secret comes from: written in the configuration, or read from a file at each use
/// (Alertmanager's `password` / `password_file` pairs). A file's content is trimmed of
/// surrounding whitespace when read.
public enum SecretSource<Value: Sendable & Hashable>: Sendable, Hashable, CustomStringConvertible {
    case inline(Secret<Value>)
    /// An absolute path, or one relative to the working directory when the configuration file's
    /// folder was unknown.
    case file(String)

    public var description: String {
        switch self {
        case .inline: "<secret>"
        case .file(let path): "file \(path)"
        }
    }
}
