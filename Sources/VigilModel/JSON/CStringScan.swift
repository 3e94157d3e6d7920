/// Finds how much of a NUL-terminated string can be copied into JSON as it is: printable ASCII
/// other than `"` and `\`. Eight bytes are tested at a time.
enum CStringScan {
    /// The length of the plain prefix of the string at `start`, and whether that prefix is the
    /// whole string (the byte after it is the terminating NUL).
    ///
    /// Words are read only at 8-byte-aligned addresses, so a read never crosses into another
    /// page than the terminating NUL's; bytes after the NUL in that last word are ignored.
    @inline(__always)
    static func plainPrefix(_ start: UnsafePointer<UInt8>) -> (length: Int, endsString: Bool) {
        var index = 0
        // Up to the first aligned address, one byte at a time.
        while (Int(bitPattern: start + index) & 7) != 0 {
            let byte = start[index]
            if byte == 0 { return (index, true) }
            if !isPlain(byte) { return (index, false) }
            index += 1
        }
        while true {
            let word = UInt64(littleEndian: UnsafeRawPointer(start + index).load(as: UInt64.self))
            if word & 0x8080_8080_8080_8080 == 0, !JSONWriter.mayNeedEscaping(word) {
                index += 8
                continue
            }
            // Something in this word ends the plain run (or only seems to): find it.
            for _ in 0..<8 {
                let byte = start[index]
                if byte == 0 { return (index, true) }
                if !isPlain(byte) { return (index, false) }
                index += 1
            }
        }
    }

    @inline(__always)
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }
}
