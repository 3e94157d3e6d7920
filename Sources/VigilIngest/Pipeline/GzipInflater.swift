import CZlib

/// Bounded gzip/zlib inflation: output stops at the limit, so a small body that would inflate
/// to gigabytes costs at most `limit` bytes of memory.
public enum GzipInflater {
    public enum Failure: Error, Equatable, Sendable {
        /// The inflated body would exceed the limit.
        case tooLarge
        /// The body is not valid gzip or zlib data.
        case corrupt(String)
    }

    /// Inflates gzip (or zlib) data, refusing output past `limit` bytes.
    public static func inflate(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard vigil_inflate_init_gzip(&stream) == Z_OK else { throw .corrupt("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: min(max(input.count * 4, 64 * 1024), 1 << 20))
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let produced: Int
                let result: Int32 = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limit { return Z_BUF_ERROR - 100 }
                output.append(contentsOf: chunk[0..<produced])
                switch result {
                case Z_STREAM_END:
                    // Concatenated gzip members are one body (RFC 1952).
                    if stream.avail_in > 0 {
                        guard inflateReset(&stream) == Z_OK else { return Z_DATA_ERROR }
                        continue
                    }
                    return Z_STREAM_END
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return Z_BUF_ERROR
                default:
                    return result
                }
            }
        }
        switch status {
        case Z_STREAM_END: return output
        case Z_BUF_ERROR - 100: throw .tooLarge
        case Z_BUF_ERROR: throw .corrupt("the compressed body is truncated")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw .corrupt(message)
        }
    }
}
