/// The common case of a double's shortest text, without going through `String`: values of at
/// most six decimal places between 0.001 and 2³² in magnitude, such as `0.25`, `12.345` or
/// `443.0`. The text is the one `Double.description` gives.
///
/// Why it is the same: with `|v| < 2³²` the spacing of doubles near `v` is below 10⁻⁶, so at most
/// one decimal with `d ≤ 6` places reads back as `v`, and the smallest such `d` gives the fewest
/// digits. Below 0.001 or from 2³² on, `description` may switch to exponent form, so those
/// values are left to it.
enum ShortDecimal {
    /// The decimal places and the scaled integer (`|value| · 10^places`), or `nil` when `value`
    /// is outside the common case.
    @inline(__always)
    static func digits(of value: Double) -> (places: Int, scaled: UInt64)? {
        let magnitude = value.magnitude
        guard magnitude >= 0.001, magnitude < 4_294_967_296 else { return nil }
        var scale = 1.0
        for places in 0...6 {
            let scaled = (magnitude * scale).rounded()
            // Both operands are exact, so the quotient is the double that the decimal reads as.
            if scaled / scale == magnitude { return (places, UInt64(scaled)) }
            scale *= 10
        }
        return nil
    }

    /// Writes the text at `out` (room for 24 bytes) and returns its length.
    @inline(__always)
    static func write(negative: Bool, places: Int, scaled: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        if negative { out[0] = UInt8(ascii: "-"); count = 1 }
        var divisor: UInt64 = 1
        for _ in 0..<places { divisor *= 10 }
        count += DecimalDigits.write(scaled / divisor, to: out + count)
        out[count] = UInt8(ascii: ".")
        count += 1
        if places == 0 {
            out[count] = UInt8(ascii: "0")
            return count + 1
        }
        // The fraction, zero-padded to `places` digits.
        var fraction = scaled % divisor
        var index = places - 1
        while index >= 0 {
            out[count + index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: fraction % 10)
            fraction /= 10
            index -= 1
        }
        return count + places
    }
}

extension JSONWriter {
    /// Writes `value` as ``double(_:)`` would, when it is a short decimal (``ShortDecimal``);
    /// returns false, writing nothing, otherwise.
    mutating func shortDecimal(_ value: Double) -> Bool {
        guard let (places, scaled) = ShortDecimal.digits(of: value) else { return false }
        appendInPlace(maxCount: 24) { ShortDecimal.write(negative: value < 0, places: places, scaled: scaled, to: $0) }
        return true
    }
}
