/// Where a row sits in an order of (time, partition, row position): the key of a page cursor for
/// tables without a unique ID (logs, metric points). `time` is in the unit of the ordering column.
public struct RowPosition: Sendable, Equatable {
    public var time: Int64
    /// The partition's `tableoid`.
    public var partition: UInt32
    /// The row's `ctid`, as PostgreSQL writes it: `(block,offset)`.
    public var row: String

    public init(time: Int64, partition: UInt32, row: String) {
        self.time = time
        self.partition = partition
        self.row = row
    }

    /// True for text PostgreSQL could have written as a `ctid`.
    public static func isRowID(_ text: String) -> Bool {
        guard text.hasPrefix("("), text.hasSuffix(")") else { return false }
        let numbers = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
        return numbers.count == 2 && numbers.allSatisfy { UInt32($0) != nil }
    }
}
