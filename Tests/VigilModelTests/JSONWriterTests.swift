import Testing
@testable import VigilModel

@Suite struct JSONWriterTests {
    @Test func integersAreWrittenAsTheirDecimalText() {
        var generator = SystemRandomNumberGenerator()
        var values: [UInt64] = [0, 9, 10, 99, 100, 101, 999, 1_000, 65_535, UInt64(Int64.max), .max]
        values += (0..<200).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator) }
        for value in values {
            var bytes: [UInt8] = []
            DecimalDigits.append(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
        for value in [Int64.min, -1, -10, -12_345, 0, 7, Int64.max] {
            var bytes: [UInt8] = []
            DecimalDigits.append(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }

    @Test func cStringsAreEscapedAndRepairedLikeSwiftStrings() {
        let samples: [[UInt8]] = [
            Array("plain".utf8), [], Array("tab\there \"quoted\" back\\slash".utf8), Array("ünïcödé → 😀".utf8),
            [0x01, 0x1f, 0x41], [0x6f, 0x6b, 0xc3], [0xff, 0x41, 0xe2, 0x82], Array("long plain ascii text past eight bytes".utf8),
        ]
        for sample in samples {
            var fromC = JSONWriter()
            (sample + [0]).withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { fromC.string(cString: $0) }
            }
            var fromString = JSONWriter()
            fromString.string(String(decoding: sample, as: UTF8.self))
            #expect(fromC.bytes == fromString.bytes, "\(sample)")
        }
        var empty = JSONWriter()
        empty.string(cString: nil)
        #expect(empty.string == "\"\"")
    }

    @Test func memberNamesFromCStringsMatchKeysFromStrings() {
        let names = ["plain", "", "http.request.method", "quote\"d", "back\\slash", "tab\tname", "ünïcödé", "a long member name well past sixteen bytes"]
        for name in names {
            for first in [true, false] {
                var fromC = JSONWriter()
                name.withCString { fromC.memberName(cString: $0, first: first) }
                var fromString = JSONWriter()
                if !first { fromString.byte(UInt8(ascii: ",")) }
                fromString.key(name)
                #expect(fromC.bytes == fromString.bytes, "\(name) first: \(first)")
            }
        }
        var missing = JSONWriter()
        missing.memberName(cString: nil, first: false)
        #expect(missing.string == #","":"#)
    }

    /// Every start alignment and every position of the first byte that needs escaping, so the
    /// word-at-a-time scan is checked against a byte-by-byte one at each boundary.
    @Test func cStringsAreScannedCorrectlyAtEveryAlignment() {
        let specials: [UInt8] = [0x22, 0x5C, 0x0A, 0x01, 0x7F, 0xC3]
        var storage = [UInt8](repeating: 0, count: 64)
        for offset in 0..<8 {
            for length in 0..<24 {
                for special in [nil] + specials.map(Optional.some) {
                    for position in (special == nil ? [0] : Array(0..<max(length, 1))) {
                        var text = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                        if let special, length > 0 { text[position] = special }
                        if special == 0xC3, length > 0, position + 1 < length { text[position + 1] = 0xA9 }
                        for index in storage.indices { storage[index] = 0x22 }
                        storage.replaceSubrange(offset..<(offset + length + 1), with: text + [0])
                        var fromC = JSONWriter()
                        storage.withUnsafeBufferPointer { buffer in
                            (buffer.baseAddress! + offset).withMemoryRebound(to: CChar.self, capacity: length + 1) { fromC.string(cString: $0) }
                        }
                        var fromString = JSONWriter()
                        fromString.string(String(decoding: text, as: UTF8.self))
                        #expect(fromC.bytes == fromString.bytes, "offset \(offset) length \(length) special \(String(describing: special)) at \(position)")
                    }
                }
            }
        }
    }

    /// The short-decimal path must give exactly `Double.description`'s text, and leave alone
    /// what it cannot: values written with the decimal places people use, and random bit patterns.
    @Test func shortDecimalsMatchSwiftsDescription() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0.001, 0.0011, 0.000999, 1, -1, 0.5, 0.25, 0.1, 0.2, 0.3, 12.345, 443, 1e9, 4_294_967_295.999999, 4_294_967_296, 0.1 + 0.2, 1.0 / 3, 123_456.789012, -0, 0, .nan, .infinity]
        for _ in 0..<20_000 {
            let places = Int.random(in: 0...8, using: &generator)
            var divisor = 1.0
            for _ in 0..<places { divisor *= 10 }
            let integer = Double(Int64.random(in: -9_999_999_999_999...9_999_999_999_999, using: &generator) >> Int64.random(in: 0...40, using: &generator))
            values.append(integer / divisor)
            values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)))
            values.append(Double.random(in: -5e9...5e9, using: &generator))
        }
        var taken = 0
        for value in values {
            var writer = JSONWriter()
            if writer.shortDecimal(value) {
                taken += 1
                #expect(writer.string == value.description, "\(value)")
            } else {
                #expect(writer.bytes.isEmpty)
            }
            var general = JSONWriter()
            general.double(value)
            let expected = value.isNaN ? "\"NaN\"" : value.isInfinite ? (value < 0 ? "\"-Infinity\"" : "\"Infinity\"") : value.description
            #expect(general.string == expected, "\(value)")
        }
        // Most of the decimals above are short ones; the check must not pass by never being taken.
        #expect(taken > 15_000)
    }
}
