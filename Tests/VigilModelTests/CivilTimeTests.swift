import Foundation
import Testing
import VigilModel

@Suite struct CivilTimeTests {
    /// PostgreSQL timestamp text against Foundation's own UTC calendar, microseconds truncated.
    @Test func timestampsMatchFoundationsCalendar() {
        var generator = SystemRandomNumberGenerator()
        let samples: [Int64] = [0, 1_000, 999_999_999, 86_400_000_000_000 - 1, 951_782_400_000_000_000, 4_102_444_799_999_999_999, Int64.max]
            + (0..<300).map { _ in Int64.random(in: 0...Int64.max, using: &generator) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for nanos in samples {
            var bytes: [UInt8] = [0x41]
            CivilTime.appendTimestamp(unixNano: nanos, to: &bytes)
            let seconds = nanos / 1_000_000_000
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            let expected = String(
                format: "A%04d-%02d-%02d %02d:%02d:%02d.%06d+00", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!,
                Int(nanos % 1_000_000_000 / 1_000))
            #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(nanos)")
        }
    }
}
