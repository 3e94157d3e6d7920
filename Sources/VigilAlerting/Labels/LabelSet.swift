/// A set of label name/value pairs, as Alertmanager's `model.LabelSet`.
///
/// Labels are kept sorted by name in UTF-8 byte order (Go's string order). Names and values are
/// compared byte for byte, as Go compares strings: two values that Swift would call canonically
/// equivalent but that are spelled with different scalars are different labels here.
/// A missing label reads as the empty string; a label explicitly set to `""` is still present and
/// still counts for `count`, `names` and the fingerprint, as in Go.
public struct LabelSet: Sendable, Hashable, Comparable, RandomAccessCollection, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One label of the set.
    public typealias Element = (name: String, value: String)

    private var storage: [Label]

    private struct Label: Sendable {
        var name: String
        var value: String
    }

    /// An empty label set.
    public init() {
        storage = []
    }

    /// Makes a label set from a dictionary.
    public init(_ pairs: [String: String]) {
        storage = pairs.map { Label(name: $0.key, value: $0.value) }
        storage.sort { LabelSet.precedes($0.name, $1.name) }
    }

    /// Makes a label set from name/value pairs; a repeated name keeps its last value.
    public init(pairs: some Sequence<(String, String)>) {
        storage = []
        for (name, value) in pairs { updateValue(value, forName: name) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(pairs: elements)
    }

    // MARK: Reading

    /// The value of `name`, or `""` when the label is missing (Alertmanager treats both alike).
    public subscript(name: String) -> String {
        value(forName: name) ?? ""
    }

    /// The value of `name`, or `nil` when the set has no such label.
    public func value(forName name: String) -> String? {
        let index = insertionIndex(of: name)
        guard index < storage.count, LabelSet.bytesEqual(storage[index].name, name) else { return nil }
        return storage[index].value
    }

    /// True when the set has a label called `name` (even one whose value is empty).
    public func contains(name: String) -> Bool {
        value(forName: name) != nil
    }

    /// The label names, sorted.
    public var names: [String] { storage.map(\.name) }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        Dictionary(storage.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public var startIndex: Int { storage.startIndex }
    public var endIndex: Int { storage.endIndex }
    public subscript(position: Int) -> Element { (storage[position].name, storage[position].value) }

    // MARK: Changing

    /// Sets `name` to `value`, adding the label if needed.
    public mutating func updateValue(_ value: String, forName name: String) {
        let index = insertionIndex(of: name)
        if index < storage.count, LabelSet.bytesEqual(storage[index].name, name) {
            storage[index].value = value
        } else {
            storage.insert(Label(name: name, value: value), at: index)
        }
    }

    /// Removes the label `name`; returns its value, or `nil` if it was missing.
    @discardableResult
    public mutating func removeValue(forName name: String) -> String? {
        let index = insertionIndex(of: name)
        guard index < storage.count, LabelSet.bytesEqual(storage[index].name, name) else { return nil }
        return storage.remove(at: index).value
    }

    /// Only the labels among `names` that are present: the group labels of a route's `group_by`.
    public func subset(_ names: [String]) -> LabelSet {
        var result = LabelSet()
        for name in names {
            if let value = value(forName: name) { result.updateValue(value, forName: name) }
        }
        return result
    }

    /// This set with every label of `other` added; `other` wins where both have a name (Go's `Merge`).
    public func merging(_ other: LabelSet) -> LabelSet {
        var result = self
        for label in other.storage { result.updateValue(label.value, forName: label.name) }
        return result
    }

    // MARK: Identity

    /// The set's `model.Fingerprint`: FNV-1a 64 over the sorted labels.
    public func fingerprint() -> Fingerprint {
        var hash = Fingerprint.offsetBasis
        for label in storage {
            hash = Fingerprint.hash(label.name, into: hash)
            hash = Fingerprint.hash(separator: hash)
            hash = Fingerprint.hash(label.value, into: hash)
            hash = Fingerprint.hash(separator: hash)
        }
        return Fingerprint(rawValue: hash)
    }

    public static func == (lhs: LabelSet, rhs: LabelSet) -> Bool {
        guard lhs.storage.count == rhs.storage.count else { return false }
        for (left, right) in zip(lhs.storage, rhs.storage) {
            guard bytesEqual(left.name, right.name), bytesEqual(left.value, right.value) else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.count)
        for label in storage {
            var name = label.name
            var value = label.value
            name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(0xff as UInt8)
            value.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            hasher.combine(0xff as UInt8)
        }
    }

    /// Go's `LabelSet.Before`: fewer labels first, then the first differing label over the union of
    /// names (a set missing that name sorts first), by value. Alertmanager orders alerts with it.
    public static func < (lhs: LabelSet, rhs: LabelSet) -> Bool {
        if lhs.storage.count != rhs.storage.count { return lhs.storage.count < rhs.storage.count }
        var left = 0
        var right = 0
        while left < lhs.storage.count, right < rhs.storage.count {
            let l = lhs.storage[left]
            let r = rhs.storage[right]
            if !bytesEqual(l.name, r.name) {
                // The smaller name is missing from the other set; the set lacking it sorts first.
                return precedes(r.name, l.name)
            }
            if !bytesEqual(l.value, r.value) { return precedes(l.value, r.value) }
            left += 1
            right += 1
        }
        return false
    }

    /// Go's `LabelSet.String()`: `{a="b", c="d"}` with Go-quoted values.
    public var description: String {
        // Go sorts the formatted `name="value"` strings, not the names: "a0" sorts before "a".
        let parts = storage.map { $0.name + "=" + GoQuoting.quote($0.value) }.sorted(by: LabelSet.precedes)
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// True when `name` is a valid Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`), as
    /// `model.LabelName.IsValid` checks names of alerts and of `match`/`match_re` and `group_by`.
    public static func isValidName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): break
            case UInt8(ascii: "0")...UInt8(ascii: "9") where !first: break
            default: return false
            }
            first = false
        }
        return !first
    }

    // MARK: Byte order

    private func insertionIndex(of name: String) -> Int {
        var low = 0
        var high = storage.count
        while low < high {
            let middle = (low + high) / 2
            if LabelSet.precedes(storage[middle].name, name) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Go's `a < b` on strings: UTF-8 byte order.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Go's `a == b` on strings: the same bytes (Swift's `==` would also equate canonically
    /// equivalent spellings).
    static func bytesEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }
}
