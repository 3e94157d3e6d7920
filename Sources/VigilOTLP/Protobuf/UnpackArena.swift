import COTLP
import CUnpackArena
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
/// allocation callback protobuf-c makes for every field is C (`vigil_unpack_arena_alloc`): a bump
/// in the current block; this type only supplies new blocks and gives them back.
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

    /// The blocks in use, kept by the Swift side; the C side's `context` points here.
    private struct Blocks {
        /// Blocks of `blockSize`, returned to the cache at the end.
        var cached: [UnsafeMutableRawPointer] = []
        /// Blocks for single large allocations, freed at the end.
        var large: [UnsafeMutableRawPointer] = []
    }

    private let arena: UnsafeMutablePointer<vigil_unpack_arena>
    private let blocks: UnsafeMutablePointer<Blocks>

    init() {
        blocks = .allocate(capacity: 1)
        blocks.initialize(to: Blocks())
        arena = .allocate(capacity: 1)
        arena.initialize(to: vigil_unpack_arena(
            cursor: nil, remaining: 0,
            refill: { arena, size in UnpackArena.refill(arena!, size) },
            context: UnsafeMutableRawPointer(blocks)))
    }

    deinit {
        blocks.pointee.large.forEach { free($0) }
        var idle = blocks.pointee.cached.map(Block.init)
        blocks.deinitialize(count: 1)
        blocks.deallocate()
        arena.deallocate()
        Self.cache.withLock { cache in
            while cache.count < Self.cachedBlockLimit, let block = idle.popLast() { cache.append(block) }
        }
        idle.forEach { free($0.pointer) }
    }

    /// Memory for `aligned` bytes once the current block cannot hold them: a block of its own
    /// for a large allocation, otherwise a new current block (from the cache when one is idle).
    private static func refill(_ arena: UnsafeMutablePointer<vigil_unpack_arena>, _ aligned: Int) -> UnsafeMutableRawPointer? {
        let blocks = arena.pointee.context.assumingMemoryBound(to: Blocks.self)
        if aligned > blockSize / 4 {
            guard let block = malloc(aligned) else { return nil }
            blocks.pointee.large.append(block)
            return block
        }
        guard let block = cache.withLock({ $0.popLast() })?.pointer ?? malloc(blockSize) else { return nil }
        blocks.pointee.cached.append(block)
        arena.pointee.cursor = (block + aligned).assumingMemoryBound(to: UInt8.self)
        arena.pointee.remaining = blockSize - aligned
        return block
    }

    /// Runs `body` with a protobuf-c allocator backed by this arena; the memory stays valid
    /// until the arena is released.
    func withAllocator<Result>(_ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws(OTLPDecodingError) -> Result) throws(OTLPDecodingError) -> Result {
        var allocator = ProtobufCAllocator(alloc: vigil_unpack_arena_alloc, free: vigil_unpack_arena_free, allocator_data: UnsafeMutableRawPointer(arena))
        return try body(&allocator)
    }
}
