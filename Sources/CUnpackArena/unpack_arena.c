#include "unpack_arena.h"

void *vigil_unpack_arena_alloc(void *allocator_data, size_t size) {
    vigil_unpack_arena *arena = allocator_data;
    size_t aligned = (size + 15) & ~(size_t)15;
    if (arena->cursor != NULL && aligned <= arena->remaining) {
        void *pointer = arena->cursor;
        arena->cursor += aligned;
        arena->remaining -= aligned;
        return pointer;
    }
    return arena->refill(arena, aligned);
}

void vigil_unpack_arena_free(void *allocator_data, void *pointer) {
    (void)allocator_data;
    (void)pointer;
}
