extension Array where Element == UInt8 {
    /// Lets `body` write at most `maxCount` bytes straight into spare capacity at the end, and
    /// keeps the number it returns. One capacity check for the lot, where appending byte by
    /// byte checks uniqueness and capacity for each.
    @inlinable @inline(__always)
    public mutating func appendInPlace(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        append(addingCapacity: maxCount) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                initialized = body(buffer.baseAddress!)
            }
        }
    }
}
