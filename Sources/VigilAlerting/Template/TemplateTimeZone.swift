import Foundation

/// Time zones for `tz` and `.Local`, named the way Go names them.
///
/// Foundation knows each zone's offsets but, on Linux, names them `GMT+1` where Go (which reads
/// the system's zoneinfo files) prints `CET`. The offset therefore comes from Foundation and the
/// abbreviation from the zoneinfo file: the transition in force at that instant, or the zone's
/// rule string (`CET-1CEST,M3.5.0,M10.5.0/3`) for instants after the last listed transition.
enum TemplateTimeZone {
    /// Go's `time.LoadLocation`: "" and "UTC" are UTC, "Local" is the system zone.
    static func load(_ name: String) -> TimeZone? {
        switch name {
        case "", "UTC": TimeZone(identifier: "UTC")
        case "Local": TimeZone.current
        default: TimeZone(identifier: name)
        }
    }

    static func abbreviation(for zone: TimeZone, at unixSeconds: Int64, offset: Int) -> String {
        if let info = zoneInfo(zone.identifier), let name = info.abbreviation(at: unixSeconds, offset: offset) {
            return name
        }
        return ""
    }

    private static func zoneInfo(_ identifier: String) -> ZoneInfo? {
        let directory = ProcessInfo.processInfo.environment["ZONEINFO"] ?? "/usr/share/zoneinfo"
        guard !identifier.contains(".."),
              let data = FileManager.default.contents(atPath: directory + "/" + identifier)
        else { return nil }
        return ZoneInfo(Array(data))
    }

    /// The parts of a TZif file (RFC 8536) that name offsets.
    struct ZoneInfo {
        var transitions: [Int64] = []
        var transitionTypes: [Int] = []
        var types: [(offset: Int, abbreviation: String)] = []
        var footerRule: Rule?

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 44, bytes[0..<4] == [0x54, 0x5A, 0x69, 0x66] else { return nil }
            func count(_ at: Int) -> Int { Int(Self.integer(bytes, at, width: 4)) }
            var header = 0
            var width = 4
            if bytes[4] >= UInt8(ascii: "2") {
                // Skip the 32-bit block and read the 64-bit one that follows it.
                let size = count(32) * 5 + count(36) * 6 + count(40) + count(28) * 8 + count(24) + count(20)
                header = 44 + size
                width = 8
                guard bytes.count >= header + 44 else { return nil }
            }
            let (utc, std, leap, times, typeCount, chars) =
                (count(header + 20), count(header + 24), count(header + 28), count(header + 32), count(header + 36), count(header + 40))
            var cursor = header + 44
            let end = cursor + times * (width + 1) + typeCount * 6 + chars + leap * (width + 4) + std + utc
            guard bytes.count >= end else { return nil }
            for i in 0..<times { transitions.append(Self.integer(bytes, cursor + i * width, width: width)) }
            cursor += times * width
            transitionTypes = bytes[cursor..<(cursor + times)].map(Int.init)
            cursor += times
            let charsStart = cursor + typeCount * 6
            for i in 0..<typeCount {
                let base = cursor + i * 6
                let offset = Int(Int32(truncatingIfNeeded: Self.integer(bytes, base, width: 4)))
                let nameStart = charsStart + Int(bytes[base + 5])
                let nameEnd = bytes[nameStart..<(charsStart + chars)].firstIndex(of: 0) ?? charsStart + chars
                types.append((offset, String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)))
            }
            if width == 8, end < bytes.count {
                let footer = String(decoding: bytes[(end + 1)...].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
                footerRule = Self.parseRule(footer)
            }
        }

        func abbreviation(at unixSeconds: Int64, offset: Int) -> String? {
            if transitions.last.map({ unixSeconds >= $0 }) ?? true, let rule = footerRule {
                if let daylight = rule.daylight, offset != rule.standardOffset { return daylight }
                return rule.standard
            }
            if let index = transitions.lastIndex(where: { $0 <= unixSeconds }), transitionTypes[index] < types.count {
                let type = types[transitionTypes[index]]
                if type.offset == offset { return type.abbreviation }
            }
            return types.last { $0.offset == offset }?.abbreviation
        }

        /// The names and standard offset of a POSIX TZ rule such as `CET-1CEST,…` or `<+0530>-5:30`.
        static func parseRule(_ rule: String) -> Rule? {
            var rest = Substring(rule)
            func name() -> String? {
                if rest.first == "<" {
                    guard let close = rest.firstIndex(of: ">") else { return nil }
                    defer { rest = rest[rest.index(after: close)...] }
                    return String(rest[rest.index(after: rest.startIndex)..<close])
                }
                let letters = rest.prefix { $0.isLetter }
                rest = rest.dropFirst(letters.count)
                return letters.count >= 3 ? String(letters) : nil
            }
            guard let standard = name() else { return nil }
            let offsetText = rest.prefix { $0.isNumber || "+-:".contains($0) }
            rest = rest.dropFirst(offsetText.count)
            let negative = offsetText.first == "-"
            let parts = offsetText.drop { $0 == "+" || $0 == "-" }.split(separator: ":").map { Int($0) ?? 0 }
            guard !parts.isEmpty else { return nil }
            let seconds = zip(parts, [3600, 60, 1]).reduce(0) { $0 + $1.0 * $1.1 }
            // POSIX offsets count west of Greenwich.
            let standardOffset = negative ? seconds : -seconds
            return Rule(standard: standard, standardOffset: standardOffset, daylight: rest.isEmpty || rest.first == "," ? nil : name())
        }

        struct Rule {
            var standard: String
            var standardOffset: Int
            var daylight: String?
        }

        static func integer(_ bytes: [UInt8], _ at: Int, width: Int) -> Int64 {
            var value: UInt64 = 0
            for i in 0..<width { value = value << 8 | UInt64(bytes[at + i]) }
            return width == 4 ? Int64(Int32(truncatingIfNeeded: value)) : Int64(bitPattern: value)
        }
    }
}
