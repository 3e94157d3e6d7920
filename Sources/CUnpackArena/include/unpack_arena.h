// Bump allocation for protobuf-c's allocator callback, in C so that the callback protobuf-c
// makes for every unpacked field is a plain function call. Blocks are managed by the Swift side
// (UnpackArena), which `refill` calls when the current block is used up.
#ifndef VIGIL_UNPACK_ARENA_H
#define VIGIL_UNPACK_ARENA_H

#include <stddef.h>

typedef struct vigil_unpack_arena {
    /// Next free byte of the current block (NULL before the first block).
    unsigned char *cursor;
    /// Bytes left in the current block.
    size_t remaining;
    /// Returns memory for `size` bytes (a multiple of 16), starting a new block if it wants.
    void *(*refill)(struct vigil_unpack_arena *arena, size_t size);
    /// The Swift side's state.
    void *context;
} vigil_unpack_arena;

/// protobuf-c `alloc` callback; `allocator_data` is a `vigil_unpack_arena *`.
void *vigil_unpack_arena_alloc(void *allocator_data, size_t size);

/// protobuf-c `free` callback: memory goes back only with the whole arena.
void vigil_unpack_arena_free(void *allocator_data, void *pointer);

#endif
