extension RE2Translator {
    /// A class item: explicit code point ranges or an ICU property like `\p{Greek}`.
    enum ClassItem {
        case ranges([ClosedRange<UInt32>])
        case property(String)

        var icu: String {
            switch self {
            case .ranges(let ranges):
                ranges.map { $0.lowerBound == $0.upperBound ? escape($0.lowerBound) : escape($0.lowerBound) + "-" + escape($0.upperBound) }.joined()
            case .property(let text):
                text
            }
        }
    }

    /// Go's backslash handling outside classes: assertions, `\Q...\E`, `\pX`, `\d` and friends,
    /// then single-character escapes.
    mutating func parseBackslash() throws(MatcherError) {
        let n = s.count
        if pos + 1 < n {
            switch s[pos + 1] {
            case "A":
                push(#"\A"#, node: .assertion(.beginText))
                pos += 2
                return
            case "b":
                push(Self.wordBoundary, node: .assertion(.wordBoundary))
                pos += 2
                return
            case "B":
                push(Self.notWordBoundary, node: .assertion(.notWordBoundary))
                pos += 2
                return
            case "C":
                throw error("invalid escape sequence", pos..<(pos + 2))
            case "Q":
                var end = pos + 2
                while end < n, !(s[end] == "\\" && end + 1 < n && s[end + 1] == "E") { end += 1 }
                for index in (pos + 2)..<end { literal(s[index].value) }
                pos = Swift.min(end + 2, n)
                return
            case "z":
                push(#"\z"#, node: .assertion(.endText))
                pos += 2
                return
            default:
                break
            }
        }
        if case let (item, end)? = try parseUnicodeClass(at: pos) {
            pushClass(classText(items: [item], negated: false))
            pos = end
            return
        }
        if let ranges = perlClass(at: pos) {
            pushClass(classText(items: [.ranges(ranges)], negated: false))
            pos += 2
            return
        }
        let (rune, end) = try parseEscape(at: pos)
        literal(rune)
        pos = end
    }

    /// Go's `parseEscape`: one escaped code point starting at the backslash at `start`.
    func parseEscape(at start: Int) throws(MatcherError) -> (UInt32, Int) {
        let n = s.count
        var t = start + 1
        guard t < n else { throw MatcherError(code: .invalidRegex, message: "error parsing regexp: trailing backslash at end of expression: ``") }
        let c = s[t].value
        t += 1
        switch s[start + 1] {
        case "1"..."7" where t < n && (0x30...0x37).contains(s[t].value), "0":
            var rune = c - 0x30
            for _ in 1..<3 {
                guard t < n, (0x30...0x37).contains(s[t].value) else { break }
                rune = rune * 8 + s[t].value - 0x30
                t += 1
            }
            return (rune, t)
        case "x":
            guard t < n else { break }
            let next = s[t].value
            t += 1
            if next == 0x7b {  // "{": any number of hex digits, at least one
                var rune: UInt32 = 0
                var digits = 0
                while true {
                    guard t < n else { throw error("invalid escape sequence", start..<t) }
                    let digit = s[t].value
                    t += 1
                    if digit == 0x7d { break }
                    guard let value = Self.hexValue(digit) else { throw error("invalid escape sequence", start..<t) }
                    rune = rune * 16 + value
                    guard rune <= 0x10FFFF else { throw error("invalid escape sequence", start..<t) }
                    digits += 1
                }
                guard digits > 0 else { break }
                return (rune, t)
            }
            // Two hex digits; a missing second one reads as an invalid digit, as in Go.
            let low: UInt32? = t < n ? Self.hexValue(s[t].value) : nil
            if t < n { t += 1 }
            guard let high = Self.hexValue(next), let low else { break }
            return (high * 16 + low, t)
        case "a": return (0x07, t)
        case "f": return (0x0c, t)
        case "n": return (0x0a, t)
        case "r": return (0x0d, t)
        case "t": return (0x09, t)
        case "v": return (0x0b, t)
        default:
            // Escaped ASCII punctuation is itself; Go refuses escaped letters, digits and non-ASCII.
            if c < 0x80 && !Self.isAlnum(c) { return (c, t) }
        }
        throw error("invalid escape sequence", start..<t)
    }

    /// Go's `parseClass` for the `[` at `pos`.
    mutating func parseClass() throws(MatcherError) {
        let start = pos
        let n = s.count
        var t = start + 1
        var negated = false
        if t < n, s[t] == "^" {
            negated = true
            t += 1
        }
        var items: [ClassItem] = []
        var first = true
        while t >= n || s[t] != "]" || first {
            first = false
            if n - t > 2, s[t] == "[", s[t + 1] == ":", let (ranges, end) = try parseNamedClass(at: t) {
                items.append(.ranges(ranges))
                t = end
                continue
            }
            if case let (item, end)? = try parseUnicodeClass(at: t) {
                items.append(item)
                t = end
                continue
            }
            if let ranges = perlClass(at: t) {
                items.append(.ranges(ranges))
                t += 2
                continue
            }
            let rangeStart = t
            let (low, afterLow) = try parseClassCharacter(at: t, classStart: start)
            t = afterLow
            var high = low
            if n - t >= 2, s[t] == "-", s[t + 1] != "]" {
                let (value, afterHigh) = try parseClassCharacter(at: t + 1, classStart: start)
                t = afterHigh
                guard value >= low else { throw error("invalid character class range", rangeStart..<t) }
                high = value
            }
            items.append(.ranges([low...high]))
        }
        pos = t + 1
        pushClass(classText(items: items, negated: negated))
    }

    func parseClassCharacter(at t: Int, classStart: Int) throws(MatcherError) -> (UInt32, Int) {
        guard t < s.count else { throw error("missing closing ]", classStart..<s.count) }
        if s[t] == "\\" { return try parseEscape(at: t) }
        return (s[t].value, t + 1)
    }

    mutating func pushClass(_ text: String) {
        push(text, node: .scalar(.icu(text)))
    }

    /// ICU text for a class; a class folds case as a whole, like Go's.
    func classText(items: [ClassItem], negated: Bool) -> String {
        var body = items.map(\.icu).joined()
        var negated = negated
        if body.isEmpty {
            // Only `\P{Any}` contributes nothing; ICU has no empty `[]`.
            body = #"\x{0}-\x{10FFFF}"#
            negated.toggle()
        }
        let text = "[" + (negated ? "^" : "") + body + "]"
        return flags.contains(.foldCase) ? "(?i:" + text + ")" : text
    }

    /// Go's `parseUnicodeClass`: `\pL`, `\p{Greek}`, `\P{^Lu}` at `start`; `nil` when not `\p`/`\P`.
    func parseUnicodeClass(at start: Int) throws(MatcherError) -> (ClassItem, Int)? {
        let n = s.count
        guard start + 1 < n, s[start] == "\\", s[start + 1] == "p" || s[start + 1] == "P" else { return nil }
        var positive = s[start + 1] == "p"
        var t = start + 2
        var name: String
        let sequenceEnd: Int
        if t < n, s[t] == "{" {
            guard let close = s[start...].firstIndex(of: "}") else {
                throw error("invalid character class range", start..<n)
            }
            name = text((start + 3)..<close)
            sequenceEnd = close + 1
        } else {
            if t < n { t += 1 }
            name = text((start + 2)..<t)
            sequenceEnd = t
        }
        if name.hasPrefix("^") {
            positive.toggle()
            name.removeFirst()
        }
        let item: ClassItem
        switch name {
        case "Any":
            item = positive ? .ranges([0...0x10FFFF]) : .ranges([])
        case "C":
            // Go's C is Cc, Cf, Co and Cs; ICU's also has unassigned code points.
            item = .property(positive ? #"\p{Cc}\p{Cf}\p{Co}\p{Cs}"# : #"[^\p{Cc}\p{Cf}\p{Co}\p{Cs}]"#)
        default:
            guard Self.unicodeCategories.contains(name) || Self.unicodeScripts.contains(name) else {
                throw error("invalid character class range", start..<sequenceEnd)
            }
            item = .property((positive ? #"\p{"# : #"\P{"#) + name + "}")
        }
        return (item, sequenceEnd)
    }

    /// Go's `parseNamedClass`: `[:alpha:]` or `[:^alpha:]`; `nil` when no `:]` follows at all.
    func parseNamedClass(at start: Int) throws(MatcherError) -> ([ClosedRange<UInt32>], Int)? {
        var end = start + 2
        while end + 1 < s.count, !(s[end] == ":" && s[end + 1] == "]") { end += 1 }
        guard end + 1 < s.count else { return nil }
        var name = text((start + 2)..<end)
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = Self.posixClasses[name] else { throw error("invalid character class range", start..<(end + 2)) }
        return (negated ? negatedGroup(ranges) : ranges, end + 2)
    }

    /// `\d \D \s \S \w \W` at `start` (ASCII only, as in Go).
    func perlClass(at start: Int) -> [ClosedRange<UInt32>]? {
        guard start + 1 < s.count, s[start] == "\\" else { return nil }
        switch s[start + 1] {
        case "d": return Self.digitRanges
        case "D": return negatedGroup(Self.digitRanges)
        case "s": return Self.spaceRanges
        case "S": return negatedGroup(Self.spaceRanges)
        case "w": return Self.wordRanges
        case "W": return negatedGroup(Self.wordRanges)
        default: return nil
        }
    }

    /// A negated ASCII group (`\W`, `[:^upper:]`). Go folds case before negating; ICU would fold
    /// the complement instead (and `(?i)\W` would match `k` through the Kelvin sign), so the folding
    /// is done here.
    func negatedGroup(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        guard flags.contains(.foldCase) else { return Self.complement(ranges) }
        var folded = ranges
        for range in ranges {
            for (upper, lower) in [(UInt32(0x41), UInt32(0x5a)), (0x61, 0x7a)] where range.overlaps(upper...lower) {
                let shift: Int64 = upper == 0x41 ? 0x20 : -0x20
                let low = Swift.max(range.lowerBound, upper)
                let high = Swift.min(range.upperBound, lower)
                folded.append(UInt32(Int64(low) + shift)...UInt32(Int64(high) + shift))
            }
            // The two non-ASCII members of ASCII letters' case orbits.
            if range.contains(0x4b) || range.contains(0x6b) { folded.append(0x212a...0x212a) }
            if range.contains(0x53) || range.contains(0x73) { folded.append(0x17f...0x17f) }
        }
        return Self.complement(folded)
    }

    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = Swift.max(next, range.upperBound + 1)
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }

    static func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
