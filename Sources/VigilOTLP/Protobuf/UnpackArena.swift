import COTLP
#if canImport(Glibc)
import Glibc
#endif

/// A bump allocator for protobuf-c: an unpacked request (tens of thousands of small structs and
/// strings) is carved out of a few large blocks and released at once, instead of one `malloc`
/// and one `free` per field.
final class UnpackArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0
    private let blockSize: Int

    /// - Parameter expectedBytes: the packed size; unpacked structures take a few times that.
    init(expectedBytes: Int) {
        blockSize = min(max(expectedBytes * 4, 64 << 10), 16 << 20)
    }

    deinit {
        blocks.forEach { free($0) }
    }

    func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        let aligned = (size + 15) & ~15
        if aligned > remaining {
            guard let block = malloc(max(aligned, blockSize)) else { return nil }
            blocks.append(block)
            cursor = block
            remaining = max(aligned, blockSize)
        }
        let pointer = cursor
        cursor = cursor.map { $0 + aligned }
        remaining -= aligned
        return pointer
    }

    /// Runs `body` with a protobuf-c allocator backed by this arena; the memory stays valid
    /// until the arena is released.
    func withAllocator<Result>(_ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws(OTLPDecodingError) -> Result) throws(OTLPDecodingError) -> Result {
        var allocator = ProtobufCAllocator(
            alloc: { data, size in Unmanaged<UnpackArena>.fromOpaque(data!).takeUnretainedValue().allocate(size) },
            free: { _, _ in },
            allocator_data: Unmanaged.passUnretained(self).toOpaque())
        return try withExtendedLifetime(self) { () throws(OTLPDecodingError) -> Result in
            try body(&allocator)
        }
    }
}
