import VigilModel

/// One export request turned into rows, ready for the writer: COPY text per table, the
/// resources, scopes and series it references, and the partitions and trace ranges it touches.
public struct EncodedBatch: Sendable {
    var spans: [UInt8] = []
    var logs: [UInt8] = []
    var metricPoints: [UInt8] = []
    var exemplars: [UInt8] = []
    /// Insert parameters by ID, written with `ON CONFLICT DO NOTHING` unless already known.
    var resources: [Int64: [String?]] = [:]
    var scopes: [Int64: [String?]] = [:]
    var series: [Int64: [String?]] = [:]
    /// Earliest and latest partition time (Unix ns) per trace.
    var traceRanges: [TraceID: ClosedRange<Int64>] = [:]
    var partitions: Set<PartitionKey> = []
    /// RED aggregates of the spans in `spans`.
    var rollup = REDRollup()
    /// The tables and day noted last: consecutive rows mostly share a day, so most notes cost a comparison.
    private var lastNoted: (tables: [String], day: Int64)?

    /// Rows to store (spans, logs, points and exemplars).
    public internal(set) var rowCount = 0
    /// Items accepted by the decoder that cannot be stored, with the first reason.
    public internal(set) var rejected = Rejections()

    public init() {}

    /// Records that a row goes to the partitions of `tables` for the day of `unixNano`.
    /// Pass one of the `static let` table lists, whose equality check is cheapest.
    mutating func notePartitions(_ tables: [String], unixNano: Int64) {
        let day = CivilTime.day(ofUnixNano: unixNano)
        if let lastNoted, lastNoted.day == day, lastNoted.tables == tables { return }
        for table in tables { partitions.insert(PartitionKey(table: table, day: day)) }
        lastNoted = (tables, day)
    }

    static let spanTables = ["spans", "red_rollups", "red_rollups_hourly", "red_rollups_6h"]
    static let logTables = ["logs"]
    static let pointTables = ["metric_points"]
    static let exemplarTables = ["exemplars"]

    mutating func noteTrace(_ traceID: TraceID, at time: Int64) {
        // One lookup (through the modify accessor) whether the trace is new or not.
        Self.widen(&traceRanges[traceID, default: time...time], toInclude: time)
    }

    private static func widen(_ range: inout ClosedRange<Int64>, toInclude time: Int64) {
        if !range.contains(time) { range = min(range.lowerBound, time)...max(range.upperBound, time) }
    }
}

/// 64-bit FNV-1a: a stable hash for resource, scope and series IDs (Swift's `Hasher` is seeded
/// per process, so it cannot name rows that outlive the process).
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
        combine(separator: 0xff)
    }

    mutating func combine(_ text: String) {
        combine(Array(text.utf8))
    }

    mutating func combine(_ number: Int64) {
        combine(withUnsafeBytes(of: number.littleEndian) { Array($0) })
    }

    private mutating func combine(separator: UInt8) {
        value ^= UInt64(separator)
        value &*= 0x0000_0100_0000_01b3
    }

    var id: Int64 { Int64(bitPattern: value) }
}
