import Testing
@testable import VigilRules

@Suite struct SeriesNotationTests {
    /// The expansion written back as text: numbers as `Threshold.format` prints them.
    static func expand(_ text: String) throws -> String {
        try SeriesNotation.parse(text).map(\.description).joined(separator: " ")
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try SeriesNotation.parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test(arguments: [
        // promtool's documented examples.
        ("1+1x3", "1 2 3 4"),
        ("1-1x3", "1 0 -1 -2"),
        ("-2+4x3", "-2 2 6 10"),
        (" 1-2x4", "1 -1 -3 -5 -7"),
        (" 1x4", "1 1 1 1 1"),
        (" 1 _x3 stale", "1 _ _ _ stale"),
        // `axn` is n + 1 values, `_xn` only n: a missing value has nothing to repeat from.
        ("1x3", "1 1 1 1"),
        ("_x3", "_ _ _"),
        ("_", "_"),
        ("_x0", ""),
        ("5x0", "5"),
        ("stale", "stale"),
        ("", ""),
        ("   ", ""),
        // Several items, tabs and line breaks between them.
        ("0+10x2 _x2 600+1x2", "0 10 20 _ _ 600 601 602"),
        ("1\t2\n3", "1 2 3"),
        // Signs, fractions, exponents.
        ("+5", "5"),
        ("-5", "-5"),
        ("1.5+0.5x2", "1.5 2 2.5"),
        (".5x1", "0.5 0.5"),
        ("1e3+1e3x1", "1000 2000"),
        ("2E-1", "0.2"),
        ("-1-1x2", "-1 -2 -3"),
        // Hexadecimal is off, as in promtool: 0x3 is 0 repeated.
        ("0x3", "0 0 0 0"),
        // Infinities, in any case.
        ("Inf", "inf"),
        ("-inf", "-inf"),
        ("+INF", "inf"),
    ])
    func expandsAsPromtoolDoes(text: String, expected: String) throws {
        #expect(try Self.expand(text) == expected)
    }

    @Test func notANumberIsAValue() throws {
        let values = try SeriesNotation.parse("NaN nan")
        #expect(values.count == 2)
        #expect(values.allSatisfy { $0.number?.isNaN == true })
    }

    @Test func incrementsAreAddedStepByStepAsPromtoolAddsThem() throws {
        // 0.1 + 0.1 + 0.1 is 0.30000000000000004 in binary floating point; 0.1 + 3 × 0.1 would differ.
        let values = try SeriesNotation.parse("0.1+0.1x3").map(\.number)
        #expect(values == [0.1, 0.1 + 0.1, 0.1 + 0.1 + 0.1, 0.1 + 0.1 + 0.1 + 0.1])
    }

    @Test func missingAndStaleHaveNoNumber() throws {
        #expect(try SeriesNotation.parse("1 _ stale").map(\.number) == [1, nil, nil])
    }

    @Test(arguments: [
        ("1+1", "\"1+1\" needs x and a repeat count, as in 1+1x3"),
        ("1x", "\"1x\": x must be followed by a repeat count, as in 1+1x3"),
        ("9+1x", "\"9+1x\": x must be followed by a repeat count, as in 1+1x3"),
        ("1+x3", "\"1+x3\": expected a number after +"),
        ("abc", "\"abc\" is not a number, _ or stale"),
        ("stalex3", "\"stalex3\" is not a number, _ or stale"),
        ("stale+1x3", "\"stale+1x3\": stale cannot be incremented"),
        ("_3", "\"_3\": a missing value is written _ or _xN, as in _x3"),
        ("_+1x3", "\"_+1x3\": a missing value is written _ or _xN, as in _x3"),
        ("1x3y", "\"1x3y\": unexpected text after the repeat count"),
        ("1_000", "\"1_000\": expected x and a repeat count, as in 1+1x3 or 0x5"),
        ("1,2", "\"1,2\": expected x and a repeat count, as in 1+1x3 or 0x5"),
        ("{{schema:0 sum:5 count:4 buckets:[1 2 1]}}", "\"{{schema:0\": native histogram values are not supported; give the histogram's buckets as series of type histogram_bucket"),
        ("1x10000000", "expands to more than 1000000 values"),
    ])
    func refusesWhatPromtoolRefuses(text: String, message: String) {
        #expect(Self.failure(text) == message)
    }

    // MARK: Series descriptions

    static func labels(_ description: SeriesDescription) -> String {
        description.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
    }

    @Test(arguments: [
        ("http_requests_total{service=\"checkout\", code=\"500\"}", "http_requests_total", "service=checkout,code=500"),
        ("up", "up", ""),
        ("up{}", "up", ""),
        ("  up  {  a = 'b' , }  ", "up", "a=b"),
        ("http.server.request.duration{http.route=\"/cart\"}", "http.server.request.duration", "http.route=/cart"),
        ("{\"http.server.request.duration\", \"http.route\"=\"/cart\"}", "http.server.request.duration", "http.route=/cart"),
        ("{__name__=\"queue.depth\", service=\"orders\"}", "queue.depth", "service=orders"),
        ("m{a=\"x\\\"y\\\\z\\n\"}", "m", "a=x\"y\\z\n"),
    ])
    func seriesDescriptionsGiveTheNameAndLabels(text: String, name: String, labels: String) throws {
        let description = try SeriesDescription.parse(text)
        #expect(description.name == name)
        #expect(Self.labels(description) == labels)
    }

    @Test(arguments: [
        ("{service=\"a\"}", "has no metric name"),
        ("m{a=b}", "the value of a must be quoted, as in a=\"value\""),
        ("m{a=\"b\", a=\"c\"}", "the label a is given twice"),
        ("m{__name__=\"n\"}", "the metric name is given twice"),
        ("m{a}", "expected = after the label name a"),
        ("m{a=\"b\"", "expected , or } at \"\""),
        ("m{a=\"b}", "a quoted string is not closed"),
        ("m{a=\"\\q\"}", "unknown escape \\q in a quoted string"),
        ("m{a=\"b\"} x", "unexpected \"x\""),
    ])
    func malformedSeriesDescriptionsAreRefused(text: String, message: String) {
        #expect(throws: SeriesNotation.ParseError(message)) { try SeriesDescription.parse(text) }
    }
}
