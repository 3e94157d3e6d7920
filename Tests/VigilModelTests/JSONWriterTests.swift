import Testing
import VigilModel

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
}
