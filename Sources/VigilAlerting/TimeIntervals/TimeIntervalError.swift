/// Why a field of a time interval (`time_intervals` / `mute_time_intervals`) was rejected.
///
/// `message` is Alertmanager 0.25's text for the same input (`start day cannot be before end day`,
/// `couldn't parse timestamp 9:00, invalid format`, `unknown time zone Mars/Base`, ...); `text` is
/// the scalar that was rejected, which not all of Alertmanager's messages repeat.
public struct TimeIntervalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field that was rejected; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A `times` entry: `start_time` / `end_time`.
        public static let invalidTime = Code("invalid time")
        /// A `weekdays` entry.
        public static let invalidWeekday = Code("invalid weekday")
        /// A `days_of_month` entry.
        public static let invalidDayOfMonth = Code("invalid day of month")
        /// A `months` entry.
        public static let invalidMonth = Code("invalid month")
        /// A `years` entry.
        public static let invalidYear = Code("invalid year")
        /// The `location`.
        public static let invalidLocation = Code("invalid location")
    }

    public var code: Code
    /// The rejected input, as written.
    public var text: String
    /// Alertmanager's message.
    public var message: String

    public init(code: Code, text: String, message: String) {
        self.code = code
        self.text = text
        self.message = message
    }

    /// The message, followed by the rejected input when the message does not already show it.
    public var description: String {
        message.contains(text) && !text.isEmpty ? message : "\(message) (\"\(text)\")"
    }
}
