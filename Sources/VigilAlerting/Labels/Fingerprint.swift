/// The 64-bit identity of a label set, as Alertmanager's `model.Fingerprint`.
///
/// It is FNV-1a 64 over the labels sorted by name, each written as name, `0xff`, value, `0xff`
/// (prometheus/common `labelSetToFingerprint`); the empty set hashes to the FNV offset basis.
/// Alertmanager uses it to key alerts and, printed, in group keys and the API.
public struct Fingerprint: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses 1 to 16 hexadecimal digits (either case), as Go's `model.ParseFingerprint`; `nil` otherwise.
    public init?(hex: some StringProtocol) {
        guard !hex.isEmpty, hex.utf8.count <= 16, hex.utf8.allSatisfy(\.isHexDigit), let value = UInt64(hex, radix: 16) else {
            return nil
        }
        rawValue = value
    }

    /// Sixteen lower-case hexadecimal digits (Go's `%016x`).
    public var description: String {
        let digits = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    // MARK: FNV-1a 64

    static let offsetBasis: UInt64 = 14_695_981_039_346_656_037
    static let prime: UInt64 = 1_099_511_628_211
    /// `model.SeparatorByte`: a byte that never occurs in UTF-8.
    static let separator: UInt8 = 0xff

    static func hash(_ text: String, into hash: UInt64) -> UInt64 {
        var hash = hash
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return hash
    }

    static func hash(separator hash: UInt64) -> UInt64 {
        (hash ^ UInt64(separator)) &* prime
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
