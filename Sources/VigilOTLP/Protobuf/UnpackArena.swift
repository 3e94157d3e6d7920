import COTLP
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A bump allocator for protobuf-c: an unpacked request (tens of thousands of small structs and
/// strings) is carved out of blocks that are handed back at once, instead of one `malloc` and
/// one `free` per field.
///
/// Blocks of ``blockSize`` return to a small shared cache, so a busy receiver reuses memory that
/// is already mapped rather than asking the kernel for fresh pages on every request. The
/// allocation callback works on a plain struct behind a pointer: no reference counting per field.
struct UnpackArena: ~Copyable {
    /// Size of the cached blocks; an allocation larger than this gets a block of its own.
    static let blockSize = 1 << 20
    /// Most idle blocks kept for reuse (16 MiB).
    static let cachedBlockLimit = 16
    private static let cache = Mutex<[Block]>([])

    /// An idle block in the cache; only the arena that takes it out uses it.
    private struct Block: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private struct State {
        var cursor: UnsafeMutableRawPointer?
        var remaining = 0
        /// Blocks of `blockSize`, returned to the cache at the end.
        var blocks: [UnsafeMutableRawPointer] = []
        /// Blocks for single large allocations, freed at the end.
        var large: [UnsafeMutableRawPointer] = []
    }

    private let state: UnsafeMutablePointer<State>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        state.pointee.large.forEach { free($0) }
        var blocks = state.pointee.blocks.map(Block.init)
        state.deinitialize(count: 1)
        state.deallocate()
        Self.cache.withLock { cache in
            while cache.count < Self.cachedBlockLimit, let block = blocks.popLast() { cache.append(block) }
        }
        blocks.forEach { free($0.pointer) }
    }

    /// The bump itself, small enough to be inlined into the callback; a new block is the rare case.
    @inline(__always)
    private static func allocate(_ size: Int, _ state: UnsafeMutablePointer<State>) -> UnsafeMutableRawPointer? {
        let aligned = (size + 15) & ~15
        if aligned <= state.pointee.remaining, let pointer = state.pointee.cursor {
            state.pointee.cursor = pointer + aligned
            state.pointee.remaining -= aligned
            return pointer
        }
        return allocateFromNewBlock(aligned, state)
    }

    @inline(never)
    private static func allocateFromNewBlock(_ aligned: Int, _ state: UnsafeMutablePointer<State>) -> UnsafeMutableRawPointer? {
        if aligned > blockSize / 4 {
            guard let block = malloc(aligned) else { return nil }
            state.pointee.large.append(block)
            return block
        }
        guard let block = cache.withLock({ $0.popLast() })?.pointer ?? malloc(blockSize) else { return nil }
        state.pointee.blocks.append(block)
        state.pointee.cursor = block + aligned
        state.pointee.remaining = blockSize - aligned
        return block
    }

    /// Runs `body` with a protobuf-c allocator backed by this arena; the memory stays valid
    /// until the arena is released.
    func withAllocator<Result>(_ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws(OTLPDecodingError) -> Result) throws(OTLPDecodingError) -> Result {
        var allocator = ProtobufCAllocator(
            alloc: { data, size in UnpackArena.allocate(size, data!.assumingMemoryBound(to: State.self)) },
            free: { _, _ in },
            allocator_data: UnsafeMutableRawPointer(state))
        return try body(&allocator)
    }
}
