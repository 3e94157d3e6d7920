import Testing
import VigilStorage
@testable import VigilQuery

@Suite struct ParameterParsingTests {
    @Test(arguments: [
        ("2026-11-21T06:00:00Z", Int64(1_795_240_800_000_000_000)),
        ("2026-11-21T06:00:00.123456789Z", 1_795_240_800_123_456_789),
        ("2026-11-21T07:30:00+01:30", 1_795_240_800_000_000_000),
        ("2026-11-21t06:00:00.5z", 1_795_240_800_500_000_000),
        ("1795240800", 1_795_240_800_000_000_000),
        ("1795240800.25", 1_795_240_800_250_000_000),
        ("1795240800000000001", 1_795_240_800_000_000_001),
        ("0", 0),
    ])
    func acceptsRFC3339UnixSecondsAndNanoseconds(text: String, nanos: Int64) {
        #expect(TimeParsing.unixNanos(text) == nanos)
    }

    @Test(arguments: ["", "yesterday", "26780099736", "9300000000", "-9300000000", "2026-11-21", "2026-13-01T00:00:00Z", "2026-11-21T06:00:00", "1795240800000", "1e9", "2026-11-21T06:00:00+0100", "--1"])
    func rejectsOtherTimes(text: String) {
        #expect(TimeParsing.unixNanos(text) == nil)
    }

    @Test(arguments: [
        ("250ms", Int64(250_000_000)), ("1.5s", 1_500_000_000), ("1h30m", 5_400_000_000_000), ("30", 30_000_000_000),
        ("0.25", 250_000_000), ("10us", 10_000), ("10µs", 10_000), ("7ns", 7), ("2m", 120_000_000_000),
    ])
    func acceptsGoDurationsAndSeconds(text: String, nanos: Int64) {
        #expect(TimeParsing.durationNanos(text) == nanos)
    }

    @Test(arguments: ["", "-1s", "5 s", "1d", "s", "1.2.3s", "abc"])
    func rejectsOtherDurations(text: String) {
        #expect(TimeParsing.durationNanos(text) == nil)
    }

    @Test func rangesDefaultToTheLastSpanAndNameTheBadParameter() throws {
        let now: Int64 = 10_000_000_000_000
        let defaults = try QueryParameters(pairs: [], now: now).range(defaultSpanNanos: 3_600_000_000_000)
        #expect(defaults == TimeRange(start: now - 3_600_000_000_000, end: now))
        do {
            _ = try QueryParameters(pairs: [("start", "2000"), ("end", "1000")], now: now).range(defaultSpanNanos: 1)
            Issue.record("start after end was accepted")
        } catch {
            #expect(error.message == "parameter start: must be before end")
            #expect(error.code == "bad_request")
        }
        #expect(throws: APIError.self) { try QueryParameters(pairs: [("limit", "0")], now: now).limit(default: 20) }
        #expect(throws: APIError.self) { try QueryParameters(pairs: [("limit", "1001")], now: now).limit(default: 20) }
        #expect(try QueryParameters(pairs: [("limit", "")], now: now).limit(default: 20) == 20)
    }

    @Test func attributeFiltersComeFromAttrPrefixedNames() throws {
        let parameters = QueryParameters(pairs: [("attr.http.route", "/cart"), ("service", "x"), ("attr.code", "500")], now: 0)
        #expect(try parameters.attributeFilters() == [AttributeFilter(key: "http.route", value: "/cart"), AttributeFilter(key: "code", value: "500")])
        #expect(throws: APIError.self) { try QueryParameters(pairs: [("attr.", "x")], now: 0).attributeFilters() }
    }

    @Test func cursorsRoundTripAndRejectOtherKinds() {
        let text = Cursor.encode(kind: "traces", ["123", "abc"])
        #expect(Cursor.decode(text, kind: "traces") == ["123", "abc"])
        #expect(Cursor.decode(text, kind: "logs") == nil)
        #expect(Cursor.decode("!!!", kind: "traces") == nil)
    }
}
