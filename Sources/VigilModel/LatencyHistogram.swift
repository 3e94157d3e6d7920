import Foundation

/// A sparse histogram of durations with logarithmic buckets, so that any quantile read from it
/// is within 2% of the true value (relative error), whatever the range of durations.
///
/// Bucket `i > 0` holds durations in (g^(i-1), g^i] nanoseconds, with g = 1.02 / 0.98; bucket 0
/// holds durations of zero. A bucket's representative value 2·g^i / (g + 1) is within 2% of
/// every value in it. This is the layout of `red_rollups.latency` (see docs/storage.md).
public struct LatencyHistogram: Sendable, Equatable {
    public static let relativeAccuracy = 0.02
    public static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    private static let logGamma = log(gamma)

    /// Span count per bucket index.
    public private(set) var counts: [Int: Int64] = [:]

    public init(counts: [Int: Int64] = [:]) {
        self.counts = counts
    }

    public var totalCount: Int64 { counts.values.reduce(0, +) }

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
        counts[Self.bucket(forNanos: nanos), default: 0] += count
    }

    /// Adds `count` observations to bucket index `bucket` (as stored in the rollups' jsonb keys).
    public mutating func add(bucket: Int, count: Int64) {
        counts[bucket, default: 0] += count
    }

    public mutating func merge(_ other: LatencyHistogram) {
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    /// The `q`-quantile (0...1) in nanoseconds, or `nil` when empty. Uses the nearest-rank
    /// definition: the smallest recorded value with at least `q · count` values at or below it.
    public func quantileNanos(_ q: Double) -> Double? {
        let total = totalCount
        guard total > 0 else { return nil }
        let rank = max(1, Int64((q * Double(total)).rounded(.up)))
        var seen: Int64 = 0
        for bucket in counts.keys.sorted() {
            seen += counts[bucket]!
            if seen >= rank { return Self.representativeNanos(ofBucket: bucket) }
        }
        return Self.representativeNanos(ofBucket: counts.keys.max()!)
    }

    /// `{"bucket": count, …}`, the jsonb form stored in the rollup tables.
    public func jsonObject() -> String {
        var writer = JSONWriter(capacity: counts.count * 12 + 2)
        write(to: &writer)
        return writer.string
    }

    /// Writes the jsonb form (buckets in no particular order).
    public func write(to writer: inout JSONWriter) {
        writer.byte(UInt8(ascii: "{"))
        var first = true
        for (bucket, count) in counts {
            if !first { writer.byte(UInt8(ascii: ",")) }
            first = false
            writer.byte(UInt8(ascii: "\""))
            writer.integer(bucket)
            writer.raw("\":")
            writer.integer(count)
        }
        writer.byte(UInt8(ascii: "}"))
    }

    /// Adds the buckets of the jsonb form written by PostgreSQL (`{"12": 5, "13": 7}`), scanning
    /// the text directly: RED queries read thousands of these. Returns false on anything else.
    public mutating func add(jsonText text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
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
                guard bytes[index] == UInt8(ascii: "\"") else { return false }
                index += 1
                guard let bucket = integer(), index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
                index += 1
                skipSpaces()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                skipSpaces()
                guard let count = integer() else { return false }
                counts[Int(bucket), default: 0] += count
                skipSpaces()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: "}") { return true }
                guard bytes[index] == UInt8(ascii: ",") else { return false }
                index += 1
            }
            return false
        }
    }
}
