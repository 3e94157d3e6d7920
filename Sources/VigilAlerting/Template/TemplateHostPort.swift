/// Go's `net.SplitHostPort`, `net.JoinHostPort` and `net.ParseIP`, as far as Prometheus's
/// `stripPort` and `stripDomain` template functions need them.
enum TemplateHostPort {
    /// `host:port` or `[host]:port` split in two; nil where Go returns an error (no port, too many
    /// colons, stray brackets). The port may be empty (`host:`).
    static func split(_ hostPort: String) -> (host: String, port: String)? {
        let bytes = Array(hostPort.utf8)
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")) else { return nil }
        let host: ArraySlice<UInt8>
        var bracketsEnd = 0
        if bytes[0] == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close + 1 == colon else { return nil }
            host = bytes[1..<close]
            bracketsEnd = close + 1
        } else {
            host = bytes[..<colon]
            if host.contains(UInt8(ascii: ":")) { return nil }
        }
        let openFrom = bracketsEnd == 0 ? 0 : 1
        if bytes[openFrom...].contains(UInt8(ascii: "[")) || bytes[bracketsEnd...].contains(UInt8(ascii: "]")) { return nil }
        return (String(decoding: host, as: UTF8.self), String(decoding: bytes[(colon + 1)...], as: UTF8.self))
    }

    /// `net.JoinHostPort`: brackets around a host that contains a colon.
    static func join(_ host: String, _ port: String) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Prometheus's `stripDomain`: the first label of a host name, keeping any port; IP addresses
    /// are returned unchanged.
    static func stripDomain(_ hostPort: String) -> String {
        var host = hostPort
        var port = ""
        if let parts = split(hostPort) { (host, port) = parts }
        if isIPAddress(host) { return hostPort }
        let first = String(host.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
        return port.isEmpty ? first : join(first, port)
    }

    /// `net.ParseIP(text) != nil`: dotted IPv4 without leading zeros, or IPv6 (with an optional
    /// trailing IPv4 part) without a zone.
    static func isIPAddress(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if !bytes.contains(UInt8(ascii: ":")) { return isIPv4(bytes[...]) }
        return isIPv6(bytes[...])
    }

    private static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let fields = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard fields.count == 4 else { return false }
        for field in fields {
            guard !field.isEmpty, field.count <= 3, field.allSatisfy(isDigit) else { return false }
            if field.count > 1, field.first == UInt8(ascii: "0") { return false }
            let value = field.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            if value > 255 { return false }
        }
        return true
    }

    private static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        var rest = bytes
        var groups = 0
        var sawDoubleColon = false
        if rest.starts(with: "::".utf8) {
            sawDoubleColon = true
            rest = rest.dropFirst(2)
            if rest.isEmpty { return true }
        }
        while !rest.isEmpty {
            let field = rest.prefix { $0 != UInt8(ascii: ":") }
            if field.contains(UInt8(ascii: ".")) {
                // An embedded IPv4 address takes the last two groups.
                guard field.endIndex == rest.endIndex, isIPv4(field) else { return false }
                groups += 2
                rest = rest[rest.endIndex...]
                break
            }
            guard !field.isEmpty, field.count <= 4, field.allSatisfy(isHexDigit) else { return false }
            groups += 1
            rest = rest[field.endIndex...]
            if rest.isEmpty { break }
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return false }
                sawDoubleColon = true
                rest = rest.dropFirst()
                if rest.isEmpty { break }
            } else if rest.isEmpty {
                return false
            }
            if groups > 8 { return false }
        }
        return sawDoubleColon ? groups < 8 : groups == 8
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }
}
