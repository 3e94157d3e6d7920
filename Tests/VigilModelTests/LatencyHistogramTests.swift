import Foundation
import Testing
import VigilModel

@Suite struct LatencyHistogramTests {
    @Test(arguments: [Int64(1), 7, 999, 1_000_000, 123_456_789, 3_600_000_000_000])
    func everyValueIsWithinTwoPercentOfItsBucket(nanos: Int64) {
        let representative = LatencyHistogram.representativeNanos(ofBucket: LatencyHistogram.bucket(forNanos: nanos))
        #expect(abs(representative - Double(nanos)) / Double(nanos) <= LatencyHistogram.relativeAccuracy + 1e-12)
    }

    @Test func quantilesOfAUniformSampleAreWithinTwoPercent() {
        var histogram = LatencyHistogram()
        for millis in 1...1000 { histogram.record(nanos: Int64(millis) * 1_000_000) }
        for (q, expectedMillis) in [(0.5, 500.0), (0.9, 900.0), (0.99, 990.0), (1.0, 1000.0)] {
            let value = histogram.quantileNanos(q)! / 1_000_000
            #expect(abs(value - expectedMillis) / expectedMillis <= 0.02, "q\(q): \(value)")
        }
        #expect(histogram.totalCount == 1000)
    }

    @Test func zeroDurationsAndEmptyHistograms() {
        var histogram = LatencyHistogram()
        #expect(histogram.quantileNanos(0.5) == nil)
        histogram.record(nanos: 0, count: 3)
        #expect(histogram.quantileNanos(0.99) == 0)
    }

    @Test func mergingAndTheJSONFormRoundTrip() {
        var a = LatencyHistogram()
        a.record(nanos: 1_000)
        a.record(nanos: 5_000_000, count: 2)
        var b = LatencyHistogram()
        b.record(nanos: 1_000, count: 4)
        a.merge(b)
        #expect(a.counts[LatencyHistogram.bucket(forNanos: 1_000)] == 5)
        var parsed = LatencyHistogram()
        let accepted = parsed.add(jsonText: a.jsonObject())
        #expect(accepted)
        #expect(parsed == a)
    }

    @Test func addsPostgresJSONTextDirectly() {
        var histogram = LatencyHistogram()
        let added = [histogram.add(jsonText: #"{"12": 5, "13": 7}"#), histogram.add(jsonText: #"{"13":1}"#), histogram.add(jsonText: "{}")]
        #expect(added == [true, true, true])
        #expect(histogram.counts == [12: 5, 13: 8])
        for bad in ["", "[]", #"{"a": 1}"#, #"{"1": }"#, #"{"1": 2"#, #"{"1": 2,}"#] {
            var other = LatencyHistogram()
            let accepted = other.add(jsonText: bad)
            #expect(!accepted, "\(bad)")
        }
    }

    @Test func quantilesInOneWalkMatchEachQuantileAlone() {
        var histogram = LatencyHistogram()
        for (index, millis) in [3, 900, 12, 12, 48, 250, 7, 1, 64, 5_000].enumerated() {
            histogram.record(nanos: Int64(millis) * 1_000_000, count: Int64(index + 1))
        }
        let qs = [0.99, 0.1, 0.5, 1.0, 0.9, 0.0]
        let together = histogram.quantilesNanos(qs)
        #expect(together == qs.map { histogram.quantileNanos($0)! })
        // 55 observations; ascending, 900 ms holds ranks 44-45 and 5 s ranks 46-55.
        #expect(abs(histogram.quantileNanos(0.8)! / 900_000_000 - 1) <= 0.02)
        #expect(abs(histogram.quantileNanos(0.9)! / 5_000_000_000 - 1) <= 0.02)
        #expect(LatencyHistogram().quantilesNanos(qs) == nil)
    }

    @Test func mergingWidensBelowAndAboveAndCountsAboveABucket() {
        var middle = LatencyHistogram(counts: [100: 2, 102: 3])
        middle.merge(LatencyHistogram(counts: [40: 1]))
        middle.merge(LatencyHistogram(counts: [300: 4, 101: 1]))
        middle.merge(LatencyHistogram())
        #expect(middle.counts == [40: 1, 100: 2, 101: 1, 102: 3, 300: 4])
        #expect(middle.totalCount == 11)
        #expect(middle.count(aboveBucket: 101) == 7)
        #expect(middle.count(aboveBucket: 39) == 11)
        #expect(middle.count(aboveBucket: 300) == 0)
        var fromEmpty = LatencyHistogram()
        fromEmpty.merge(middle)
        #expect(fromEmpty == middle)
        #expect(LatencyHistogram(counts: [5: 1, 9: 0]) == LatencyHistogram(counts: [5: 1]))
    }

    @Test func jsonFormListsBucketsInIncreasingOrderAndReadsAnyOrder() {
        let histogram = LatencyHistogram(counts: [120: 1, 9: 2, 0: 3])
        #expect(histogram.jsonObject() == #"{"0":3,"9":2,"120":1}"#)
        var parsed = LatencyHistogram()
        let accepted = parsed.add(jsonText: #"{"120": 1, "9": 2, "0": 3}"#)
        #expect(accepted)
        #expect(parsed == histogram)
        var tooHigh = LatencyHistogram()
        let acceptedTooHigh = tooHigh.add(jsonText: "{\"\(LatencyHistogram.maxBucket + 1)\": 1}")
        #expect(!acceptedTooHigh)
        #expect(LatencyHistogram.bucket(forNanos: .max) == LatencyHistogram.maxBucket)
    }
}
