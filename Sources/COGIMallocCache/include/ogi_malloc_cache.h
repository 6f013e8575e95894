// A per-thread cache of small freed blocks in front of glibc's allocator (malloc_cache.c).
#ifndef OGI_MALLOC_CACHE_H
#define OGI_MALLOC_CACHE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A block of at least `size` bytes: a cached block of its size class when the calling thread has one, else the
/// allocator's. Every block is glibc's own (the cache keeps freed blocks as they are), so `free`, `realloc` and
/// `malloc_usable_size` of the C library accept it.
void *ogi_malloc_cache_alloc(size_t size);

/// Frees `block` (any block of the process's allocator, or NULL): kept in the calling thread's cache when it is a
/// small glibc block and the cache has room, else handed to the allocator's `free`.
void ogi_malloc_cache_free(void *block);

/// True when blocks are cached: the allocator is glibc's (not mimalloc, jemalloc, valgrind's or a sanitizer's)
/// and OGILINT_MALLOC_CACHE=0 was not set when the first block was asked for.
int ogi_malloc_cache_enabled(void);

/// What the calling thread's cache holds: blocks and their bytes (chunk sizes).
typedef struct {
    size_t blocks;
    size_t bytes;
} ogi_malloc_cache_stats;
ogi_malloc_cache_stats ogi_malloc_cache_thread_stats(void);

/// Blocks the calling thread's cache holds of the size class `size` is served from.
size_t ogi_malloc_cache_class_count(size_t size);

/// True when `block` is in the calling thread's cache (freed, not handed out again).
int ogi_malloc_cache_holds(const void *block);

/// Blocks handed back to the allocator by exiting threads' caches, over the process's life.
uint64_t ogi_malloc_cache_flushed_blocks(void);

/// The limits: blocks of one size class, bytes in one thread's cache, largest chunk size cached.
enum {
    OGI_MALLOC_CACHE_CLASS_LIMIT = 32,
    OGI_MALLOC_CACHE_BYTE_LIMIT = 1 << 20,
    OGI_MALLOC_CACHE_LARGEST_CHUNK = 4112,
};

#ifdef __cplusplus
}
#endif

#endif
