/// An error from Vigil's PostgreSQL storage.
///
/// `description` names the failing step and PostgreSQL's message; it never contains SQL text or
/// connection secrets.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The database cannot be reached; retry later.
        public static let unavailable = Code("unavailable")
        /// The write queue is full; retry later.
        public static let queueFull = Code("queue full")
        /// A statement failed.
        public static let queryFailed = Code("query failed")
        /// A migration could not be applied.
        public static let migrationFailed = Code("migration failed")
        /// The storage is shutting down.
        public static let shuttingDown = Code("shutting down")
    }

    public var code: Code
    public var message: String
    /// The PostgreSQL SQLSTATE, when the server reported one.
    public var sqlState: String?

    public init(code: Code, message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    /// True when the same request may succeed later (clients should retry).
    public var isRetryable: Bool {
        code == .unavailable || code == .queueFull || code == .shuttingDown
    }

    public var description: String {
        var text = "storage \(code): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        return text
    }
}
