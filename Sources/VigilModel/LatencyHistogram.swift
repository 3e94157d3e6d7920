import Foundation

/// A histogram of durations with logarithmic buckets, so that any quantile read from it is
/// within 2% of the true value (relative error), whatever the range of durations.
///
/// Bucket `i > 0` holds durations in (g^(i-1), g^i] nanoseconds, with g = 1.02 / 0.98; bucket 0
/// holds durations of zero. A bucket's representative value 2·g^i / (g + 1) is within 2% of
/// every value in it. This is the layout of `red_rollups.latency` (see docs/storage.md), which
/// stores only the buckets that hold something.
///
/// In memory the counts are a dense run of buckets from the lowest one used: every duration
/// up to `Int64.max` nanoseconds falls in one of about 1,100 buckets, and real durations span a
/// few hundred, so adding, merging and reading quantiles are array walks.
public struct LatencyHistogram: Sendable, Equatable {
    public static let relativeAccuracy = 0.02
    public static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    private static let logGamma = log(gamma)
    /// The bucket of the longest duration there is (`Int64.max` nanoseconds).
    public static let maxBucket = bucket(forNanos: .max)

    /// Bucket index of `slots[0]`.
    private var base = 0
    /// Counts of buckets `base`, `base + 1`, ….
    private var slots: [Int64] = []
    public private(set) var totalCount: Int64 = 0

    public init() {}

    public init(counts: [Int: Int64]) {
        for (bucket, count) in counts { add(bucket: bucket, count: count) }
    }

    /// Span count per bucket index, for the buckets that hold something.
    public var counts: [Int: Int64] {
        var result: [Int: Int64] = [:]
        for (offset, count) in slots.enumerated() where count != 0 { result[base + offset] = count }
        return result
    }

    public var isEmpty: Bool { totalCount == 0 }

    public static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        lhs.totalCount == rhs.totalCount && lhs.counts == rhs.counts
    }

    /// The bucket of a duration in nanoseconds.
    public static func bucket(forNanos nanos: Int64) -> Int {
        guard nanos > 0 else { return 0 }
        return max(1, Int((log(Double(nanos)) / logGamma).rounded(.up)))
    }

    /// The value that stands for every duration in `bucket`, in nanoseconds.
    public static func representativeNanos(ofBucket bucket: Int) -> Double {
        guard bucket > 0 else { return 0 }
        return 2 * pow(gamma, Double(bucket)) / (gamma + 1)
    }

    public mutating func record(nanos: Int64, count: Int64 = 1) {
        add(bucket: Self.bucket(forNanos: nanos), count: count)
    }

    /// Adds `count` observations to bucket index `bucket` (as stored in the rollups' jsonb
    /// keys). Indexes outside `0...maxBucket`, which no duration has, count in the nearest end.
    public mutating func add(bucket: Int, count: Int64) {
        let bucket = min(max(bucket, 0), Self.maxBucket)
        if slots.isEmpty {
            base = bucket
            slots.append(count)
        } else if bucket < base {
            slots.insert(contentsOf: repeatElement(0, count: base - bucket), at: 0)
            base = bucket
            slots[0] = count
        } else if bucket - base >= slots.count {
            let gap = bucket - base - slots.count
            if gap > 0 { slots.append(contentsOf: repeatElement(0, count: gap)) }
            slots.append(count)
        } else {
            slots[bucket - base] += count
        }
        totalCount += count
    }

    public mutating func merge(_ other: LatencyHistogram) {
        guard !other.slots.isEmpty else { return }
        if slots.isEmpty {
            self = other
            return
        }
        // Widen to cover the other's buckets once, then add slot by slot.
        add(bucket: other.base, count: 0)
        add(bucket: other.base + other.slots.count - 1, count: 0)
        let shift = other.base - base
        for offset in other.slots.indices { slots[shift + offset] += other.slots[offset] }
        totalCount += other.totalCount
    }

    /// Observations in buckets above `bucket`.
    public func count(aboveBucket bucket: Int) -> Int64 {
        var sum: Int64 = 0
        for offset in slots.indices where base + offset > bucket { sum += slots[offset] }
        return sum
    }

    /// The `q`-quantile (0...1) in nanoseconds, or `nil` when empty. Uses the nearest-rank
    /// definition: the smallest recorded value with at least `q · count` values at or below it.
    public func quantileNanos(_ q: Double) -> Double? {
        quantilesNanos([q])?[0]
    }

    /// Several quantiles in one walk over the buckets, in the order asked; `nil` when empty.
    public func quantilesNanos(_ qs: [Double]) -> [Double]? {
        guard totalCount > 0 else { return nil }
        let ranks = qs.map { max(1, Int64(($0 * Double(totalCount)).rounded(.up))) }
        let order = ranks.indices.sorted { ranks[$0] < ranks[$1] }
        var result = [Double](repeating: 0, count: qs.count)
        var next = 0
        var seen: Int64 = 0
        for offset in slots.indices where slots[offset] != 0 {
            seen += slots[offset]
            while next < order.count, ranks[order[next]] <= seen {
                result[order[next]] = Self.representativeNanos(ofBucket: base + offset)
                next += 1
            }
            if next == order.count { return result }
        }
        // Ranks past the total (q > 1) take the highest bucket used.
        let highest = Self.representativeNanos(ofBucket: base + (slots.lastIndex { $0 != 0 } ?? 0))
        while next < order.count {
            result[order[next]] = highest
            next += 1
        }
        return result
    }

    /// `{"bucket": count, …}`, the jsonb form stored in the rollup tables.
    public func jsonObject() -> String {
        var writer = JSONWriter(capacity: slots.count * 12 + 2)
        write(to: &writer)
        return writer.string
    }

    /// Writes the jsonb form, buckets in increasing order, empty buckets left out.
    public func write(to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        var first = true
        for offset in slots.indices where slots[offset] != 0 {
            // `,"bucket":count` in one write: up to 1 + 1 + 20 + 2 + 20 bytes.
            writer.appendInPlace(maxCount: 44) { out in
                var count = 0
                if !first { out[0] = UInt8(ascii: ","); count = 1 }
                out[count] = UInt8(ascii: "\"")
                count += 1
                count += DecimalDigits.write(Int64(base + offset), to: out + count)
                out[count] = UInt8(ascii: "\""); out[count + 1] = UInt8(ascii: ":")
                count += 2
                count += DecimalDigits.write(slots[offset], to: out + count)
                return count
            }
            first = false
        }
        writer.byte(UInt8(ascii: "}"))
    }

    /// Adds the buckets of the jsonb form written by PostgreSQL (`{"12": 5, "13": 7}`), scanning
    /// the text directly: RED queries read thousands of these. Returns false on anything else,
    /// including a bucket index past ``maxBucket``.
    public mutating func add(jsonText text: String) -> Bool {
        var text = text
        return text.withUTF8 { add(jsonUTF8: $0) }
    }

    /// ``add(jsonText:)`` over the text's UTF-8 bytes.
    public mutating func add(jsonUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func skipSpaces() { while index < bytes.count, bytes[index] == 0x20 { index += 1 } }
        func integer() -> Int64? {
            var value: Int64 = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value &* 10 &+ Int64(bytes[index] - 0x30)
                digits += 1
                index += 1
            }
            return digits > 0 && digits < 19 ? value : nil
        }
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        index += 1
        skipSpaces()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return true }
        while index < bytes.count {
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
            index += 1
            guard let bucket = integer(), bucket <= Self.maxBucket, index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
            index += 1
            skipSpaces()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipSpaces()
            guard let count = integer() else { return false }
            add(bucket: Int(bucket), count: count)
            skipSpaces()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "}") { return true }
            guard bytes[index] == UInt8(ascii: ",") else { return false }
            index += 1
        }
        return false
    }
}
