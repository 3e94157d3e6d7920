/// A list of label matchers that must all match, as Alertmanager 0.25's `labels.Matchers`.
///
/// The order is kept as given (or as parsed); `sorted()` gives Alertmanager's order, which its
/// configuration loader applies to a route's `matchers` and which `description` then reflects.
public struct Matchers: Sendable, Hashable, RandomAccessCollection, RangeReplaceableCollection, ExpressibleByArrayLiteral, CustomStringConvertible {
    public private(set) var elements: [Matcher]

    /// No matchers: matches every label set.
    public init() {
        elements = []
    }

    public init(_ elements: [Matcher]) {
        self.elements = elements
    }

    public init(arrayLiteral elements: Matcher...) {
        self.elements = elements
    }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }
    public subscript(position: Int) -> Matcher { elements[position] }

    /// True when every matcher matches `labels` (so an empty list matches everything).
    public func matches(_ labels: LabelSet) -> Bool {
        elements.allSatisfy { $0.matches(labels) }
    }

    /// The matchers in Alertmanager's order: by name, then value, then kind.
    public func sorted() -> Matchers {
        Matchers(elements.sorted(by: Matcher.precedes))
    }

    /// Replaces matchers, as for an array.
    public mutating func replaceSubrange(_ subrange: Range<Int>, with newElements: some Collection<Matcher>) {
        elements.replaceSubrange(subrange, with: newElements)
    }

    /// Alertmanager 0.25's `Matchers.String()`, as `amtool config routes show` prints a route:
    /// `{a="b",c=~"d"}` with no space after the commas, and `{}` when empty.
    public var description: String {
        "{" + elements.map(\.description).joined(separator: ",") + "}"
    }
}
