/// Why a rule could not be evaluated; the rule keeps its alerts and shows the message as its `lastError`.
public struct RuleEvaluationError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
