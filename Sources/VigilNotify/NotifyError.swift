/// A failed notification attempt. ``isRetryable`` tells the retry loop whether another
/// attempt can succeed (network errors, 5xx and 429 can; other 4xx and bad templates cannot),
/// as Alertmanager's notifiers answer `(retry bool, err error)`.
///
/// `message` never holds a secret: no Slack or webhook URL, no credential.
public struct NotifyError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The receiver answered with a status other than 2xx; ``NotifyError/statusCode`` holds it.
        public static let unexpectedStatus = Code("unexpected status")
        /// No answer: connection, TLS, proxy or credential-file failure.
        public static let transport = Code("transport")
        /// A template failed to render.
        public static let template = Code("template")
        /// The integration's configuration cannot be used (unreadable certificate, bad URL in a file).
        public static let configuration = Code("configuration")
        /// The deadline passed before an attempt succeeded.
        public static let deadlineExceeded = Code("deadline exceeded")
        /// The sending task was cancelled.
        public static let cancelled = Code("cancelled")
        /// Anything else.
        public static let other = Code("other")
    }

    /// What failed.
    public var code: Code
    /// What happened, for logs; free of secrets.
    public var message: String
    /// Whether another attempt can succeed.
    public var isRetryable: Bool
    /// The HTTP status of the answer, when there was one.
    public var statusCode: Int?

    /// An error with code `unexpectedStatus` when `statusCode` is given, else `other`.
    public init(_ message: String, isRetryable: Bool, statusCode: Int? = nil) {
        self.init(code: statusCode == nil ? .other : .unexpectedStatus, message: message, isRetryable: isRetryable, statusCode: statusCode)
    }

    /// An error of the given kind.
    public init(code: Code, message: String, isRetryable: Bool, statusCode: Int? = nil) {
        self.code = code
        self.message = message
        self.isRetryable = isRetryable
        self.statusCode = statusCode
    }

    public var description: String { message }
}
